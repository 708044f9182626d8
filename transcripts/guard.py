"""What happens to each recognised line: kept as it is, kept and marked as doubtful, or left
out on record. Whisper fills silence and noise with plausible lines, but it also rates real,
clearly recognised speech as "probably silence" (faster-whisper computes `no_speech_prob` once
per 30 s window and copies it to every line of the window), so no statistic of the decoder
may remove a line on its own. The rules, from docs/transcription.md "What is kept":

- left out (and counted, with its text, never silently) only what provably carries no speech
  of the hearing: a line without a single word; a caption Whisper learnt from subtitled
  videos, when it is the whole line ("Hãy subscribe cho kênh Ghiền Mì Gõ"); and the copies of
  a decoder loop across lines (the same short line `loop_lines` times in a row, without a
  pause between), which stays in the transcript once, marked with how often it was heard;
- kept and marked (`Doubt`): low word confidence, Whisper's own silence test (a high
  no-speech probability AND a low log-probability, the second taken over the line's own
  words), a phrase looping inside a line (which loops.py first decodes once more); and
  (engine.py) a line lying wholly where voice activity detection heard no speech;
- everything else is kept as it is.

All text is normalised to Unicode NFC so that Vietnamese diacritics compare and hash the same
whatever the decoder emitted.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from .values import KNOWN_CAPTION, NO_WORDS, REPEATED_LINE, Doubt, Dropped, Segment

_WORD = re.compile(r"\w+", re.UNICODE)

# Captions of subtitled videos that Whisper emits on silence, over lower-cased words joined
# by single spaces. A line is a caption only when nothing else is left once they are removed,
# so a speaker who says "subscribe" inside a sentence keeps the sentence.
_CAPTIONS = re.compile(
    r"(hãy )?(subscribe|đăng ký)( cho)? kênh( ghiền mì gõ)?"
    r"( để (không|ko) bỏ lỡ( những)? video( hấp dẫn)?)?"
    r"|ghiền mì gõ|subtitles? by( the)? amara org( community)?|amara org"
    r"|thanks? for watching"
)


@dataclass(frozen=True, slots=True)
class GuardSettings:
    """Thresholds of the line review; the values are measured in docs/transcription.md."""

    # A line whose mean word probability is below this is marked for a closer listen: on the
    # corpus it marks 11 of 84 lines, the one mostly wrong and no line 85 % right; 0.7 marks 26,
    # two of them right (docs/transcription.md "Where to mark low confidence").
    low_confidence: float = 0.65
    # Whisper's silence test, both halves (a line is marked, never dropped, when it holds).
    no_speech_threshold: float = 0.6
    log_prob_threshold: float = -1.0
    # A phrase of up to `max_ngram` words said `max_ngram_repeats` times in a row inside one
    # line may be a decoder loop: marked. Four, not three: people do say "no, no, no";
    # Vietnamese words are syllables, hence 8.
    max_ngram_repeats: int = 4
    max_ngram: int = 8
    # The same line of at most `loop_line_words` words, `loop_lines` times in a row with at
    # most `loop_gap_seconds` between them, is a decoder loop across lines: kept once.
    loop_lines: int = 5
    loop_line_words: int = 4
    loop_gap_seconds: float = 2.0


@dataclass(frozen=True, slots=True)
class Screened:
    kept: tuple[Segment, ...]
    dropped: tuple[Dropped, ...]


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
    """The whole line is one or more captions Whisper learnt from subtitled videos."""
    words = " ".join(words_of(text))
    return bool(words) and not _CAPTIONS.sub(" ", words).strip()


def line_log_prob(segment: Segment) -> float:
    """Mean log-probability of the line's own words (the window's value without words)."""
    if not segment.words:
        return segment.avg_logprob
    return sum(math.log(max(w.probability, 1e-6)) for w in segment.words) / len(segment.words)


def doubts_of(segment: Segment, settings: GuardSettings) -> tuple[Doubt, ...]:
    """Why the line may not be what was said; empty for a clear line."""
    found = []
    if segment.confidence < settings.low_confidence:
        found.append(Doubt.LOW_CONFIDENCE)
    # Whisper skips a window only when it looks silent AND decodes badly; per line, the second
    # half is judged on the line's own words, not on the window's average.
    if (segment.no_speech_prob > settings.no_speech_threshold
            and line_log_prob(segment) < settings.log_prob_threshold):
        found.append(Doubt.NO_SPEECH)
    if repeats_itself(segment.text, settings):
        found.append(Doubt.REPETITION)
    return tuple(found)


def drop_reason(segment: Segment) -> str | None:
    """Why a line provably carries no speech of the hearing, or None."""
    if not words_of(segment.text):
        return NO_WORDS
    if is_known_hallucination(segment.text):
        return KNOWN_CAPTION
    return None


def normalised(segment: Segment) -> Segment:
    words = tuple(replace(w, text=unicodedata.normalize("NFC", w.text)) for w in segment.words)
    return replace(segment, text=normalise_text(segment.text), words=words)


def with_doubt(segment: Segment, doubt: Doubt) -> Segment:
    return segment if doubt in segment.doubts else replace(segment, doubts=(*segment.doubts, doubt))


def collapse_loops(segments: Sequence[Segment], settings: GuardSettings) -> Screened:
    """A run of the same short line, one right after the other, is kept once (spanning the
    run, marked, `repeats` = its length); the copies are returned as dropped."""
    kept: list[Segment] = []
    dropped: list[Dropped] = []
    i = 0
    while i < len(segments):
        words = words_of(segments[i].text)
        j = i + 1
        while (j < len(segments) and words_of(segments[j].text) == words
               and segments[j].start - segments[j - 1].end <= settings.loop_gap_seconds):
            j += 1
        run = segments[i:j]
        if len(run) >= settings.loop_lines and len(words) <= settings.loop_line_words:
            first = with_doubt(run[0], Doubt.REPETITION)
            kept.append(replace(first, end=max(s.end for s in run), repeats=len(run)))
            dropped += [Dropped(s.start, s.end, s.text, REPEATED_LINE) for s in run[1:]]
        else:
            kept += run
        i = j
    return Screened(tuple(kept), tuple(dropped))


def screen(segments: Iterable[Segment], settings: GuardSettings = GuardSettings(),
           extra: tuple[Doubt, ...] = ()) -> Screened:
    """Normalise every line, leave out what provably is no speech (on record), mark the
    doubtful ones (`extra` doubts apply to every line, e.g. a language in doubt)."""
    candidates: list[Segment] = []
    dropped: list[Dropped] = []
    for segment in segments:
        clean = normalised(segment)
        reason = drop_reason(clean)
        if reason is not None:
            dropped.append(Dropped(clean.start, clean.end, clean.text, reason))
            continue
        doubts = tuple(dict.fromkeys((*clean.doubts, *doubts_of(clean, settings), *extra)))
        candidates.append(replace(clean, doubts=doubts))
    looped = collapse_loops(candidates, settings)
    return Screened(looped.kept, tuple(sorted((*dropped, *looped.dropped),
                                              key=lambda d: (d.start, d.end))))


def filter_segments(
    segments: Iterable[Segment], settings: GuardSettings = GuardSettings()
) -> Iterator[Segment]:
    """The lines `screen` keeps (with their doubts)."""
    yield from screen(segments, settings).kept


__all__ = [
    "GuardSettings",
    "Screened",
    "collapse_loops",
    "doubts_of",
    "drop_reason",
    "filter_segments",
    "is_known_hallucination",
    "line_log_prob",
    "longest_ngram_run",
    "normalise_text",
    "repeats_itself",
    "screen",
    "with_doubt",
    "words_of",
]
