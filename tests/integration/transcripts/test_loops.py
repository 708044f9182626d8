"""A line that loops inside itself is decoded once more over its own span; the loop stays on
record (real tiny.en, real audio).

The audio: the citizen's fixture with a fraction of a second of their speech replayed over
and over, as a receiver's loss concealment does when a track resumes after a drop. On it,
tiny.en loops inside a line at temperature 0 while the window's compression ratio stays under
faster-whisper's threshold (1.51 < 2.4), so faster-whisper's own fallback does not fire.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

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


# Replays that make tiny.en loop inside a line. Which of them loops moves with the versions of
# ctranslate2 and faster-whisper (a fresh install once turned (3.0, 0.2, 5) into a clean line):
# each test takes the first that loops, and fails only when none does.
REPLAYS = [(4.0, 0.15, 8), (3.0, 0.2, 6), (4.5, 0.15, 8), (5.0, 0.2, 5), (3.0, 0.2, 5),
           (3.0, 0.15, 8)]


def looping_replays(directory: Path, options: TranscribeOptions, cache: ModelCache
                    ) -> Iterator[tuple[Path, TrackResult, list[str]]]:
    """Each replay whose first decoding loops: its file, that decoding and its looping lines."""
    for at, piece, times in REPLAYS:
        path = replayed(directory, at, piece, times)
        before = transcribe_track(path, replace(options, loop_redecodes=0), cache=cache)
        if loops := looping(before, options):
            yield path, before, loops


def test_a_looping_line_is_decoded_again_and_the_loop_kept_on_record(
    english: TranscribeOptions, model_cache: ModelCache, tmp_path: Path
) -> None:
    for path, before, loop in looping_replays(tmp_path, english, model_cache):  # noqa: B007
        after = transcribe_track(path, english, cache=model_cache)
        if len(loop) == 1 and looping(after, english) == []:
            break  # decoded again, the loop is gone: what became of it?
    else:
        pytest.fail("no replay loops once and decodes cleanly the second time")
    on_record = [d for d in after.dropped if d.reason == LOOPED_LINE]
    assert [d.text for d in on_record] == loop  # never silently
    span = on_record[0]
    new = [s for s in after.segments if s.start < span.end and s.end > span.start]
    assert new and all(s.text not in loop and Doubt.REPETITION in s.doubts for s in new)
    # Decoded again, the words the loop swallowed are written ("file a complaint", or the
    # words after it): the new lines say more than the loop's one repeated word.
    assert len(set(words_of(" ".join(s.text for s in new)))) > 3
    # The lines around the loop are decoded once, as before.
    assert ([s.text for s in after.segments if s not in new]
            == [s.text for s in before.segments if s.text not in loop])


def test_a_looping_line_is_either_replaced_on_record_or_kept_marked(
    english: TranscribeOptions, model_cache: ModelCache, tmp_path: Path
) -> None:
    """Whichever way the second decoding goes (it may loop again: Whisper's output moves with
    CPU scheduling), no looping line disappears: it is still in the transcript, marked, or on
    record as replaced, with its text. On the first two replays that loop."""
    tried = 0
    for path, _, loops in looping_replays(tmp_path, english, model_cache):
        tried += 1
        after = transcribe_track(path, english, cache=model_cache)
        replaced = {d.text for d in after.dropped if d.reason == LOOPED_LINE}
        for text in loops:
            kept = [s for s in after.segments if s.text == text]
            assert (kept and all(Doubt.REPETITION in s.doubts for s in kept)) != (
                text in replaced), text
        if tried == 2:
            break
    assert tried == 2, "fewer than two replays loop: the test shows too little"
