"""Which recording a line plays from when a member has several (a recorder restarted): the one
the line was transcribed from; for a line stored before lines kept it, the speaker's recording
that had started by the line's time."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from reception.domain.hearings.model import HearingId, MemberId, Recording
from reception.domain.transcripts.transcript import Segment, SegmentId, TranscriptId
from reception.services.transcripts.views import play_target, playable_recordings

ZERO = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
HEARING = HearingId(uuid.uuid4())
AN, BINH = MemberId(uuid.uuid4()), MemberId(uuid.uuid4())


def recording(member: MemberId, stem: str, kind: str, after: float) -> Recording:
    ext = "evidence.webm" if kind == "evidence" else "audio.webm"
    return Recording(HEARING, member, kind, f"{HEARING}/{stem}.{ext}", "0" * 64, 1, "closed",
                     ZERO + timedelta(seconds=after))


RECORDINGS = [recording(AN, f"{AN}", "audio", 1.0), recording(AN, f"{AN}", "evidence", 1.0),
              recording(AN, f"{AN}-2", "audio", 30.0), recording(AN, f"{AN}-2", "evidence", 30.0),
              recording(BINH, f"{BINH}", "audio", 0.0)]


def line(member: MemberId, start_ms: int, recording: str | None = None) -> Segment:
    return Segment(SegmentId(uuid.uuid4()), TranscriptId(uuid.uuid4()), member, "An", "citizen",
                   start_ms, start_ms + 1000, "…", "…", 0.9, recording=recording)


def test_each_recording_plays_once_its_video_preferred_in_the_order_they_started() -> None:
    playable = playable_recordings(ZERO, RECORDINGS)
    assert [(p.key, p.kind, p.file, p.offset_seconds) for p in playable.values()] == [
        (f"{BINH}", "audio", f"{BINH}.audio.webm", 0.0),
        (f"{AN}", "evidence", f"{AN}.evidence.webm", 1.0),
        (f"{AN}-2", "evidence", f"{AN}-2.evidence.webm", 30.0)]


def test_a_line_plays_from_the_recording_it_was_transcribed_from() -> None:
    playable = playable_recordings(ZERO, RECORDINGS)
    # Its own file, even where the time alone would point at another.
    second = line(AN, 40_000, f"{HEARING}/{AN}-2.audio.webm")
    first = line(AN, 40_000, f"{HEARING}/{AN}.audio.webm")
    assert play_target(second, playable).file == f"{AN}-2.evidence.webm"  # type: ignore[union-attr]
    assert play_target(first, playable).file == f"{AN}.evidence.webm"  # type: ignore[union-attr]


def test_a_line_stored_without_its_recording_plays_from_the_one_started_by_then() -> None:
    playable = playable_recordings(ZERO, RECORDINGS)
    assert play_target(line(AN, 12_000), playable).key == f"{AN}"  # type: ignore[union-attr]
    assert play_target(line(AN, 31_000), playable).key == f"{AN}-2"  # type: ignore[union-attr]
    assert play_target(line(AN, 500), playable).key == f"{AN}"  # type: ignore[union-attr]
    hidden = {k: p for k, p in playable.items() if p.member_id != AN}  # a sealed denouncer
    assert play_target(line(AN, 31_000, f"{HEARING}/{AN}-2.audio.webm"), hidden) is None
