"""A line that loops inside itself is decoded once more over its own span; the loop stays on
record (real tiny.en, real audio).

The audio: the citizen's fixture with a fraction of a second of their speech replayed over
and over, as a receiver's loss concealment does when a track resumes after a drop. On it,
tiny.en loops inside a line at temperature 0 while the window's compression ratio stays under
faster-whisper's threshold (1.51 < 2.4), so faster-whisper's own fallback does not fire.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from tests.speech import write_wav
from transcripts import Doubt, ModelCache, TrackResult, TranscribeOptions, transcribe_track
from transcripts.engine import decode
from transcripts.guard import repeats_itself, words_of
from transcripts.values import LOOPED_LINE

SPEECH = Path(__file__).parents[2] / "fixtures" / "speech"
RATE = 16_000


def replayed(directory: Path, at: float, piece: float, times: int) -> Path:
    """The citizen's fixture with `piece` seconds from `at` played `times` more times."""
    audio = decode(SPEECH / "citizen.wav")
    first, size = round(at * RATE), round(piece * RATE)
    audio = np.concatenate([audio[:first], np.tile(audio[first:first + size], times),
                            audio[first:]])
    path = directory / f"replayed-{at}-{piece}-{times}.wav"
    return write_wav(path, audio)


def looping(result: TrackResult, options: TranscribeOptions) -> list[str]:
    return [s.text for s in result.segments if repeats_itself(s.text, options.guard)]


def test_a_looping_line_is_decoded_again_and_the_loop_kept_on_record(
    english: TranscribeOptions, model_cache: ModelCache, tmp_path: Path
) -> None:
    path = replayed(tmp_path, 4.0, 0.15, 8)
    before = transcribe_track(path, replace(english, loop_redecodes=0), cache=model_cache)
    loop = looping(before, english)
    assert len(loop) == 1  # the first decoding loops inside one line, and is only marked

    after = transcribe_track(path, english, cache=model_cache)
    assert looping(after, english) == []
    on_record = [d for d in after.dropped if d.reason == LOOPED_LINE]
    assert [d.text for d in on_record] == loop  # never silently
    span = on_record[0]
    new = [s for s in after.segments if s.start < span.end and s.end > span.start]
    assert new and all(s.text not in loop and Doubt.REPETITION in s.doubts for s in new)
    # "I would like to finally be, be, be, …" swallowed "file": decoded again, it is written.
    assert "file" in words_of(" ".join(s.text for s in new))
    assert "file" not in words_of(loop[0])
    # The lines around the loop are decoded once, as before.
    assert ([s.text for s in after.segments if s not in new]
            == [s.text for s in before.segments if s.text not in loop])


def test_a_looping_line_is_either_replaced_on_record_or_kept_marked(
    english: TranscribeOptions, model_cache: ModelCache, tmp_path: Path
) -> None:
    """Whichever way the second decoding goes (on this audio it loops again on some runs and
    not on others: Whisper's output moves with CPU scheduling), no looping line disappears:
    it is still in the transcript, marked, or on record as replaced, with its text."""
    path = replayed(tmp_path, 3.0, 0.2, 5)
    before = transcribe_track(path, replace(english, loop_redecodes=0), cache=model_cache)
    loops = looping(before, english)
    assert loops  # the first decoding loops inside a line
    after = transcribe_track(path, english, cache=model_cache)
    replaced = {d.text for d in after.dropped if d.reason == LOOPED_LINE}
    for text in loops:
        kept = [s for s in after.segments if s.text == text]
        assert (kept and all(Doubt.REPETITION in s.doubts for s in kept)) != (text in replaced), text
