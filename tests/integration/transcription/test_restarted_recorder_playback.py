"""A recorder restarted in the middle of a hearing leaves its member two recordings (`<id>` and
`<id>-2`). Transcribed for real, each line keeps the recording it came from, and the review
page plays it from that file at that file's offset: the second file's lines from the second
file (which plays, with captions timed to it), never from the first at the wrong place."""

from __future__ import annotations

import json
import re
from pathlib import Path

from quart import Quart

from reception.bootstrap.container import Container
from reception.domain.hearings.model import MemberRole
from reception.domain.transcripts.transcript import TranscriptStatus
from tests.integration.cases.helpers import client_for
from tests.integration.transcription.conftest import SPEECH, Track, seed_hearing, transcript_of

CITIZEN = "Nguyễn Văn An"
OFFICIAL = "Cán bộ Bình"
RESTART = 20.0  # seconds into the hearing at which the citizen's second recording starts


async def test_each_line_plays_from_the_recording_it_was_transcribed_from(
        app: Quart, tmp_path: Path) -> None:
    container: Container = app.container  # type: ignore[attr-defined]
    recordings = tmp_path / "recordings"
    hearing_id, members = await seed_hearing(container, "en", [
        Track(MemberRole.OFFICIAL, OFFICIAL, SPEECH / "silence.wav", 0.0),
        Track(MemberRole.CITIZEN, CITIZEN, SPEECH / "citizen.wav", 0.0),
        # the citizen's recorder restarted: what they say next is in a file of its own
        Track(MemberRole.CITIZEN, CITIZEN, SPEECH / "official.wav", RESTART)],
        recordings, attested=True)
    citizen = members[CITIZEN]
    first, second = f"{citizen}.audio.wav", f"{citizen}-2.audio.wav"

    assert await container.transcription.run(hearing_id) is TranscriptStatus.DONE

    transcript, _ = await transcript_of(container, hearing_id)
    assert transcript is not None
    async with container.uow_factory() as uow:
        segments = await uow.transcript_review.segments(transcript.id)
        hearing = await uow.hearings.get(hearing_id)
        assert hearing is not None
        official = await uow.staff.get(hearing.opened_by)
        assert official is not None
    theirs = [s for s in segments if s.member_id == citizen]
    before = [s for s in theirs if s.start_ms < RESTART * 1000]
    after = [s for s in theirs if s.start_ms >= RESTART * 1000]
    assert before and after
    assert "compensation" in " ".join(s.text for s in before)
    assert "working days" in " ".join(s.text for s in after)
    assert {s.recording for s in before} == {f"{hearing_id}/{first}"}
    assert {s.recording for s in after} == {f"{hearing_id}/{second}"}

    # The service: each line's play target is its own file, at that file's offset.
    review = await container.transcript_review.review(official, hearing_id)
    for segment, (file, offset) in [*((s, (first, 0.0)) for s in before),
                                    *((s, (second, RESTART)) for s in after)]:
        target = review.play_of(segment)
        assert target is not None and (target.file, target.offset_seconds) == (file, offset)

    # The page: each line names its recording; the player of that recording streams its file.
    client = await client_for(app, official.login)
    base = f"/staff/hearings/{hearing_id}"
    page = await (await client.get(f"/staff/hearings/{hearing_id}/transcript")).get_data(
        as_text=True)
    config = json.loads(page.split('id="review-config">')[1].split("</script>")[0])
    lines = dict(re.findall(r'id="seg-([0-9a-f-]+)"\s+data-member="[^"]*" data-recording="([^"]*)"',
                            page))
    for segment in theirs:
        player = config["players"][lines[str(segment.id)]]
        file, offset = (first, 0.0) if segment in before else (second, RESTART)
        assert player["src"].endswith(f"file={file}") and player["offset"] == offset, player
    later = config["players"][lines[str(after[0].id)]]
    assert {lines[str(s.id)] for s in before} == {str(citizen)}
    assert {lines[str(s.id)] for s in after} == {f"{citizen}-2"}
    sources = [p["src"] for p in config["players"].values() if p["member"] == str(citizen)]
    assert len(sources) == len(set(sources)) == 2
    assert later["name"] == f"{CITIZEN} (bản ghi bắt đầu lúc 00:00:20 của phiên)"
    played = await client.get(later["src"])
    assert played.status_code == 200
    assert await played.get_data() == (recordings / str(hearing_id) / second).read_bytes()
    captions = await (await client.get(later["captions"])).get_data(as_text=True)
    cue = next(block for block in captions.split("\n\n") if "working days" in block)
    timing = next(line for line in cue.splitlines() if "-->" in line)
    assert timing.startswith("00:00:0"), cue  # from the second file's start, not the hearing's

    # The recordings page shows each recording of the citizen on its own, each its own file.
    shown = await (await client.get(f"{base}/recording")).get_data(as_text=True)
    for key, file in ((str(citizen), first), (f"{citizen}-2", second)):
        figure = shown.split(f'id="recording-{key}"')[1].split("</figure>")[0]
        assert f"file={file}" in figure, figure

    # A file that is not one of this member's recordings is not found (in Vietnamese), never
    # an error, and no name reaches outside the recordings: it is looked up among their files.
    official_file = f"{members[OFFICIAL]}.audio.wav"
    for name in ("khong-co.audio.wav", official_file, f"../{hearing_id}/{second}",
                 f"{hearing_id}/{second}", "../../etc/passwd", second.replace(".audio.", ".av.")):
        for url, args in ((f"{base}/recordings/{citizen}/audio.webm", {}),
                          (f"{base}/transcript.vtt", {"member": str(citizen)})):
            refused = await client.get(url, query_string={**args, "file": name})
            assert refused.status_code == 404, (url, name, refused.status_code)
            assert "Người này không có bản ghi trong phiên tiếp." in await refused.get_data(
                as_text=True), (url, name)
