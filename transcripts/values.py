"""Value objects of the library: our own frozen types, never faster-whisper's."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

# Called with the share of the audio done so far, 0..1, from the transcribing thread.
ProgressCallback = Callable[[float], None]


class Doubt(enum.StrEnum):
    """Why a recognised line may not be what was said. A doubtful line is kept and marked for
    the official to listen to, never dropped (docs/transcription.md, "What is kept")."""

    LOW_CONFIDENCE = "low_confidence"  # the words were recognised with low probability
    NO_SPEECH = "possible_no_speech"  # Whisper's silence test holds, or VAD heard no speech
    # A phrase or a line repeats itself (a decoder loop?), or the line was decoded again where
    # the first decoding looped (the loop is on record as dropped, "looped line").
    REPETITION = "possible_repetition"
    LANGUAGE = "language_mismatch"  # the speaker may not have spoken the language transcribed


@dataclass(frozen=True, slots=True)
class Word:
    """One recognised word; times in seconds from the start of its audio file."""

    start: float
    end: float
    text: str
    probability: float


@dataclass(frozen=True, slots=True)
class Segment:
    """One recognised utterance; times in seconds from the start of its audio file.

    `no_speech_prob`, `avg_logprob` and `compression_ratio` are what faster-whisper computes
    for the whole 30 s window the line was decoded in (every line of a window has the same).
    `repeats` > 1: the same line was recognised that many times in a row and is shown once.
    """

    start: float
    end: float
    text: str
    confidence: float  # 0..1: mean word probability, or exp(avg_logprob) without words
    words: tuple[Word, ...] = ()
    no_speech_prob: float = 0.0
    avg_logprob: float = 0.0
    compression_ratio: float = 0.0
    doubts: tuple[Doubt, ...] = ()
    repeats: int = 1


RATE = 16_000  # samples a second of the audio Whisper reads

# Why a line is left out (Dropped.reason); the review page names each (web/transcripts/review.py).
NO_WORDS = "no words"
KNOWN_CAPTION = "known caption"
REPEATED_LINE = "repeated line"  # a copy of a decoder loop across lines (guard.collapse_loops)
LOOPED_LINE = "looped line"  # a loop inside a line, decoded again and replaced (loops.py)
DROP_REASONS = (NO_WORDS, KNOWN_CAPTION, REPEATED_LINE, LOOPED_LINE)


@dataclass(frozen=True, slots=True)
class Dropped:
    """A recognised line left out of the transcript, kept on record with its reason (never
    silently): the official sees how many and which."""

    start: float
    end: float
    text: str
    reason: str  # one of DROP_REASONS


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """Whisper's language identification over the speech of one recording."""

    language: str  # the most probable language
    probability: float  # of that language, 0..1
    expected_probability: float  # of the language the agency transcribes in (1.0 when none)


@dataclass(frozen=True, slots=True)
class TrackResult:
    """The outcome of transcribing one recording: the lines kept (with their doubts), the lines
    dropped (with their reasons), the language transcribed and what was detected, where
    voice activity detection found speech and where no audio could be decoded (seconds from
    the start of the file; silence stands there, so that the times after it stay true)."""

    segments: tuple[Segment, ...]
    language: str | None  # transcribed in; None: the model chose (no language asked for)
    expected_language: str | None = None  # the language asked for (the agency's)
    dropped: tuple[Dropped, ...] = ()
    detected: LanguageGuess | None = None
    speech: tuple[tuple[float, float], ...] = ()
    duration: float = 0.0
    damaged: tuple[tuple[float, float], ...] = ()  # whatever was said there is not in `segments`

    @property
    def switched_language(self) -> bool:
        """Transcribed in the language detected, not the one asked for: the speaker spoke it."""
        return self.expected_language is not None and self.language != self.expected_language


@dataclass(frozen=True, slots=True)
class SpeakerTrack:
    """The transcript of one participant's own recording, which began at `started_at` (UTC)."""

    participant_id: str
    display_name: str
    role: str
    started_at: datetime
    segments: tuple[Segment, ...]

    def __post_init__(self) -> None:
        # Naive datetimes would silently mix local time with UTC when tracks are merged.
        if self.started_at.tzinfo is None:
            raise ValueError(f"started_at of {self.participant_id!r} must be timezone-aware")


@dataclass(frozen=True, slots=True)
class TranscriptLine:
    """One line of a hearing transcript, placed on the wall clock."""

    start: datetime
    end: datetime
    participant_id: str
    speaker: str
    role: str
    text: str
    confidence: float
    doubts: tuple[str, ...] = ()  # Doubt values; part of the fingerprint when present
    repeats: int = 1  # > 1: heard that many times in a row, shown once (fingerprinted then)


@dataclass(frozen=True, slots=True)
class Transcript:
    """A hearing transcript: lines in wall-clock order; formats count time from `started_at`."""

    started_at: datetime
    lines: tuple[TranscriptLine, ...]

    def __post_init__(self) -> None:
        if self.started_at.tzinfo is None:
            raise ValueError("Transcript.started_at must be timezone-aware")
