"""The hearing's lifecycle as pure functions, the way `Process.apply` works for cases: each
takes the hearing as it is (and the member or participant concerned), the instant and the
actor, and returns the new values with the effects to perform once they are committed.

Rules kept here (docs/law.md §3.6, ND154 Arts. 21-24):
- a hearing is open, then ended by an official or interrupted (the server stopped under it);
  only an open hearing admits, mutes, removes or takes new members;
- admission is one step whatever the way in (console, agenda, waiting room, a reconnect, a
  third party): the participant and their hearing member are admitted together, and the first
  admission of a non-staff member starts the hearing's recording clock;
- a member is recorded only once admitted, present, sending, and their acknowledgement of the
  recording notice is stored (`HearingMember.may_be_recorded`);
- an ended or interrupted hearing with recordings waits for transcription.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from reception.domain.booking import Booking, BookingStatus, Participant, ParticipantRole
from reception.domain.hearings.model import (
    STAFF_NOTICE_VERSION,
    Hearing,
    HearingId,
    HearingMember,
    HearingStatus,
    HearingTranscription,
    MemberId,
    MemberRole,
)
from reception.domain.law.errors import DomainError
from reception.domain.organisation import StaffMember

# Bookings a hearing can be opened on (the official may open before or after the citizen waits).
OPENABLE = frozenset({BookingStatus.BOOKED, BookingStatus.OPENED, BookingStatus.ADMITTED})


class Refusal(enum.StrEnum):
    NOT_OPEN = "not_open"  # ended or interrupted
    BOOKING_CLOSED = "booking_closed"  # cancelled, no-show or completed: nothing to open
    CANCELLED = "cancelled"
    WRONG_HEARING = "wrong_hearing"  # the link belongs to another booking
    REMOVED = "removed"  # the official removed this person for good
    NO_CONSENT = "no_consent"  # the recording notice is not acknowledged yet


class HearingRefused(DomainError):
    def __init__(self, reason: Refusal) -> None:
        self.reason = reason
        super().__init__(f"hearing refused: {reason.value}")


# -- effects: what the service performs after the unit of work commits (QueueTranscription:
# within it) -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Publish:
    """Tell every page of the hearing (room events)."""

    event: tuple[tuple[str, object], ...]

    @classmethod
    def of(cls, kind: str, **values: object) -> Publish:
        return cls((("type", kind), *values.items()))

    def as_dict(self) -> dict[str, object]:
        return dict(self.event)


@dataclass(frozen=True, slots=True)
class AdmitMedia:
    """Let the member's media reach the room (if they are connected)."""

    member: MemberId


@dataclass(frozen=True, slots=True)
class RecordMembers:
    """Start the recorder of every connected member who may be recorded (idempotent)."""


@dataclass(frozen=True, slots=True)
class SetMuted:
    member: MemberId
    muted: bool


@dataclass(frozen=True, slots=True)
class Disconnect:
    """Close the member's connection and recording for good; store what was recorded."""

    member: MemberId


@dataclass(frozen=True, slots=True)
class CloseRoom:
    """Close every recording and connection of the hearing; store what was recorded."""


@dataclass(frozen=True, slots=True)
class QueueTranscription:
    """Hand the hearing's audio recordings to a transcription worker. Unlike the others, this
    effect is performed INSIDE the unit of work that records the state: the job commits with
    it, so no hearing is ever left queued without a job."""


Effect = Publish | AdmitMedia | RecordMembers | SetMuted | Disconnect | CloseRoom | QueueTranscription


@dataclass(frozen=True, slots=True)
class Change:
    hearing: Hearing
    member: HearingMember | None
    effects: tuple[Effect, ...]


def require_open(hearing: Hearing) -> None:
    if hearing.status is not HearingStatus.OPEN:
        raise HearingRefused(Refusal.NOT_OPEN)


def open_hearing(booking: Booking, existing: Hearing | None, new_id: HearingId,
                 actor: StaffMember, now: datetime) -> Hearing:
    """The booking's open hearing, or a new one. Opening twice gives the same hearing."""
    if existing is not None:
        return existing
    if booking.status not in OPENABLE:
        raise HearingRefused(Refusal.BOOKING_CLOSED)
    return Hearing(new_id, booking.id, booking.agency_id, HearingStatus.OPEN, now, actor.id)


def join_as_staff(hearing: Hearing, member: HearingMember | None, new_id: MemberId,
                  actor: StaffMember, now: datetime, receive_only: bool) -> Change:
    """An official joins having acknowledged the recording notice; staff need no admission."""
    require_open(hearing)
    if member is None:
        member = HearingMember(
            new_id, hearing.id, MemberRole.OBSERVER if receive_only else MemberRole.OFFICIAL,
            actor.full_name, now, staff_id=actor.id, acknowledged_at=now,
            notice_version=STAFF_NOTICE_VERSION, admitted_at=now, receive_only=receive_only)
    elif member.removed_at is not None:
        raise HearingRefused(Refusal.REMOVED)
    return Change(hearing, member, (Publish.of("joined", member=str(member.id)),))


