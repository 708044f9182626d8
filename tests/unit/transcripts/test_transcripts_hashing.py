import dataclasses
from datetime import UTC, datetime

from transcripts import Segment, SpeakerTrack, canonical_json, merge_speakers, transcript_hash

T0 = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)


def transcript(text: str = "Tôi xin trình bày khiếu nại.", confidence: float = 0.9):
    segment = Segment(1.0, 2.0, text, confidence)
    return merge_speakers([SpeakerTrack("c", "Nguyễn Văn A", "citizen", T0, (segment,))])


def test_equal_transcripts_have_equal_hashes() -> None:
    assert transcript_hash(transcript()) == transcript_hash(transcript())
    assert len(transcript_hash(transcript())) == 64


def test_any_edit_of_the_text_changes_the_hash() -> None:
    assert transcript_hash(transcript()) != transcript_hash(transcript("Tôi xin trình bày."))


def test_renaming_a_speaker_changes_the_hash() -> None:
    original = transcript()
    renamed = dataclasses.replace(
        original, lines=(dataclasses.replace(original.lines[0], speaker="Trần Thị C"),)
    )
    assert transcript_hash(original) != transcript_hash(renamed)


def test_canonical_json_is_compact_sorted_utf8() -> None:
    data = canonical_json(transcript())
    assert "Nguyễn Văn A".encode() in data
    assert b": " not in data and b", " not in data
    assert data.index(b'"format"') < data.index(b'"lines"') < data.index(b'"started_at"')


def test_a_line_without_doubts_hashes_as_before_and_a_doubt_is_fingerprinted() -> None:
    from transcripts import Doubt, from_json, to_json

    plain = transcript()
    assert b"doubts" not in canonical_json(plain) and b"repeats" not in canonical_json(plain)
    doubtful = merge_speakers([SpeakerTrack("c", "Nguyễn Văn A", "citizen", T0, (Segment(
        1.0, 2.0, "Cảm ơn.", 0.4, doubts=(Doubt.REPETITION,), repeats=7),))])
    assert transcript_hash(doubtful) != transcript_hash(
        dataclasses.replace(doubtful, lines=(dataclasses.replace(doubtful.lines[0], doubts=()),)))
    assert from_json(to_json(doubtful)) == doubtful
