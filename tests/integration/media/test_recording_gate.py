"""No media flows unrecorded: a recorder that cannot start (its directory is blocked by a
regular file) or dies (its file's disk is full) pauses the whole room, is reported, and media
flows again once a recorder runs; what the dead recorder wrote is kept and verifies."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from media_peers import Client, fill_disk, wait_until

from reception.adapters.media import MediaHub, chain

ROOM = "gated"
Reports = list[tuple[str, str, str, str | None]]


@pytest.fixture
def reports() -> Reports:
    return []


@pytest.fixture
async def hub(tmp_path: Path, reports: Reports) -> AsyncIterator[MediaHub]:
    hub = MediaHub(tmp_path, loopback_only=True, on_recorder_state=lambda *r: reports.append(r))
    yield hub
    await hub.close()


async def join(hub: MediaHub, client: Client, who: str) -> None:
    answer = await hub.handle_offer(ROOM, who, await client.offer(), "offer", admitted=True)
    await client.accept(answer.sdp, answer.type)


async def connected(hub: MediaHub) -> None:
    await wait_until(lambda: all(p.connection_state == "connected"
                                 for p in hub.participants(ROOM)), 10, "both connected")


async def received(client: Client, seconds: float = 1.5) -> tuple[int, int]:
    """Audio and video frames the client received during `seconds` (after in-flight frames)."""
    await asyncio.sleep(0.5)
    audio, video = client.audio_frames, len(client.video_lumas)
    await asyncio.sleep(seconds)
    return client.audio_frames - audio, len(client.video_lumas) - video


@pytest.mark.slow
async def test_a_recorder_that_cannot_start_pauses_everyone_until_it_runs(
    hub: MediaHub, tmp_path: Path, reports: Reports
) -> None:
    citizen, official = Client(speech="citizen.wav", luma=60), Client(speech="official.wav",
                                                                      luma=190)
    (tmp_path / ROOM).write_text("not a directory")  # where the room's recordings must go
    await join(hub, citizen, "citizen")
    await join(hub, official, "official")
    await connected(hub)

    assert await hub.start_recording(ROOM, "official") is False
    assert await hub.start_recording(ROOM, "citizen") is False
    assert ("gated", "citizen", "failed") in [r[:3] for r in reports]
    problem = next(r[3] for r in reports if r[1] == "citizen")
    assert problem and "gated" in problem
    assert not hub.media_flowing(ROOM)
    assert await received(official) == (0, 0) and await received(citizen) == (0, 0)
    views = {v.participant_id: v for v in hub.participants(ROOM)}
    assert not views["citizen"].recording and views["citizen"].recorder_problem

    (tmp_path / ROOM).unlink()  # the disk is fixed: the next start runs and media flows
    assert await hub.start_recording(ROOM, "official") is True
    assert not hub.media_flowing(ROOM)  # the citizen is still unrecorded
    assert await received(official, 1.0) == (0, 0)
    assert await hub.start_recording(ROOM, "citizen") is True
    assert hub.media_flowing(ROOM)
    await wait_until(lambda: len(official.video_lumas) > 10 and official.audio_frames > 50
                     and len(citizen.video_lumas) > 10, 10, "media after recording resumed")
    results = await hub.end_room(ROOM)
    for client in (citizen, official):
        await client.close()
    assert sorted(r.participant_id for r in results) == ["citizen", "official"]
    for result in results:
        for recorded in (result.audio, result.evidence):
            assert chain.verify(recorded.path) == []


@pytest.mark.slow
async def test_a_recorder_that_dies_pauses_the_room_and_a_new_one_continues_in_new_files(
    hub: MediaHub, tmp_path: Path, reports: Reports
) -> None:
    citizen, official = Client(speech="citizen.wav", luma=60), Client(speech="official.wav",
                                                                      luma=190)
    await join(hub, citizen, "citizen")
    await join(hub, official, "official")
    await connected(hub)
    assert await hub.start_recording(ROOM, "citizen") and await hub.start_recording(ROOM,
                                                                                   "official")
    await wait_until(lambda: len(official.video_lumas) > 10, 10, "media while recorded")

    evidence = tmp_path / ROOM / "citizen.av.webm"
    await wait_until(lambda: sum(line.startswith("a ") for line in (chain.read_chain(evidence)
                                                                   or "").splitlines()) > 4,
                     10, "clusters of the citizen's evidence on disk")
    fill_disk(evidence)
    await wait_until(lambda: ("gated", "citizen", "failed") in [r[:3] for r in reports], 10,
                     "the citizen's recorder reported dead")
    assert not hub.media_flowing(ROOM)
    assert await received(official) == (0, 0)

    assert await hub.start_recording(ROOM, "citizen") is True  # the service's retry
    assert hub.media_flowing(ROOM)
    seen = len(official.video_lumas)
    await wait_until(lambda: len(official.video_lumas) > seen + 10, 10, "media flows again")
    results = await hub.end_room(ROOM)
    for client in (citizen, official):
        await client.close()

    citizen_files = sorted(r.evidence.path.name for r in results if r.participant_id == "citizen")
    assert citizen_files == ["citizen-2.av.webm", "citizen.av.webm"]
    for result in results:
        for recorded in (result.audio, result.evidence):
            assert chain.verify(recorded.path) == [], recorded.path
    dead = next(r for r in results if r.evidence.path.name == "citizen.av.webm")
    assert dead.repaired or dead.errors  # closed as far as it could be, never silently
