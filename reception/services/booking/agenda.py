"""Staff side of reception scheduling: the day's agenda per official, reassigning, no-shows,
walk-in and phone bookings on a citizen's behalf. Opening and completing a booking's hearing
are steps the hearing service takes in its own unit of work (`open_in`, `complete_in`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from reception.domain import reception as law
from reception.domain.booking import (
    LOCAL_TZ,
    Booking,
    BookingId,
    BookingStatus,
    Channel,
    Participant,
    ParticipantId,
    ParticipantRole,
)
from reception.domain.law.workdays import WorkingCalendar
from reception.domain.organisation import StaffId, StaffMember, StaffRole
from reception.i18n_marker import N_
from reception.services import audit
from reception.services.booking.bookings import BookingService, NewBooking, Receipt
from reception.services.booking.calendar import local_day_bounds
from reception.services.booking.ports import SlotTaken
from reception.services.booking.rules import WAITING_ROOM_OPENS, Upload
from reception.services.errors import Conflict, Forbidden, Invalid, NotFound
from reception.services.hearings.officials import RECEIVING_ROLES, conducted_booking, may_change
from reception.services.ports import Clock, UnitOfWork, UnitOfWorkFactory

# Administrators manage accounts, never citizens' bookings (separation of duties).
RECEIVERS = frozenset({StaffRole.RECEPTIONIST, StaffRole.INSPECTOR, StaffRole.HEAD})


@dataclass(frozen=True)
class AgendaItem:
    booking: Booking
    citizen: Participant | None
    findings: Sequence[law.Finding]  # R-7 lead times of this online session
    # What the reader may do with it (hearings/officials.py): a colleague's agenda is read-only.
    may_act: bool = False  # open its hearing, no-show, finish
    may_reassign: bool = False


class AgendaService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, calendar: WorkingCalendar,
                 bookings: BookingService) -> None:
        self._uow, self._clock, self._calendar, self._bookings = uow, clock, calendar, bookings

    async def day(self, actor: StaffMember, official_id: StaffId, day: date) -> list[AgendaItem]:
        start, end = local_day_bounds(day)
        items = []
        async with self._uow() as uow:
            official = await uow.staff.get(official_id)
            if official is None or official.agency_id != actor.agency_id:
                raise NotFound(N_("This official does not work in the agency."))
            for booking in await uow.bookings.for_official(official_id, start, end):
                people = await uow.participants.of_booking(booking.id)
                citizen = next((p for p in people if p.role is ParticipantRole.CITIZEN), None)
                items.append(AgendaItem(
                    booking, citizen, self._lead_findings(booking, citizen),
                    may_act=await may_change(uow, actor, booking),
                    may_reassign=await may_change(uow, actor, booking, or_head=True)))
        return items

    def _lead_findings(self, booking: Booking, citizen: Participant | None) -> list[law.Finding]:
        """R-7 (ND154 Art. 23(1)): notified ≥ 5 WD, tested ≥ 1 WD, connected ≥ 1 h before."""
        if booking.channel is not Channel.ONLINE or booking.status in (
                BookingStatus.CANCELLED, BookingStatus.NO_SHOW):
            return []

        def local_day(moment: datetime | None) -> date | None:
            return moment.astimezone(LOCAL_TZ).date() if moment else None

        return law.check_online_session(
            booking.starts_at.astimezone(LOCAL_TZ), notified_on=local_day(booking.notified_at),
            tested_on=local_day(citizen.device_checked_at if citizen else None),
            connection_opened_at=booking.hearing_opened_at, calendar=self._calendar)

    async def register_on_behalf(self, actor: StaffMember, new: NewBooking,
                                 uploads: Sequence[Upload] = ()) -> Receipt:
        """A walk-in or phone booking: the same checks, entered by staff (lead time waived)."""
        self._require(actor)
        if new.channel is Channel.ONLINE:
            raise Invalid(N_("Choose walk-in or phone for a booking entered by staff."))
        return await self._bookings.book(new, uploads, actor=actor)

    async def reassign(self, actor: StaffMember, booking_id: BookingId,
                       official_id: StaffId) -> Booking:
        """The booking's official hands it on, or the head, who distributes the receptions."""
        async with self._uow() as uow:
            booking = await self._load(uow, actor, booking_id, or_head=True)
            if booking.status is not BookingStatus.BOOKED:
                raise Conflict(N_("Only a booking that has not started can be given to another "
                                  "official."))
            official = await uow.staff.get(official_id)
            if official is None or official.agency_id != booking.agency_id or not official.active:
                raise NotFound(N_("This official does not work in the agency."))
            if not official.roles & RECEIVING_ROLES:  # e.g. an administrator: nobody would act
                raise Conflict(N_("Give the booking to an official who receives citizens."))
            moved = replace(booking, official_id=official_id)
            try:
                await uow.bookings.update(moved)
            except SlotTaken:
                raise Conflict(N_("This official already has a booking at that time.")) from None
            await self._log(uow, actor, "booking.reassigned", booking,
                            {"from": str(booking.official_id), "to": str(official_id)})
            await uow.commit()
            return moved

    async def mark_no_show(self, actor: StaffMember, booking_id: BookingId) -> Booking:
        async with self._uow() as uow:
            booking = await self._load(uow, actor, booking_id)
            if booking.status not in (BookingStatus.BOOKED, BookingStatus.OPENED):
                raise Conflict(N_("Only a booking that has not started can be marked no-show."))
            if booking.starts_at > self._clock.now():
                raise Conflict(N_("A citizen can be marked absent only after the start time."))
            changed = replace(booking, status=BookingStatus.NO_SHOW)
            await uow.bookings.update(changed)
            await self._log(uow, actor, "booking.no_show", booking, {})
            await uow.commit()
            return changed

    async def open_in(self, uow: UnitOfWork, actor: StaffMember, booking: Booking,
                      now: datetime) -> Booking:
        """Open the booking for its hearing, inside the caller's unit of work (the hearing
        service opens the hearing in the same transaction): the official is in, the waiting
        room can admit."""
        self._require(actor)
        if booking.status is not BookingStatus.BOOKED:
            raise Conflict(N_("This hearing is already open or the booking is closed."))
        opens = booking.starts_at - WAITING_ROOM_OPENS
        if now < opens:
            # Opened days early, the hearing would hold the booking while the citizen's waiting
            # room stays shut: no consent, no moving or cancelling (ND154 Art. 23(1): the
            # connection opens one hour before).
            raise Conflict(N_("This hearing can be opened from {time}, when the citizen's waiting "
                              "room opens (one hour before the booked time)."),
                           time=opens.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y"))
        opened = replace(booking, status=BookingStatus.OPENED, hearing_opened_at=now)
        await uow.bookings.update(opened)
        await uow.participants.add(Participant(
            ParticipantId(uuid.uuid4()), booking.id, ParticipantRole.OFFICIAL,
            actor.full_name, staff_id=actor.id, admitted_at=now))
        await self._log(uow, actor, "booking.hearing_opened", booking, {})
        return opened

    async def complete_in(self, uow: UnitOfWork, actor: StaffMember, booking: Booking) -> Booking:
        """Mark the booking's reception done, inside the caller's unit of work (whoever may
        end the hearing may complete its booking)."""
        if booking.status not in (BookingStatus.OPENED, BookingStatus.ADMITTED):
            raise Conflict(N_("Only an open hearing can be completed."))
        done = replace(booking, status=BookingStatus.COMPLETED)
        await uow.bookings.update(done)
        await self._log(uow, actor, "booking.completed", booking, {})
        return done

    def _require(self, actor: StaffMember) -> None:
        if not actor.roles & RECEIVERS:
            raise Forbidden(N_("You are not allowed to do this."))

    async def _load(self, uow: UnitOfWork, actor: StaffMember, booking_id: BookingId,
                    or_head: bool = False) -> Booking:
        """The booking to change: its official's (or the hearing's), see hearings/officials.py."""
        self._require(actor)
        return await conducted_booking(uow, actor, booking_id, lock=True, or_head=or_head)

    async def _log(self, uow: UnitOfWork, actor: StaffMember, action: str, booking: Booking,
                   details: dict[str, object]) -> None:
        await audit.log_change(uow, self._clock.now(), actor, action, "booking", booking, details)
