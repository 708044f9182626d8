"""Ports of the transcription pipeline: the speech recogniser, the durable queue that runs jobs,
and the store of a hearing's machine transcript (one per hearing; a re-run replaces its
segments). The value types of the `transcripts` library (options, segments) cross the port."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Protocol

from reception.domain.hearings.model import HearingId
from reception.domain.transcripts.transcript import Segment, Transcript, TranscriptId, TranscriptStatus
from transcripts.options import TranscribeOptions
from transcripts.values import ProgressCallback
from transcripts.values import Segment as SpokenSegment


class Transcriber(Protocol):
    """Speech to timed text for one recording (one speaker); runs off the event loop."""

    async def __call__(self, path: Path, options: TranscribeOptions,
                       on_progress: ProgressCallback) -> list[SpokenSegment]: ...


class TranscriptionQueue(Protocol):
    async def enqueue(self, hearing_id: HearingId) -> None:
        """Ask a worker to transcribe the hearing; a job already waiting for it is enough."""
        ...


class TranscriptionStore(Protocol):
    async def of_hearing(self, hearing_id: HearingId, *, lock: bool = False) -> Transcript | None:
        ...

    async def awaiting(self) -> Sequence[HearingId]:
        """Hearings marked ready or queued for transcription and not yet transcribed."""
        ...

    async def start(self, transcript: Transcript) -> Transcript:
        """Insert the hearing's transcript or reset the existing one (same id) to `transcript`'s
        status, language and model with no progress or error; returns the stored row."""
        ...

    async def set_progress(self, transcript_id: TranscriptId, progress: float) -> None: ...
    async def replace_segments(self, transcript_id: TranscriptId,
                               segments: Sequence[Segment]) -> None: ...
    async def finish(self, transcript_id: TranscriptId, status: TranscriptStatus,
                     at: datetime, error: str | None = None) -> None: ...
