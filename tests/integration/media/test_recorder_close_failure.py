"""A recorder that fails after closing its files (the disk fills as it writes the closing
manifest) never leaves media flowing: ending the room, or removing a member, still stops all
forwarding and closes every connection; the failure is reported ("close_failed"), not raised,
and the files are salvaged like a crash's (repaired, the manifest says so) and returned.

Before, the OSError escaped `ParticipantRecorder.stop` as something other than
`RecorderFailed`: `end_room` raised with the room already forgotten, and the peers kept
receiving each other, unrecorded, with nobody left to stop it."""

from __future__ import annotations

import errno
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from media_peers import Client, wait_until

from reception.adapters.media import MediaHub, chain
from reception.adapters.media.recording.manifest import CLOSED, EMPTY, REPAIRED, Manifest

ROOM = "closing"
Reports = list[tuple[str, str, str, str | None]]


@pytest.fixture
def reports() -> Reports:
    return []


@pytest.fixture
async def hub(tmp_path: Path, reports: Reports) -> AsyncIterator[MediaHub]:
    hub = MediaHub(tmp_path, loopback_only=True, on_recorder_state=lambda *r: reports.append(r))
    yield hub
    await hub.close()


@pytest.fixture
def full_disk_at_close(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The first closing manifest of each recording (after its files closed) cannot be
    written: no space left. The salvage's manifest, written later, goes through."""
    failed: list[str] = []
    write = Manifest.write

    def closing_fails(manifest: Manifest, directory: Path) -> None:
        name = manifest.stem or manifest.participant_id
        if manifest.state in (CLOSED, EMPTY) and name not in failed:
            failed.append(name)
            raise OSError(errno.ENOSPC, "No space left on device", f"{name}.manifest.json")
        write(manifest, directory)

    monkeypatch.setattr(Manifest, "write", closing_fails)
    yield failed


async def recorded_pair(hub: MediaHub) -> tuple[Client, Client]:
    citizen, official = Client(speech="citizen.wav", luma=60), Client(speech="official.wav",
                                                                      luma=190)
    for client, who in ((citizen, "citizen"), (official, "official")):
        answer = await hub.handle_offer(ROOM, who, await client.offer(), "offer", admitted=True)
        await client.accept(answer.sdp, answer.type)
    await wait_until(lambda: all(p.connection_state == "connected"
                                 for p in hub.participants(ROOM)), 10, "both connected")
    assert await hub.start_recording(ROOM, "citizen") and await hub.start_recording(ROOM,
                                                                                   "official")
    await wait_until(lambda: len(official.video_lumas) > 10 and citizen.audio_frames > 50, 10,
                     "media while recorded")
    return citizen, official


def disconnected(*clients: Client) -> bool:
    return all(c.pc.connectionState in ("closed", "failed") for c in clients)


@pytest.mark.slow
async def test_ending_the_room_stops_all_media_when_the_closing_manifest_cannot_be_written(
    hub: MediaHub, tmp_path: Path, reports: Reports, full_disk_at_close: list[str]
) -> None:
    citizen, official = await recorded_pair(hub)
    try:
        results = await hub.end_room(ROOM)  # raised OSError before
        await wait_until(lambda: disconnected(citizen, official), 10,
                         "both peers disconnected by the end")
    finally:
        for client in (citizen, official):
            await client.close()

    assert sorted(full_disk_at_close) == ["citizen", "official"]
    assert hub.rooms() == []
    failures = sorted((r[1], r[2]) for r in reports if r[2] == "close_failed")
    assert failures == [("citizen", "close_failed"), ("official", "close_failed")]
    assert all("No space left on device" in (r[3] or "") for r in reports if r[2] == "close_failed")
    assert sorted(r.participant_id for r in results) == ["citizen", "official"]
    for result in results:  # salvaged like a crash's files: repaired, kept, verifiable
        assert result.repaired and result.audio and result.evidence
        for recorded in (result.audio, result.evidence):
            assert chain.verify(recorded.path) == [], recorded.path
        manifest = Manifest.read(Manifest.path_for(tmp_path / ROOM, result.participant_id))
        assert manifest.state == REPAIRED


@pytest.mark.slow
async def test_removing_a_member_disconnects_them_when_their_closing_manifest_cannot_be_written(
    hub: MediaHub, reports: Reports, full_disk_at_close: list[str]
) -> None:
    citizen, official = await recorded_pair(hub)
    try:
        results = await hub.remove(ROOM, "citizen")  # raised OSError before, still wired in
        assert [p.participant_id for p in hub.participants(ROOM)] == ["official"]
        assert all(slot.source_participant_id is None for slot in hub.slots(ROOM, "official"))
        await wait_until(lambda: disconnected(citizen), 10, "the removed citizen disconnected")
        assert not disconnected(official)
    finally:
        for client in (citizen, official):
            await client.close()

    assert full_disk_at_close == ["citizen"]
    assert [(r[1], r[2]) for r in reports if r[2] == "close_failed"] == [("citizen",
                                                                          "close_failed")]
    (result,) = results
    assert result.participant_id == "citizen" and result.repaired
    assert result.audio is not None and chain.verify(result.audio.path) == []
