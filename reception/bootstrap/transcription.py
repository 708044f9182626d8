"""Wiring of the transcription pipeline: the job queue, the transcription service and
the worker loop that `reception worker` runs and `reception serve` runs in-process."""

from __future__ import annotations

import asyncio
import os
import socket

import structlog

from reception.adapters.jobs.queue import CheckIntegrity, JobQueue, WorkerTimings
from reception.adapters.transcription import whisper_transcribe
from reception.bootstrap.hearings import recordings_dir
from reception.services.ports import Clock, UnitOfWorkFactory
from reception.services.transcripts.transcription import TranscriptionConfig, TranscriptionService
from reception.settings import Settings

log = structlog.get_logger(__name__)


def build_transcription_service(settings: Settings, uow: UnitOfWorkFactory,
                                clock: Clock) -> TranscriptionService:
    config = TranscriptionConfig(recordings_dir=recordings_dir(settings),
                                 models_dir=settings.data_dir / "models",
                                 model=settings.whisper_model or None,
                                 cpu_threads=settings.whisper_cpu_threads,
                                 stalled_after_seconds=silent_worker_seconds(settings))
    return TranscriptionService(uow, clock, config, whisper_transcribe)


def silent_worker_seconds(settings: Settings) -> float:
    """When the progress stops saying "running": three missed heartbeats (the queue itself
    waits WORKER_STALLED_SECONDS before handing the job to another worker)."""
    return min(settings.worker_stalled_seconds, 3 * settings.worker_heartbeat_seconds)


def worker_timings(settings: Settings) -> WorkerTimings:
    return WorkerTimings(heartbeat_seconds=settings.worker_heartbeat_seconds,
                         stalled_after_seconds=settings.worker_stalled_seconds,
                         poll_seconds=settings.worker_poll_seconds)


async def run_transcription_worker(settings: Settings, queue: JobQueue,
                                   service: TranscriptionService, stop: asyncio.Event,
                                   name: str | None = None, *,
                                   check_integrity: CheckIntegrity | None = None) -> None:
    """Run transcription jobs until `stop` (every job was queued with its hearing's state);
    the same workers run the periodic integrity check (INTEGRITY_CHECK_CRON)."""
    name = name or f"{socket.gethostname()}-{os.getpid()}"
    log.info("worker.started", name=name)
    await queue.run_worker(service.run, stop, name=name, timings=worker_timings(settings),
                           abandon=service.abandon, check_integrity=check_integrity)
    log.info("worker.stopped", name=name)
