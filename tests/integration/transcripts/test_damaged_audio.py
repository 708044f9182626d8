"""A stretch of damaged packets in a recording loses only what was said in it: the lines after
it keep the times they have in the whole recording (they moved earlier by the stretch's length
when the decoder skipped it), and the stretch is on the track's result as damaged."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.speech import damage_packets, write_opus_webm
from transcripts import ModelCache, TranscribeOptions, track_from_json, track_to_json
from transcripts.engine import decode, transcribe_track
from transcripts.guard import words_of
from transcripts.values import Word

SPEECH = Path(__file__).parents[2] / "fixtures" / "speech"
LOST = (6.0, 7.0)  # inside the citizen's first sentence (2.6-7.6 s); the second is at 8-12.5 s


def test_lines_after_damaged_packets_keep_their_times_and_the_stretch_is_reported(
    english: TranscribeOptions, model_cache: ModelCache, tmp_path: Path
) -> None:
    whole = write_opus_webm(tmp_path / "whole.webm", decode(SPEECH / "citizen.wav"))
    damaged = damage_packets(whole, tmp_path / "damaged.webm", *LOST)

    clean = transcribe_track(whole, english, cache=model_cache)
    broken = transcribe_track(damaged, english, cache=model_cache)

    # Every word heard after the stretch is where the whole recording has the same word.
    said: dict[str, list[Word]] = {}
    for word in (w for line in clean.segments for w in line.words):
        said.setdefault(" ".join(words_of(word.text)), []).append(word)
    after = [w for line in broken.segments for w in line.words
             if w.end > LOST[1] - 1.0 and " ".join(words_of(w.text)) in said]
    assert len(after) >= 10, broken.segments  # "office" and the second sentence
    for word in after:
        same = min(said[" ".join(words_of(word.text))], key=lambda w: abs(w.start - word.start))
        assert abs(same.start - word.start) < 0.3, (word, same)
    assert broken.duration == pytest.approx(clean.duration, abs=0.01)
    assert clean.damaged == ()
    ((start, end),) = broken.damaged
    assert start == pytest.approx(LOST[0], abs=0.05) and end == pytest.approx(LOST[1], abs=0.05)
    # Stored with the result (and read back) for the review page.
    assert track_from_json(track_to_json(broken)).damaged == broken.damaged
