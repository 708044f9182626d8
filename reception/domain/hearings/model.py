"""The video hearing (phiên tiếp trực tuyến) of a booking: who is in the room and what was
recorded. ND154 Art. 24: the whole online session is recorded in audio and video; each
member's recording starts only once their acknowledgement of that notice is stored.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NewType

from reception.domain.booking import BookingId, ParticipantId
from reception.domain.organisation import AgencyId, StaffId

HearingId = NewType("HearingId", uuid.UUID)
MemberId = NewType("MemberId", uuid.UUID)

# The recording notice an official acknowledges when joining the console (its version is stored).
STAFF_NOTICE_VERSION = "2026-11-staff-v1"


class HearingStatus(enum.StrEnum):
    OPEN = "open"
    ENDED = "ended"
    INTERRUPTED = "interrupted"  # the server stopped mid-hearing; recordings were repaired


class HearingTranscription(enum.StrEnum):
    """Where a closed hearing's recordings are on their way to a transcript."""

    READY = "ready"  # recorded, not yet handed to a worker
    QUEUED = "queued"  # a transcription job waits for a worker or runs
    TRANSCRIBED = "transcribed"
    FAILED = "failed"


class MemberRole(enum.StrEnum):
    CITIZEN = "citizen"
    OFFICIAL = "official"
    THIRD_PARTY = "third_party"  # interpreter, lawyer, representative, group member
    OBSERVER = "observer"  # receive-only: sends nothing, is never recorded


@dataclass(frozen=True, slots=True)
class Hearing:
    id: HearingId
    booking_id: BookingId
    agency_id: AgencyId
    status: HearingStatus
    opened_at: datetime
    opened_by: StaffId
    recording_started_at: datetime | None = None
    ended_at: datetime | None = None
    ended_by: StaffId | None = None
    interrupted_at: datetime | None = None
    transcription: HearingTranscription | None = None  # None: nothing recorded (yet)


@dataclass(frozen=True, slots=True)
class HearingMember:
    id: MemberId
    hearing_id: HearingId
    role: MemberRole
    display_name: str
    joined_at: datetime
    participant_id: ParticipantId | None = None
    staff_id: StaffId | None = None
    acknowledged_at: datetime | None = None
    notice_version: str | None = None
    admitted_at: datetime | None = None
    removed_at: datetime | None = None
    muted: bool = False
    receive_only: bool = False

    @property
    def may_be_recorded(self) -> bool:
        """Admitted, sending, present, and their acknowledgement of the notice is stored."""
        return (self.admitted_at is not None and self.acknowledged_at is not None
                and self.removed_at is None and not self.receive_only)


@dataclass(frozen=True, slots=True)
class Recording:
    hearing_id: HearingId
    member_id: MemberId
    kind: str  # "audio" (for transcription) or "evidence" (audio and video)
    path: str  # relative to the recordings directory
    sha256: str
    size_bytes: int
    state: str  # "closed" normally, "repaired" after a crash
    started_at: datetime  # wall-clock instant of timestamp 0 in the file
    stopped_at: datetime | None = None
    first_audio_at: datetime | None = None
    first_video_at: datetime | None = None
    duration_seconds: float | None = None
    video_frames: int | None = None
    # Its chain as written (docs/evidence.md) and, after a crash repair, the as-recorded
    # original kept beside it with that file's chain; None for files recorded before chains.
    chain: str | None = None
    original_path: str | None = None
    original_chain: str | None = None
    # The latest verification against the chain and the SHA-256 (None: never checked).
    verified_at: datetime | None = None
    verified: bool | None = None
    verify_problem: str | None = None


def timeline_zero(hearing: Hearing, recordings: Sequence[Recording]) -> datetime:
    """The instant every transcript time counts from: the hearing's recording start (the
    earliest recording, or the opening, when that was not stored). Captions, play positions and
    evidence links all use it, so they agree."""
    if hearing.recording_started_at is not None:
        return hearing.recording_started_at
    if recordings:
        return min(r.started_at for r in recordings)
    return hearing.opened_at
