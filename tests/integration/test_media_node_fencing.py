"""A media node taken for dead while it was only stalled (SIGSTOP: a long GC pause, a frozen
VM) must not touch the hearing another node adopted meanwhile. The other node adopts the live
recorded hearing (interrupts it, repairs and stores its files with their hashes); the stalled
node is woken with its peers still sending: it finds its heartbeat too old (or its registration
ended), drops the room without storing or writing anything, says so in its log and registers
again. The stored files and their as-recorded originals still verify, and they were stored
once."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import datetime

import asyncpg
import pytest

from reception.adapters.media.forwarding.ice import restrict_to_loopback
from reception.bootstrap.container import Container
from reception.services.hearings.ports import NodeAt
from reception.settings import Settings
from tests.conftest import asyncpg_dsn
from tests.integration.media.media_peers import wait_until
from tests.integration.media_plant import Plant, live_hearing, planted

pytestmark = pytest.mark.slow
DEAD_AFTER_SECONDS = 6  # the plant's MEDIA_DEAD_AFTER_SECONDS (15 s in production)


@pytest.fixture(scope="module")
def plant(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Plant]:
    with planted(database_url, tmp_path_factory.mktemp("fencing"), webs=1,
                 env={"MEDIA_DEAD_AFTER_SECONDS": str(DEAD_AFTER_SECONDS)}) as started:
        yield started


@pytest.fixture
async def container(plant: Plant) -> AsyncIterator[Container]:
    restrict_to_loopback(True)  # the test's aiortc peers offer 127.0.0.1, as the nodes answer
    settings = Settings.from_mapping({k: plant.env[k] for k in (
        "DATABASE_URL", "DATA_DIR", "SECRET_KEY", "MEDIA_DEAD_AFTER_SECONDS")})
    services = Container(settings, plant.env["DATABASE_URL"])
    yield services
    await services.close()
    restrict_to_loopback(False)


async def _until(what: str, seconds: float, condition: Callable[[], Awaitable[bool]]) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.2)


async def test_a_stalled_node_woken_after_its_hearing_was_adopted_touches_nothing(
    plant: Plant, container: Container
) -> None:
    web = plant.webs[0]
    db = await asyncpg.connect(asyncpg_dsn(plant.env["DATABASE_URL"]))
    live = await live_hearing(container, "canbo-dung", "Võ Thị Thu Hà", web, web)
    hearing_id = live.hearing.id
    stalled: str | None = None
    try:
        await wait_until(lambda: live.official.audio_frames > 250, 30, "five seconds heard")
        stalled = await db.fetchval("SELECT media_node FROM hearing WHERE id = $1", hearing_id)
        generation = await db.fetchval("SELECT generation FROM media_node WHERE name = $1",
                                       stalled)
        url = await db.fetchval("SELECT url FROM media_node WHERE name = $1", stalled)
        plant.processes[stalled].send_signal(signal.SIGSTOP)

        async def adopted_and_stored() -> bool:  # by the other node, its peers still sending
            row = await db.fetchrow(
                "SELECT h.status, h.media_node, (SELECT count(*) FROM hearing_recording r "
                "WHERE r.hearing_id = h.id) AS stored FROM hearing h WHERE h.id = $1", hearing_id)
            return bool(row["status"] == "interrupted" and row["media_node"] != stalled
                        and row["stored"] == 4)

        await _until("the other node to adopt and store the hearing", 60, adopted_and_stored)
        woke: datetime = await db.fetchval("SELECT now()")
        plant.processes[stalled].send_signal(signal.SIGCONT)

        async def registered_again() -> bool:
            beat = await db.fetchval("SELECT heartbeat_at FROM media_node WHERE name = $1",
                                     stalled)
            return beat is not None and beat > woke

        await _until("the woken node to register again", 30, registered_again)
        node = NodeAt(stalled, url, True)
        view = await container.nodes.view(node, hearing_id, None)
    finally:
        if stalled is not None:
            plant.processes[stalled].send_signal(signal.SIGCONT)
        await live.close()

    # The woken node holds nothing of the hearing, and said why.
    assert view.connections == {} and view.recorders == {}, view
    # Its watchdog usually sees the stale heartbeat before the first heartbeat after waking
    # sees the registration gone: either drops every room the fenced way.
    log = plant.log_of(stalled)
    assert "media_node.cut_off" in log or "media_node.fenced" in log
    assert await db.fetchval("SELECT generation FROM media_node WHERE name = $1",
                             stalled) != generation
    # One stored set of recordings, stored once, by the adopter; every file (and each
    # as-recorded original kept beside a repaired file) verifies against its chain and hash.
    rows = await db.fetch("SELECT path, state FROM hearing_recording WHERE hearing_id = $1",
                          hearing_id)
    assert len(rows) == 4 and {r["state"] for r in rows} == {"repaired"}, rows
    assert await db.fetchval(
        "SELECT count(*) FROM audit_log WHERE action = 'hearing.recordings_stored' "
        "AND object_id = $1", str(hearing_id)) == 1
    checks = await container.integrity.verify_hearing(hearing_id)
    assert len(checks) == 4
    assert all(check.ok for check in checks), [str(p) for c in checks for p in c.problems]
    await db.close()

