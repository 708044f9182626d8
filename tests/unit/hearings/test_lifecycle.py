"""The hearing lifecycle as pure rules: what each step changes and which effects it asks for."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from reception.domain.booking import (
    Booking,
    BookingId,
    BookingStatus,
    Channel,
    Citizen,
    Participant,
    ParticipantId,
    ParticipantRole,
    SessionId,
    Subject,
)
from reception.domain.hearings import lifecycle
from reception.domain.hearings.lifecycle import (
    AdmitMedia,
    CloseRoom,
    Disconnect,
    HearingRefused,
    QueueTranscription,
    RecordMembers,
    Refusal,
)
from reception.domain.hearings.model import (
    HearingId,
    HearingStatus,
    HearingTranscription,
    MemberId,
    MemberRole,
)
from reception.domain.organisation import AgencyId, StaffId, StaffMember, StaffRole

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
AGENCY = AgencyId(uuid.uuid4())
OFFICIAL = StaffMember(StaffId(uuid.uuid4()), AGENCY, "canbo", "Lê Thị Hoa",
                       frozenset({StaffRole.RECEPTIONIST}))


def booking(status: BookingStatus = BookingStatus.OPENED) -> Booking:
    return Booking(BookingId(uuid.uuid4()), "TD-2026-000001", AGENCY, SessionId(uuid.uuid4()),
                   OFFICIAL.id, NOW, NOW + timedelta(minutes=30), status, Channel.ONLINE,
                   Subject.COMPLAINT, "Khiếu nại quyết định thu hồi đất.",
                   Citizen("Nguyễn Văn An", "001090000001", "Hà Nội", "0912345678"),
                   created_at=NOW - timedelta(days=7))


def citizen(b: Booking, **changes: object) -> Participant:
    p = Participant(ParticipantId(uuid.uuid4()), b.id, ParticipantRole.CITIZEN, "Nguyễn Văn An",
                    consent_given_at=NOW - timedelta(minutes=5), consent_text_version="v1",
                    waiting_since=NOW - timedelta(minutes=5))
    return replace(p, **changes)  # type: ignore[arg-type]


def opened(b: Booking) -> lifecycle.Hearing:
    return lifecycle.open_hearing(b, None, HearingId(uuid.uuid4()), OFFICIAL, NOW)


def test_opening_twice_gives_the_same_hearing_and_a_closed_booking_opens_none() -> None:
    b = booking()
    first = opened(b)
    assert lifecycle.open_hearing(b, first, HearingId(uuid.uuid4()), OFFICIAL, NOW) is first
    for status in (BookingStatus.CANCELLED, BookingStatus.NO_SHOW, BookingStatus.COMPLETED):
        with pytest.raises(HearingRefused) as refused:
            lifecycle.open_hearing(booking(status), None, HearingId(uuid.uuid4()), OFFICIAL, NOW)
        assert refused.value.reason is Refusal.BOOKING_CLOSED


def test_the_official_joining_does_not_start_the_recording_clock_the_citizen_admitted_does() -> None:
    b = booking()
    hearing = opened(b)
    staff = lifecycle.join_as_staff(hearing, None, MemberId(uuid.uuid4()), OFFICIAL, NOW, False)
    assert staff.member is not None and staff.member.role is MemberRole.OFFICIAL
    assert staff.hearing.recording_started_at is None
    joined = lifecycle.join_by_link(hearing, b, citizen(b), None, MemberId(uuid.uuid4()), NOW)
    assert joined.member is not None and joined.member.admitted_at is None  # waits in the room
    later = NOW + timedelta(minutes=1)
    admitted = lifecycle.admit(hearing, joined.member, later)
    assert admitted.hearing.recording_started_at == later
    assert admitted.member is not None and admitted.member.admitted_at == later
    assert AdmitMedia(admitted.member.id) in admitted.effects
    assert RecordMembers() in admitted.effects


def test_a_participant_admitted_from_the_waiting_room_comes_in_admitted_and_is_recorded() -> None:
    b = booking(BookingStatus.ADMITTED)
    hearing = opened(b)
    clock_started = lifecycle.admit(hearing, None, NOW)  # admitted before their page connected
    assert clock_started.hearing.recording_started_at == NOW
    person = citizen(b, admitted_at=NOW)
    joined = lifecycle.join_by_link(clock_started.hearing, b, person, None,
                                    MemberId(uuid.uuid4()), NOW + timedelta(seconds=3))
    assert joined.member is not None and joined.member.may_be_recorded
    assert lifecycle.recordable([joined.member], joined.hearing) == [joined.member]


@pytest.mark.parametrize(("change", "reason"), [
    ({"consent_given_at": None}, Refusal.NO_CONSENT),
])
def test_a_link_without_consent_is_refused(change: dict[str, object], reason: Refusal) -> None:
    b = booking()
    with pytest.raises(HearingRefused) as refused:
        lifecycle.join_by_link(opened(b), b, citizen(b, **change), None, MemberId(uuid.uuid4()), NOW)
    assert refused.value.reason is reason


def test_a_link_of_another_booking_or_a_cancelled_one_is_refused() -> None:
    b, other = booking(), booking()
    with pytest.raises(HearingRefused) as refused:
        lifecycle.join_by_link(opened(b), other, citizen(other), None, MemberId(uuid.uuid4()), NOW)
    assert refused.value.reason is Refusal.WRONG_HEARING
    cancelled = replace(b, status=BookingStatus.CANCELLED)
    with pytest.raises(HearingRefused) as refused:
        lifecycle.join_by_link(opened(b), cancelled, citizen(b), None, MemberId(uuid.uuid4()), NOW)
    assert refused.value.reason is Refusal.CANCELLED


def test_nothing_happens_to_a_hearing_once_it_has_ended() -> None:
    b = booking()
    hearing = opened(b)
    member = lifecycle.join_as_staff(hearing, None, MemberId(uuid.uuid4()), OFFICIAL, NOW,
                                     False).member
    assert member is not None
    ended = lifecycle.end(hearing, OFFICIAL, NOW)
    assert ended.hearing.status is HearingStatus.ENDED and CloseRoom() in ended.effects
    for step in (lambda: lifecycle.admit(ended.hearing, member, NOW),
                 lambda: lifecycle.mute(ended.hearing, member, True),
                 lambda: lifecycle.remove(ended.hearing, member, NOW),
                 lambda: lifecycle.end(ended.hearing, OFFICIAL, NOW),
                 lambda: lifecycle.join_as_staff(ended.hearing, member, member.id, OFFICIAL, NOW,
                                                 False)):
        with pytest.raises(HearingRefused) as refused:
            step()
        assert refused.value.reason is Refusal.NOT_OPEN


def test_a_removed_member_cannot_come_back() -> None:
    b = booking()
    hearing = opened(b)
    joined = lifecycle.join_by_link(hearing, b, citizen(b), None, MemberId(uuid.uuid4()), NOW)
    assert joined.member is not None
    removed = lifecycle.remove(hearing, joined.member, NOW)
    assert removed.member is not None and Disconnect(joined.member.id) in removed.effects
    with pytest.raises(HearingRefused) as refused:
        lifecycle.join_by_link(hearing, b, citizen(b), removed.member, MemberId(uuid.uuid4()), NOW)
    assert refused.value.reason is Refusal.REMOVED


def test_a_closed_hearing_with_recordings_waits_for_transcription() -> None:
    b = booking()
    ended = lifecycle.end(opened(b), OFFICIAL, NOW).hearing
    queued = lifecycle.recorded(ended, 4)
    assert queued.hearing.transcription is HearingTranscription.QUEUED
    assert queued.effects == (QueueTranscription(),)
    assert lifecycle.recorded(ended, 0).hearing.transcription is None
    assert lifecycle.recorded(queued.hearing, 2).effects == ()  # only once
    interrupted = lifecycle.interrupt(opened(b), NOW)
    assert lifecycle.recorded(interrupted, 2).effects == (QueueTranscription(),)
    assert lifecycle.recorded(opened(b), 2).effects == ()  # still open: not yet


def test_the_recording_phase_says_paused_whenever_media_may_not_flow_after_the_start() -> None:
    hearing = lifecycle.open_hearing(booking(), None, HearingId(uuid.uuid4()), OFFICIAL, NOW)
    phase = lifecycle.recording_phase
    assert phase(hearing, media_flowing=False) is lifecycle.RecordingPhase.NOT_STARTED
    started = replace(hearing, recording_started_at=NOW)
    assert phase(started, media_flowing=True) is lifecycle.RecordingPhase.RECORDING
    assert phase(started, media_flowing=False) is lifecycle.RecordingPhase.PAUSED
    ended = lifecycle.end(started, OFFICIAL, NOW).hearing
    assert phase(ended, media_flowing=False) is lifecycle.RecordingPhase.CLOSED
