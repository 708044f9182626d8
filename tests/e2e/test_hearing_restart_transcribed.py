"""No hearing left behind: the server stops (SIGTERM) in the middle of a recorded hearing of two
browsers while a separate `reception worker` runs. When the server starts again, the hearing is
found interrupted and its recordings repaired, and its transcription job is added in that same
unit of work: the worker, which never restarted, transcribes it.

The restart is made to stop at the worst moment: the job queue's table is locked (as a slow
database, a migration or a vacuum would hold it), so the start-up waits exactly where it adds
the job, and it is killed there. Had the hearing's new state been committed before the job was
added, that state would stay ("queued") with no job, and no later start would look at it again;
committed together, neither is, and the next start does both."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from playwright.async_api import async_playwright

from reception.domain.hearings.model import HearingStatus, HearingTranscription
from reception.domain.transcripts.transcript import TranscriptStatus
from tests.conftest import asyncpg_dsn
from tests.e2e.conftest import LiveServer, stop_server
from tests.integration.hearings.browsers import (
    booked_hearing,
    citizen_page,
    hearing_server,
    joined_console,
    party_browsers,
    wait_for,
)
from transcripts import assemble
from transcripts.guard import words_of

pytestmark = [pytest.mark.browser, pytest.mark.slow]
FAST_WORKER = {"WORKER_HEARTBEAT_SECONDS": "0.5", "WORKER_STALLED_SECONDS": "3",
               "WORKER_POLL_SECONDS": "0.5"}
SPEAKING_SECONDS = 14.0  # of the citizen's fake microphone, after admission


@pytest.fixture(scope="module")
def worker_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The worker's DATA_DIR, with the built-in base model assembled once."""
    directory = tmp_path_factory.mktemp("worker-data")
    assemble("base", directory / "models")
    return directory


@pytest.fixture
def worker(clean_db: str, tmp_path: Path, worker_data: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = {**os.environ, "DATABASE_URL": clean_db, "DATA_DIR": str(worker_data),
           "RECORDINGS_DIR": str(tmp_path / "recordings"), "SECRET_KEY": "e2e-secret",
           "LOG_JSON": "false", **FAST_WORKER}
    log = (tmp_path / "worker.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "reception.cli", "worker", "--name", "only"],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    yield process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()


def spawn_server(server: LiveServer) -> subprocess.Popen[bytes]:
    """The same server again, without waiting for it to answer (its start-up will block)."""
    log = (Path(server.env["DATA_DIR"]) / "server-blocked.log").open("wb")
    return subprocess.Popen([sys.executable, "-m", "reception.cli", "serve"], env=server.env,
                            stdout=log, stderr=subprocess.STDOUT)


async def waiting_for_the_queue(conn: asyncpg.Connection) -> bool:
    """Another session waits for the lock on the job queue's table."""
    return bool(await conn.fetchval(
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "WHERE c.relname = 'procrastinate_jobs' AND NOT l.granted AND l.pid <> pg_backend_pid()"))


async def jobs(database_url: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(dsn=asyncpg_dsn(database_url))
    try:
        return await conn.fetch(  # the daily integrity check may be queued too
            "SELECT status FROM procrastinate_jobs WHERE task_name = 'transcribe_hearing'")
    finally:
        await conn.close()


async def test_a_hearing_interrupted_by_a_server_stop_is_transcribed_by_the_running_worker(
    clean_db: str, tmp_path: Path, worker: subprocess.Popen[bytes]
) -> None:
    server = hearing_server(clean_db, tmp_path)
    container, official, seeded = await booked_hearing(server)
    async with async_playwright() as playwright:
        official_browser, citizen_browser = await party_browsers(playwright)
        try:
            console = await joined_console(official_browser, server, official.login,
                                           seeded.booking.id)
            citizen = await citizen_page(citizen_browser, server, seeded.token)
            await wait_for(citizen, lambda p: p["connection"] == "connected", 15, "citizen connected")
            await console.click("[data-admitted=false] button.primary")
            await wait_for(citizen, lambda p: p["admitted"], 10, "admission")
            await asyncio.sleep(SPEAKING_SECONDS)
            server.process.send_signal(signal.SIGTERM)  # a deploy, a reboot: not a crash
            server.process.wait(30)
            assert await jobs(clean_db) == []  # the hearing was open: nothing to transcribe yet
        finally:
            await official_browser.close()
            await citizen_browser.close()

    # The worker only pauses meanwhile (it is not restarted), so the one session waiting for
    # the queue's table is the starting server's.
    worker.send_signal(signal.SIGSTOP)
    lock = await asyncpg.connect(dsn=asyncpg_dsn(clean_db))
    try:
        async with lock.transaction():
            await lock.execute("LOCK TABLE procrastinate_jobs IN ACCESS EXCLUSIVE MODE")
            restarting = spawn_server(server)  # start-up finds the hearing open: interrupted
            deadline = time.monotonic() + 90
            while not await waiting_for_the_queue(lock):
                assert restarting.poll() is None and time.monotonic() < deadline
                await asyncio.sleep(0.2)
            restarting.kill()  # stopped while adding the job
            restarting.wait(10)
    finally:
        await lock.close()
        worker.send_signal(signal.SIGCONT)

    server = hearing_server(clean_db, tmp_path)  # a normal start
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            async with container.uow_factory() as uow:
                (hearing,) = await uow.hearings.of_booking(seeded.booking.id)
                transcript = await uow.transcription.of_hearing(hearing.id)
            if transcript is not None and transcript.status is TranscriptStatus.DONE:
                break
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            await asyncio.sleep(0.5)
        else:
            raise AssertionError(f"no transcript after the restart; jobs: {await jobs(clean_db)}; "
                                 + (tmp_path / "worker.log").read_text()[-3000:])
        assert hearing.status is HearingStatus.INTERRUPTED
        assert hearing.transcription is HearingTranscription.TRANSCRIBED
        async with container.uow_factory() as uow:
            lines = await uow.transcript_review.segments(transcript.id)
        said = " ".join(s.text for s in lines if s.role == "citizen").lower()
        # The citizen's English (their fake microphone plays from when the page opened, so
        # the recording holds the part said after admission), transcribed in English.
        assert {"compensation", "family", "field", "year"} & set(words_of(said)), said
        assert [r["status"] for r in await jobs(clean_db)] == ["succeeded"]
    finally:
        stop_server(server)
        await container.close()
