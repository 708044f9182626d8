"""When a web process cannot reach the hearing's media node (here: it holds the wrong node key,
so the node refuses every call), the official's end still commits, and the node brings its
room in line by itself within a few heartbeats: the room is closed, every file stored with its
hashes and the transcription queued. Nothing recorded is lost to a lost call."""

from __future__ import annotations

import asyncio
import uuid

from reception.adapters.media.nodes import NodeClient
from reception.bootstrap.hearings import build_hearing_service
from reception.domain.hearings.model import HearingId, HearingStatus
from tests.integration.hearings.conftest import Room
from tests.integration.hearings.media_checks import official_hears_citizen, stored_recordings
from tests.integration.media.media_peers import wait_until


async def test_an_end_the_node_never_heard_of_closes_its_room_at_the_next_catch_up(
    room: Room,
) -> None:
    container = room.app.container  # type: ignore[attr-defined]
    official, citizen, _ = await official_hears_citizen(room)
    cut_off = NodeClient("not-the-node-key")
    web = build_hearing_service(container.settings, container.uow_factory, container.clock,
                                container.booking.agenda, container.booking.waiting_room,
                                container.events, cut_off)
    hearing_id = HearingId(uuid.UUID(room.hearing_id))
    try:
        ended = await web.end(room.official, hearing_id)  # the node refuses the call
        assert ended.status is HearingStatus.ENDED
        assert not await stored_recordings(room)  # nothing closed yet: the room still runs
        await wait_until(lambda: official.pc.connectionState in ("closed", "failed"), 30,
                         "the node closing the ended hearing's room by itself")
        deadline = asyncio.get_running_loop().time() + 30
        while len(await stored_recordings(room)) < 4:  # stored just after the room closed
            assert asyncio.get_running_loop().time() < deadline, "the files were never stored"
            await asyncio.sleep(0.2)
    finally:
        await cut_off.close()
        await official.close()
        await citizen.close()

    recordings = await stored_recordings(room)
    assert {(r.kind, r.state) for r in recordings} == {("audio", "closed"), ("evidence", "closed")}
    assert len(recordings) == 4
    async with container.uow_factory() as uow:
        hearing = await uow.hearings.get(hearing_id)
    assert hearing is not None and hearing.transcription is not None  # queued with the files
