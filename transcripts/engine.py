"""faster-whisper behind one function: decode, find the speech, pick the language, transcribe
in the caller's thread, convert, review each line and time it where speech was heard.

faster-whisper's `transcribe()` returns a lazy generator whose every step is seconds of CPU
work, so it must never be iterated on an event loop: async callers use
`transcribe_track_async`, which runs the whole job in a worker thread.

Voice activity detection runs here rather than inside faster-whisper (the same Silero model
and padding, `timing.pad_regions`), so that its regions are known: the language is identified
on speech only, and every line is timed inside the speech it came from.
"""

from __future__ import annotations

import asyncio
import math
import os
import threading
from pathlib import Path
from typing import Any

import av
import ctranslate2
import numpy as np
import numpy.typing as npt
from faster_whisper import WhisperModel
from faster_whisper.vad import VadOptions, get_speech_timestamps

from .audio import DecodedAudio, read_audio
from .errors import AudioDecodeError, ModelLoadError, ModelSettingError, TranscriptionCancelled
from .guard import normalise_text, screen, with_doubt
from .language import choose_language, identify
from .loops import redecode_loops
from .models import resolve_model
from .options import TranscribeOptions
from .timing import SpeechChunk, outside_speech, pad_regions, plausible, to_file_times
from .values import LOOPED_LINE, RATE, Doubt, Dropped, ProgressCallback, Segment, TrackResult, Word

_ModelKey = tuple[str, str, str, int]
VAD_PAD_MS = 400  # faster-whisper's default padding of each speech region


def pick_device(setting: str) -> str:
    if setting != "auto":
        return setting
    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


def pick_compute_type(device: str, setting: str | None) -> str:
    if setting:
        return setting
    return "int8_float16" if device == "cuda" else "int8"


class ModelCache:
    """Loaded models by (path or name, device, compute type, threads); thread-safe.

    Threads are part of the key because CTranslate2 fixes them when a model is loaded.
    """

    def __init__(self) -> None:
        self._models: dict[_ModelKey, WhisperModel] = {}
        self._lock = threading.Lock()

    def get(self, ref: str, device: str, compute_type: str, cpu_threads: int) -> WhisperModel:
        key = (ref, device, compute_type, cpu_threads)
        with self._lock:  # one load per key even when two jobs start together
            if key not in self._models:
                self._models[key] = _load(ref, device, compute_type, cpu_threads)
            return self._models[key]

    def clear(self) -> None:
        """Forget every model (memory is freed once no transcription still uses it)."""
        with self._lock:
            self._models.clear()

    def __len__(self) -> int:
        return len(self._models)


def _load(ref: str, device: str, compute_type: str, cpu_threads: int) -> WhisperModel:
    local = os.path.isdir(ref)
    try:
        # Built-ins and configured directories never touch the network; a hub name is a
        # download the operator asked for by configuring it.
        return WhisperModel(
            ref,
            device=device,
            compute_type=compute_type,
            cpu_threads=cpu_threads,
            local_files_only=local,
        )
    except Exception as exc:  # CTranslate2 and huggingface_hub raise many unrelated types
        raise ModelLoadError(ref, f"{type(exc).__name__}: {exc}") from exc


DEFAULT_MODEL_CACHE = ModelCache()


def load_model(options: TranscribeOptions, cache: ModelCache | None = None) -> WhisperModel:
    """Resolve the model setting and load it (cached); also checks it serves the language."""
    ref = resolve_model(options.model, options.language, options.cache_dir)
    device = pick_device(options.device)
    compute_type = pick_compute_type(device, options.compute_type)
    model = (cache or DEFAULT_MODEL_CACHE).get(ref, device, compute_type, options.cpu_threads)
    if options.language not in (None, "en") and not model.model.is_multilingual:
        # faster-whisper would silently fall back to English and write English words.
        raise ModelSettingError(
            f"model {ref!r} is English-only; language {options.language!r} needs a multilingual one"
        )
    return model


def decode_recording(path: str | Path) -> DecodedAudio:
    """16 kHz mono samples, each at its time, and the spans where nothing could be decoded
    (audio.py); or AudioDecodeError naming the file."""
    name = str(path)
    if not os.path.isfile(name):
        raise AudioDecodeError(name, "no such file", "missing")
    if os.path.getsize(name) == 0:
        raise AudioDecodeError(name, "file is empty", "empty")
    try:
        return read_audio(name)
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise AudioDecodeError(name, f"{type(exc).__name__}: {exc}") from exc


def decode(path: str | Path) -> npt.NDArray[np.float32]:
    """16 kHz mono samples, or AudioDecodeError naming the file."""
    return decode_recording(path).samples


def speech_chunks(audio: npt.NDArray[np.float32], options: TranscribeOptions
                  ) -> tuple[SpeechChunk, ...]:
    """Where VAD hears speech, padded as faster-whisper pads it (the whole file without VAD)."""
    if not options.vad_filter:
        return (SpeechChunk(0.0, audio.size / RATE, 0.0, audio.size / RATE, 0.0),)
    cores = get_speech_timestamps(audio, VadOptions(
        min_silence_duration_ms=options.vad_min_silence_ms, speech_pad_ms=0))
    return pad_regions([(c["start"], c["end"]) for c in cores], audio.size,
                       VAD_PAD_MS * RATE // 1000, RATE)


def _joined(audio: npt.NDArray[np.float32], chunks: tuple[SpeechChunk, ...]
            ) -> npt.NDArray[np.float32]:
    pieces = [audio[round(c.start * RATE):round(c.end * RATE)] for c in chunks]
    return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)


