"""A job whose worker dies on every try (say, killed for memory on a very long recording) ends
with a clear failed status after the last allowed try, instead of being rescued forever."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

from reception.adapters.jobs.queue import MAX_ATTEMPTS, WorkerTimings
from reception.bootstrap.container import Container
from reception.domain.hearings.model import MemberRole
from reception.domain.transcripts.transcript import Transcript, TranscriptId, TranscriptStatus
from tests.conftest import asyncpg_dsn
from tests.integration.transcription.conftest import SPEECH, Track, seed_hearing, transcript_of


async def _stall(dsn: str, attempts: int) -> None:
    """Make the queued job look taken by a worker that died an hour ago, after `attempts`."""
    conn = await asyncpg.connect(dsn=dsn)
    try:
        worker = await conn.fetchval("INSERT INTO procrastinate_workers (last_heartbeat) "
                                     "VALUES (now() - interval '1 hour') RETURNING id")
        await conn.execute("UPDATE procrastinate_jobs SET status = 'doing', worker_id = $1, "
                           "attempts = $2", worker, attempts)
    finally:
        await conn.close()


async def test_the_last_allowed_try_of_a_dead_worker_fails_the_transcript_clearly(
        container: Container, clean_db: str, tmp_path: Path) -> None:
    track = Track(MemberRole.CITIZEN, "Nguyễn Văn An", SPEECH / "citizen.wav", 0.0)
    hearing_id, _ = await seed_hearing(container, "en", [track], tmp_path / "recordings")
    await container.jobs.enqueue(hearing_id)
    async with container.uow_factory() as uow:  # the dead worker had started the transcript
        hearing = await uow.hearings.get(hearing_id)
        assert hearing is not None
        await uow.transcription.start(Transcript(
            TranscriptId(uuid.uuid4()), hearing_id, hearing.agency_id, TranscriptStatus.RUNNING,
            "en", datetime.now(UTC)))
        await uow.commit()
    timings = WorkerTimings(stalled_after_seconds=60)

    await _stall(asyncpg_dsn(clean_db), attempts=MAX_ATTEMPTS - 2)  # one more try is allowed
    assert await container.jobs.rescue_stalled(timings, container.transcription.abandon) == 1
    transcript, _ = await transcript_of(container, hearing_id)
    assert transcript is not None and transcript.status is TranscriptStatus.RUNNING

    await _stall(asyncpg_dsn(clean_db), attempts=MAX_ATTEMPTS - 1)  # that was the last one
    assert await container.jobs.rescue_stalled(timings, container.transcription.abandon) == 0
    transcript, segments = await transcript_of(container, hearing_id)
    assert transcript is not None and transcript.status is TranscriptStatus.FAILED
    assert f"stopped {MAX_ATTEMPTS} times" in (transcript.error or "") and segments == []
    conn = await asyncpg.connect(dsn=asyncpg_dsn(clean_db))
    try:
        assert await conn.fetchval("SELECT status::text FROM procrastinate_jobs "
                                   "WHERE task_name = 'transcribe_hearing'") == "failed"
        assert await conn.fetchval("SELECT transcription FROM hearing") == "failed"
    finally:
        await conn.close()
