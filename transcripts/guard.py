"""Post-filter against invented text: Whisper fills silence and noise with plausible lines.

The decoder-side guards (voice-activity filter, thresholds, bounded temperature fallback, no
conditioning on previous text) live in `TranscribeOptions`; this module drops what still gets
through: segments that repeat themselves, segments the model itself thinks are not speech, and
a few captions Whisper learnt from subtitled videos. All text is normalised to Unicode NFC so
that Vietnamese diacritics compare and hash the same whatever the decoder emitted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from .values import Segment

_WORD = re.compile(r"\w+", re.UNICODE)

# Captions of subtitled videos that Whisper emits on silence; matched only against a whole
# segment, so a speaker who really says "subscribe" inside a sentence keeps the sentence.
_KNOWN_HALLUCINATIONS = re.compile(
    r"(subtitles? by|amara\.org|ghiền mì gõ|hãy subscribe|đăng ký kênh|"
    r"subscribe cho kênh|thanks for watching)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class GuardSettings:
    """Thresholds of the post-filter; defaults measured in docs/transcription.md."""

    max_no_speech_prob: float = 0.8  # drop lines the model itself rates as probably silence
    # A phrase of up to `max_ngram` words said `max_ngram_repeats` times in a row is a decoder
    # loop. Four, not three: people do say "no, no, no"; Vietnamese words are syllables, hence 8.
    max_ngram_repeats: int = 4
    max_ngram: int = 8
    min_confidence: float = 0.0  # 0 keeps everything; raise to trade recall for precision


def normalise_text(text: str) -> str:
    """NFC-normalise and collapse whitespace."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def words_of(text: str) -> list[str]:
    """Lower-cased words of a text, punctuation dropped (for comparison, never for display)."""
    return [w.lower() for w in _WORD.findall(unicodedata.normalize("NFC", text))]


def longest_ngram_run(words: list[str], max_n: int) -> int:
    """How many times in a row the most repeated n-gram (n <= max_n) occurs."""
    best = 1 if words else 0
    for n in range(1, max_n + 1):
        for start in range(len(words) - n + 1):
            gram = words[start : start + n]
            runs = 1
            pos = start + n
            while words[pos : pos + n] == gram:
                runs += 1
                pos += n
            best = max(best, runs)
    return best


def repeats_itself(text: str, settings: GuardSettings) -> bool:
    """True when some short phrase loops, as Whisper does when it loses the audio."""
    return longest_ngram_run(words_of(text), settings.max_ngram) >= settings.max_ngram_repeats


def is_known_hallucination(text: str) -> bool:
    return _KNOWN_HALLUCINATIONS.search(text) is not None


def rejection_reason(segment: Segment, settings: GuardSettings) -> str | None:
    """Why a segment must not reach the transcript, or None to keep it."""
    if not words_of(segment.text):
        return "no words"
    if segment.no_speech_prob > settings.max_no_speech_prob:
        return f"no_speech_prob {segment.no_speech_prob:.2f}"
    if segment.confidence < settings.min_confidence:
        return f"confidence {segment.confidence:.2f}"
    if repeats_itself(segment.text, settings):
        return "repeats itself"
    if is_known_hallucination(segment.text):
        return "known hallucination"
    return None


def normalised(segment: Segment) -> Segment:
    words = tuple(replace(w, text=unicodedata.normalize("NFC", w.text)) for w in segment.words)
    return replace(segment, text=normalise_text(segment.text), words=words)


def filter_segments(
    segments: Iterable[Segment], settings: GuardSettings = GuardSettings()
) -> Iterator[Segment]:
    """Normalise every segment and yield only those that pass the guard."""
    for segment in segments:
        clean = normalised(segment)
        if rejection_reason(clean, settings) is None:
            yield clean


__all__ = [
    "GuardSettings",
    "filter_segments",
    "is_known_hallucination",
    "longest_ngram_run",
    "normalise_text",
    "rejection_reason",
    "repeats_itself",
    "words_of",
]
