"""A member removed from a hearing has their files closed and stored at once; if the node
holding the hearing is then lost, the node that adopts it finds those files in the hearing's
directory with the rest. It stores each file once, interrupts the hearing and queues its
transcription — before, the second store of the removed member's files broke the unique
path of a recording and the adoption failed at every heartbeat: the hearing stayed open,
unrecorded from then on."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import Sequence

from sqlalchemy import delete

from reception.adapters.db.tables.media_nodes import MediaNodeRow
from reception.bootstrap.hearings import dead_after, open_media_rooms
from reception.domain.hearings.model import HearingId, HearingStatus, Recording
from reception.services.hearings.node import MediaNodeService
from tests.integration.hearings.conftest import Room
from tests.integration.hearings.media_checks import official_hears_citizen, stored_recordings


async def test_the_adopter_of_a_hearing_stores_a_removed_member_s_files_once(
    room: Room,
) -> None:
    container = room.app.container  # type: ignore[attr-defined]
    official, citizen, citizen_id = await official_hears_citizen(room)
    assert (await room.post(room.api(f"/members/{citizen_id}/remove"))).status_code == 204
    removed = await _until_stored(room, 2)
    hearing_id = HearingId(uuid.UUID(room.hearing_id))

    # The node holding the hearing is lost (its registration ended, as an adoption of a node
    # taken for dead ends it); another node starts and adopts what it held.
    async with container.uow_factory() as uow:
        holder = await uow.media_nodes.of_hearing(hearing_id, dead_after(container.settings))
        assert holder is not None
        await uow.session.execute(delete(MediaNodeRow).where(MediaNodeRow.name == holder.name))
        await uow.commit()
    adopter = MediaNodeService(container.uow_factory, container.clock, container.events,
                               "adopter", verifier=container.integrity,
                               dead_after=dead_after(container.settings))
    try:
        adopted = await adopter.start(open_media_rooms(container.settings, adopter),
                                      "http://127.0.0.1:9", socket.gethostname(), os.getpid())
        assert adopted == [hearing_id]
    finally:
        await adopter.stop()
        await official.close()
        await citizen.close()

    recordings = await stored_recordings(room)
    assert len(recordings) == 4 and len({r.path for r in recordings}) == 4
    assert {r.path for r in removed} <= {r.path for r in recordings}
    async with container.uow_factory() as uow:
        hearing = await uow.hearings.get(hearing_id)
    assert hearing is not None and hearing.status is HearingStatus.INTERRUPTED
    assert hearing.transcription is not None  # queued with the state


async def _until_stored(room: Room, count: int) -> Sequence[Recording]:
    deadline = asyncio.get_running_loop().time() + 20
    while len(stored := await stored_recordings(room)) < count:
        assert asyncio.get_running_loop().time() < deadline, "the removed member's files"
        await asyncio.sleep(0.2)
    return stored
