"""The media hub with real aiortc peers over loopback: relay, recording, admission, rejoin."""

from __future__ import annotations

import asyncio
import hashlib
import statistics
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from media_peers import Client, decoded_video_frames, wait_until

from reception.adapters.media import MediaHub, NotAdmitted, probe_duration

CITIZEN_LUMA, OFFICIAL_LUMA = 60, 190


@pytest.fixture
def states() -> list[tuple[str, str, str]]:
    """Every (room, participant, connection state) the hub reported."""
    return []


@pytest.fixture
async def hub(tmp_path: Path, states: list[tuple[str, str, str]]) -> AsyncIterator[MediaHub]:
    hub = MediaHub(tmp_path, loopback_only=True, on_connection_state=lambda *s: states.append(s))
    yield hub
    await hub.close()


async def join(hub: MediaHub, client: Client, who: str, **flags: bool) -> None:
    answer = await hub.handle_offer("hearing-1", who, await client.offer(), "offer", **flags)
    await client.accept(answer.sdp, answer.type)


def recent_luma(client: Client) -> float:
    return float(statistics.mean(client.video_lumas[-10:]))


@pytest.mark.slow
async def test_two_parties_see_each_other_through_the_hub_and_both_are_recorded(
    hub: MediaHub, tmp_path: Path
) -> None:
    citizen = Client(speech="citizen.wav", luma=CITIZEN_LUMA)
    official = Client(speech="official.wav", luma=OFFICIAL_LUMA)
    await join(hub, citizen, "citizen", admitted=True)  # first one waits alone: proxy tracks
    await join(hub, official, "official", admitted=True)
    await hub.start_recording("hearing-1", "citizen")
    await hub.start_recording("hearing-1", "official")
    loop = asyncio.get_running_loop()
    started = loop.time()
    await wait_until(
        lambda: len(citizen.video_lumas) > 30 and len(official.video_lumas) > 30, 10, "video both ways"
    )
    await asyncio.sleep(max(0.0, 6 - (loop.time() - started)))
    results = await hub.end_room("hearing-1")
    length = loop.time() - started
    await citizen.close()
    await official.close()

    assert abs(recent_luma(citizen) - OFFICIAL_LUMA) < 20  # citizen sees the official...
    assert abs(recent_luma(official) - CITIZEN_LUMA) < 20  # ...and the official the citizen
    assert citizen.audio_frames > 100 and official.audio_frames > 100
    assert sorted(r.participant_id for r in results) == ["citizen", "official"]
    for result in results:
        assert abs(probe_duration(result.audio.path) - length) <= 1.0
        assert abs(probe_duration(result.evidence.path) - length) <= 1.0
        assert decoded_video_frames(result.evidence.path) > 30
        for recorded in (result.audio, result.evidence):
            assert hashlib.sha256(recorded.path.read_bytes()).hexdigest() == recorded.sha256
        assert result.first_audio_at is not None and result.first_video_at is not None
        assert result.started_at <= result.first_audio_at < result.stopped_at
        assert result.errors == ()


@pytest.mark.slow
async def test_a_participant_not_yet_admitted_receives_nothing_and_is_not_recorded(
    hub: MediaHub, tmp_path: Path
) -> None:
    citizen = Client(speech="citizen.wav", luma=CITIZEN_LUMA)
    official = Client(speech="official.wav", luma=OFFICIAL_LUMA)
    await join(hub, official, "official", admitted=True)
    await join(hub, citizen, "citizen")  # waiting room
    await hub.start_recording("hearing-1", "official")
    with pytest.raises(NotAdmitted):
        await hub.start_recording("hearing-1", "citizen")
    await wait_until(
        lambda: hub.participants("hearing-1")[1].connection_state == "connected", 10, "citizen connected"
    )
    await asyncio.sleep(2)

    assert citizen.audio_frames == 0 and citizen.video_lumas == []
    assert official.audio_frames == 0 and official.video_lumas == []
    assert not list((tmp_path / "hearing-1").glob("citizen*"))

    hub.admit("hearing-1", "citizen")  # admitted, connected, not yet recorded: nothing flows
    await asyncio.sleep(1.5)
    assert not hub.media_flowing("hearing-1")
    assert citizen.video_lumas == [] and official.video_lumas == []
    await hub.start_recording("hearing-1", "citizen")  # the same connections carry media now
    assert hub.media_flowing("hearing-1")
    await wait_until(
        lambda: len(citizen.video_lumas) > 5 and len(official.video_lumas) > 5, 10, "video after admission"
    )
    await hub.end_room("hearing-1")
    await citizen.close()
    await official.close()
    assert abs(recent_luma(official) - CITIZEN_LUMA) < 20


@pytest.mark.slow
async def test_a_new_offer_replaces_the_old_connection_in_the_same_room(hub: MediaHub) -> None:
    citizen = Client(speech="citizen.wav", luma=CITIZEN_LUMA)
    official = Client(speech="official.wav", luma=OFFICIAL_LUMA)
    await join(hub, citizen, "citizen", admitted=True)
    await join(hub, official, "official", admitted=True)
    await hub.start_recording("hearing-1", "citizen")
    await hub.start_recording("hearing-1", "official")
    await wait_until(lambda: len(official.video_lumas) > 10, 10, "citizen's video")

    rejoined = Client(speech="citizen.wav", luma=100)  # the old one just went silent
    await join(hub, rejoined, "citizen")
    seen_before = len(official.video_lumas)
    await wait_until(
        lambda: len(official.video_lumas) > seen_before + 20 and abs(recent_luma(official) - 100) < 20,
        10,
        "rejoined citizen's video",
    )
    await wait_until(lambda: len(rejoined.video_lumas) > 10, 10, "official's video after rejoin")
    await wait_until(
        lambda: (
            citizen.pc.connectionState in ("failed", "closed")
            or hub.participants("hearing-1")[0].connection_state == "connected"
        ),
        10,
        "state settled",
    )
    views = hub.participants("hearing-1")
    (result,) = [r for r in await hub.end_room("hearing-1") if r.participant_id == "citizen"]
    for client in (citizen, official, rejoined):
        await client.close()

    assert [v.participant_id for v in views] == ["citizen", "official"]
    assert views[0].connection_state == "connected"
    assert result.errors == () and decoded_video_frames(result.evidence.path) > 20


async def test_an_offer_with_a_modified_dtls_fingerprint_never_connects(
    hub: MediaHub, states: list[tuple[str, str, str]]
) -> None:
    citizen = Client(speech="citizen.wav", luma=CITIZEN_LUMA)
    # Like a browser's offer, keep only the sha-256 fingerprint, then change its first byte.
    lines = [
        x
        for x in (await citizen.offer()).splitlines()
        if not x.startswith("a=fingerprint:sha-") or x.startswith("a=fingerprint:sha-256 ")
    ]
    digest = next(x for x in lines if x.startswith("a=fingerprint:")).split()[1]
    tampered_digest = ("00" if not digest.startswith("00") else "11") + digest[2:]
    tampered = "\r\n".join(lines).replace(digest, tampered_digest) + "\r\n"
    answer = await hub.handle_offer("hearing-1", "citizen", tampered, "offer", admitted=True)
    await citizen.accept(answer.sdp, answer.type)
    await wait_until(lambda: ("hearing-1", "citizen", "failed") in states, 15, "failure")
    await citizen.close()

    assert ("hearing-1", "citizen", "connected") not in states
    assert ("hearing-1", "citizen", "connecting") in states  # ICE ran; DTLS refused the peer
