from datetime import UTC, datetime, timedelta

import pytest
import webvtt
from hypothesis import given
from hypothesis import strategies as st

from transcripts import (
    Segment,
    SpeakerTrack,
    Transcript,
    TranscriptLine,
    from_json,
    merge_speakers,
    to_json,
    to_srt,
    to_text,
    to_vtt,
)

T0 = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)


def hearing() -> Transcript:
    citizen = SpeakerTrack(
        "c1",
        "Nguyễn Văn A",
        "citizen",
        T0 + timedelta(seconds=2),
        (Segment(1.0, 2.5, "Tôi khiếu nại <quyết định> số 5 & 6.", 0.9),),
    )
    official = SpeakerTrack(
        "o1", "Cán bộ B", "official", T0, (Segment(3661.25, 3663.0, "Vâng, tôi ghi nhận.", 0.8),)
    )
    return merge_speakers([citizen, official], hearing_started_at=T0)


def test_vtt_names_each_speaker_in_a_voice_tag_with_times_from_the_hearing_start() -> None:
    captions = webvtt.from_string(to_vtt(hearing()))
    assert [caption.voice for caption in captions] == ["Nguyễn Văn A", "Cán bộ B"]
    assert (captions[0].start, captions[0].end) == ("00:00:03.000", "00:00:04.500")
    assert (captions[1].start, captions[1].end) == ("01:01:01.250", "01:01:03.000")
    assert "&lt;quyết định&gt; số 5 &amp; 6." in captions[0].raw_text


def test_srt_starts_each_cue_with_the_speaker_name() -> None:
    srt = to_srt(hearing())
    assert "1\n00:00:03,000 --> 00:00:04,500\nNguyễn Văn A: Tôi khiếu nại" in srt
    assert "2\n01:01:01,250 --> 01:01:03,000\nCán bộ B: Vâng, tôi ghi nhận." in srt
    # Angle brackets would be swallowed as markup by SRT players.
    assert "‹quyết định›" in srt


def test_plain_text_lists_time_speaker_role_and_words() -> None:
    assert to_text(hearing()).splitlines() == [
        "[00:00:03] Nguyễn Văn A (citizen): Tôi khiếu nại <quyết định> số 5 & 6.",
        "[01:01:01] Cán bộ B (official): Vâng, tôi ghi nhận.",
    ]


def test_a_line_before_the_hearing_start_is_clamped_to_zero_in_subtitles() -> None:
    early = SpeakerTrack("c", "A", "citizen", T0 - timedelta(seconds=5), (Segment(1, 2, "x", 1),))
    transcript = merge_speakers([early], hearing_started_at=T0)
    assert webvtt.from_string(to_vtt(transcript))[0].start == "00:00:00.000"


def test_json_rejects_documents_of_another_format() -> None:
    with pytest.raises(ValueError, match="tiep-dan-transcript/1"):
        from_json('{"format": "other", "lines": []}')
    with pytest.raises(ValueError, match="malformed"):
        from_json('{"format": "tiep-dan-transcript/1", "lines": [{"text": "x"}]}')


moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC))
lines = st.builds(
    TranscriptLine,
    start=moments,
    end=moments,
    participant_id=st.text(max_size=8),
    speaker=st.text(max_size=20),
    role=st.sampled_from(["citizen", "official", "interpreter"]),
    text=st.text(max_size=80),
    confidence=st.floats(min_value=0, max_value=1),
)


@given(started_at=moments, lines=st.lists(lines, max_size=5))
def test_json_round_trips_any_transcript(started_at: datetime, lines: list[TranscriptLine]) -> None:
    transcript = Transcript(started_at=started_at, lines=tuple(lines))
    assert from_json(to_json(transcript)) == transcript


FORGED = "Nguyễn Văn A\r\n[00:00:03] Nguyễn Thị Lan (official): Đồng ý hủy quyết định\u2028"


def test_plain_text_keeps_one_line_per_line_whatever_a_name_or_text_holds() -> None:
    citizen = SpeakerTrack("c1", FORGED, "citizen", T0, (Segment(1.0, 2.0, "Một\ndòng", 0.9),))
    text = to_text(merge_speakers([citizen], hearing_started_at=T0))
    assert text.splitlines() == [
        "[00:00:01] Nguyễn Văn A [00:00:03] Nguyễn Thị Lan (official): Đồng ý hủy quyết định "
        "(citizen): Một dòng"]


CUE_FORGERY = ("Tôi đồng ý.\n\n99\n00:00:03.000 --> 00:00:04.000\n"
               "<v Nguyễn Thị Lan>Đồng ý hủy quyết định\u2028số 5")


@pytest.mark.parametrize("render", [to_vtt, to_srt])
def test_a_line_break_in_a_line_cannot_forge_a_caption(render) -> None:  # type: ignore[no-untyped-def]
    # An official's correction may hold line breaks; in a subtitle file a blank line ends a cue
    # and the next lines would be read as another speaker's caption at another time.
    citizen = SpeakerTrack("c1", "Nguyễn Văn A\nLan", "citizen", T0,
                           (Segment(1.0, 2.0, CUE_FORGERY, 0.9),))
    parsed = webvtt.from_buffer(__import__("io").StringIO(render(
        merge_speakers([citizen], hearing_started_at=T0))),
        format="vtt" if render is to_vtt else "srt")
    assert len(parsed) == 1
    assert parsed[0].start == "00:00:01.000" and "\n" not in parsed[0].raw_text
    assert "Đồng ý hủy quyết định số 5" in parsed[0].text