def _to_segment(raw: Any) -> Segment:
    # float(): faster-whisper hands out numpy scalars, which must not leak into our values.
    words = tuple(
        Word(float(w.start), float(w.end), w.word.strip(), float(w.probability)) for w in raw.words or ()
    )
    if words:
        confidence = sum(w.probability for w in words) / len(words)
    else:
        confidence = math.exp(raw.avg_logprob)
    return Segment(
        start=float(raw.start),
        end=float(raw.end),
        text=raw.text,
        confidence=min(1.0, float(confidence)),
        words=words,
        no_speech_prob=float(raw.no_speech_prob),
        avg_logprob=float(raw.avg_logprob),
        compression_ratio=float(raw.compression_ratio),
    )


def transcribe_track(
    path: str | Path,
    options: TranscribeOptions,
    on_progress: ProgressCallback | None = None,
    *,
    cache: ModelCache | None = None,
    cancel: threading.Event | None = None,
) -> TrackResult:
    """Transcribe one recording (blocking). Progress is the share of its speech done, 0..1."""
    recording = decode_recording(path)
    audio, damaged = recording.samples, recording.damaged
    model = load_model(options, cache)
    duration = audio.size / RATE
    chunks = speech_chunks(audio, options) if audio.size else ()
    speech = tuple((c.start, c.end) for c in chunks)
    joined = _joined(audio, chunks)
    if joined.size == 0:
        if on_progress is not None:
            on_progress(1.0)
        return TrackResult((), options.language, options.language, duration=duration,
                           damaged=damaged)
    guess = None
    language, extra = options.language, tuple[Doubt, ...]()
    if options.detect_language and model.model.is_multilingual:
        guess = identify(model, joined, options.language, options.language_windows)
        language, doubtful = choose_language(options.language, guess, options.language_choice)
        extra = (Doubt.LANGUAGE,) if doubtful else ()
    raw_segments, _ = model.transcribe(
        joined,
        language=language,
        beam_size=options.beam_size,
        temperature=list(options.temperatures),
        compression_ratio_threshold=options.compression_ratio_threshold,
        log_prob_threshold=options.log_prob_threshold,
        # No window is skipped as silence: Whisper's test is applied per line by the guard,
        # which marks the line instead of losing the whole 30 s window with it.
        no_speech_threshold=None,
        condition_on_previous_text=options.condition_on_previous_text,
        word_timestamps=options.word_timestamps,
        vad_filter=False,  # done above; `joined` is the speech only
    )
    decoded = []
    joined_seconds = joined.size / RATE
    for raw in raw_segments:  # each step decodes ~30 s of audio
        if cancel is not None and cancel.is_set():
            raise TranscriptionCancelled(f"transcription of {str(path)!r} cancelled")
        decoded.append(_to_segment(raw))
        if on_progress is not None:
            on_progress(min(1.0, float(raw.end) / joined_seconds))
    # A line looping inside itself may hide what was said under it: its span is decoded again.
    second = redecode_loops(model, joined, decoded, language, options, _to_segment, cancel)
    if on_progress is not None:
        on_progress(1.0)
    segments = [to_file_times(s, chunks) for s in second.segments]
    looped = [to_file_times(s, chunks) for s in second.replaced]
    screened = screen(sorted(segments, key=lambda s: (s.start, s.end)), options.guard, extra)
    timed = [with_doubt(s, Doubt.NO_SPEECH) if outside_speech(s, chunks) else s
             for s in plausible(screened.kept, chunks)]
    dropped = (*screened.dropped, *(Dropped(s.start, s.end, normalise_text(s.text), LOOPED_LINE)
                                    for s in looped))
    return TrackResult(tuple(timed), language, options.language,
                       tuple(sorted(dropped, key=lambda d: (d.start, d.end))), guess, speech,
                       duration, damaged)


def transcribe_file(
    path: str | Path,
    options: TranscribeOptions,
    on_progress: ProgressCallback | None = None,
    *,
    cache: ModelCache | None = None,
    cancel: threading.Event | None = None,
) -> list[Segment]:
    """The lines `transcribe_track` keeps (blocking)."""
    return list(transcribe_track(path, options, on_progress, cache=cache, cancel=cancel).segments)


async def transcribe_track_async(
    path: str | Path,
    options: TranscribeOptions,
    on_progress: ProgressCallback | None = None,
    *,
    cache: ModelCache | None = None,
) -> TrackResult:
    """`transcribe_track` in a worker thread; `on_progress` is called on the event loop."""
    loop = asyncio.get_running_loop()
    cancel = threading.Event()

    def report(share: float) -> None:
        if on_progress is not None and not loop.is_closed():
            loop.call_soon_threadsafe(on_progress, share)

    try:
        return await asyncio.to_thread(transcribe_track, path, options, report, cache=cache,
                                       cancel=cancel)
    except asyncio.CancelledError:
        cancel.set()  # the thread cannot be killed; it stops at its next segment
        raise


async def transcribe_file_async(
    path: str | Path,
    options: TranscribeOptions,
    on_progress: ProgressCallback | None = None,
    *,
    cache: ModelCache | None = None,
) -> list[Segment]:
    """`transcribe_file` in a worker thread; `on_progress` is called on the event loop."""
    return list((await transcribe_track_async(path, options, on_progress, cache=cache)).segments)
