"""The speech recogniser behind the `Transcriber` port: faster-whisper through the `transcripts`
library, run in a worker thread. The library's engine is imported on first use, so processes
that never transcribe (web, media) never load CTranslate2."""

from __future__ import annotations

from pathlib import Path

from transcripts.options import TranscribeOptions
from transcripts.values import ProgressCallback, Segment


async def whisper_transcribe(path: Path, options: TranscribeOptions,
                             on_progress: ProgressCallback) -> list[Segment]:
    from transcripts.engine import transcribe_file_async

    return await transcribe_file_async(path, options, on_progress)
