"""The waiting room: the citizen checks their devices, reads how the hearing is recorded and
gives (or refuses) consent, then waits; the official admits one citizen at a time or asks them
to wait. State ends at 'admitted': the video hearing builds on `resolve_join_token` and
`admit`."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from reception.domain.booking import (
    Booking,
    BookingId,
    BookingStatus,
    Participant,
    ParticipantRole,
)
from reception.domain.organisation import StaffId, StaffMember
from reception.i18n_marker import N_
from reception.services import audit
from reception.services.booking.bookings import resolve
from reception.services.booking.rules import CONSENT_TEXT_VERSION, WAITING_ROOM_OPENS
from reception.services.errors import Conflict, NotFound
from reception.services.hearings.events import RoomEvents
from reception.services.hearings.officials import conducted_booking
from reception.services.ports import Clock, UnitOfWork, UnitOfWorkFactory


class RoomState(enum.StrEnum):
    TOO_EARLY = "too_early"  # the room opens 1 hour before (ND154 Art. 23(1))
    CHECKING = "checking"  # device check and consent not finished
    REFUSED = "refused"  # consent refused: no online hearing; the office will call
    WAITING = "waiting"
    ASKED_TO_WAIT = "asked_to_wait"
    ADMITTED = "admitted"
    CLOSED = "closed"  # cancelled, no-show, completed or past


@dataclass(frozen=True)
class JoinContext:
    booking: Booking
    participant: Participant
    state: RoomState


@dataclass(frozen=True)
class Waiting:
    booking: Booking
    participant: Participant


def room_state(booking: Booking, p: Participant, now: datetime) -> RoomState:
    if booking.status in (BookingStatus.CANCELLED, BookingStatus.NO_SHOW,
                          BookingStatus.COMPLETED) or booking.ends_at <= now:
        return RoomState.CLOSED
    if p.admitted_at:
        return RoomState.ADMITTED
    if booking.starts_at - WAITING_ROOM_OPENS > now:
        return RoomState.TOO_EARLY
    if p.consent_refused_at:
        return RoomState.REFUSED
    if p.waiting_since:
        return RoomState.ASKED_TO_WAIT if p.asked_to_wait_at else RoomState.WAITING
    return RoomState.CHECKING


class WaitingRoomService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock,
                 events: RoomEvents | None = None) -> None:
        self._uow, self._clock = uow, clock
        self._events = events  # the open hearing's console hears who starts waiting

    async def resolve_join_token(self, token: str) -> JoinContext:
        """Who a link belongs to and where they are; Forbidden for a forged or expired link."""
        async with self._uow() as uow:
            participant, booking = await resolve(uow, token, self._clock.now())
        return JoinContext(booking, participant, room_state(booking, participant,
                                                            self._clock.now()))

    async def device_checked(self, token: str) -> JoinContext:
        return await self._citizen_step(token, "waiting_room.device_checked",
                                        lambda p, now: replace(p, device_checked_at=now))

    async def consent(self, token: str, given: bool) -> JoinContext:
        """Record the answer with time and text version; giving consent enters the queue."""
        def change(p: Participant, now: datetime) -> Participant:
            if given:
                return replace(p, consent_given_at=now, consent_refused_at=None,
                               consent_text_version=CONSENT_TEXT_VERSION, waiting_since=now)
            return replace(p, consent_refused_at=now, consent_given_at=None,
                           consent_text_version=CONSENT_TEXT_VERSION, waiting_since=None)
        action = "waiting_room.consent_given" if given else "waiting_room.consent_refused"
        return await self._citizen_step(token, action, change, needs_open_room=True)

    async def _citizen_step(self, token: str, action: str,
                            change: Callable[[Participant, datetime], Participant],
                            needs_open_room: bool = False) -> JoinContext:
        now = self._clock.now()
        async with self._uow() as uow:
            participant, booking = await resolve(uow, token, now, lock=True)
            state = room_state(booking, participant, now)
            if state is RoomState.CLOSED or state is RoomState.ADMITTED:
                raise Conflict(N_("This step is no longer possible for this booking."))
            if needs_open_room and state is RoomState.TOO_EARLY:
                raise Conflict(N_("The waiting room opens one hour before your time."))
            changed = change(participant, now)
            await uow.participants.update(changed)
            await self._log(uow, None, action, booking, {"text_version": CONSENT_TEXT_VERSION})
            await uow.commit()
            hearing = await uow.hearings.open_for_booking(booking.id)
        if hearing is not None and self._events is not None:
            self._events.publish(str(hearing.id), {"type": "waiting", "participant": str(changed.id)})
        return JoinContext(booking, changed, room_state(booking, changed, now))

    async def waiting_for(self, actor: StaffMember, official_id: StaffId) -> list[Waiting]:
        """Citizens of the official's open bookings today, waiting or admitted."""
        now = self._clock.now()
        async with self._uow() as uow:
            bookings = await uow.bookings.for_official(official_id, now - WAITING_ROOM_OPENS * 12,
                                                       now + WAITING_ROOM_OPENS)
            found = []
            for booking in bookings:
                if booking.agency_id != actor.agency_id:
                    continue
                for p in await uow.participants.of_booking(booking.id):
                    if p.role is ParticipantRole.CITIZEN and room_state(booking, p, now) in (
                            RoomState.WAITING, RoomState.ASKED_TO_WAIT, RoomState.ADMITTED):
                        found.append(Waiting(booking, p))
        return found

    async def admit_in(self, uow: UnitOfWork, actor: StaffMember, booking: Booking,
                       participant: Participant, now: datetime) -> Participant:
        """Admit one of the booking's participants, inside the hearing service's unit of work
        (the one admission path): the citizen must be waiting with consent, one citizen at a
        time per official; a third party needs their consent only."""
        if booking.status not in (BookingStatus.OPENED, BookingStatus.ADMITTED):
            raise Conflict(N_("Open the hearing before admitting the citizen."))
        if participant.admitted_at is not None:
            return participant
        if participant.role is ParticipantRole.CITIZEN:
            if room_state(booking, participant, now) not in (RoomState.WAITING,
                                                             RoomState.ASKED_TO_WAIT):
                raise Conflict(N_("The citizen is not in the waiting room or has not consented."))
            day = WAITING_ROOM_OPENS * 24
            busy = await uow.bookings.for_official(booking.official_id, now - day, now + day)
            if any(b.status is BookingStatus.ADMITTED and b.id != booking.id for b in busy):
                raise Conflict(N_("Another citizen is in your hearing. Finish it first."))
            await uow.bookings.update(replace(booking, status=BookingStatus.ADMITTED))
        elif participant.consent_given_at is None:
            raise Conflict(N_("This person has not read the recording notice and consented yet."))
        admitted = replace(participant, admitted_at=now)
        await uow.participants.update(admitted)
        await self._log(uow, actor, "waiting_room.admitted", booking,
                        {"participant": str(participant.id)})
        return admitted

    async def ask_to_wait(self, actor: StaffMember, booking_id: BookingId) -> Participant:
        now = self._clock.now()
        async with self._uow() as uow:
            booking, citizen = await self._staff_load(uow, actor, booking_id)
            if room_state(booking, citizen, now) is not RoomState.WAITING:
                raise Conflict(N_("The citizen is not in the waiting room or has not consented."))
            asked = replace(citizen, asked_to_wait_at=now)
            await uow.participants.update(asked)
            await self._log(uow, actor, "waiting_room.asked_to_wait", booking, {})
            await uow.commit()
        return asked

    async def participants(self, booking_id: BookingId) -> Sequence[Participant]:
        async with self._uow() as uow:
            return await uow.participants.of_booking(booking_id)

    async def _staff_load(self, uow: UnitOfWork, actor: StaffMember,
                          booking_id: BookingId) -> tuple[Booking, Participant]:
        booking = await conducted_booking(uow, actor, booking_id, lock=True)  # its officials only
        people = await uow.participants.of_booking(booking.id)
        citizen = next((p for p in people if p.role is ParticipantRole.CITIZEN), None)
        if citizen is None:
            raise NotFound(N_("This booking does not exist."))
        return booking, citizen

    async def _log(self, uow: UnitOfWork, actor: StaffMember | None, action: str,
                   booking: Booking, details: dict[str, object]) -> None:
        await audit.log_change(uow, self._clock.now(), actor, action, "booking", booking, details,
                                  actor_label=None if actor else "citizen")
