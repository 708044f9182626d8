"""Whatever a recorder does, a hearing never runs on unrecorded, and what happened is told.

- The disk fills as a recorder writes its closing manifest (its files are closed): the end
  and the removal still close every connection, the node still stores the files (salvaged
  like a crash's), the pages still hear "ended" / "removed", and the failure is audited.
  Before, the OSError escaped the media hub: the peers stayed connected and received each
  other unrecorded, nothing was stored and the hearing had no transcription.
- A recorder that died is started again whatever the restart meets on its way (the database
  away, a full disk): the retries go on with their back-off until a recorder runs. Before,
  the first such error ended the retries while every page said the system kept trying.
"""

from __future__ import annotations

import asyncio
import errno
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reception.adapters.media.recording.manifest import CLOSED, EMPTY, Manifest
from reception.bootstrap.media_node import RunningNode
from reception.domain.hearings.model import HearingId
from tests.integration.hearings.conftest import Room
from tests.integration.hearings.media_checks import official_hears_citizen, stored_recordings
from tests.integration.media.media_peers import Client, fill_disk, wait_until

pytestmark = pytest.mark.slow


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


def node_of(room: Room) -> RunningNode:
    node: RunningNode = room.app.extensions["media_node"]
    return node


async def trail(room: Room) -> list[tuple[str, dict[str, Any]]]:
    async with room.app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        return [(r.action, dict(r.details)) async for _, r, _, _ in uow.audit.entries()
                if r.object_id == room.hearing_id]


async def until(what: str, seconds: float, condition: Any) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)


def disconnected(client: Client) -> bool:
    return client.pc.connectionState in ("closed", "failed")


async def test_the_end_closes_stores_and_announces_when_the_closing_manifest_cannot_be_written(
    room: Room, full_disk_at_close: list[str]
) -> None:
    container = room.app.container  # type: ignore[attr-defined]
    official, citizen, _ = await official_hears_citizen(room)
    try:
        async with container.events.listen(room.hearing_id, "the-test") as listener:
            assert (await room.post(room.api("/end"))).status_code == 200
            events = [await asyncio.wait_for(listener.get(), 30)]
            while events[-1].get("type") != "ended":
                events.append(await asyncio.wait_for(listener.get(), 30))
        await wait_until(lambda: disconnected(official) and disconnected(citizen), 10,
                         "both peers disconnected by the end")
    finally:
        for client in (official, citizen):
            await client.close()

    assert len(full_disk_at_close) == 2
    recordings = await stored_recordings(room)
    assert sorted((r.kind, r.state) for r in recordings) == [
        ("audio", "repaired"), ("audio", "repaired"), ("evidence", "repaired"),
        ("evidence", "repaired")]
    async with container.uow_factory() as uow:
        hearing = await uow.hearings.get(HearingId(uuid.UUID(room.hearing_id)))
    assert hearing is not None and hearing.transcription is not None  # queued with the files

    async def both_audited() -> bool:
        return sum(a == "hearing.recording_close_failed" for a, _ in await trail(room)) == 2

    await until("the close failures audited", 10, both_audited)
    problems = [d["problem"] for a, d in await trail(room) if a == "hearing.recording_close_failed"]
    assert all("No space left on device" in str(p) for p in problems), problems


async def test_a_removal_disconnects_stores_and_announces_when_the_closing_manifest_fails(
    room: Room, full_disk_at_close: list[str]
) -> None:
    container = room.app.container  # type: ignore[attr-defined]
    official, citizen, citizen_id = await official_hears_citizen(room)
    try:
        async with container.events.listen(room.hearing_id, "the-test") as listener:
            response = await room.post(room.api(f"/members/{citizen_id}/remove"))
            assert response.status_code == 204
            events = [await asyncio.wait_for(listener.get(), 30)]
            while events[-1].get("type") != "removed":
                events.append(await asyncio.wait_for(listener.get(), 30))
        await wait_until(lambda: disconnected(citizen), 10, "the removed citizen disconnected")
        media = node_of(room).service.recording._rooms()
        assert media is not None and citizen_id not in media.connection_states(room.hearing_id)
        assert not disconnected(official)
    finally:
        for client in (official, citizen):
            await client.close()

    assert full_disk_at_close == [citizen_id]
    recordings = await stored_recordings(room)
    assert sorted((str(r.member_id), r.kind, r.state) for r in recordings) == [
        (citizen_id, "audio", "repaired"), (citizen_id, "evidence", "repaired")]

    async def audited() -> bool:
        return ("hearing.recording_close_failed", {"member": citizen_id, "problem": (
            f"No space left on device: {citizen_id}.manifest.json")}) in await trail(room)

    await until("the close failure audited", 10, audited)


