"""Where a hearing's transcription really is, from the transcript row AND the job queue: the
row's progress only moves while a worker holds the job, so a row left "running" by a worker
that stopped must read "waiting for a worker", and a job the queue will run again must read
"retrying (attempt n)", never an old percentage as if it were moving."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from reception.domain.hearings.model import Hearing, HearingTranscription
from reception.domain.transcripts.transcript import Transcript, TranscriptStatus
from reception.services.transcripts.ports import TranscriptionJob
from reception.services.transcripts.views import Untranscribed


class Stage(enum.StrEnum):
    NONE = "none"  # the hearing is still open, or nothing was recorded
    WAITING = "waiting"  # queued, no worker has it (yet, or any more)
    RETRYING = "retrying"  # an attempt stopped; the queue runs it again
    RUNNING = "running"  # a live worker transcribes
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class Progress:
    state: Stage
    share: float  # of the hearing's audio transcribed (kept across attempts), 0..1
    error: str | None = None
    attempt: int = 1  # the attempt running, or the one that will run next
    worker_lost: bool = False  # waiting because the worker that had the job stopped
    retry_at: datetime | None = None  # the next attempt does not start before
    # Finished: the recordings that could not be transcribed (their speakers' words are missing)
    untranscribed: tuple[Untranscribed, ...] = ()

    @property
    def finished(self) -> bool:
        return self.state in (Stage.DONE, Stage.FAILED)


def progress_of(hearing: Hearing, transcript: Transcript | None, job: TranscriptionJob | None,
                stalled_after_seconds: float) -> Progress:
    share = transcript.progress if transcript is not None else 0.0
    if transcript is not None and transcript.status is TranscriptStatus.DONE:
        return Progress(Stage.DONE, 1.0, transcript.error)
    if transcript is not None and transcript.status is TranscriptStatus.FAILED and (
            job is None or hearing.transcription is HearingTranscription.FAILED):
        return Progress(Stage.FAILED, share, transcript.error)
    if job is None:
        if hearing.transcription in (HearingTranscription.READY, HearingTranscription.QUEUED):
            return Progress(Stage.WAITING, share)
        return Progress(Stage.NONE, 0.0)
    attempt = job.attempts + 1
    if job.running:
        alive = (job.heartbeat_age_seconds is not None
                 and job.heartbeat_age_seconds < stalled_after_seconds)
        if alive:
            return Progress(Stage.RUNNING, share, None, attempt)
        return Progress(Stage.WAITING, share, None, attempt + 1, worker_lost=True)
    if job.attempts > 0:
        return Progress(Stage.RETRYING, share, transcript.error if transcript else None, attempt,
                        retry_at=job.scheduled_at)
    return Progress(Stage.WAITING, share)
