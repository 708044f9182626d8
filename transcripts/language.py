"""Which language a speaker spoke: Whisper's language identification over the speech of their
recording, and the choice between it and the language the agency transcribes in.

Forced to the agency's language, Whisper writes another language as that language's words or
loops on a polite formula ("Cảm ơn." line after line); so a recording whose speech Whisper
confidently identifies as another language is transcribed in that language and the track is
flagged. The thresholds are measured in docs/transcription.md ("Which language").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .values import LanguageGuess

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from faster_whisper import WhisperModel

WINDOW_SAMPLES = 30 * 16_000  # Whisper's window
MIN_WINDOW_SAMPLES = 16_000  # a last window shorter than a second of speech is not weighed


@dataclass(frozen=True, slots=True)
class LanguageChoice:
    """Measured with bench/vietnamese.py (docs/transcription.md "Which language"): after Opus
    and room noise, every natural Vietnamese clip (2.6-6 s) was identified as Vietnamese with
    p >= 0.86, English speech as English with p >= 0.77 and p(vi) < 0.001."""

    # Switch to the identified language when it is at least this probable and the expected
    # one at most `expected_below`.
    switch_at: float = 0.5
    expected_below: float = 0.1
    # Otherwise keep the expected language, but mark every line of the track when another
    # language is the most probable and the expected one is below `doubt_below`.
    doubt_below: float = 0.5


def identify(model: WhisperModel, speech: npt.NDArray[np.float32], expected: str | None,
             windows: int) -> LanguageGuess:
    """Language probabilities averaged over the first `windows` 30 s windows of speech,
    weighed by how much speech each window holds."""
    totals: dict[str, float] = {}
    weight = 0
    for index in range(max(1, windows)):
        window = speech[index * WINDOW_SAMPLES:(index + 1) * WINDOW_SAMPLES]
        if window.size < MIN_WINDOW_SAMPLES and index > 0:
            break
        _, _, probabilities = model.detect_language(audio=window)
        for language, probability in probabilities:
            totals[language] = totals.get(language, 0.0) + float(probability) * window.size
        weight += window.size
    scores = {language: total / weight for language, total in totals.items()}
    best = max(scores, key=lambda language: scores[language])
    return LanguageGuess(best, scores[best], scores.get(expected, 0.0) if expected else 1.0)


def choose_language(expected: str | None, guess: LanguageGuess,
                    choice: LanguageChoice) -> tuple[str | None, bool]:
    """(language to transcribe in, whether the track's language is in doubt)."""
    if expected is None:
        return guess.language, False
    if guess.language == expected:
        return expected, False
    if guess.probability >= choice.switch_at and guess.expected_probability <= choice.expected_below:
        return guess.language, False
    return expected, guess.expected_probability < choice.doubt_below


__all__ = ["LanguageChoice", "choose_language", "identify"]
