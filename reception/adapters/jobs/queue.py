"""The durable job queue: procrastinate on our PostgreSQL (its tables come from migration 0006).

Jobs survive restarts (they are rows), retry with exponential back-off, and any number of
workers on any number of machines share one database: procrastinate hands each job to one
worker. A worker that dies mid-job (SIGKILL, power loss) stops its heartbeat; every worker
looks for such stalled jobs and puts them back in the queue, where the job resumes from the
recordings already transcribed. Services add jobs inside their unit of work
(`in_transaction.SqlJobs`); `enqueue` here is for tools and tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import procrastinate
import psycopg
import structlog
from procrastinate.exceptions import AlreadyEnqueued, ConnectorException, UniqueViolation
from procrastinate.jobs import Status

from reception.adapters.db.engine import libpq_url
from reception.adapters.jobs.in_transaction import TRANSCRIBE, running_lock, waiting_lock
from reception.domain.hearings.model import HearingId

log = structlog.get_logger(__name__)
CHECK_INTEGRITY = "check_integrity"  # every recording, document and the audit log
# (hearing, attempt number from 1, whether it is the last attempt the queue allows)
RunHearing = Callable[[HearingId, int, bool], Awaitable[object]]
CheckIntegrity = Callable[[], Awaitable[object]]
AbandonHearing = Callable[[HearingId, int], Awaitable[object]]
# A job whose worker died this many times (e.g. killed for memory on a very long recording) is
# not rescued again: it fails with a clear status instead of looping forever.
MAX_ATTEMPTS = 5
# Restarting a worker whose database went away: back-off bounds, and how long a run must have
# lasted to count as healthy (then the back-off starts again from the minimum).
MIN_RESTART_SECONDS = 1.0
MAX_RESTART_SECONDS = 30.0
HEALTHY_RUN_SECONDS = 60.0


@dataclass(frozen=True)
class WorkerTimings:
    """How quickly a dead worker's job is taken over; defaults suit production."""

    heartbeat_seconds: float = 10.0
    stalled_after_seconds: float = 60.0  # no heartbeat for this long: the worker is dead
    poll_seconds: float = 5.0  # LISTEN/NOTIFY wakes workers at once; polling is the fallback
    shutdown_grace_seconds: float = 5.0  # then a running job is aborted and retried later


# How long a worker waits for a pooled connection (psycopg's default is 30 s). While the
# database is down every wait runs to its end before the worker gives up and its supervisor
# starts it again: measured 60 s from an outage to the restart with the default, ~10 s here
# (tests/integration/security/test_worker_outage.py: 64 s -> 14 s). A slow database only
# costs a restart with back-off.
POOL_WAIT_SECONDS = 5


