"""Ports of the transcription pipeline: the speech recogniser, the job queue a unit of work
adds jobs to, and the store of a hearing's machine transcript (one per hearing; each member's
recording is stored as soon as it is transcribed, and the merged lines replace the segments).
The value types of the `transcripts` library (options, results) cross the port."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from reception.domain.hearings.model import HearingId, MemberId
from reception.domain.transcripts.transcript import (
    Segment,
    Transcript,
    TranscriptId,
    TranscriptStatus,
    Unreadable,
)
from transcripts.options import TranscribeOptions
from transcripts.values import ProgressCallback, TrackResult


class Transcriber(Protocol):
    """Speech to timed, reviewed text for one recording (one speaker); off the event loop."""

    async def __call__(self, path: Path, options: TranscribeOptions,
                       on_progress: ProgressCallback) -> TrackResult: ...


@dataclass(frozen=True, slots=True)
class TranscriptionJob:
    """A hearing's transcription job as the queue has it."""

    running: bool  # a worker took it (else it waits for one)
    attempts: int  # runs that already ended (failed, or their worker stopped)
    scheduled_at: datetime | None = None  # a retry waits until then
    heartbeat_age_seconds: float | None = None  # since the running worker last said it lives


class JobQueuePort(Protocol):
    """The job queue inside a unit of work: jobs commit with the state they belong to."""

    async def transcribe(self, hearing_id: HearingId) -> bool:
        """Queue the hearing's transcription in this unit of work; False if a job for it is
        already waiting (one waiting job per hearing)."""
        ...

    async def transcription_job(self, hearing_id: HearingId) -> TranscriptionJob | None:
        """The hearing's job waiting or running, if any."""
        ...


@dataclass(frozen=True, slots=True)
class StoredTrack:
    """One member's recording as transcribed by an earlier run (or why it could not be:
    `unreadable` as data, `problem` the technical detail for the log)."""

    member_id: MemberId
    recording_path: str
    result: TrackResult | None
    problem: str | None = None
    unreadable: Unreadable | None = None


class TranscriptionStore(Protocol):
    async def of_hearing(self, hearing_id: HearingId, *, lock: bool = False) -> Transcript | None:
        ...

    async def start(self, transcript: Transcript) -> Transcript:
        """Insert the hearing's transcript or set the existing one (same id) to `transcript`'s
        status, language, model and progress with no error; returns the stored row. The
        recordings already transcribed stay."""
        ...

    async def set_progress(self, transcript_id: TranscriptId, progress: float) -> None: ...
    async def tracks(self, transcript_id: TranscriptId) -> Sequence[StoredTrack]: ...
    async def forget_tracks(self, transcript_id: TranscriptId) -> None:
        """Drop the stored recordings (they were transcribed with another language or model)."""
        ...

    async def save_track(self, transcript_id: TranscriptId, track: StoredTrack,
                         at: datetime) -> None:
        """Store one recording's result (a second store of the same recording replaces it)."""
        ...

    async def replace_segments(self, transcript_id: TranscriptId,
                               segments: Sequence[Segment]) -> None: ...
    async def finish(self, transcript_id: TranscriptId, status: TranscriptStatus,
                     at: datetime, error: str | None = None) -> None: ...
    async def note(self, transcript_id: TranscriptId, status: TranscriptStatus,
                   error: str | None) -> None:
        """Set the status and the note of a transcript still being made (e.g. a stopped run
        that will be retried)."""
        ...
