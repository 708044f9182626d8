"""Audio-only mode for a weak line: the citizen offers audio only; the server sends them no
video, still relays and records their audio, and their evidence file stays valid."""

from __future__ import annotations

import asyncio
from pathlib import Path

import av
import pytest
from aiortc import sdp as aiortc_sdp

from reception.adapters.media import probe_duration
from tests.integration.hearings.conftest import Room
from tests.integration.hearings.media_checks import (
    SPEAKING,
    audio_levels,
    join_and_offer,
    stored_recordings,
)
from tests.integration.media.media_peers import Client, wait_until

pytestmark = pytest.mark.slow


async def test_an_audio_only_citizen_gets_no_video_and_their_audio_is_relayed_and_recorded(
    room: Room, tmp_path: Path
) -> None:
    official = Client(speech="official.wav", luma=190)
    citizen = Client(speech="citizen.wav", luma=None)  # no camera...
    citizen.pc.addTransceiver("video", direction="recvonly")  # ...but would take video
    await join_and_offer(room, official)
    joined = await join_and_offer(room, citizen, room.seeded.token, audio_only=True)
    answer = citizen.pc.remoteDescription.sdp
    await room.post(room.api(f"/members/{joined['member_id']}/admit"))
    await wait_until(lambda: official.audio_frames > 150 and citizen.audio_frames > 150, 15,
                     "audio both ways")
    await asyncio.sleep(1)
    await room.post(room.api("/end"))
    for client in (official, citizen):
        await client.close()

    directions = {m.kind: m.direction for m in aiortc_sdp.SessionDescription.parse(answer).media}
    assert directions == {"audio": "sendrecv", "video": "inactive"}
    assert citizen.video_lumas == []  # nothing but audio went down the weak line
    assert len(official.video_lumas) == 0  # and the official sees no picture of them
    recordings = {r.kind: r for r in await stored_recordings(room)
                  if str(r.member_id) == joined["member_id"]}
    audio_path = tmp_path / "recordings" / recordings["audio"].path
    evidence_path = tmp_path / "recordings" / recordings["evidence"].path
    assert max(audio_levels(audio_path)) > SPEAKING
    # The evidence keeps its (empty) video track: the layout is fixed when recording starts
    # and the member may switch video back on; it decodes and carries the whole audio.
    with av.open(str(evidence_path)) as container:
        assert len(container.streams.video) == 1 and len(container.streams.audio) == 1
        assert sum(1 for _ in container.decode(video=0)) == 0
    assert recordings["evidence"].video_frames == 0
    assert max(audio_levels(evidence_path)) > SPEAKING
    assert abs(probe_duration(evidence_path) - probe_duration(audio_path)) <= 0.2
