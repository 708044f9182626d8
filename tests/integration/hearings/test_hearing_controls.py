"""The official's controls through the HTTP API: mute (heard by nobody, recorded as silence),
remove (disconnected, their recording closed and hashed at once) and end (everything closed)."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

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
MUTED_SECONDS = 2.5


async def test_mute_silences_a_member_for_everyone_and_remove_and_end_close_their_recordings(
    room: Room, tmp_path: Path
) -> None:
    official = Client(speech="official.wav", luma=190)
    citizen = Client(speech="citizen.wav", luma=60)
    official_id = (await join_and_offer(room, official))["member_id"]
    citizen_id = (await join_and_offer(room, citizen, room.seeded.token))["member_id"]
    member = room.api(f"/members/{citizen_id}")
    await room.post(f"{member}/admit")
    await wait_until(lambda: official.audio_frames > 100, 15, "the citizen's audio")

    assert (await room.post(f"{member}/mute", {"muted": True})).status_code == 204
    muted_at = datetime.now(UTC)
    await asyncio.sleep(0.5)  # frames already on their way
    heard_at_mute = official.audio_frames
    await asyncio.sleep(MUTED_SECONDS - 0.5)
    heard_while_muted = official.audio_frames - heard_at_mute
    unmuting_at = datetime.now(UTC)  # the voice may come back any time from here on
    await room.post(f"{member}/mute", {"muted": False})
    unmuted_at = datetime.now(UTC)
    await wait_until(lambda: official.audio_frames > heard_at_mute + heard_while_muted + 50, 10,
                     "the citizen's audio after unmuting")
    await asyncio.sleep(1)

    assert (await room.post(f"{member}/remove")).status_code == 204
    await wait_until(lambda: citizen.pc.connectionState in ("closed", "failed"), 10,
                     "the removed citizen disconnected")
    after_removal = {r.kind: r for r in await stored_recordings(room)}
    rejoin = await room.post(room.api("/join-by-link"), token=room.seeded.token)
    await asyncio.sleep(1)
    assert (await room.post(room.api("/end"))).status_code == 200
    await wait_until(lambda: official.pc.connectionState in ("closed", "failed"), 10,
                     "the official disconnected at the end")
    state = await (await room.staff.get(room.api("/state"))).get_json()
    for client in (official, citizen):
        await client.close()

    assert heard_while_muted <= 5  # at most a straggler: the muted voice reaches nobody
    assert rejoin.status_code == 403  # removed for good
    assert set(after_removal) == {"audio", "evidence"}  # closed before the hearing ended
    recordings = await stored_recordings(room)
    assert {(str(r.member_id), r.kind) for r in recordings} == {
        (who, kind) for who in (official_id, citizen_id) for kind in ("audio", "evidence")}
    for recording in recordings:
        path = tmp_path / "recordings" / recording.path
        assert recording.state == "closed" and recording.stopped_at is not None
        assert hashlib.sha256(path.read_bytes()).hexdigest() == recording.sha256
    assert state["hearing"]["status"] == "ended"
    assert all(not m["recording"] and m["connection"] == "none" for m in state["members"])
    citizen_audio = after_removal["audio"]
    levels = audio_levels(tmp_path / "recordings" / citizen_audio.path)
    mute_from = (muted_at - citizen_audio.started_at).total_seconds() + 0.5
    # Half a second of slack at both ends, as at the start: wall clock to file time on a busy
    # machine (packets queued, the recorder's clock mapping) is not exact to the frame.
    mute_to = (unmuting_at - citizen_audio.started_at).total_seconds() - 0.5
    unmuted = (unmuted_at - citizen_audio.started_at).total_seconds()
    assert max(levels_between(levels, mute_from, mute_to)) < SILENT  # recorded as silence
    assert max(levels_between(levels, 0, mute_from - 0.5)) > SPEAKING
    assert max(levels_between(levels, unmuted + 0.5, len(levels) * 0.5)) > SPEAKING
