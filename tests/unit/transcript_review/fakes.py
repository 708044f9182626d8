"""Hand-written fakes of our own ports for the transcript review service: an in-memory unit of
work holding one ended hearing of agency A with an official, the citizen and a transcript."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from reception.domain.audit import AuditRecord
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
from reception.domain.cases.denouncer import SEALED_CITIZEN
from reception.domain.documents.signed import DocumentKind, SignedDocument
from reception.domain.hearings.model import (
    Hearing,
    HearingId,
    HearingMember,
    HearingStatus,
    MemberId,
    MemberRole,
    Recording,
)
from reception.domain.integrity import Attestation, Stored, require
from reception.domain.organisation import Agency, AgencyId, AgencyLevel, StaffId, StaffMember, StaffRole
from reception.domain.transcripts.transcript import (
    Segment,
    SegmentEdit,
    SegmentId,
    Transcript,
    TranscriptId,
    TranscriptStatus,
)
from reception.services.signing.ports import SignedPdf, SigningRequest
from reception.services.transcripts.review_ports import HearingRecordData

T0 = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def staff_member(agency: AgencyId, *roles: StaffRole, name: str = "Lê Văn Cán") -> StaffMember:
    return StaffMember(StaffId(uuid.uuid4()), agency, name.lower().replace(" ", ""), name,
                       frozenset(roles or {StaffRole.RECEPTIONIST}))


@dataclass
class World:
    """Everything the fake repositories read and write."""

    agency: Agency = field(default_factory=lambda: Agency(
        AgencyId(uuid.uuid4()), "TT", "Thanh tra tỉnh", AgencyLevel.PROVINCE))
    staff: dict[StaffId, StaffMember] = field(default_factory=dict)
    hearings: dict[HearingId, Hearing] = field(default_factory=dict)
    members: list[HearingMember] = field(default_factory=list)
    recordings: list[Recording] = field(default_factory=list)
    bookings: dict[BookingId, Booking] = field(default_factory=dict)
    participants: list[Participant] = field(default_factory=list)
    transcripts: dict[HearingId, Transcript] = field(default_factory=dict)
    segments: dict[SegmentId, Segment] = field(default_factory=dict)
    edits: list[SegmentEdit] = field(default_factory=list)
    audit: list[AuditRecord] = field(default_factory=list)
    signed: list[SignedDocument] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    tracks: list[Any] = field(default_factory=list)  # StoredTrack of every transcript
    commits: int = 0


class FakeUow:
    def __init__(self, world: World) -> None:
        self.w = world
        self.hearings = self.bookings = self.staff = self.agencies = self
        self.participants = self.audit = self.transcript_review = self
        self.signed_documents = FakeSignedDocuments(world)

    async def __aenter__(self) -> FakeUow:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def commit(self) -> None:
        self.w.commits += 1

    # hearings, bookings, staff, agencies, participants, audit (only what the service uses)
    async def get(self, key: Any, *, lock: bool = False) -> Any:
        for table in (self.w.hearings, self.w.bookings, self.w.staff):
            if key in table:
                return table[key]
        return self.w.agency if key == self.w.agency.id else None

    async def members(self, hearing_id: HearingId) -> Sequence[HearingMember]:
        return [m for m in self.w.members if m.hearing_id == hearing_id]

    async def recordings(self, hearing_id: HearingId) -> Sequence[Recording]:
        return [r for r in self.w.recordings if r.hearing_id == hearing_id]

    async def of_booking(self, booking_id: BookingId) -> Sequence[Any]:
        return [p for p in self.w.participants if p.booking_id == booking_id]

    async def append(self, record: AuditRecord) -> None:
        self.w.audit.append(record)

    async def of_object(self, object_type: str, object_id: str,
                        actions: Sequence[str]) -> AsyncIterator[AuditRecord]:
        for record in self.w.audit:
            if (record.object_type, record.object_id) == (object_type, object_id) \
                    and record.action in actions:
                yield record

    async def entries(self) -> AsyncIterator[Any]:  # pragma: no cover - not used
        raise NotImplementedError
        yield

    # transcript_review
    async def for_hearing(self, hearing_id: HearingId, *, lock: bool = False) -> Transcript | None:
        return self.w.transcripts.get(hearing_id)

    async def segments(self, transcript_id: TranscriptId) -> Sequence[Segment]:
        # Deliberately latest first: the hashed order is the service's job, not the store's.
        return sorted((s for s in self.w.segments.values() if s.transcript_id == transcript_id),
                      key=lambda s: -s.start_ms)

    async def segment(self, segment_id: SegmentId) -> Segment | None:
        return self.w.segments.get(segment_id)

    async def edits(self, transcript_id: TranscriptId) -> Sequence[SegmentEdit]:
        return list(self.w.edits)

    async def record_edit(self, segment: Segment, text: str, author: StaffId,
                          at: datetime) -> Segment:
        changed = replace(segment, text=text, version=segment.version + 1)
        if segment.awaiting_confirmation:
            changed = replace(changed, confirmed_at=at, confirmed_by=author)
        self.w.edits.append(SegmentEdit(segment.id, changed.version, text, author, at))
        self.w.segments[segment.id] = changed
        return changed

    async def confirm(self, segment: Segment, by: StaffId, at: datetime) -> Segment:
        confirmed = replace(segment, confirmed_at=at, confirmed_by=by)
        self.w.segments[segment.id] = confirmed
        return confirmed

    async def tracks(self, transcript_id: TranscriptId) -> Sequence[Any]:
        return list(self.w.tracks)

    async def approve(self, transcript_id: TranscriptId, by: StaffId, at: datetime,
                      approved_hash: str) -> None:
        for key, t in self.w.transcripts.items():
            if t.id == transcript_id:
                self.w.transcripts[key] = replace(t, approved_at=at, approved_by=by,
                                                  approved_hash=approved_hash)

    async def acknowledge(self, transcript_id: TranscriptId, at: datetime) -> None:
        for key, t in self.w.transcripts.items():
            if t.id == transcript_id and t.citizen_ack_at is None:
                self.w.transcripts[key] = replace(t, citizen_ack_at=at)


class FakeSignedDocuments:
    def __init__(self, world: World) -> None:
        self.w = world

    async def add(self, document: SignedDocument, attestation: Attestation | None) -> None:
        if document.kind is DocumentKind.HEARING_RECORD:  # as the SQL register refuses
            require(attestation, Stored.SIGNED_RECORD, document.id, document.sha256)
        self.w.signed.append(document)

    async def of_hearing(self, hearing_id: HearingId) -> SignedDocument | None:
        return next((d for d in self.w.signed if d.hearing_id == hearing_id), None)

    async def countersign(self, document_id: uuid.UUID, at: datetime, by: str) -> bool:
        for i, d in enumerate(self.w.signed):
            if d.id == document_id and d.countersigned_at is None:
                self.w.signed[i] = replace(d, countersigned_at=at, countersigned_by=by)
                return True
        return False


class FakeSigner:
    """DocumentSigner: appends a marker, as a signature appends to the rendered PDF."""

    def __init__(self) -> None:
        self.requests: list[SigningRequest] = []

    async def sign(self, pdf: bytes, request: SigningRequest) -> SignedPdf:
        self.requests.append(request)
        data = pdf + b"%signed:" + request.code.encode()
        return SignedPdf(data, T0 + timedelta(hours=1), True, True,
                         hashlib.sha256(pdf).hexdigest(), "CN=Test", "1", True)


class FakeStorage:
    def __init__(self, world: World) -> None:
        self.w = world

    def save(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        self.w.files[digest] = data
        return digest

    def read(self, sha256: str) -> bytes:
        return self.w.files[sha256]


class FixedClock:
    def __init__(self) -> None:
        self.at = T0 + timedelta(hours=1)

    def now(self) -> datetime:
        return self.at


class CapturingRenderer:
    def __init__(self) -> None:
        self.rendered: list[HearingRecordData] = []

    def render(self, record: HearingRecordData) -> bytes:
        self.rendered.append(record)
        return b"%PDF-fake"


def seeded_world(subject: Subject = Subject.COMPLAINT) -> tuple[World, StaffMember, HearingId]:
    w = World()
    official = staff_member(w.agency.id)
    w.staff[official.id] = official
    # A denunciation is booked sealed (services/booking/sealing.py): the pseudonym, no papers.
    sealed = subject is Subject.DENUNCIATION
    who = SEALED_CITIZEN if sealed else Citizen("Nguyễn Văn An", "001090000001", "Hà Nội")
    booking = Booking(BookingId(uuid.uuid4()), "TD-2026-0001", w.agency.id, SessionId(uuid.uuid4()),
                      official.id, T0, T0 + timedelta(minutes=30), BookingStatus.COMPLETED,
                      Channel.ONLINE, subject, "Khiếu nại thu hồi đất.", who,
                      notified_at=T0 - timedelta(days=7),
                      sealed_identity=uuid.uuid4() if sealed else None)
    w.bookings[booking.id] = booking
    citizen = Participant(ParticipantId(uuid.uuid4()), booking.id, ParticipantRole.CITIZEN,
                          who.full_name, device_checked_at=T0 - timedelta(days=1))
    w.participants.append(citizen)
    hearing = Hearing(HearingId(uuid.uuid4()), booking.id, w.agency.id, HearingStatus.ENDED, T0,
                      official.id, recording_started_at=T0, ended_at=T0 + timedelta(minutes=5))
    w.hearings[hearing.id] = hearing
    them = HearingMember(MemberId(uuid.uuid4()), hearing.id, MemberRole.CITIZEN, who.full_name,
                         T0, participant_id=citizen.id)
    us = HearingMember(MemberId(uuid.uuid4()), hearing.id, MemberRole.OFFICIAL, official.full_name,
                       T0, staff_id=official.id)
    w.members += [them, us]
    late = T0 + timedelta(seconds=2)  # the citizen's files begin 2 s into the hearing
    w.recordings += [
        Recording(hearing.id, them.id, "audio", "h/c.audio.webm", "a" * 64, 10, "closed", late),
        Recording(hearing.id, them.id, "evidence", "h/c.evidence.webm", "b" * 64, 20, "closed", late),
        Recording(hearing.id, us.id, "audio", "h/o.audio.webm", "c" * 64, 30, "closed", T0)]
    transcript = Transcript(TranscriptId(uuid.uuid4()), hearing.id, w.agency.id,
                            TranscriptStatus.DONE, "vi", T0)
    w.transcripts[hearing.id] = transcript
    for member, start, text, confidence in ((us, 500, "Mời ông trình bày.", 0.9),
                                            (them, 3000, "Tôi khiếu lại quyết định.", 0.4)):
        segment = Segment(SegmentId(uuid.uuid4()), transcript.id, member.id, member.display_name,
                          member.role.value, start, start + 2000, text, text, confidence)
        w.segments[segment.id] = segment
    return w, official, hearing.id
