"""Room events cross processes through PostgreSQL: each `Process` here is what one process holds
(its RoomEvents on its own bus, listening on its own connection), on the one test database. An
event published in any of them — or in a real second Python process — reaches the listeners of
every other, in order; a lost listening connection comes back and tells the rooms to resync; a
holder connecting again in another process retires its listener in the first."""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from pathlib import Path

import asyncpg
import pytest

from reception.adapters.db.room_event_bus import LISTENING_NAME, SENDING_NAME, PostgresEventBus
from reception.services.hearings.events import Listener, Replaced, RoomEvents
from tests.conftest import asyncpg_dsn

ROOT = Path(__file__).resolve().parents[3]
WAIT = 30  # seconds: generous, the machine is shared; every wait ends as soon as the event is in


class Process:
    """The room events of one process: its RoomEvents, publishing and listening on its bus."""

    def __init__(self, database_url: str) -> None:
        self.bus = PostgresEventBus(database_url)
        self.events = RoomEvents(bus=self.bus)

    async def start(self) -> Process:
        await self.bus.start(self.events.deliver, self.events.rooms)
        return self


@pytest.fixture
async def processes(database_url: str) -> AsyncIterator[Callable[[], Process]]:
    started: list[Process] = []

    def make() -> Process:
        started.append(Process(database_url))
        return started[-1]

    yield make
    for process in started:
        await process.bus.close()


async def _next(listener: Listener) -> dict[str, object]:
    return await asyncio.wait_for(listener.get(), WAIT)


async def _events_until(listener: Listener, last_type: str) -> list[dict[str, object]]:
    received = [await _next(listener)]
    while received[-1]["type"] != last_type:
        received.append(await _next(listener))
    return received


async def _announced(process: Process, listener: Listener) -> None:
    """Waits until the listener's announcement came back through the database (it was sent
    before this mark, and the database keeps one process's order), so that a later connection
    elsewhere is, for certain, the newer one."""
    process.events.publish(listener.room, {"type": "mark"})
    assert await _next(listener) == {"type": "mark"}
    assert listener.announced


def room() -> str:
    return str(uuid.uuid4())


async def test_an_event_published_in_one_process_reaches_the_listeners_of_another_in_order(
        processes: Callable[[], Process]) -> None:
    publisher, web = await processes().start(), await processes().start()
    hearing = room()
    async with web.events.listen(hearing, "staff:1") as listener:
        for n in range(50):
            publisher.events.publish(hearing, {"type": "joined", "n": n})
        publisher.events.publish(hearing, {"type": "left"})
        received = await _events_until(listener, "left")
    assert [e["n"] for e in received[:-1]] == list(range(50))


async def test_an_event_sent_by_a_real_second_process_arrives(
        processes: Callable[[], Process], database_url: str) -> None:
    web = await processes().start()
    hearing = room()
    script = (  # the worker, a media process or a CLI command: publishes, never listens
        "import asyncio, sys\n"
        "from reception.adapters.db.room_event_bus import PostgresEventBus\n"
        "from reception.services.hearings.events import RoomEvents\n"
        "async def main():\n"
        "    bus = PostgresEventBus(sys.argv[1])\n"
        "    events = RoomEvents(bus=bus)\n"
        "    for n in range(3):\n"
        "        events.publish(sys.argv[2], {'type': 'recording', 'n': n})\n"
        "    await bus.close()\n"
        "asyncio.run(main())\n")
    async with web.events.listen(hearing, "link:a") as listener:
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-c", script, database_url, hearing, cwd=ROOT,
            stderr=asyncio.subprocess.PIPE)
        _, errors = await asyncio.wait_for(child.communicate(), 120)
        assert child.returncode == 0, errors.decode()
        received = [await _next(listener) for _ in range(3)]
    assert received == [{"type": "recording", "n": n} for n in range(3)]


async def test_a_lost_listening_connection_comes_back_and_the_rooms_resync(
        processes: Callable[[], Process], database_url: str) -> None:
    web = await processes().start()
    hearing, quiet = room(), room()
    async with web.events.listen(hearing, "staff:1") as listener, \
            web.events.listen(quiet, "staff:1") as other:
        web.events.publish(hearing, {"type": "before"})
        assert await _next(listener) == {"type": "before"}
        admin = await asyncpg.connect(dsn=asyncpg_dsn(database_url))
        try:  # the database kills both of the process's connections (as a restart would)
            killed = await admin.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name = ANY($1::text[])",
                [LISTENING_NAME, SENDING_NAME])
        finally:
            await admin.close()
        assert killed == 2
        assert await _next(listener) == {"type": "resync"}
        assert await _next(other) == {"type": "resync"}
        assert web.bus.reconnects == 1
        web.events.publish(hearing, {"type": "after"})  # the sender connects again too
        assert await _next(listener) == {"type": "after"}


async def test_an_event_too_large_for_a_notification_becomes_a_state_refresh(
        processes: Callable[[], Process]) -> None:
    publisher, web = await processes().start(), await processes().start()
    hearing = room()
    async with web.events.listen(hearing, "staff:1") as listener:
        publisher.events.publish(hearing, {"type": "note", "text": "ệ" * 3000})  # 9000 bytes
        publisher.events.publish(hearing, {"type": "note", "text": "ệ" * 2000})  # 6000: fits
        assert await _next(listener) == {"type": "state"}
        assert await _next(listener) == {"type": "note", "text": "ệ" * 2000}


async def test_a_holder_connecting_in_another_process_retires_its_first_listener(
        processes: Callable[[], Process]) -> None:
    first, second = await processes().start(), await processes().start()
    hearing = room()
    async with first.events.listen(hearing, "link:a") as old:
        await _announced(first, old)
        async with second.events.listen(hearing, "link:a") as new:
            with pytest.raises(Replaced):
                await _next(old)
            assert first.events.listeners(hearing) == 0
            first.events.publish(hearing, {"type": "muted"})
            received = await _events_until(new, "muted")  # the mark may reach it too, first
            assert received in ([{"type": "muted"}], [{"type": "mark"}, {"type": "muted"}])
            assert second.events.listeners(hearing) == 1


async def test_a_holder_connecting_to_two_processes_at_once_keeps_exactly_one(
        processes: Callable[[], Process]) -> None:
    """Both announcements are on their way before either arrives: each process still sees them
    in the database's one order, so both agree which is the newer (retiring every listener but
    the one announced would leave the holder with none)."""
    first, second = await processes().start(), await processes().start()
    hearing = room()
    async with AsyncExitStack() as stack:
        listeners = [await stack.enter_async_context(p.events.listen(hearing, "link:a"))
                     for p in (first, second)]
        for process in (first, second):  # each mark follows its process's announcement
            process.events.publish(hearing, {"type": "mark"})

        async def both_marks(listener: Listener) -> list[dict[str, object]]:
            return [await _next(listener), await _next(listener)]

        outcomes = await asyncio.gather(*map(both_marks, listeners), return_exceptions=True)
    assert sorted(type(o).__name__ for o in outcomes) == ["Replaced", "list"], outcomes
    assert [{"type": "mark"}] * 2 in outcomes
