"""A media node whose heartbeats fail (cut off from the database) drops its rooms before it
may be taken for dead: its peers are disconnected and its recorders stop writing while its
last heartbeat is still younger than MEDIA_DEAD_AFTER_SECONDS, so whoever adopts the hearing
finds nobody forwarding or writing. When the database answers again, the node registers anew
and adopts its own hearing: interrupted, every file repaired and stored.

Before, the node swallowed every failed heartbeat and relayed (and recorded into files about
to be adopted) for as long as the database stayed away."""

from __future__ import annotations

import asyncio
import errno
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from quart import Quart
from sqlalchemy import text

from reception.app import create_app
from reception.bootstrap.media_node import RunningNode
from reception.domain.hearings.model import HearingId, HearingStatus
from tests.integration.conftest import make_settings
from tests.integration.hearings.conftest import Room, open_room
from tests.integration.hearings.media_checks import official_hears_citizen, stored_recordings
from tests.integration.media.media_peers import wait_until

pytestmark = pytest.mark.slow
DEAD_AFTER = timedelta(seconds=4)  # the shortest the settings allow (15 s in production)


@pytest.fixture
async def quick_app(tmp_path: Path, clean_db: str) -> AsyncIterator[Quart]:
    settings = make_settings(tmp_path, clean_db, ICE_LOOPBACK_ONLY="true",
                             MEDIA_DEAD_AFTER_SECONDS=str(DEAD_AFTER.total_seconds()))
    application = create_app(settings, clean_db)
    async with application.test_app():
        yield application


async def test_a_node_whose_heartbeats_fail_drops_its_rooms_before_it_may_be_adopted(
    quick_app: Quart,
) -> None:
    room: Room = await open_room(quick_app)
    container = quick_app.container  # type: ignore[attr-defined]
    node: RunningNode = quick_app.extensions["media_node"]
    hearing_id = HearingId(uuid.UUID(room.hearing_id))
    official, citizen, _ = await official_hears_citizen(room)

    async def database_away() -> None:
        raise ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")

    heartbeat = node.service.heartbeat
    node.service.heartbeat = database_away  # type: ignore[method-assign]
    try:
        await wait_until(lambda: all(c.pc.connectionState in ("closed", "failed")
                                     for c in (official, citizen)), 3 * DEAD_AFTER.seconds,
                         "the cut-off node dropping its room")
        async with container.uow_factory() as uow:
            silent = await uow.session.scalar(text(
                "SELECT now() - heartbeat_at FROM media_node WHERE name = :name"),
                {"name": node.service.name})
        assert silent < DEAD_AFTER, silent  # nobody could have adopted it yet
        assert await stored_recordings(room) == []  # dropped, not stored: adoption stores

        node.service.heartbeat = heartbeat  # type: ignore[method-assign]  # the database is back
        deadline = asyncio.get_running_loop().time() + 30
        while len(await stored_recordings(room)) < 4:
            assert asyncio.get_running_loop().time() < deadline, "the hearing was never adopted"
            await asyncio.sleep(0.2)
    finally:
        node.service.heartbeat = heartbeat  # type: ignore[method-assign]
        for client in (official, citizen):
            await client.close()

    recordings = await stored_recordings(room)
    assert {r.state for r in recordings} == {"repaired"}, recordings
    async with container.uow_factory() as uow:
        hearing = await uow.hearings.get(hearing_id)
    assert hearing is not None and hearing.status is HearingStatus.INTERRUPTED
    assert hearing.transcription is not None
    checks = await container.integrity.verify_hearing(hearing_id)
    assert len(checks) == 4 and all(check.ok for check in checks)
