"""The video hearing: officials open it and join, admit, mute, remove and end; citizens and
third parties join with their secret link. The rules are the pure lifecycle of
`domain/hearings/lifecycle.py`; each use case here is one unit of work that loads, applies
the rule, stores and commits, then performs the returned effects on the media rooms.

Admission has one path, whatever the way in (the console, the agenda, the waiting-room list, a
reconnect, a third party): `_admit`, which admits the booking participant under the waiting
room's rules and their hearing member together, and starts the hearing's recording clock.

Each hearing is pinned to a media node (node.py) when it opens; after each commit the media
effects go to that node, wherever it runs, and the events to every page through the room
events (media_link.py). Signalling tickets live in the database, so any web process serves
any request.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

import structlog

from reception.domain.booking import (
    Booking,
    BookingId,
    BookingStatus,
    Participant,
    ParticipantId,
    ParticipantRole,
)
from reception.domain.hearings import lifecycle
from reception.domain.hearings.lifecycle import (
    Change,
    HearingRefused,
    Refusal,
)
from reception.domain.hearings.model import (
    Hearing,
    HearingId,
    HearingMember,
    HearingStatus,
    MemberId,
)
from reception.domain.organisation import StaffMember
from reception.i18n_marker import N_
from reception.services import audit
from reception.services.booking.bookings import resolve
from reception.services.errors import Conflict, Forbidden, NotFound, ServiceError
from reception.services.hearings.access import (
    TICKET_VALID_FOR,
    BookingSteps,
    Join,
    waiting_participants,
)
from reception.services.hearings.events import RoomEvents
from reception.services.hearings.media_link import HearingMedia
from reception.services.hearings.node import DEAD_AFTER
from reception.services.hearings.officials import conducted_booking, require_official
from reception.services.hearings.ports import Answer, MediaNodes
from reception.services.hearings.room_state import snapshot
from reception.services.ports import Clock, UnitOfWork, UnitOfWorkFactory

log = structlog.get_logger(__name__)
IceFor = Callable[[str], list[dict[str, Any]]]
T = TypeVar("T")
NOT_OPEN = N_("This hearing is not open.")
NO_HEARING = N_("This hearing does not exist.")
NO_BOOKING = N_("This booking does not exist.")
NOT_A_MEMBER = N_("This person is not in the hearing.")

# The domain's refusals in words a person understands (one table, one place).
REFUSALS: dict[Refusal, Callable[[], ServiceError]] = {
    Refusal.NOT_OPEN: lambda: Conflict(NOT_OPEN),
    Refusal.BOOKING_CLOSED: lambda: Conflict(
        N_("This booking is closed; no hearing can be opened.")),
    Refusal.CANCELLED: lambda: Forbidden(N_("This booking was cancelled.")),
    Refusal.WRONG_HEARING: lambda: Forbidden(N_("This link does not open this hearing.")),
    Refusal.REMOVED: lambda: Forbidden(N_("You were removed from this hearing.")),
    Refusal.NO_CONSENT: lambda: Conflict(N_(
        "Please read the recording notice and give your consent in the waiting room first.")),
}


def refused(error: HearingRefused) -> ServiceError:
    return REFUSALS[error.reason]()


@dataclass(frozen=True)
class Console:
    hearing: Hearing
    booking: Booking
    members: Sequence[HearingMember]
    waiting: Sequence[Participant]  # consented, in the waiting room, not admitted yet
    you: HearingMember | None = None  # the official's own membership (a reload rejoins it)


class HearingService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, steps: BookingSteps,
                 events: RoomEvents, ice_for: IceFor, nodes: MediaNodes,
                 dead_after: timedelta = DEAD_AFTER) -> None:
        self._uow, self._clock, self._steps = uow, clock, steps
        self.events, self._ice_for = events, ice_for
        self._dead_after = dead_after  # a media node silent this long is taken for dead
        self._media = HearingMedia(uow, nodes, events, dead_after)  # effects go out after commit

    # -- staff ----------------------------------------------------------------------------
    async def open(self, actor: StaffMember, booking_id: BookingId) -> Hearing:
        """The booking's open hearing, or a new one; the booking is opened with it."""
        now = self._clock.now()
        async with self._uow() as uow:
            booking = await self._booking(uow, actor, booking_id, lock=True)  # one opener at a time
            existing = await uow.hearings.open_for_booking(booking.id)
            hearing = self._apply(lambda: lifecycle.open_hearing(
                booking, existing, HearingId(uuid.uuid4()), actor, now))
            if hearing is existing:
                return hearing
            if booking.status is BookingStatus.BOOKED:
                await self._steps.open_in(uow, actor, booking, now)
            await uow.hearings.add(hearing)
            await uow.media_nodes.pin(hearing.id, self._dead_after)  # none alive: pinned at first join
            await self._audit(uow, actor, "hearing.opened", hearing, {"booking": str(booking.id)})
            await uow.commit()
        return hearing

    async def console(self, actor: StaffMember, hearing_id: HearingId) -> Console:
        async with self._uow() as uow:
            hearing = await self._hearing(uow, actor, hearing_id)
            booking = await uow.bookings.get(hearing.booking_id)
            assert booking is not None
            members = await uow.hearings.members(hearing.id)
            people = await uow.participants.of_booking(booking.id)
            await self._audit(uow, actor, "hearing.viewed", hearing, {})
            await uow.commit()
        you = next((m for m in members if m.staff_id == actor.id), None)
        return Console(hearing, booking, members, waiting_participants(people, members), you)

    async def join_as_staff(self, actor: StaffMember, hearing_id: HearingId,
                            receive_only: bool = False) -> Join:
        """The official acknowledges the recording notice and gets a signalling ticket."""
        now = self._clock.now()
        async with self._uow() as uow:
            hearing = await self._hearing(uow, actor, hearing_id, lock=True)
            member = await uow.hearings.member_by_staff(hearing.id, actor.id)
            change = self._apply(lambda: lifecycle.join_as_staff(
                hearing, member, MemberId(uuid.uuid4()), actor, now, receive_only))
            joined = self._member_of(change)
            if member is None:
                await uow.hearings.add_member(joined)
            await self._audit(uow, actor, "hearing.joined", hearing, {"member": str(joined.id)})
            ticket = await self._issue(uow, hearing, joined)
            await uow.commit()
        await self._media.perform(change.hearing, change.effects)
        return Join(hearing.id, joined.id, ticket, self._ice_for(actor.login))

    async def admit(self, actor: StaffMember, hearing_id: HearingId, member_id: MemberId) -> None:
        """Admit a member who is in the hearing's room (console)."""
        async with self._uow() as uow:
            hearing = await self._hearing(uow, actor, hearing_id, lock=True)
            member = await self._member(uow, hearing, member_id)
            participant = (await uow.participants.get(member.participant_id)
                           if member.participant_id else None)
            change = await self._admit(uow, actor, hearing, participant, member)
        await self._media.perform(change.hearing, change.effects)

    async def admit_participant(self, actor: StaffMember, hearing_id: HearingId,
                                participant_id: ParticipantId) -> None:
        """Admit someone still on the waiting-room page (console's waiting list): they come
        into the hearing admitted as soon as their page connects."""
        async with self._uow() as uow:
            hearing = await self._hearing(uow, actor, hearing_id, lock=True)
            participant = await uow.participants.get(participant_id)
            if participant is None or participant.booking_id != hearing.booking_id:
                raise NotFound(NOT_A_MEMBER)
            member = await uow.hearings.member_by_participant(hearing.id, participant.id)
            change = await self._admit(uow, actor, hearing, participant, member)
        await self._media.perform(change.hearing, change.effects)

    async def admit_booking(self, actor: StaffMember, booking_id: BookingId) -> Participant:
        """Admit the booking's citizen (agenda, waiting-room list): the hearing is opened if it
        is not yet, so admission always goes through the hearing and its recording."""
        hearing = await self.open(actor, booking_id)
        async with self._uow() as uow:
            hearing = await self._hearing(uow, actor, hearing.id, lock=True)
            citizen = next((p for p in await uow.participants.of_booking(hearing.booking_id)
                            if p.role is ParticipantRole.CITIZEN), None)
            if citizen is None:
                raise NotFound(NO_BOOKING)
            member = await uow.hearings.member_by_participant(hearing.id, citizen.id)
            change = await self._admit(uow, actor, hearing, citizen, member)
            admitted = await uow.participants.get(citizen.id)
        await self._media.perform(change.hearing, change.effects)
        assert admitted is not None
        return admitted

    async def mute(self, actor: StaffMember, hearing_id: HearingId, member_id: MemberId,
                   muted: bool) -> None:
        async with self._uow() as uow:
            hearing = await self._hearing(uow, actor, hearing_id)
            member = await self._member(uow, hearing, member_id)
            change = self._apply(lambda: lifecycle.mute(hearing, member, muted))
            await uow.hearings.update_member(self._member_of(change))
            await self._audit(uow, actor, "hearing.muted" if muted else "hearing.unmuted", hearing,
                              {"member": str(member.id)})
            await uow.commit()
        await self._media.perform(change.hearing, change.effects)

    async def remove(self, actor: StaffMember, hearing_id: HearingId, member_id: MemberId) -> None:
        """Disconnect a member for good; their recording so far is closed and stored."""
        async with self._uow() as uow:
            hearing = await self._hearing(uow, actor, hearing_id, lock=True)
            member = await self._member(uow, hearing, member_id)
            change = self._apply(lambda: lifecycle.remove(hearing, member, self._clock.now()))
            await uow.hearings.update_member(self._member_of(change))
            await self._audit(uow, actor, "hearing.removed", hearing, {"member": str(member.id)})
            await uow.commit()
        await self._media.perform(change.hearing, change.effects)

    async def end(self, actor: StaffMember, hearing_id: HearingId) -> Hearing:
        """End the hearing and complete its booking; then every recording is closed, stored
        with its hashes and handed to transcription."""
        async with self._uow() as uow:
            hearing = await self._hearing(uow, actor, hearing_id, lock=True)
            change = self._apply(lambda: lifecycle.end(hearing, actor, self._clock.now()))
            await uow.hearings.update(change.hearing)
            booking = await uow.bookings.get(hearing.booking_id, lock=True)
            if booking is not None and booking.status in (BookingStatus.OPENED,
                                                          BookingStatus.ADMITTED):
                await self._steps.complete_in(uow, actor, booking)
            await self._audit(uow, actor, "hearing.ended", change.hearing, {})
            await uow.commit()
        await self._media.perform(change.hearing, change.effects)
        async with self._uow() as uow:
            ended = await uow.hearings.get(hearing.id)
        assert ended is not None
        return ended

    async def finish(self, actor: StaffMember, booking_id: BookingId) -> Booking:
        """The agenda's "finish": end the booking's open hearing (which completes the booking),
        or complete a booking whose hearing is already over."""
        async with self._uow() as uow:
            booking = await self._booking(uow, actor, booking_id, lock=True)
            hearing = await uow.hearings.open_for_booking(booking.id)
            if hearing is None:
                done = await self._steps.complete_in(uow, actor, booking)
                await uow.commit()
                return done
        await self.end(actor, hearing.id)
        return await self.booking(actor, booking_id)

    async def booking(self, actor: StaffMember, booking_id: BookingId) -> Booking:
        async with self._uow() as uow:
            return await self._booking(uow, actor, booking_id)

    # -- citizens and third parties (secret link) -----------------------------------------
    async def join_by_link(self, token: str, hearing_id: HearingId) -> Join:
        """A booking participant's ticket; Forbidden unless the link opens this hearing."""
        now = self._clock.now()
        async with self._uow() as uow:
            participant, booking = await resolve(uow, token, now)
            hearing = await uow.hearings.get(hearing_id, lock=True)
            if hearing is None:
                raise Forbidden(N_("This link does not open this hearing."))
            member = await uow.hearings.member_by_participant(hearing.id, participant.id)
            change = self._apply(lambda: lifecycle.join_by_link(
                hearing, booking, participant, member, MemberId(uuid.uuid4()), now))
            joined = self._member_of(change)
            if member is None:
                await uow.hearings.add_member(joined)
            elif joined != member:
                await uow.hearings.update_member(joined)
            if change.hearing != hearing:
                await uow.hearings.update(change.hearing)
            await uow.audit.append(audit.record(
                now, None, "hearing.joined", "hearing", hearing.id, agency_id=hearing.agency_id,
                details={"member": str(joined.id)}, actor_label="citizen"))
            ticket = await self._issue(uow, hearing, joined)
            await uow.commit()
        await self._media.perform(change.hearing, change.effects)
        return Join(hearing.id, joined.id, ticket, self._ice_for(f"p-{participant.id}"))

    async def current_for_link(self, token: str) -> tuple[Booking, Hearing | None]:
        """The booking's open hearing, else its latest one (a reload after the end shows what
        was recorded), else None."""
        async with self._uow() as uow:
            _, booking = await resolve(uow, token, self._clock.now())
            current = await uow.hearings.open_for_booking(booking.id)
            if current is None:
                current = max(await uow.hearings.of_booking(booking.id),
                              key=lambda h: h.opened_at, default=None)
            return booking, current

    # -- signalling -----------------------------------------------------------------------
    async def offer(self, hearing_id: HearingId, ticket: str, sdp: str, audio_only: bool) -> Answer:
        """Answer an offer carrying a fresh single-use ticket of this hearing (any web process
        may have issued it); the hearing's media node answers."""
        async with self._uow() as uow:
            member_id = await uow.hearing_tickets.redeem(ticket, hearing_id)
            await uow.commit()  # redeemed whatever follows: a replay is refused
            if member_id is None:
                raise Forbidden(N_("This connection request is not valid any more. Reload the page."))
            hearing = await uow.hearings.get(hearing_id)
            member = await uow.hearings.member(member_id)
        if hearing is None or member is None or member.removed_at is not None:
            raise Forbidden(N_("You are no longer in this hearing."))
        self._apply(lambda: lifecycle.require_open(hearing))
        return await self._media.connect(hearing.id, member, sdp, audio_only)

    async def authorise_listener(self, hearing_id: HearingId, actor: StaffMember | None,
                                 token: str | None) -> MemberId | None:
        """Who may listen to a hearing's events: its agency's staff, or its participants."""
        async with self._uow() as uow:
            if actor is not None:
                hearing = await self._hearing(uow, actor, hearing_id)
                member = await uow.hearings.member_by_staff(hearing.id, actor.id)
            else:
                participant, booking = await resolve(uow, token or "", self._clock.now())
                found = await uow.hearings.get(hearing_id)
                if found is None or found.booking_id != booking.id:
                    raise Forbidden(N_("This link does not open this hearing."))
                member = await uow.hearings.member_by_participant(found.id, participant.id)
        return member.id if member else None

    async def state(self, hearing_id: HearingId, viewer: MemberId | None,
                    staff: bool = False) -> dict[str, Any]:
        async with self._uow() as uow:
            hearing = await uow.hearings.get(hearing_id)
            if hearing is None:
                raise NotFound(NO_HEARING)
            members = await uow.hearings.members(hearing.id)
            people = await uow.participants.of_booking(hearing.booking_id)
            recordings = await uow.hearings.recordings(hearing.id)
            node = (await uow.media_nodes.of_hearing(hearing.id, self._dead_after)
                    if hearing.status is HearingStatus.OPEN else None)
        view = await self._media.view(node, hearing.id, viewer)
        return snapshot(hearing, members, waiting_participants(people, members), view,
                        viewer, recordings, self._clock.now(), staff=staff)

    # -- the one admission path -----------------------------------------------------------
    async def _admit(self, uow: UnitOfWork, actor: StaffMember, hearing: Hearing,
                     participant: Participant | None, member: HearingMember | None) -> Change:
        """Admit the participant (waiting-room rules) and their member together, store both
        and commit: every way in ends here."""
        now = self._clock.now()
        change = self._apply(lambda: lifecycle.admit(hearing, member, now))
        if participant is not None and participant.admitted_at is None:
            booking = await uow.bookings.get(hearing.booking_id, lock=True)
            if booking is None:
                raise NotFound(NO_BOOKING)
            await self._steps.admit_in(uow, actor, booking, participant, now)
        if change.member is not None and change.member != member:
            await uow.hearings.update_member(change.member)
        if change.hearing != hearing:
            await uow.hearings.update(change.hearing)
        who = change.member.id if change.member else (participant.id if participant else None)
        await self._audit(uow, actor, "hearing.admitted", hearing, {"member": str(who)})
        await uow.commit()
        return change

    async def _issue(self, uow: UnitOfWork, hearing: Hearing, member: HearingMember) -> str:
        """A single-use signalling ticket for one offer of `member` (stored as a hash)."""
        ticket = secrets.token_urlsafe(24)
        await uow.hearing_tickets.issue(ticket, hearing.id, member.id, TICKET_VALID_FOR)
        return ticket

    # -- helpers --------------------------------------------------------------------------
    @staticmethod
    def _apply(rule: Callable[[], T]) -> T:
        try:
            return rule()
        except HearingRefused as error:
            raise refused(error) from None

    @staticmethod
    def _member_of(change: Change) -> HearingMember:
        assert change.member is not None
        return change.member

    @staticmethod
    async def _booking(uow: UnitOfWork, actor: StaffMember, booking_id: BookingId,
                       lock: bool = False) -> Booking:
        return await conducted_booking(uow, actor, booking_id, lock=lock)  # its officials only

    async def _hearing(self, uow: UnitOfWork, actor: StaffMember, hearing_id: HearingId,
                       lock: bool = False) -> Hearing:
        hearing = await uow.hearings.get(hearing_id, lock=lock)
        if hearing is None or hearing.agency_id != actor.agency_id:
            raise NotFound(NO_HEARING)
        await require_official(uow, actor, hearing)  # assigned officials only
        return hearing

    @staticmethod
    async def _member(uow: UnitOfWork, hearing: Hearing, member_id: MemberId) -> HearingMember:
        member = await uow.hearings.member(member_id)
        if member is None or member.hearing_id != hearing.id:
            raise NotFound(NOT_A_MEMBER)
        return member

    async def _audit(self, uow: UnitOfWork, actor: StaffMember, action: str, hearing: Hearing,
                     details: dict[str, object]) -> None:
        """Append to the caller's unit of work; the use case commits."""
        await audit.log_change(uow, self._clock.now(), actor, action, "hearing", hearing, details)
