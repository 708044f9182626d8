"""The speech recogniser behind the `Transcriber` port: faster-whisper through the `transcripts`
library, run in a worker thread. The library's engine is imported on first use, so processes
that never transcribe (web, media) never load CTranslate2."""

from __future__ import annotations

from pathlib import Path

from transcripts.options import TranscribeOptions
from transcripts.values import ProgressCallback, TrackResult


async def whisper_transcribe(path: Path, options: TranscribeOptions,
                             on_progress: ProgressCallback) -> TrackResult:
    from transcripts.engine import transcribe_track_async

    return await transcribe_track_async(path, options, on_progress)
