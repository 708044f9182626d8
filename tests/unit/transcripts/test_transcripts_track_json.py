"""A recording's result survives the store: a retried job merges exactly what the first run got."""

import json

from transcripts import (
    Doubt,
    Dropped,
    LanguageGuess,
    Segment,
    TrackResult,
    track_from_json,
    track_to_json,
)


def test_a_track_result_round_trips_through_json_without_word_timings() -> None:
    result = TrackResult(
        segments=(Segment(1.0, 2.5, "Xin chào.", 0.8, no_speech_prob=0.1, avg_logprob=-0.3,
                          compression_ratio=1.2),
                  Segment(3.0, 9.0, "Cảm ơn.", 0.4, doubts=(Doubt.REPETITION, Doubt.LANGUAGE),
                          repeats=6)),
        language="en", expected_language="vi",
        dropped=(Dropped(4.0, 5.0, "Cảm ơn.", "repeated line"),),
        detected=LanguageGuess("en", 0.84, 0.0001), speech=((0.5, 9.4),), duration=12.0,
        damaged=((9.5, 10.25),))
    stored = json.loads(json.dumps(track_to_json(result)))
    assert track_from_json(stored) == result
    assert result.switched_language
    assert not TrackResult((), "vi", "vi").switched_language


def test_a_result_stored_before_damaged_spans_were_kept_loads_with_none() -> None:
    result = TrackResult((Segment(1.0, 2.5, "Xin chào.", 0.8),), "vi", "vi", duration=3.0)
    stored = json.loads(json.dumps(track_to_json(result)))
    del stored["damaged"]  # as every track result stored before them
    assert track_from_json(stored) == result and track_from_json(stored).damaged == ()
