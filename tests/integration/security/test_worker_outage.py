"""The transcription worker survives a database outage: the REAL PostgreSQL under a running
worker is stopped and started again, and a job enqueued after the restart is done."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path

import pytest

from reception.adapters.db.embedded import EmbeddedPostgres, ensure_database
from reception.adapters.db.migrate import upgrade
from reception.adapters.jobs.queue import JobQueue, WorkerTimings
from reception.domain.hearings.model import HearingId

FAST = WorkerTimings(heartbeat_seconds=0.5, stalled_after_seconds=4, poll_seconds=0.2,
                     shutdown_grace_seconds=1)


async def _until(condition: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)


@pytest.mark.slow
async def test_the_worker_keeps_consuming_after_postgres_restarts(tmp_path: Path) -> None:
    server = await asyncio.to_thread(EmbeddedPostgres, tmp_path)
    url = server.url("outage")
    await ensure_database(server.url("postgres"), "outage")
    await upgrade(url)
    done: list[HearingId] = []

    async def run(hearing_id: HearingId, attempt: int, final: bool) -> None:
        done.append(hearing_id)

    queue, producer = JobQueue(url), JobQueue(url)
    stop = asyncio.Event()
    worker = asyncio.create_task(queue.run_worker(run, stop, name="outage", timings=FAST))
    try:
        first = HearingId(uuid.uuid4())
        await producer.enqueue(first)
        await _until(lambda: first in done, 30, "the first job")

        await asyncio.to_thread(server.stop)  # the database goes away under the worker
        await producer.close()
        # procrastinate's listener notices at its next check and stops the worker on all
        # queues; the supervisor must start it again rather than give up.
        deadline = time.monotonic() + 120
        while not getattr(queue, "restarts", 0):
            assert not worker.done(), "the worker stopped for good during the outage"
            assert time.monotonic() < deadline, "the outage was never noticed"
            await asyncio.sleep(0.2)
        server = await asyncio.to_thread(EmbeddedPostgres, tmp_path)
        assert server.url("outage") == url

        second = HearingId(uuid.uuid4())
        await producer.enqueue(second)
        await _until(lambda: second in done, 60, "the job enqueued after the restart")
    finally:
        stop.set()
        await asyncio.wait_for(worker, 30)
        await producer.close()
        await queue.close()
        await asyncio.to_thread(server.stop)
