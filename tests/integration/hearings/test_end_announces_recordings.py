"""The official's page hears of the end and then of the stored files: the state commits
"ended" before the media node has closed and stored the files, so an event in between (a
member's connection closing) shows an ended hearing with no recordings yet. The event socket
stays open through that window and closes only after the "ended" announcement, whose state
lists every recording — the console shows the files and their check without a reload."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import asyncpg
import pytest
from quart.testing.connections import WebsocketDisconnectError

from reception.domain.hearings.model import HearingId, HearingStatus
from tests.conftest import asyncpg_dsn
from tests.integration.hearings.conftest import Room
from tests.integration.hearings.media_checks import official_hears_citizen

pytestmark = pytest.mark.slow


async def _status(room: Room) -> HearingStatus:
    async with room.app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        hearing = await uow.hearings.get(HearingId(uuid.UUID(room.hearing_id)))
    assert hearing is not None
    return hearing.status


async def test_the_event_socket_closes_after_the_state_with_the_stored_recordings(
        room: Room, clean_db: str) -> None:
    official, citizen, citizen_id = await official_hears_citizen(room)
    received: list[dict[str, Any]] = []
    # Storing the files waits while another transaction holds the recordings table: the
    # window between the committed end and the stored files, held open for the test.
    holder = await asyncpg.connect(dsn=asyncpg_dsn(clean_db))
    try:
        async with asyncio.timeout(120), room.staff.websocket(room.api("/events")) as socket:
            received.append(json.loads(await socket.receive()))
            window = holder.transaction()
            await window.start()
            await holder.execute("LOCK TABLE hearing_recording IN SHARE MODE")
            ending = asyncio.create_task(room.post(room.api("/end")))
            deadline = asyncio.get_running_loop().time() + 30
            while await _status(room) is HearingStatus.OPEN:
                assert asyncio.get_running_loop().time() < deadline, "the end never committed"
                await asyncio.sleep(0.05)
            # A member's connection closing, as the media node announces it, inside the window.
            room.app.container.events.publish(  # type: ignore[attr-defined]
                room.hearing_id, {"type": "left", "member": citizen_id, "connection": "closed"})
            try:
                # (Events travel through PostgreSQL: an earlier one may still arrive first.)
                while not received or received[-1]["event"]["type"] != "left":
                    received.append(json.loads(await asyncio.wait_for(socket.receive(), 30)))
                await window.rollback()  # the files may be stored now
                while True:  # the server closes the socket: 60 s only guards against a hang
                    received.append(json.loads(await asyncio.wait_for(socket.receive(), 60)))
            except WebsocketDisconnectError:
                pass
            assert (await ending).status_code == 200
    finally:
        await holder.close()
        for client in (official, citizen):
            await client.close()

    events = [(m["event"]["type"], m["state"]["hearing"]["status"], len(m["state"]["recordings"]))
              for m in received]
    assert events[0] == ("hello", "open", 0) and ("left", "ended", 0) in events, events
    last = received[-1]
    assert last["event"]["type"] == "ended" and last["state"]["hearing"]["status"] == "ended"
    files = last["state"]["recordings"]
    assert sorted(f["kind"] for f in files) == ["audio", "audio", "evidence", "evidence"], events
    assert all(f["verified"] is True for f in files), files
    assert last["state"]["hearing"]["transcription"] == "queued"
