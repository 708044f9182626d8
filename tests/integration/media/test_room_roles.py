"""Rooms beyond 1:1: slots per other participant, audio-only, receive-only, mute, removal."""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from media_peers import Client, wait_until

from reception.adapters.media import MediaHub, Slot

ROOM = "group-hearing"


@pytest.fixture
async def hub(tmp_path: Path) -> AsyncIterator[MediaHub]:
    hub = MediaHub(tmp_path, loopback_only=True)
    yield hub
    await hub.close()


async def join(hub: MediaHub, client: Client, who: str, **flags: bool) -> None:
    answer = await hub.handle_offer(ROOM, who, await client.offer(), "offer", **flags)
    await client.accept(answer.sdp, answer.type)


def showing(slots: list[Slot], kind: str, who: str) -> str:
    return next(s.mid for s in slots if s.kind == kind and s.source_participant_id == who)


@pytest.mark.slow
async def test_each_participant_receives_every_other_sender_in_its_own_slot(
    hub: MediaHub, tmp_path: Path
) -> None:
    citizen = Client(speech="citizen.wav", luma=60)
    official = Client(speech="official.wav", luma=190, extra_receive_slots=2)
    interpreter = Client(speech="official.wav", luma=None)  # weak line: audio only
    observer = Client(speech=None, luma=None, observer=True, extra_receive_slots=1)
    await join(hub, citizen, "citizen", admitted=True)
    await join(hub, official, "official", admitted=True)
    await join(hub, interpreter, "interpreter", admitted=True, audio_only=True)
    await join(hub, observer, "observer", admitted=True, receive_only=True)
    for sender in ("citizen", "official", "interpreter"):  # media flows once all are recorded
        assert await hub.start_recording(ROOM, sender) is True

    official_slots = hub.slots(ROOM, "official")
    observer_slots = hub.slots(ROOM, "observer")
    assert [s.source_participant_id for s in official_slots if s.kind == "audio"] == [
        "citizen",
        "interpreter",
        None,
    ]
    assert [s.source_participant_id for s in observer_slots if s.kind == "video"] == ["citizen", "official"]
    assert await hub.start_recording(ROOM, "observer") is False

    citizen_video = showing(official_slots, "video", "citizen")
    interpreter_audio = showing(official_slots, "audio", "interpreter")
    observed_official = showing(observer_slots, "video", "official")
    await wait_until(
        lambda: (
            len(official.lumas_by_mid.get(citizen_video, [])) > 10
            and official.audio_by_mid.get(interpreter_audio, 0) > 50
            and len(observer.lumas_by_mid.get(observed_official, [])) > 10
            and interpreter.audio_frames > 50
        ),
        15,
        "media in every slot",
    )
    assert statistics.mean(official.lumas_by_mid[citizen_video][-5:]) == pytest.approx(60, abs=20)
    assert statistics.mean(observer.lumas_by_mid[observed_official][-5:]) == pytest.approx(190, abs=20)
    assert interpreter.video_lumas == []  # nothing but audio goes to the audio-only line

    citizen_audio = showing(official_slots, "audio", "citizen")
    hub.set_muted(ROOM, "citizen", True)
    await asyncio.sleep(0.5)  # let frames already on the way drain
    heard = official.audio_by_mid.get(citizen_audio, 0)
    await asyncio.sleep(1.5)
    assert official.audio_by_mid.get(citizen_audio, 0) - heard <= 5

    await hub.remove(ROOM, "interpreter")
    assert [s.source_participant_id for s in hub.slots(ROOM, "official") if s.kind == "audio"] == [
        "citizen",
        None,
        None,
    ]
    assert [p.participant_id for p in hub.participants(ROOM)] == ["citizen", "official", "observer"]
    closed = await hub.end_room(ROOM)
    assert sorted(r.participant_id for r in closed) == ["citizen", "official"]
    assert not list((tmp_path / ROOM).glob("observer*"))  # receive-only: never recorded
    for client in (citizen, official, interpreter, observer):
        await client.close()
