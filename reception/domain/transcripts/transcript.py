"""The transcript of a hearing: one line per utterance, attributed to the member whose own
recording it came from (no diarisation), timed from the hearing's recording start.

Officials correct lines (every edit is a version; the machine text is kept), then approve: an
approved transcript is locked and its hash recorded (ND154 Art. 24: the record of an online
session). Evidence links point at times, not text offsets, so they survive corrections.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import NewType

from reception.domain.hearings.model import HearingId, MemberId
from reception.domain.organisation import AgencyId, StaffId

TranscriptId = NewType("TranscriptId", uuid.UUID)
SegmentId = NewType("SegmentId", uuid.UUID)
EvidenceLinkId = NewType("EvidenceLinkId", uuid.UUID)


class TranscriptStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"  # machine transcript ready for review
    FAILED = "failed"  # `error` says why in words a person understands


class EvidenceItem(enum.StrEnum):
    """What in a case file a quoted passage supports."""

    CLAIM = "claim"  # nội dung khiếu nại, tố cáo
    FINDING = "finding"  # kết quả xác minh
    DIALOGUE_POINT = "dialogue_point"  # nội dung đối thoại


@dataclass(frozen=True, slots=True)
class Transcript:
    id: TranscriptId
    hearing_id: HearingId
    agency_id: AgencyId
    status: TranscriptStatus
    language: str  # "vi", "en" or "auto"
    created_at: datetime
    progress: float = 0.0  # share of the hearing's audio done, 0..1
    model: str | None = None
    error: str | None = None
    finished_at: datetime | None = None
    approved_at: datetime | None = None
    approved_by: StaffId | None = None
    approved_hash: str | None = None  # SHA-256 of the approved text (transcripts.transcript_hash)
    citizen_ack_at: datetime | None = None

    @property
    def locked(self) -> bool:
        return self.approved_at is not None


@dataclass(frozen=True, slots=True)
class Segment:
    id: SegmentId
    transcript_id: TranscriptId
    member_id: MemberId
    speaker: str  # the member's display name when the hearing took place
    role: str  # MemberRole value
    start_ms: int  # from the hearing's recording start
    end_ms: int
    text: str  # current text (the latest version)
    machine_text: str  # what Whisper wrote; never changed
    confidence: float
    version: int = 1


@dataclass(frozen=True, slots=True)
class SegmentEdit:
    segment_id: SegmentId
    version: int
    text: str
    author_id: StaffId
    at: datetime


@dataclass(frozen=True, slots=True)
class EvidenceLink:
    id: EvidenceLinkId
    case_id: uuid.UUID
    hearing_id: HearingId
    start_ms: int
    end_ms: int
    member_id: MemberId | None  # the speaker quoted, or None for the whole room
    item: EvidenceItem
    item_ref: str  # which claim / finding / point (free label or a case sub-item id)
    note: str
    created_by: StaffId
    created_at: datetime


class TranscriptLocked(Exception):
    """An approved transcript cannot be changed."""


def check_editable(transcript: Transcript) -> None:
    if transcript.locked:
        raise TranscriptLocked(f"transcript {transcript.id} is approved and locked")


def valid_range(start_ms: int, end_ms: int) -> bool:
    return 0 <= start_ms < end_ms
