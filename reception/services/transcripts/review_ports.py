"""Ports of transcript review: reading a hearing's transcript and its segments,
writing corrections as versions, approval and the citizen's acknowledgement; and the renderer
of the hearing record (biên bản) as a document."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from reception.domain.hearings.model import HearingId, MemberId
from reception.domain.organisation import StaffId
from reception.domain.transcripts.transcript import Segment, SegmentEdit, SegmentId, Transcript, TranscriptId
from reception.services.transcripts.ports import StoredTrack


class TranscriptReviewRepository(Protocol):
    async def for_hearing(self, hearing_id: HearingId, *, lock: bool = False
                          ) -> Transcript | None: ...
    async def segments(self, transcript_id: TranscriptId) -> Sequence[Segment]:
        """In the order of the hearing: start, end, then member."""
        ...

    async def segment(self, segment_id: SegmentId) -> Segment | None: ...
    async def edits(self, transcript_id: TranscriptId) -> Sequence[SegmentEdit]:
        """Every correction of the transcript's segments, oldest first."""
        ...

    async def record_edit(self, segment: Segment, text: str, author: StaffId,
                          at: datetime) -> Segment:
        """Append version `segment.version + 1` and make it the segment's current text; a
        doubtful line not yet confirmed is confirmed by its correction."""
        ...

    async def confirm(self, segment: Segment, by: StaffId, at: datetime) -> Segment:
        """Record that `by` listened to the doubtful line (at `segment.version`) and confirms it."""
        ...

    async def tracks(self, transcript_id: TranscriptId) -> Sequence[StoredTrack]:
        """Each member's recording as transcribed: language, lines left out."""
        ...

    async def approve(self, transcript_id: TranscriptId, by: StaffId, at: datetime,
                      approved_hash: str) -> None: ...
    async def acknowledge(self, transcript_id: TranscriptId, at: datetime) -> None: ...
    async def rename_speaker(self, transcript_id: TranscriptId, members: Sequence[MemberId],
                             name: str) -> None: ...
    async def refingerprint(self, transcript_id: TranscriptId, approved_hash: str) -> None:
        """The approved text's new fingerprint after an audited change of its labels."""
        ...


@dataclass(frozen=True, slots=True)
class RecordParty:
    role: str  # a MemberRole value
    name: str
    central: bool  # at the central point (the agency) or a component point (remote)
    id_number: str | None = None  # citizens: số định danh cá nhân
    address: str | None = None


@dataclass(frozen=True, slots=True)
class RecordFile:
    member: str
    kind: str  # "audio" or "evidence"
    path: str  # storage location, relative to the recordings directory
    sha256: str
    size_bytes: int
    duration_seconds: float | None
    verified_at: datetime | None = None  # checked against its chain and hash just before


@dataclass(frozen=True, slots=True)
class RecordLine:
    at_seconds: float  # from the hearing's recording start
    speaker: str
    role: str  # a MemberRole value
    text: str
    # A line the machine was unsure of, and how an official resolved it: "confirmed" (listened
    # and kept) or "corrected"; empty for a clear line.
    resolved: str = ""


@dataclass(frozen=True, slots=True)
class RecordUntranscribed:
    """A recording the machine could not transcribe: its speaker's words are not in the lines."""

    member: str
    role: str  # a MemberRole value
    kind: str  # "audio" or "evidence"
    started_at: datetime | None
    sha256: str  # how the record identifies the file (never by its path)
    reason: str  # an Unreadable value


@dataclass(frozen=True, slots=True)
class RecordDamaged:
    """A stretch of a recording in which no audio could be decoded: what was said in it is not
    in the lines."""

    member: str
    role: str  # a MemberRole value
    start_seconds: float  # on the hearing's clock, as the lines' `at_seconds`
    end_seconds: float
    sha256: str  # the damaged file, by its hash ("" if its row is gone)


@dataclass(frozen=True, slots=True)
class HearingRecordData:
    """What the hearing record states (docs/law.md §3.6 online reception record, with the §3.2
    register and §3.3 oral statement fields a hearing has), all text already composed."""

    agency: str
    session_id: str  # the hearing id
    booking_reference: str
    subject: str
    summary: str  # the citizen's content as booked
    opened_at: datetime
    ended_at: datetime | None
    central_point: str  # điểm cầu trung tâm
    parties: Sequence[RecordParty]
    notified_at: datetime | None  # the citizen was told of the session (≥ 5 working days before)
    device_checked_at: datetime | None  # the citizen's test of the connection
    connected_at: datetime | None  # the citizen's first connection to the session
    denunciation_waiver: bool | None  # None unless a denunciation: identity protection waived?
    files: Sequence[RecordFile]
    lines: Sequence[RecordLine]
    approved_at: datetime
    approved_by: str
    approved_hash: str
    citizen_ack_at: datetime | None
    storage: str  # where the recordings are kept
    untranscribed: Sequence[RecordUntranscribed] = ()  # whose words are not in `lines`
    damaged: Sequence[RecordDamaged] = ()  # stretches whose words are not in `lines`


class HearingRecordRenderer(Protocol):
    def render(self, record: HearingRecordData) -> bytes: ...
