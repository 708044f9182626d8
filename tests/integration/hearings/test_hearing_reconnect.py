"""A network drop without a new hearing: the citizen's connection dies, their page offers again
with a new ticket, and media and recording carry on in the same hearing and the same files."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reception.adapters.media import probe_duration
from tests.integration.hearings.conftest import Room
from tests.integration.hearings.media_checks import (
    SILENT,
    SPEAKING,
    audio_levels,
    join_and_offer,
    levels_between,
    stored_recordings,
)
from tests.integration.media.media_peers import Client, wait_until

pytestmark = pytest.mark.slow
DROP_SECONDS = 2.5


async def test_a_new_offer_after_a_dropped_connection_restores_media_and_continues_the_same_recording(
    room: Room, tmp_path: Path
) -> None:
    official = Client(speech="official.wav", luma=190)
    citizen = Client(speech="citizen.wav", luma=60)
    await join_and_offer(room, official)
    first = await join_and_offer(room, citizen, room.seeded.token)
    await room.post(room.api(f"/members/{first['member_id']}/admit"))
    await wait_until(lambda: len(official.video_lumas) > 20, 15, "the citizen's video")

    await citizen.close()  # the line drops: no signalling, the connection just dies
    dropped_at = datetime.now(UTC)
    await asyncio.sleep(DROP_SECONDS)
    heard_during_drop = official.audio_frames
    rejoined = Client(speech="citizen.wav", luma=100)
    second = await join_and_offer(room, rejoined, room.seeded.token)  # a fresh ticket
    back_at = datetime.now(UTC)
    seen = len(official.video_lumas)
    await wait_until(lambda: len(official.video_lumas) > seen + 20
                     and abs(official.video_lumas[-1] - 100) < 20 and len(rejoined.video_lumas) > 20,
                     15, "media both ways after the new offer")
    await asyncio.sleep(2)
    state = await (await room.staff.get(room.api("/state"))).get_json()
    ended = await room.post(room.api("/end"))
    for client in (official, rejoined):
        await client.close()

    assert ended.status_code == 200 and second["member_id"] == first["member_id"]
    assert second["hearing_id"] == room.hearing_id and second["ticket"] != first["ticket"]
    me = next(m for m in state["members"] if m["id"] == first["member_id"])
    assert me["connection"] == "connected" and me["recording"]
    assert official.audio_frames > heard_during_drop + 50  # the official hears them again
    recordings = [r for r in await stored_recordings(room) if str(r.member_id) == first["member_id"]]
    assert sorted(r.kind for r in recordings) == ["audio", "evidence"]  # one pair, not two
    (audio,) = [r for r in recordings if r.kind == "audio"]
    path = tmp_path / "recordings" / audio.path
    assert sorted(p.name for p in path.parent.glob(f"{first['member_id']}*")) == [
        f"{first['member_id']}.{suffix}" for suffix in (
            "audio.webm", "audio.webm.chain", "av.webm", "av.webm.chain", "manifest.json")]
    assert audio.stopped_at is not None
    span = (audio.stopped_at - audio.started_at).total_seconds()
    assert abs(probe_duration(path) - span) <= 1.0  # the whole span, drop included
    levels = audio_levels(path)
    gap_start = (dropped_at - audio.started_at).total_seconds() + 0.5
    gap_end = (back_at - audio.started_at).total_seconds()
    assert max(levels_between(levels, gap_start, gap_end)) < SILENT  # the drop is silence
    before = levels_between(levels, 0, gap_start - 0.5)
    after = levels_between(levels, gap_end + 1, span)
    assert max(before) > SPEAKING and max(after) > SPEAKING  # speech on both sides of it
