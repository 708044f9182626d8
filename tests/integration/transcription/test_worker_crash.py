"""A worker killed in the middle of a job (SIGKILL: no clean-up at all) loses nothing: once its
heartbeat is stale another worker takes the job over and finishes it, and the hearing still
has exactly one transcript with one copy of each line."""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import subprocess
import sys
import time
import wave
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import text

from reception.bootstrap.container import Container
from reception.domain.hearings.model import MemberRole
from reception.domain.transcripts.transcript import TranscriptStatus
from reception.settings import Settings
from tests.conftest import asyncpg_dsn
from tests.integration.conftest import make_settings
from tests.integration.transcription.conftest import (
    FAST_WORKER,
    SPEECH,
    Track,
    seed_hearing,
    transcript_of,
    work_until_done,
)

REPEATS = 6  # 6 x 15 s of speech: long enough to be killed mid-job, short enough for CI


def repeated_speech(path: Path) -> Path:
    with wave.open(str(SPEECH / "citizen.wav"), "rb") as source:
        params, frames = source.getparams(), source.readframes(source.getnframes())
    with wave.open(str(path), "wb") as out:
        out.setparams(params)
        out.writeframes(frames * REPEATS)
    return path


# The queue is under test here, not the model: the fast English model keeps the job short, and
# it transcribes six repeats of one sentence as six lines (the larger base merges repeats).
FAST_MODEL = {"WHISPER_MODEL": "tiny.en"}


@pytest.fixture
def settings(clean_db: str, tmp_path: Path, shared_data_dir: Path) -> Settings:
    return make_settings(shared_data_dir, clean_db, RECORDINGS_DIR=str(tmp_path / "recordings"),
                         **FAST_WORKER, **FAST_MODEL)


def start_worker(settings: Settings, database_url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": database_url, "DATA_DIR": str(settings.data_dir),
           "RECORDINGS_DIR": str(settings.recordings_dir), "SECRET_KEY": "test-secret",
           "LOG_JSON": "false", **FAST_WORKER, **FAST_MODEL}
    return subprocess.Popen([sys.executable, "-m", "reception.cli", "worker", "--name", "doomed"],
                            env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)


async def job_rows(database_url: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(dsn=asyncpg_dsn(database_url))
    try:
        return await conn.fetch(  # the daily integrity check may be queued too
            "SELECT status, attempts FROM procrastinate_jobs WHERE task_name = 'transcribe_hearing'")
    finally:
        await conn.close()


@pytest.mark.slow
async def test_a_job_whose_worker_is_killed_is_taken_over_and_leaves_one_transcript(
    container: Container, settings: Settings, tmp_path: Path, clean_db: str
) -> None:
    hearing_id, _ = await seed_hearing(container, "en", [
        Track(MemberRole.CITIZEN, "An", repeated_speech(tmp_path / "long.wav"), 0.0)],
        tmp_path / "recordings")
    await container.jobs.enqueue(hearing_id)
    worker = start_worker(settings, clean_db, tmp_path / "worker.log")
    try:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:  # wait until it is visibly half-way
            transcript, _ = await transcript_of(container, hearing_id)
            if transcript is not None and 0.1 <= transcript.progress < 0.9:
                break
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            await asyncio.sleep(0.1)
        else:
            raise AssertionError((tmp_path / "worker.log").read_text())
        worker.send_signal(signal.SIGKILL)
        worker.wait(5)
    finally:
        if worker.poll() is None:
            worker.kill()
    killed_at, _ = await transcript_of(container, hearing_id)
    assert killed_at is not None and killed_at.status is TranscriptStatus.RUNNING
    assert [r["status"] for r in await job_rows(clean_db)] == ["doing"]

    await work_until_done(container, settings, hearing_id, seconds=60)

    transcript, segments = await transcript_of(container, hearing_id)
    assert transcript is not None and transcript.id == killed_at.id
    assert transcript.status is TranscriptStatus.DONE
    # One copy of each line: taken over, nothing is written twice (no two lines over the same
    # moment) and nothing is left out (the lines run to the end of the 90 s). What the model
    # hears in each is the model's affair: tiny.en sometimes loops on one of the six.
    spans = sorted((s.start_ms, s.end_ms) for s in segments)
    overlaps = [(a, b) for a, b in itertools.pairwise(spans) if b[0] < a[1] - 500]
    assert not overlaps, spans
    assert spans[0][0] < 15_000 and spans[-1][1] > (REPEATS - 1) * 15_000, spans
    said = " ".join(s.text for s in segments).lower()
    assert REPEATS // 2 <= said.count("compensation") <= REPEATS, said
    async with container.uow_factory() as uow:
        count = (await uow.session.execute(text(
            "SELECT count(*) FROM transcript WHERE hearing_id = :h"), {"h": hearing_id})).scalar()
    assert count == 1
    # One job, two attempts: the killed one and the one that finished.
    assert [(r["status"], r["attempts"]) for r in await job_rows(clean_db)] == [("succeeded", 2)]