class JobQueue:
    """Enqueue transcriptions (the `TranscriptionQueue` port) and run workers."""

    def __init__(self, database_url: str, *, max_connections: int = 4,
                 integrity_cron: str | None = None) -> None:
        connector = procrastinate.PsycopgConnector(
            conninfo=libpq_url(database_url), min_size=1, max_size=max_connections,
            timeout=POOL_WAIT_SECONDS)
        self.app = procrastinate.App(connector=connector)
        self._opened = False
        self._open_lock = asyncio.Lock()
        if integrity_cron:
            self._schedule_integrity_check(integrity_cron)
        self.restarts = 0  # how often the supervisor started a stopped worker again

        @self.app.task(name=TRANSCRIBE, pass_context=True,
                       retry=procrastinate.RetryStrategy(max_attempts=MAX_ATTEMPTS, exponential_wait=4))
        async def transcribe_hearing(context: procrastinate.JobContext, hearing_id: str) -> None:
            run: RunHearing = context.additional_context["run_hearing"]
            attempt = context.job.attempts + 1
            await run(HearingId(uuid.UUID(hearing_id)), attempt, attempt >= MAX_ATTEMPTS)

    def _schedule_integrity_check(self, cron: str) -> None:
        """Workers defer the check on `cron` (once per tick, whatever the number of workers:
        procrastinate's periodic deferrer keeps one job per tick) and run it in turn."""

        @self.app.periodic(cron=cron)
        @self.app.task(name=CHECK_INTEGRITY, pass_context=True,
                       queueing_lock=CHECK_INTEGRITY, lock=CHECK_INTEGRITY)
        async def check_integrity(context: procrastinate.JobContext, timestamp: int) -> None:
            check: CheckIntegrity | None = context.additional_context.get("check_integrity")
            if check is not None:
                await check()

    async def open(self) -> None:
        async with self._open_lock:  # the pool opens on first use, in the caller's loop
            if not self._opened:
                await self.app.open_async()
                self._opened = True

    async def close(self) -> None:
        async with self._open_lock:
            if self._opened:
                self._opened = False
                await self.app.close_async()

    async def enqueue(self, hearing_id: HearingId) -> None:
        """One waiting job per hearing (queueing lock); one running job per hearing (lock).
        A database outage is logged, not raised: ending the hearing must not fail for it."""
        task = self.app.configure_task(TRANSCRIBE, queueing_lock=waiting_lock(hearing_id),
                                       lock=running_lock(hearing_id))
        try:
            await self.open()
            await task.defer_async(hearing_id=str(hearing_id))
        except AlreadyEnqueued:
            pass
        except (ConnectorException, psycopg.Error, OSError):
            log.exception("job.enqueue_failed", hearing=str(hearing_id))

    async def rescue_stalled(self, timings: WorkerTimings,
                             abandon: AbandonHearing | None = None) -> int:
        """Put the jobs of dead workers back in the queue; how many. A job that has already
        been tried MAX_ATTEMPTS times fails instead, and `abandon` records why."""
        await self.open()
        manager = self.app.job_manager
        stalled = list(await manager.get_stalled_jobs(
            task_name=TRANSCRIBE, seconds_since_heartbeat=timings.stalled_after_seconds))
        rescued = 0
        for job in stalled:
            assert job.id is not None
            if job.attempts + 1 >= MAX_ATTEMPTS:  # this run was the last one allowed
                await manager.finish_job_by_id_async(job.id, Status.FAILED, delete_job=False)
                log.error("job.abandoned", job=job.id, args=job.task_kwargs,
                          attempts=job.attempts + 1)
                if abandon is not None:
                    await abandon(HearingId(uuid.UUID(str(job.task_kwargs["hearing_id"]))),
                                  job.attempts + 1)
                continue
            try:
                await manager.retry_job(job)
                rescued += 1
                log.warning("job.stalled_retried", job=job.id, args=job.task_kwargs)
            except UniqueViolation:  # the hearing has a waiting job already: that one runs
                await manager.finish_job_by_id_async(job.id, Status.FAILED, delete_job=False)
            except ConnectorException:  # another worker rescued it first
                pass
        return rescued

    async def run_worker(self, run_hearing: RunHearing, stop: asyncio.Event, *,
                         name: str = "worker", timings: WorkerTimings = WorkerTimings(),
                         abandon: AbandonHearing | None = None,
                         check_integrity: CheckIntegrity | None = None) -> None:
        """Run jobs until `stop` is set; meanwhile rescue dead workers' jobs.

        Supervised: when the database goes away procrastinate's worker stops for good (its
        listener fails, then it stops on all queues), so it is started again — after a
        back-off that doubles up to `MAX_RESTART_SECONDS`, with one log line per restart —
        until `stop` is set. A job enqueued while the database was down is found by the next
        run (jobs are rows)."""
        delay = MIN_RESTART_SECONDS
        while not stop.is_set():
            began = asyncio.get_running_loop().time()
            try:
                await self._work(run_hearing, stop, name, timings, abandon, check_integrity)
                reason = "worker stopped"
            except asyncio.CancelledError:
                raise
            except Exception as error:  # any failure of a run: the supervisor restarts it
                reason = f"{type(error).__name__}: {error}"[:200]
            if stop.is_set():
                return
            if asyncio.get_running_loop().time() - began > HEALTHY_RUN_SECONDS:
                delay = MIN_RESTART_SECONDS  # it had been working: start again promptly
            log.warning("worker.restarting", name=name, reason=reason, in_seconds=delay)
            self.restarts += 1
            await self._reset_pool()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=delay)
            delay = min(delay * 2, MAX_RESTART_SECONDS)

    async def _reset_pool(self) -> None:
        """Drop the connections of the outage; the next run opens fresh ones."""
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.close(), timeout=10)

    async def _work(self, run_hearing: RunHearing, stop: asyncio.Event, name: str,
                    timings: WorkerTimings, abandon: AbandonHearing | None,
                    check_integrity: CheckIntegrity | None) -> None:
        """One run of procrastinate's worker, until it ends or `stop` is set."""
        await self.open()
        await self.rescue_stalled(timings, abandon)
        options: dict[str, Any] = {
            "name": name, "concurrency": 1, "wait": True, "install_signal_handlers": False,
            "additional_context": {"run_hearing": run_hearing,
                                   "check_integrity": check_integrity},
            "update_heartbeat_interval": timings.heartbeat_seconds,
            "stalled_worker_timeout": timings.stalled_after_seconds,
            "fetch_job_polling_interval": timings.poll_seconds,
            "shutdown_graceful_timeout": timings.shutdown_grace_seconds,
        }
        worker = asyncio.create_task(self.app.run_worker_async(**options), name=name)
        stopping = asyncio.create_task(stop.wait())
        try:
            while not worker.done() and not stop.is_set():
                await asyncio.wait({worker, stopping}, timeout=timings.stalled_after_seconds / 2,
                                   return_when=asyncio.FIRST_COMPLETED)
                if not worker.done() and not stop.is_set():
                    await self.rescue_stalled(timings, abandon)
            if worker.done():
                worker.result()  # re-raise what stopped it
        finally:
            stopping.cancel()
            worker.cancel()  # procrastinate stops gracefully, then aborts (and retries) the job
            with contextlib.suppress(asyncio.CancelledError):
                await worker
