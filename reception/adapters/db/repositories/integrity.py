"""SQL repository of the integrity checks: every stored recording and document to re-read, the
latest verification of each recording, and the runs of the whole check."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from reception.adapters.db.repositories.hearings import _recording
from reception.adapters.db.repositories.transcripts.review import _transcript
from reception.adapters.db.tables.booking import BookingDocumentRow, BookingRow
from reception.adapters.db.tables.cases import CaseDocument, CaseFile
from reception.adapters.db.tables.hearings import HearingRecordingRow, HearingRow
from reception.adapters.db.tables.integrity import IntegrityCheckRow
from reception.adapters.db.tables.signing import SignedDocumentRow
from reception.adapters.db.tables.transcripts import TranscriptRow
from reception.domain.documents.signed import DocumentKind
from reception.domain.hearings.model import HearingId, Recording
from reception.domain.integrity import (
    Finding,
    IntegrityCheckId,
    IntegrityReport,
    Stored,
    Subject,
    Trigger,
)
from reception.services.integrity.ports import ApprovedTranscript, StoredDocument


class SqlIntegrity:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def recordings(self) -> AsyncIterator[Recording]:
        rows = await self._s.stream_scalars(select(HearingRecordingRow).order_by(
            HearingRecordingRow.started_at, HearingRecordingRow.path))
        async for row in rows:
            yield _recording(row)

    async def documents(self) -> AsyncIterator[StoredDocument]:
        cases = await self._s.stream(
            select(CaseDocument.id, CaseFile.reference, CaseDocument.title, CaseDocument.sha256,
                   CaseDocument.size_bytes)
            .join(CaseFile, CaseFile.id == CaseDocument.case_id).order_by(CaseDocument.created_at))
        async for doc_id, reference, title, sha256, size in cases:
            yield StoredDocument("case", str(doc_id), f"{reference} · {title}", sha256, size)
        uploads = await self._s.stream(
            select(BookingDocumentRow.id, BookingRow.reference, BookingDocumentRow.filename,
                   BookingDocumentRow.sha256, BookingDocumentRow.size)
            .join(BookingRow, BookingRow.id == BookingDocumentRow.booking_id)
            .order_by(BookingDocumentRow.uploaded_at))
        async for doc_id, reference, filename, sha256, size in uploads:
            yield StoredDocument("upload", str(doc_id), f"{reference} · {filename}", sha256, size,
                                 Stored.BOOKING_DOCUMENT)
        # Signed documents kept as files of their own (the hearing records), stored alike; a
        # case form's signature names its case document's file, and the citizen's copy of a
        # receipt is handed over, not stored.
        records = await self._s.stream(
            select(SignedDocumentRow.id, SignedDocumentRow.reference, SignedDocumentRow.title,
                   SignedDocumentRow.sha256)
            .where(SignedDocumentRow.document_id.is_(None),
                   SignedDocumentRow.kind == DocumentKind.HEARING_RECORD.value)
            .order_by(SignedDocumentRow.signed_at))
        async for doc_id, reference, title, sha256 in records:
            yield StoredDocument("case", str(doc_id), f"{reference} · {title}", sha256, None,
                                 Stored.SIGNED_RECORD)

    async def approved_transcripts(self) -> Sequence[ApprovedTranscript]:
        rows = await self._s.execute(
            select(TranscriptRow, BookingRow.reference)
            .join(HearingRow, HearingRow.id == TranscriptRow.hearing_id)
            .join(BookingRow, BookingRow.id == HearingRow.booking_id)
            .where(TranscriptRow.approved_at.is_not(None)).order_by(TranscriptRow.approved_at))
        return [ApprovedTranscript(_transcript(row), reference) for row, reference in rows]

    async def record_verification(self, hearing_id: HearingId, path: str, at: datetime,
                                  ok: bool, problem: str | None) -> None:
        await self._s.execute(update(HearingRecordingRow).where(
            HearingRecordingRow.hearing_id == hearing_id, HearingRecordingRow.path == path)
            .values(verified_at=at, verified=ok, verify_problem=problem))

    async def add(self, report: IntegrityReport) -> None:
        self._s.add(IntegrityCheckRow(
            id=report.id, started_at=report.started_at, finished_at=report.finished_at,
            trigger=report.trigger.value, ok=report.ok, recordings=report.recordings,
            documents=report.documents, audit_rows=report.audit_rows,
            failures=[{"subject": f.subject.value, "where": f.where, "problem": f.problem}
                      for f in report.failures]))
        await self._s.flush()

    async def latest(self) -> IntegrityReport | None:
        row = await self._s.scalar(select(IntegrityCheckRow)
                                   .order_by(IntegrityCheckRow.started_at.desc()).limit(1))
        if row is None:
            return None
        return IntegrityReport(
            IntegrityCheckId(uuid.UUID(str(row.id))), row.started_at, row.finished_at,
            Trigger(row.trigger), row.recordings, row.documents, row.audit_rows,
            tuple(Finding(Subject(f["subject"]), f["where"], f["problem"]) for f in row.failures))
