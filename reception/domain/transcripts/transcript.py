"""The transcript of a hearing: one line per utterance, attributed to the member whose own
recording it came from (no diarisation), timed from the hearing's recording start.

Officials correct lines (every edit is a version; the machine text is kept), then approve: an
approved transcript is locked and its hash recorded (ND154 Art. 24: the record of an online
session). Evidence links point at times, not text offsets, so they survive corrections.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Sequence
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


class Doubt(enum.StrEnum):
    """Why a machine line may not be what was said (the transcription library's reasons): the
    line is kept, highlighted for review, and must be confirmed or corrected by an official
    before the transcript can be approved."""

    LOW_CONFIDENCE = "low_confidence"
    NO_SPEECH = "possible_no_speech"
    REPETITION = "possible_repetition"
    LANGUAGE = "language_mismatch"


class Unreadable(enum.StrEnum):
    """Why a member's recording could not be transcribed: none of their words are in the
    transcript, which must say so wherever it is shown, approved or signed."""

    MISSING = "missing"  # no file in the recordings store
    EMPTY = "empty"  # the file holds nothing
    UNDECODABLE = "undecodable"  # damaged, cut short, or not audio at all


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
    doubts: tuple[Doubt, ...] = ()  # empty: a clear line
    repeats: int = 1  # > 1: the machine heard this line that many times in a row
    confirmed_at: datetime | None = None  # an official listened to a doubtful line and
    confirmed_by: StaffId | None = None  # confirmed (or corrected) it
    # The recording (its path in the recordings store) the line was transcribed from: a member
    # has several after a recorder restart. None: stored before lines kept it.
    recording: str | None = None

    @property
    def uncertain(self) -> bool:
        return bool(self.doubts)

    @property
    def awaiting_confirmation(self) -> bool:
        """A doubtful line no official has confirmed or corrected yet."""
        return self.uncertain and self.confirmed_at is None


def awaiting_confirmation(segments: Sequence[Segment]) -> list[Segment]:
    """The doubtful lines that still stand between the transcript and its approval."""
    return [s for s in segments if s.awaiting_confirmation]


@dataclass(frozen=True, slots=True)
class DroppedLine:
    """A machine line left out of the transcript, on record with its reason (never silently):
    empty text, a caption learnt from subtitled videos, a copy of a decoder loop."""

    member_id: MemberId
    start_ms: int
    end_ms: int
    text: str
    reason: str  # "no words", "known caption", "repeated line", "looped line"


@dataclass(frozen=True, slots=True)
class DamagedAudio:
    """A stretch of a member's recording in which no audio could be decoded (packets damaged
    or missing): whatever was said there is not in the transcript. Silence stood in for it
    while transcribing, so the lines after it keep their true times."""

    member_id: MemberId
    start_ms: int  # on the hearing's clock
    end_ms: int
    recording: str = ""  # the file's path in the recordings store (how the record finds it)


@dataclass(frozen=True, slots=True)
class TrackLanguage:
    """The language one member's recording was transcribed in, and what was heard."""

    member_id: MemberId
    language: str | None  # transcribed in
    expected: str | None  # the agency's language
    detected: str | None = None  # the most probable language Whisper identified
    probability: float = 0.0  # of `detected`

    @property
    def switched(self) -> bool:
        """The speaker spoke another language than the agency's, and was transcribed in it."""
        return self.expected is not None and self.language != self.expected


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


class Mismatch(enum.StrEnum):
    """Which record of an approved transcript's fingerprint its lines no longer hash to."""

    STORED = "stored"  # the fingerprint stored with the transcript (approved_hash)
    AUDITED = "audited"  # the one the keyed audit log recorded last for its hearing


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """An approved transcript's lines fingerprinted now, beside the fingerprint stored with it
    and the one the audit log recorded last (at approval, or when sealing renamed a speaker).
    It is the approved record only while the three agree: someone able to write the database
    can change the lines, or the lines and the stored fingerprint together, but cannot write
    an audit entry that passes the log's keyed chain (docs/evidence.md §7)."""

    now: str
    stored: str
    audited: str | None  # None: the audit log records no fingerprint of this transcript

    @property
    def mismatches(self) -> tuple[Mismatch, ...]:
        return tuple(which for which, recorded in ((Mismatch.STORED, self.stored),
                                                   (Mismatch.AUDITED, self.audited))
                     if recorded != self.now)

    @property
    def intact(self) -> bool:
        return not self.mismatches


class TranscriptLocked(Exception):
    """An approved transcript cannot be changed."""


def check_editable(transcript: Transcript) -> None:
    if transcript.locked:
        raise TranscriptLocked(f"transcript {transcript.id} is approved and locked")


def valid_range(start_ms: int, end_ms: int) -> bool:
    return 0 <= start_ms < end_ms
