"""The video hearing: officials open it and join, admit waiting citizens, mute, remove and end;
citizens join with their secret link. Media flows only for admitted members, and a member is
recorded only once admitted, the hearing has started (first admission of a non-staff member)
and their acknowledgement of the recording notice is stored.

Each use case is one unit of work; the media rooms (in this process) follow the database.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from reception.domain.booking import Booking, BookingId, BookingStatus, ParticipantRole
from reception.domain.hearings.model import (
    STAFF_NOTICE_VERSION,
    Hearing,
    HearingId,
    HearingMember,
    HearingStatus,
    MemberId,
    MemberRole,
)
from reception.domain.organisation import StaffMember
from reception.i18n_marker import N_
from reception.services import audit
from reception.services.booking.bookings import resolve
from reception.services.errors import Conflict, Forbidden, NotFound
from reception.services.hearings.access import (
    BookingSteps,
    Join,
    Tickets,
    recordings_of,
    snapshot,
)
from reception.services.hearings.events import RoomEvents
from reception.services.hearings.ports import Answer, MediaFlags, MediaRooms
from reception.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from reception.services.transcripts.ports import TranscriptionQueue

IceFor = Callable[[str], list[dict[str, Any]]]
OPENABLE = frozenset({BookingStatus.BOOKED, BookingStatus.OPENED, BookingStatus.ADMITTED})
NOT_OPEN = N_("This hearing is not open.")
NO_HEARING = N_("This hearing does not exist.")


@dataclass(frozen=True)
class Console:
    hearing: Hearing
    booking: Booking
    members: Sequence[HearingMember]


class HearingService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, steps: BookingSteps,
                 events: RoomEvents, ice_for: IceFor,
                 transcription: TranscriptionQueue | None = None) -> None:
        self._uow, self._clock, self._steps = uow, clock, steps
        self._transcription = transcription  # issue 7: ending a hearing queues its transcript
        self.events, self._ice_for = events, ice_for
        self._tickets = Tickets()
        self._media: MediaRooms | None = None

    # -- lifecycle ------------------------------------------------------------------------
    async def start(self, media: MediaRooms) -> list[HearingId]:
        """Serving starts: hearings left open by a stopped server are interrupted; their
        crashed files are repaired and stored with their hashes."""
        self._media = media
        async with self._uow() as uow:
            left_open = await uow.hearings.all_open()
        for hearing in left_open:
            files = await media.recover(str(hearing.id))
            async with self._uow() as uow:
                now = self._clock.now()
                for recording in recordings_of(hearing.id, files):
                    await uow.hearings.add_recording(recording)
                await uow.hearings.update(replace(
                    hearing, status=HearingStatus.INTERRUPTED, interrupted_at=now,
                    transcription="ready" if files else None))
                await uow.audit.append(audit.record(
                    now, None, "hearing.interrupted", "hearing", hearing.id,
                    agency_id=hearing.agency_id, details={"files": len(files)}))
                await uow.commit()
        return [h.id for h in left_open]

    async def stop(self) -> None:
        media, self._media = self._media, None
        if media is not None:
            await media.close()

    # -- staff ----------------------------------------------------------------------------
    async def open(self, actor: StaffMember, booking_id: BookingId) -> Hearing:
        """The booking's open hearing, or a new one (the booking is opened if it was not)."""
        async with self._uow() as uow:
            booking = await self._booking(uow, actor, booking_id)
            existing = await uow.hearings.open_for_booking(booking.id)
        if existing is not None:
            return existing
        if booking.status not in OPENABLE:
            raise Conflict(N_("This booking is closed; no hearing can be opened."))
        if booking.status is BookingStatus.BOOKED:
            await self._steps.open_hearing(actor, booking.id)
        now = self._clock.now()
        hearing = Hearing(HearingId(uuid.uuid4()), booking.id, booking.agency_id,
                          HearingStatus.OPEN, now, actor.id)
        async with self._uow() as uow:
            await uow.hearings.add(hearing)
            await self._log(uow, actor, "hearing.opened", hearing, {"booking": str(booking.id)})
        return hearing

    async def console(self, actor: StaffMember, hearing_id: HearingId) -> Console:
        async with self._uow() as uow:
            hearing = await self._hearing(uow, actor, hearing_id)
            booking = await uow.bookings.get(hearing.booking_id)
            assert booking is not None
            members = await uow.hearings.members(hearing.id)
            await uow.audit.append(audit.record(self._clock.now(), actor, "hearing.viewed",
                                                "hearing", hearing.id, agency_id=hearing.agency_id))
            await uow.commit()
        return Console(hearing, booking, members)

    async def join_as_staff(self, actor: StaffMember, hearing_id: HearingId,
                            receive_only: bool = False) -> Join:
        """The official acknowledges the recording notice and gets a signalling ticket."""
        now = self._clock.now()
        async with self._uow() as uow:
            hearing = await self._hearing(uow, actor, hearing_id, lock=True)
            self._require_open(hearing)
            member = await uow.hearings.member_by_staff(hearing.id, actor.id)
            if member is None:
                member = HearingMember(
                    MemberId(uuid.uuid4()), hearing.id,
                    MemberRole.OBSERVER if receive_only else MemberRole.OFFICIAL,
                    actor.full_name, now, staff_id=actor.id, acknowledged_at=now,
                    notice_version=STAFF_NOTICE_VERSION, admitted_at=now,
                    receive_only=receive_only)
                await uow.hearings.add_member(member)
            elif member.removed_at is not None:
                raise Forbidden(N_("You were removed from this hearing."))
            await self._log(uow, actor, "hearing.joined", hearing, {"member": str(member.id)})
        self.events.publish(str(hearing.id), {"type": "joined", "member": str(member.id)})
        return self._join(hearing, member, actor.login)

    async def admit(self, actor: StaffMember, hearing_id: HearingId, member_id: MemberId) -> None:
        async with self._uow() as uow:
            hearing = await self._hearing(uow, actor, hearing_id)
            self._require_open(hearing)
            member = await self._member(uow, hearing, member_id)
            participant = (await uow.participants.get(member.participant_id)
                           if member.participant_id else None)
        if (participant is not None and participant.role is ParticipantRole.CITIZEN
                and participant.admitted_at is None):
            await self._steps.admit(actor, hearing.booking_id)  # the waiting room's rules
        now = self._clock.now()
        async with self._uow() as uow:
            hearing = await self._hearing(uow, actor, hearing_id, lock=True)
            member = await self._member(uow, hearing, member_id)
            if member.admitted_at is None:
                member = replace(member, admitted_at=now)
                await uow.hearings.update_member(member)
            if hearing.recording_started_at is None and member.staff_id is None:
                hearing = replace(hearing, recording_started_at=now)  # the hearing starts
                await uow.hearings.update(hearing)
            members = await uow.hearings.members(hearing.id)
            await self._log(uow, actor, "hearing.admitted", hearing, {"member": str(member.id)})
        media = self._rooms()
        if str(member.id) in media.connection_states(str(hearing.id)):
            media.admit(str(hearing.id), str(member.id))
        await self._record_all(hearing, members)
        self.events.publish(str(hearing.id), {"type": "admitted", "member": str(member.id)})

    async def mute(self, actor: StaffMember, hearing_id: HearingId, member_id: MemberId,
                   muted: bool) -> None:
        async with self._uow() as uow:
            hearing = await self._hearing(uow, actor, hearing_id)
            self._require_open(hearing)
            member = replace(await self._member(uow, hearing, member_id), muted=muted)
            await uow.hearings.update_member(member)
            await self._log(uow, actor, "hearing.muted" if muted else "hearing.unmuted", hearing,
                            {"member": str(member.id)})
        media = self._rooms()
        if str(member.id) in media.connection_states(str(hearing.id)):
            media.set_muted(str(hearing.id), str(member.id), muted)
        self.events.publish(str(hearing.id), {"type": "muted", "member": str(member.id),
                                              "muted": muted})

    async def remove(self, actor: StaffMember, hearing_id: HearingId, member_id: MemberId) -> None:
        """Disconnect a member for good; their recording so far is closed and stored."""
        async with self._uow() as uow:
            hearing = await self._hearing(uow, actor, hearing_id)
            self._require_open(hearing)
            member = await self._member(uow, hearing, member_id)
        media = self._rooms()
        files = []
        if str(member.id) in media.connection_states(str(hearing.id)):
            files = await media.remove(str(hearing.id), str(member.id))
        async with self._uow() as uow:
            await uow.hearings.update_member(replace(member, removed_at=self._clock.now()))
            for recording in recordings_of(hearing.id, files):
                await uow.hearings.add_recording(recording)
            await self._log(uow, actor, "hearing.removed", hearing, {"member": str(member.id)})
        self.events.publish(str(hearing.id), {"type": "removed", "member": str(member.id)})

    async def end(self, actor: StaffMember, hearing_id: HearingId) -> Hearing:
        """Close every recording, store the hashes and hand the files to transcription."""
        async with self._uow() as uow:
            hearing = await self._hearing(uow, actor, hearing_id)
            self._require_open(hearing)
        files = await self._rooms().end(str(hearing.id))
        now = self._clock.now()
        async with self._uow() as uow:
            hearing = await self._hearing(uow, actor, hearing_id, lock=True)
            queued = "queued" if self._transcription else "ready"
            ended = replace(hearing, status=HearingStatus.ENDED, ended_at=now, ended_by=actor.id,
                            transcription=queued if files else None)
            await uow.hearings.update(ended)
            for recording in recordings_of(hearing.id, files):
                await uow.hearings.add_recording(recording)
            await self._log(uow, actor, "hearing.ended", ended, {"files": len(files)})
        self.events.publish(str(hearing.id), {"type": "ended"})
        if files and self._transcription is not None:
            await self._transcription.enqueue(hearing.id)  # durable: a worker picks it up
        try:
            await self._steps.complete(actor, hearing.booking_id)
        except Conflict:
            pass  # the booking was completed or closed meanwhile: nothing left to do
        return ended

    # -- citizens and third parties (secret link) -----------------------------------------
    async def join_by_link(self, token: str, hearing_id: HearingId) -> Join:
        """A booking participant's ticket; Forbidden unless the link opens this hearing."""
        now = self._clock.now()
        async with self._uow() as uow:
            participant, booking = await resolve(uow, token, now)
            hearing = await uow.hearings.get(hearing_id, lock=True)
            if hearing is None or hearing.booking_id != booking.id:
                raise Forbidden(N_("This link does not open this hearing."))
            if booking.status in (BookingStatus.CANCELLED, BookingStatus.NO_SHOW):
                raise Forbidden(N_("This booking was cancelled."))
            self._require_open(hearing)
            if participant.consent_given_at is None:
                raise Conflict(N_("Please read the recording notice and give your consent in "
                                  "the waiting room first."))
            member = await uow.hearings.member_by_participant(hearing.id, participant.id)
            admitted = participant.admitted_at is not None and participant.admitted_at >= hearing.opened_at
            if member is None:
                role = (MemberRole.CITIZEN if participant.role is ParticipantRole.CITIZEN
                        else MemberRole.THIRD_PARTY)
                member = HearingMember(
                    MemberId(uuid.uuid4()), hearing.id, role, participant.display_name, now,
                    participant_id=participant.id, acknowledged_at=participant.consent_given_at,
                    notice_version=participant.consent_text_version,
                    admitted_at=now if admitted else None)
                await uow.hearings.add_member(member)
            elif member.removed_at is not None:
                raise Forbidden(N_("You were removed from this hearing."))
            await uow.audit.append(audit.record(
                now, None, "hearing.joined", "hearing", hearing.id, agency_id=hearing.agency_id,
                details={"member": str(member.id)}, actor_label="citizen"))
            await uow.commit()
        self.events.publish(str(hearing.id), {"type": "joined", "member": str(member.id)})
        return self._join(hearing, member, f"p-{participant.id}")

    async def current_for_link(self, token: str) -> tuple[Booking, Hearing | None]:
        async with self._uow() as uow:
            _, booking = await resolve(uow, token, self._clock.now())
            return booking, await uow.hearings.open_for_booking(booking.id)

    # -- signalling -----------------------------------------------------------------------
    async def offer(self, hearing_id: HearingId, ticket: str, sdp: str, audio_only: bool) -> Answer:
        """Answer an offer carrying a fresh single-use ticket of this hearing."""
        member_id = self._tickets.redeem(ticket, hearing_id)
        async with self._uow() as uow:
            hearing = await uow.hearings.get(hearing_id)
            member = await uow.hearings.member(member_id)
        if hearing is None or member is None or member.removed_at is not None:
            raise Forbidden(N_("You are no longer in this hearing."))
        self._require_open(hearing)
        media = self._rooms()
        room, who = str(hearing.id), str(member.id)
        answer = await media.answer(room, who, sdp, MediaFlags(
            admitted=member.admitted_at is not None, receive_only=member.receive_only,
            audio_only=audio_only))
        media.set_muted(room, who, member.muted)
        await self._record_all(hearing, [member])
        return answer

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

    async def state(self, hearing_id: HearingId, viewer: MemberId | None) -> dict[str, Any]:
        async with self._uow() as uow:
            hearing = await uow.hearings.get(hearing_id)
            if hearing is None:
                raise NotFound(NO_HEARING)
            members = await uow.hearings.members(hearing.id)
        return snapshot(hearing, members, self._media, viewer)

    def connection_changed(self, room: str, member: str, state: str) -> None:
        """The media hub's callback: every listener learns of it."""
        self.events.publish(room, {"type": "left" if state in ("failed", "closed") else
                                   "connection", "member": member, "connection": state})

    # -- helpers --------------------------------------------------------------------------
    def _join(self, hearing: Hearing, member: HearingMember, ice_user: str) -> Join:
        return Join(hearing.id, member.id, self._tickets.issue(hearing.id, member.id),
                    self._ice_for(ice_user))

    async def _record_all(self, hearing: Hearing, members: Sequence[HearingMember]) -> None:
        if hearing.recording_started_at is None or hearing.status is not HearingStatus.OPEN:
            return
        media = self._rooms()
        connected = media.connection_states(str(hearing.id))
        for member in members:
            if member.may_be_recorded and str(member.id) in connected:
                await media.start_recording(str(hearing.id), str(member.id))

    def _rooms(self) -> MediaRooms:
        if self._media is None:
            raise Conflict(N_("Video hearings are not available right now. Please try again."))
        return self._media

    @staticmethod
    def _require_open(hearing: Hearing) -> None:
        if hearing.status is not HearingStatus.OPEN:
            raise Conflict(NOT_OPEN)

    async def _booking(self, uow: UnitOfWork, actor: StaffMember, booking_id: BookingId) -> Booking:
        booking = await uow.bookings.get(booking_id)
        if booking is None or booking.agency_id != actor.agency_id:
            raise NotFound(N_("This booking does not exist."))
        return booking

    async def _hearing(self, uow: UnitOfWork, actor: StaffMember, hearing_id: HearingId,
                       lock: bool = False) -> Hearing:
        hearing = await uow.hearings.get(hearing_id, lock=lock)
        if hearing is None or hearing.agency_id != actor.agency_id:
            raise NotFound(NO_HEARING)
        return hearing

    @staticmethod
    async def _member(uow: UnitOfWork, hearing: Hearing, member_id: MemberId) -> HearingMember:
        member = await uow.hearings.member(member_id)
        if member is None or member.hearing_id != hearing.id:
            raise NotFound(N_("This person is not in the hearing."))
        return member

    async def _log(self, uow: UnitOfWork, actor: StaffMember, action: str, hearing: Hearing,
                   details: dict[str, object]) -> None:
        await audit.commit_logged(uow, self._clock.now(), actor, action, "hearing", hearing, details)
