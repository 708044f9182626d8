"""Value objects of the library: our own frozen types, never faster-whisper's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

# Called with the share of the audio done so far, 0..1, from the transcribing thread.
ProgressCallback = Callable[[float], None]

@dataclass(frozen=True, slots=True)
class Word:
    """One recognised word; times in seconds from the start of its audio file."""

    start: float
    end: float
    text: str
    probability: float


@dataclass(frozen=True, slots=True)
class Segment:
    """One recognised utterance; times in seconds from the start of its audio file."""

    start: float
    end: float
    text: str
    confidence: float  # 0..1: mean word probability, or exp(avg_logprob) without words
    words: tuple[Word, ...] = ()
    no_speech_prob: float = 0.0


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


@dataclass(frozen=True, slots=True)
class Transcript:
    """A hearing transcript: lines in wall-clock order; formats count time from `started_at`."""

    started_at: datetime
    lines: tuple[TranscriptLine, ...]

    def __post_init__(self) -> None:
        if self.started_at.tzinfo is None:
            raise ValueError("Transcript.started_at must be timezone-aware")