def join_by_link(hearing: Hearing, booking: Booking, participant: Participant,
                 member: HearingMember | None, new_id: MemberId, now: datetime) -> Change:
    """A booking participant enters with their link; an admitted participant (from any of the
    ways in) comes in admitted, anyone else waits in the room until admitted."""
    if hearing.booking_id != booking.id:
        raise HearingRefused(Refusal.WRONG_HEARING)
    if booking.status in (BookingStatus.CANCELLED, BookingStatus.NO_SHOW):
        raise HearingRefused(Refusal.CANCELLED)
    require_open(hearing)
    if participant.consent_given_at is None:
        raise HearingRefused(Refusal.NO_CONSENT)
    admitted = participant.admitted_at is not None and participant.admitted_at >= hearing.opened_at
    if member is None:
        role = (MemberRole.CITIZEN if participant.role is ParticipantRole.CITIZEN
                else MemberRole.THIRD_PARTY)
        member = HearingMember(new_id, hearing.id, role, participant.display_name, now,
                               participant_id=participant.id,
                               acknowledged_at=participant.consent_given_at,
                               notice_version=participant.consent_text_version,
                               admitted_at=now if admitted else None)
    elif member.removed_at is not None:
        raise HearingRefused(Refusal.REMOVED)
    elif admitted and member.admitted_at is None:
        member = replace(member, admitted_at=now)
    effects: tuple[Effect, ...] = (Publish.of("joined", member=str(member.id)),)
    return Change(_recording_clock(hearing, member, now), member, effects)


def admit(hearing: Hearing, member: HearingMember | None, now: datetime) -> Change:
    """Admit a member (or, with no member yet, only start the clock for the participant who
    will come in admitted): the one admission step every way in goes through."""
    require_open(hearing)
    if member is not None and member.removed_at is not None:
        raise HearingRefused(Refusal.REMOVED)
    if member is not None and member.admitted_at is None:
        member = replace(member, admitted_at=now)
    effects: list[Effect] = []
    if member is not None:
        effects += [AdmitMedia(member.id), Publish.of("admitted", member=str(member.id))]
    started = _recording_clock(hearing, member, now, participant_admitted=member is None)
    effects.append(RecordMembers())
    return Change(started, member, tuple(effects))


def mute(hearing: Hearing, member: HearingMember, muted: bool) -> Change:
    require_open(hearing)
    changed = replace(member, muted=muted)
    return Change(hearing, changed, (SetMuted(member.id, muted),
                                     Publish.of("muted", member=str(member.id), muted=muted)))


def remove(hearing: Hearing, member: HearingMember, now: datetime) -> Change:
    require_open(hearing)
    gone = replace(member, removed_at=member.removed_at or now)
    return Change(hearing, gone, (Disconnect(member.id), Publish.of("removed", member=str(member.id))))


def end(hearing: Hearing, actor: StaffMember, now: datetime) -> Change:
    require_open(hearing)
    ended = replace(hearing, status=HearingStatus.ENDED, ended_at=now, ended_by=actor.id)
    return Change(ended, None, (CloseRoom(), Publish.of("ended")))


def interrupt(hearing: Hearing, now: datetime) -> Hearing:
    """The server stopped under an open hearing (found at the next start)."""
    return replace(hearing, status=HearingStatus.INTERRUPTED, interrupted_at=now)


def recorded(hearing: Hearing, files: int) -> Change:
    """Recordings of a closed hearing were stored: with any audio, it is queued for
    transcription (the service adds the job in the same unit of work as this state)."""
    if files == 0 or hearing.status is HearingStatus.OPEN or hearing.transcription is not None:
        return Change(hearing, None, ())
    waiting = replace(hearing, transcription=HearingTranscription.QUEUED)
    return Change(waiting, None, (QueueTranscription(),))


class RecordingPhase(enum.StrEnum):
    """What every page says about the recording (docs/law.md §3.6: the session is recorded)."""

    NOT_STARTED = "not_started"  # nobody but staff admitted yet: nothing flows, nothing recorded
    RECORDING = "recording"  # everyone who sends is recorded; media flows
    PAUSED = "paused"  # someone who sends is not recorded: media flows to nobody until they are
    CLOSED = "closed"  # ended or interrupted: the recordings are closed and stored


def recording_phase(hearing: Hearing, media_flowing: bool) -> RecordingPhase:
    """The media side decides whether media may flow (only while everyone who sends is
    recorded); this names the state for the people in the hearing."""
    if hearing.status is not HearingStatus.OPEN:
        return RecordingPhase.CLOSED
    if hearing.recording_started_at is None:
        return RecordingPhase.NOT_STARTED
    return RecordingPhase.RECORDING if media_flowing else RecordingPhase.PAUSED


def recordable(members: Sequence[HearingMember], hearing: Hearing) -> list[HearingMember]:
    """Members whose recorder must run now (once connected)."""
    if hearing.status is not HearingStatus.OPEN or hearing.recording_started_at is None:
        return []
    return [m for m in members if m.may_be_recorded]


def _recording_clock(hearing: Hearing, member: HearingMember | None, now: datetime, *,
                     participant_admitted: bool = False) -> Hearing:
    """The first admitted non-staff member starts the hearing (and its recording clock)."""
    citizen_in = participant_admitted or (
        member is not None and member.staff_id is None and member.admitted_at is not None)
    if hearing.recording_started_at is None and citizen_in:
        return replace(hearing, recording_started_at=now)
    return hearing