async def test_restarts_of_a_dead_recorder_go_on_through_errors_until_one_runs(
    room: Room, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    official, citizen, citizen_id = await official_hears_citizen(room)
    watch = node_of(room).service.recording
    watch.first_delay, watch.most_delay = 0.05, 0.2
    media = watch._rooms()
    assert media is not None
    calls: list[str] = []
    still_recordable, start_recording = watch._still_recordable, media.start_recording

    async def database_away_twice(room_id: str, member: str) -> bool:
        calls.append("check")
        if calls.count("check") <= 2:
            raise ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")
        return await still_recordable(room_id, member)

    async def disk_full_twice(room_id: str, member: str) -> bool:
        calls.append("start")
        if calls.count("start") <= 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return await start_recording(room_id, member)

    monkeypatch.setattr(watch, "_still_recordable", database_away_twice)
    monkeypatch.setattr(media, "start_recording", disk_full_twice)
    try:
        fill_disk(tmp_path / "recordings" / room.hearing_id / f"{citizen_id}.av.webm")
        await wait_until(lambda: not media.media_flowing(room.hearing_id), 10,
                         "the room paused by the dead recorder")
        await wait_until(lambda: media.media_flowing(room.hearing_id), 20,
                         "the recorder running again, media flowing")
        heard = official.audio_frames
        await wait_until(lambda: official.audio_frames > heard + 50, 10, "the citizen heard again")
    finally:
        for client in (official, citizen):
            await client.close()

    assert calls.count("start") == 3 and calls.count("check") == 5, calls

    async def resumed() -> bool:
        return ("hearing.recording_resumed", {"member": citizen_id, "attempts": 5}) \
            in await trail(room)

    await until("the resumption audited", 10, resumed)
    actions = [a for a, _ in await trail(room) if a.startswith("hearing.recording_")]
    # (The dead recorder's files could not close on the full disk: salvaged, and audited.)
    assert [a for a in actions if a != "hearing.recording_close_failed"] == [
        "hearing.recording_failed", "hearing.recording_resumed"], actions


async def test_restarts_that_keep_failing_keep_trying_and_say_why_they_end(
    room: Room, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    official, citizen, citizen_id = await official_hears_citizen(room)
    watch = node_of(room).service.recording
    watch.first_delay, watch.most_delay = 0.05, 0.1
    media = watch._rooms()
    assert media is not None
    attempts: list[int] = []

    async def disk_always_full(room_id: str, member: str) -> bool:
        attempts.append(1)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(media, "start_recording", disk_always_full)
    container = room.app.container  # type: ignore[attr-defined]
    try:
        fill_disk(tmp_path / "recordings" / room.hearing_id / f"{citizen_id}.av.webm")
        await wait_until(lambda: len(attempts) >= 10, 20, "ten restarts, each failing")
        assert watch.retrying(room.hearing_id) == {citizen_id}  # still trying
        assert not media.media_flowing(room.hearing_id)
        async with container.events.listen(room.hearing_id, "the-test") as listener:
            assert (await room.post(room.api("/end"))).status_code == 200
            events = [await asyncio.wait_for(listener.get(), 30)]
            while events[-1].get("state") != "retry_ended":
                events.append(await asyncio.wait_for(listener.get(), 30))
    finally:
        for client in (official, citizen):
            await client.close()

    assert events[-1] == {"type": "recording", "member": citizen_id, "state": "retry_ended",
                          "reason": "not recordable"}
    await wait_until(lambda: not watch.retrying(room.hearing_id), 10, "the retries ended")

    async def ended() -> bool:
        return any(a == "hearing.recording_retry_ended" and d["member"] == citizen_id
                   and d["reason"] == "not recordable" for a, d in await trail(room))

    await until("the end of the retries audited", 10, ended)
