"""Ending a hearing queues its transcription in PostgreSQL; a worker transcribes each member's own
recording, attributes every line to that member and orders the lines by wall clock."""

from __future__ import annotations

from pathlib import Path

import asyncpg

from reception.bootstrap.container import Container
from reception.domain.hearings.model import MemberRole
from reception.domain.transcripts.transcript import TranscriptStatus
from reception.settings import Settings
from tests.conftest import asyncpg_dsn
from tests.integration.transcription.conftest import (
    CITIZEN_TEXT,
    OFFICIAL_TEXT,
    SPEECH,
    Track,
    seed_hearing,
    text_of,
    transcript_of,
    wer,
    work_until_done,
)


async def jobs(database_url: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(dsn=asyncpg_dsn(database_url))
    try:
        return await conn.fetch(  # the daily integrity check may be queued too
            "SELECT task_name, args, status, attempts FROM procrastinate_jobs "
            "WHERE task_name = 'transcribe_hearing'")
    finally:
        await conn.close()


async def test_a_queued_hearing_is_transcribed_by_a_worker_with_each_line_attributed_to_its_speaker(
    container: Container, settings: Settings, tmp_path: Path, clean_db: str
) -> None:
    hearing_id, members = await seed_hearing(container, "en", [
        Track(MemberRole.CITIZEN, "Nguyễn Văn An", SPEECH / "citizen.wav", 0.0),
        Track(MemberRole.OFFICIAL, "Cán bộ Bình", SPEECH / "official.wav", 16.0),
    ], tmp_path / "recordings")
    await container.jobs.enqueue(hearing_id)
    await container.jobs.enqueue(hearing_id)  # a second request while one waits adds nothing
    assert [(j["task_name"], j["status"]) for j in await jobs(clean_db)] == [
        ("transcribe_hearing", "todo")]

    await work_until_done(container, settings, hearing_id)

    transcript, segments = await transcript_of(container, hearing_id)
    assert transcript is not None and transcript.status is TranscriptStatus.DONE
    assert (transcript.language, transcript.model, transcript.progress) == ("en", "base", 1.0)
    citizen = text_of(segments, members["Nguyễn Văn An"])
    official = text_of(segments, members["Cán bộ Bình"])
    assert wer(CITIZEN_TEXT, citizen) <= 0.25, citizen
    assert wer(OFFICIAL_TEXT, official) <= 0.25, official
    assert "compensation" in citizen and "compensation" not in official  # no crossed tracks
    assert "working days" in official and "working days" not in citizen
    assert {s.role for s in segments if s.member_id == members["Cán bộ Bình"]} == {"official"}
    # Wall clock: the official's recording began 16 s after the citizen's.
    first_official = min(s.start_ms for s in segments if s.member_id == members["Cán bộ Bình"])
    assert 16_000 <= first_official < 20_000
    assert max(s.end_ms for s in segments if s.member_id == members["Nguyễn Văn An"]) <= 16_000
    assert [s.start_ms for s in segments] == sorted(s.start_ms for s in segments)
    assert all(s.text == s.machine_text and 0 < s.confidence <= 1 for s in segments)
    assert [j["status"] for j in await jobs(clean_db)] == ["succeeded"]


async def test_running_the_job_again_leaves_one_transcript_and_changes_nothing(
    container: Container, settings: Settings, tmp_path: Path
) -> None:
    hearing_id, _ = await seed_hearing(container, "en", [
        Track(MemberRole.CITIZEN, "An", SPEECH / "citizen.wav", 0.0)], tmp_path / "recordings")
    assert await container.transcription.run(hearing_id) is TranscriptStatus.DONE
    first = await transcript_of(container, hearing_id)
    assert await container.transcription.run(hearing_id) is None  # already done: nothing to do
    assert await transcript_of(container, hearing_id) == first
