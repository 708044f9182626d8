from datetime import UTC, datetime, timedelta, timezone

import pytest

from transcripts import Segment, SpeakerTrack, merge_speakers, transcript_hash

T0 = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)


def track(pid: str, name: str, role: str, started: datetime, *spans: tuple[float, float, str]):
    segments = tuple(Segment(start, end, text, 0.9) for start, end, text in spans)
    return SpeakerTrack(pid, name, role, started, segments)


def test_lines_of_two_speakers_interleave_by_wall_clock_not_by_file_offset() -> None:
    citizen = track("c", "Nguyễn Văn A", "citizen", T0, (1.0, 2.0, "one"), (6.0, 7.0, "three"))
    # The official's recording began 3 s later: offset 1.0 is wall clock +4 s.
    official = track("o", "Cán bộ B", "official", T0 + timedelta(seconds=3), (1.0, 2.5, "two"))

    transcript = merge_speakers([official, citizen])

    assert [line.text for line in transcript.lines] == ["one", "two", "three"]
    assert transcript.lines[1].start == T0 + timedelta(seconds=4)
    assert transcript.lines[1].end == T0 + timedelta(seconds=5.5)
    assert (transcript.lines[1].speaker, transcript.lines[1].role) == ("Cán bộ B", "official")
    assert transcript.lines[1].participant_id == "o"


def test_the_hearing_starts_with_the_earliest_track_unless_given() -> None:
    late = track("o", "B", "official", T0 + timedelta(seconds=9), (0.0, 1.0, "hi"))
    early = track("c", "A", "citizen", T0, (0.0, 1.0, "hello"))
    assert merge_speakers([late, early]).started_at == T0
    given = T0 - timedelta(minutes=1)
    assert merge_speakers([late], hearing_started_at=given).started_at == given


def test_times_arriving_in_another_zone_are_stored_as_the_same_utc_instants() -> None:
    hanoi = timezone(timedelta(hours=7))
    local = track("c", "A", "citizen", T0.astimezone(hanoi), (1.0, 2.0, "x"))
    utc = track("c", "A", "citizen", T0, (1.0, 2.0, "x"))
    merged_local, merged_utc = merge_speakers([local]), merge_speakers([utc])
    assert merged_local.lines[0].start.utcoffset() == timedelta(0)
    assert transcript_hash(merged_local) == transcript_hash(merged_utc)


def test_simultaneous_lines_are_ordered_deterministically() -> None:
    a = track("a", "A", "citizen", T0, (1.0, 3.0, "long"))
    b = track("b", "B", "official", T0, (1.0, 2.0, "short"))
    assert [line.text for line in merge_speakers([a, b]).lines] == ["short", "long"]
    assert merge_speakers([a, b]) == merge_speakers([b, a])


def test_a_track_with_a_naive_start_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        SpeakerTrack("c", "A", "citizen", datetime(2025, 1, 1), ())


def test_merging_nothing_needs_an_explicit_hearing_start() -> None:
    with pytest.raises(ValueError):
        merge_speakers([])
    assert merge_speakers([], hearing_started_at=T0).lines == ()
