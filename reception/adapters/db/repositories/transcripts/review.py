"""SQL repository of transcript review: reads a hearing's transcript for the editor, writes each
correction as an appended version together with the segment's new current text (same
transaction), and records approval and the citizen's acknowledgement."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from reception.adapters.db.repositories.transcripts.transcription import stored_track
from reception.adapters.db.tables.transcripts import SegmentEditRow, SegmentRow, TrackRow, TranscriptRow
from reception.domain.hearings.model import HearingId, MemberId
from reception.domain.organisation import AgencyId, StaffId
from reception.domain.transcripts.transcript import (
    Doubt,
    Segment,
    SegmentEdit,
    SegmentId,
    Transcript,
    TranscriptId,
    TranscriptStatus,
)
from reception.services.transcripts.ports import StoredTrack


def _transcript(r: TranscriptRow) -> Transcript:
    return Transcript(
        TranscriptId(r.id), HearingId(r.hearing_id), AgencyId(r.agency_id),
        TranscriptStatus(r.status), r.language, r.created_at, r.progress, r.model, r.error,
        r.finished_at, r.approved_at, StaffId(r.approved_by) if r.approved_by else None,
        r.approved_hash, r.citizen_ack_at)


def _segment(r: SegmentRow) -> Segment:
    return Segment(SegmentId(r.id), TranscriptId(r.transcript_id), MemberId(r.member_id),
                   r.speaker, r.role, r.start_ms, r.end_ms, r.text, r.machine_text,
                   r.confidence, r.version, tuple(Doubt(d) for d in r.doubts or ()), r.repeats,
                   r.confirmed_at, StaffId(r.confirmed_by) if r.confirmed_by else None,
                   r.recording_path)


class SqlTranscriptReview:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def for_hearing(self, hearing_id: HearingId, *, lock: bool = False
                          ) -> Transcript | None:
        query: Any = select(TranscriptRow).where(TranscriptRow.hearing_id == hearing_id)
        if lock:  # edits and approval of one transcript take turns
            query = query.with_for_update()
        row = await self._s.scalar(query.execution_options(populate_existing=True))
        return _transcript(row) if row else None

    async def segments(self, transcript_id: TranscriptId) -> Sequence[Segment]:
        rows = await self._s.scalars(
            select(SegmentRow).where(SegmentRow.transcript_id == transcript_id)
            .order_by(SegmentRow.start_ms, SegmentRow.end_ms, SegmentRow.member_id)
            .execution_options(populate_existing=True))
        return [_segment(r) for r in rows]

    async def segment(self, segment_id: SegmentId) -> Segment | None:
        row = await self._s.get(SegmentRow, segment_id, populate_existing=True)
        return _segment(row) if row else None

    async def edits(self, transcript_id: TranscriptId) -> Sequence[SegmentEdit]:
        rows = await self._s.scalars(
            select(SegmentEditRow).join(SegmentRow, SegmentRow.id == SegmentEditRow.segment_id)
            .where(SegmentRow.transcript_id == transcript_id)
            .order_by(SegmentEditRow.at, SegmentEditRow.id))
        return [SegmentEdit(SegmentId(r.segment_id), r.version, r.text, StaffId(r.author_id), r.at)
                for r in rows]

    async def record_edit(self, segment: Segment, text: str, author: StaffId,
                          at: datetime) -> Segment:
        version = segment.version + 1
        self._s.add(SegmentEditRow(segment_id=segment.id, version=version, text=text,
                                   author_id=author, at=at))
        values: dict[str, object] = {"text": text, "version": version}
        if segment.awaiting_confirmation:  # correcting a doubtful line resolves it
            values |= {"confirmed_at": at, "confirmed_by": author}
        # The version in the WHERE clause makes a concurrent edit of the same version update
        # nothing; the unique (segment_id, version) then refuses the second insert as well.
        await self._s.execute(update(SegmentRow).where(
            SegmentRow.id == segment.id, SegmentRow.version == segment.version)
            .values(**values))
        await self._s.flush()
        found = await self.segment(segment.id)
        assert found is not None
        return found

    async def confirm(self, segment: Segment, by: StaffId, at: datetime) -> Segment:
        # Only the version the official listened to, and only once.
        await self._s.execute(update(SegmentRow).where(
            SegmentRow.id == segment.id, SegmentRow.version == segment.version,
            SegmentRow.confirmed_at.is_(None)).values(confirmed_at=at, confirmed_by=by))
        found = await self.segment(segment.id)
        assert found is not None
        return found

    async def tracks(self, transcript_id: TranscriptId) -> Sequence[StoredTrack]:
        rows = await self._s.scalars(select(TrackRow).where(TrackRow.transcript_id == transcript_id)
                                     .order_by(TrackRow.id))
        return [stored_track(r) for r in rows]

    async def approve(self, transcript_id: TranscriptId, by: StaffId, at: datetime,
                      approved_hash: str) -> None:
        await self._s.execute(update(TranscriptRow).where(TranscriptRow.id == transcript_id)
                              .values(approved_at=at, approved_by=by, approved_hash=approved_hash))

    async def rename_speaker(self, transcript_id: TranscriptId, members: Sequence[MemberId],
                             name: str) -> None:
        await self._s.execute(update(SegmentRow).where(
            SegmentRow.transcript_id == transcript_id, SegmentRow.member_id.in_(members))
            .values(speaker=name))

    async def refingerprint(self, transcript_id: TranscriptId, approved_hash: str) -> None:
        await self._s.execute(update(TranscriptRow).where(TranscriptRow.id == transcript_id)
                              .values(approved_hash=approved_hash))

    async def acknowledge(self, transcript_id: TranscriptId, at: datetime) -> None:
        await self._s.execute(update(TranscriptRow).where(
            TranscriptRow.id == transcript_id, TranscriptRow.citizen_ack_at.is_(None))
            .values(citizen_ack_at=at))
