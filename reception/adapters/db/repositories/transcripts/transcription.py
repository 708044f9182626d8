"""SQL store of machine transcripts (the pipeline's side of the transcript tables): the
transcript row, each recording's result as soon as it is done, and the merged segments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from reception.adapters.db.tables.transcripts import SegmentRow, TrackRow, TranscriptRow
from reception.domain.hearings.model import HearingId, MemberId
from reception.domain.organisation import AgencyId, StaffId
from reception.domain.transcripts.transcript import (
    Segment,
    Transcript,
    TranscriptId,
    TranscriptStatus,
    Unreadable,
)
from reception.services.transcripts.ports import StoredTrack
from transcripts.track_json import track_from_json, track_to_json


def _transcript(r: TranscriptRow) -> Transcript:
    return Transcript(TranscriptId(r.id), HearingId(r.hearing_id), AgencyId(r.agency_id),
                      TranscriptStatus(r.status), r.language, r.created_at, r.progress, r.model,
                      r.error, r.finished_at, r.approved_at,
                      StaffId(r.approved_by) if r.approved_by else None, r.approved_hash,
                      r.citizen_ack_at)


class SqlTranscriptionStore:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def of_hearing(self, hearing_id: HearingId, *, lock: bool = False) -> Transcript | None:
        query = select(TranscriptRow).where(TranscriptRow.hearing_id == hearing_id)
        row = (await self._s.execute(query.with_for_update() if lock else query)).scalar_one_or_none()
        return _transcript(row) if row else None

    async def start(self, transcript: Transcript) -> Transcript:
        # ON CONFLICT on the UNIQUE hearing_id: two workers can never make two transcripts.
        fresh = {"status": transcript.status.value, "language": transcript.language,
                 "model": transcript.model, "progress": transcript.progress, "error": None,
                 "finished_at": None}
        statement = pg_insert(TranscriptRow).values(
            id=transcript.id, hearing_id=transcript.hearing_id, agency_id=transcript.agency_id,
            created_at=transcript.created_at, **fresh,
        ).on_conflict_do_update(index_elements=[TranscriptRow.hearing_id], set_=fresh)
        await self._s.execute(statement)
        stored = await self.of_hearing(transcript.hearing_id)
        assert stored is not None
        return stored

    async def set_progress(self, transcript_id: TranscriptId, progress: float) -> None:
        await self._s.execute(update(TranscriptRow).where(TranscriptRow.id == transcript_id)
                              .values(progress=min(1.0, max(0.0, progress))))

    async def tracks(self, transcript_id: TranscriptId) -> Sequence[StoredTrack]:
        rows = await self._s.scalars(select(TrackRow).where(TrackRow.transcript_id == transcript_id)
                                     .order_by(TrackRow.id))
        return [stored_track(r) for r in rows]

    async def forget_tracks(self, transcript_id: TranscriptId) -> None:
        await self._s.execute(delete(TrackRow).where(TrackRow.transcript_id == transcript_id))

    async def save_track(self, transcript_id: TranscriptId, track: StoredTrack,
                         at: datetime) -> None:
        values = {"member_id": track.member_id,
                  "result": None if track.result is None else track_to_json(track.result),
                  "problem": track.problem, "finished_at": at,
                  "unreadable": track.unreadable.value if track.unreadable else None}
        await self._s.execute(pg_insert(TrackRow).values(
            transcript_id=transcript_id, recording_path=track.recording_path, **values,
        ).on_conflict_do_update(constraint="uq_transcript_track_recording", set_=values))

    async def replace_segments(self, transcript_id: TranscriptId,
                               segments: Sequence[Segment]) -> None:
        await self._s.execute(delete(SegmentRow).where(SegmentRow.transcript_id == transcript_id))
        if segments:
            await self._s.execute(insert(SegmentRow), [
                {"id": s.id, "transcript_id": transcript_id, "member_id": s.member_id,
                 "speaker": s.speaker, "role": s.role, "start_ms": s.start_ms, "end_ms": s.end_ms,
                 "text": s.text, "machine_text": s.machine_text, "confidence": s.confidence,
                 "version": s.version, "doubts": [d.value for d in s.doubts],
                 "repeats": s.repeats, "recording_path": s.recording} for s in segments])

    async def note(self, transcript_id: TranscriptId, status: TranscriptStatus,
                   error: str | None) -> None:
        await self._s.execute(update(TranscriptRow).where(TranscriptRow.id == transcript_id)
                              .values(status=status.value, error=error))

    async def finish(self, transcript_id: TranscriptId, status: TranscriptStatus,
                     at: datetime, error: str | None = None) -> None:
        values: dict[str, object] = {"status": status.value, "finished_at": at, "error": error}
        if status is TranscriptStatus.DONE:
            values["progress"] = 1.0
        await self._s.execute(update(TranscriptRow).where(TranscriptRow.id == transcript_id)
                              .values(**values))


def stored_track(row: TrackRow) -> StoredTrack:
    return StoredTrack(MemberId(row.member_id), row.recording_path,
                       None if row.result is None else track_from_json(row.result), row.problem,
                       Unreadable(row.unreadable) if row.unreadable else None)
