"""A line that loops inside itself ("of- of- of- …") is decoded once more.

When Whisper's decoder falls into a loop it keeps writing the same phrase until it runs out of
tokens, and whatever was said under the loop is never written: the guard only marks the line.
faster-whisper's own fallback (a higher temperature when a window's text compresses too well)
judges the whole 30 s window, so one looping line among sound ones can stay under its
threshold. Decoded alone, the line's span is the whole window: the fallback then judges the
line, and the decoder starts afresh where the line starts, without the text before it.

So each line that `repeats_itself` is decoded again over its own time span (in the speech
audio the first pass saw), greedily, with the same bounded temperatures and no previous text.
When the new lines carry words and none of them loops (nor compresses too well), they replace
the line, and the loop is kept on record as dropped ("looped line"), never silently; the new
lines are marked (`Doubt.REPETITION`) because two decodings of the same audio disagreed, and a
loop can also be true to a microphone that really repeated itself. Otherwise the line stays as it was,
marked. At most `TranscribeOptions.loop_redecodes` lines per recording are decoded again,
each once; docs/transcription.md "Lines that loop" gives the cost.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from faster_whisper import WhisperModel

from .errors import TranscriptionCancelled
from .guard import repeats_itself, with_doubt, words_of
from .options import TranscribeOptions
from .values import RATE, Doubt, Segment

# A decoding may write at most this many tokens per second of its span (and Whisper's own
# 224 per window): more is a loop again, and a loop costs seconds of CPU per hundred tokens.
# Dense Vietnamese is ~6 syllables a second, at most ~3 tokens each.
TOKENS_PER_SECOND = 20
MIN_TOKENS = 32
MAX_TOKENS = 224


@dataclass(frozen=True, slots=True)
class Redecoded:
    """The lines after the second look, and the looped lines they replaced (joined times)."""

    segments: tuple[Segment, ...]
    replaced: tuple[Segment, ...]


def _loops(segment: Segment, options: TranscribeOptions) -> bool:
    return repeats_itself(segment.text, options.guard)


def _compresses(segment: Segment, options: TranscribeOptions) -> bool:
    # faster-whisper's own test, now on the span alone: it keeps the last temperature's text
    # even when that still compresses too well ("fuffuffuff…" is one word, and loops).
    threshold = options.compression_ratio_threshold
    return threshold is not None and segment.compression_ratio > threshold


def redecode_loops(
    model: WhisperModel,
    joined: npt.NDArray[np.float32],
    segments: Sequence[Segment],
    language: str | None,
    options: TranscribeOptions,
    convert: Callable[[Any], Segment],
    cancel: threading.Event | None = None,
) -> Redecoded:
    """Decode the span of each looping line once more (at most `options.loop_redecodes` of
    them, in order); `convert` turns faster-whisper's segments into ours."""
    kept: list[Segment] = []
    replaced: list[Segment] = []
    attempts = 0
    for segment in segments:
        if not _loops(segment, options) or attempts >= options.loop_redecodes:
            kept.append(segment)
            continue
        if cancel is not None and cancel.is_set():
            raise TranscriptionCancelled("transcription cancelled while a looped line was decoded")
        attempts += 1
        again = _decode_span(model, joined, segment, language, options, convert)
        if again and not any(_loops(line, options) or _compresses(line, options)
                             for line in again):
            kept += [with_doubt(line, Doubt.REPETITION) for line in again]
            replaced.append(segment)
        else:
            kept.append(segment)
    return Redecoded(tuple(kept), tuple(replaced))


def _decode_span(
    model: WhisperModel,
    joined: npt.NDArray[np.float32],
    segment: Segment,
    language: str | None,
    options: TranscribeOptions,
    convert: Callable[[Any], Segment],
) -> list[Segment]:
    """The lines decoded in the segment's span alone (times in `joined`), those with words."""
    start = max(0.0, segment.start)
    end = min(joined.size / RATE, segment.end)
    if end <= start:
        return []
    budget = MIN_TOKENS + math.ceil(TOKENS_PER_SECOND * (end - start))
    raw_lines, _ = model.transcribe(
        joined,
        language=language,
        beam_size=1,  # the beam that looped once may loop again; sampling takes over below
        temperature=list(options.temperatures),
        compression_ratio_threshold=options.compression_ratio_threshold,
        log_prob_threshold=options.log_prob_threshold,
        no_speech_threshold=None,
        condition_on_previous_text=False,
        word_timestamps=options.word_timestamps,
        vad_filter=False,
        clip_timestamps=[start, end],
        max_new_tokens=min(MAX_TOKENS, budget),
    )
    lines = (convert(raw) for raw in raw_lines)  # each step decodes (the span is <= 30 s)
    return [line for line in lines if words_of(line.text)]


__all__ = ["Redecoded", "redecode_loops"]
