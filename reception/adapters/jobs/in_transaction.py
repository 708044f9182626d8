"""The job queue as seen from inside a unit of work: a transcription job is inserted by
procrastinate's own SQL function on the unit of work's connection, so it commits (or rolls
back) together with the hearing's state. A hearing ended, interrupted or repaired is therefore
never left without its job, whether or not a worker is running at that moment, and the job is
visible to workers only once the state it belongs to is.

procrastinate's trigger on its jobs table notifies listening workers; PostgreSQL delivers the
notification at commit.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from reception.adapters.jobs.schema import SCHEMA_VERSION
from reception.domain.hearings.model import HearingId
from reception.services.transcripts.ports import TranscriptionJob

TRANSCRIBE = "transcribe_hearing"
QUEUE = "default"  # procrastinate's default queue, where `JobQueue` workers listen
# procrastinate_defer_jobs_v1 is the function procrastinate's own defer calls (its queries.sql
# "defer_jobs") in the schema migration 0006 applied (SCHEMA_VERSION).
_DEFER = text(
    "SELECT unnest(procrastinate_defer_jobs_v1(ARRAY[ROW(:queue, :task, 0, :lock, :queueing_lock,"
    " CAST(:args AS jsonb), NULL)::procrastinate_job_to_defer_v1])) AS id")
_JOB = text(
    "SELECT j.status::text AS status, j.attempts, j.scheduled_at, w.last_heartbeat, "
    "now() AS now FROM procrastinate_jobs j "
    "LEFT JOIN procrastinate_workers w ON w.id = j.worker_id "
    "WHERE j.lock = :lock AND j.task_name = :task AND j.status IN ('todo', 'doing') "
    "ORDER BY j.id DESC LIMIT 1")
assert SCHEMA_VERSION.startswith("3.")  # the function and columns above are those of 3.x


def running_lock(hearing_id: HearingId) -> str:
    """One running job per hearing (procrastinate's `lock`)."""
    return f"hearing:{hearing_id}"


def waiting_lock(hearing_id: HearingId) -> str:
    """One waiting job per hearing (procrastinate's `queueing_lock`)."""
    return f"transcribe:{hearing_id}"


class SqlJobs:
    """The `JobQueuePort` of a unit of work."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def transcribe(self, hearing_id: HearingId) -> bool:
        """Add the hearing's transcription job to this transaction; False when a job for the
        hearing is already waiting (its queueing lock), which is then the one that runs."""
        try:
            async with self._s.begin_nested():  # a refused insert must not abort the whole unit
                await self._s.execute(_DEFER, {
                    "queue": QUEUE, "task": TRANSCRIBE, "lock": running_lock(hearing_id),
                    "queueing_lock": waiting_lock(hearing_id),
                    "args": json.dumps({"hearing_id": str(hearing_id)})})
        except IntegrityError:
            return False
        return True

    async def transcription_job(self, hearing_id: HearingId) -> TranscriptionJob | None:
        """The hearing's job waiting or running, if any."""
        row = (await self._s.execute(_JOB, {"lock": running_lock(hearing_id),
                                            "task": TRANSCRIBE})).one_or_none()
        if row is None:
            return None
        heartbeat: datetime | None = row.last_heartbeat
        return TranscriptionJob(
            running=row.status == "doing", attempts=row.attempts, scheduled_at=row.scheduled_at,
            heartbeat_age_seconds=(row.now - heartbeat).total_seconds() if heartbeat else None)
