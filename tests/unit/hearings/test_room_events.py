"""The listener registry of room events: one listener per holder and hearing (a new one retires
the old), a few hearings per holder, and a retired listener never takes its successor along."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack

import pytest

from reception.services.hearings.events import MAX_ROOMS_PER_HOLDER, Replaced, RoomEvents


async def test_a_second_listener_of_the_same_holder_retires_the_first() -> None:
    events = RoomEvents()
    async with events.listen("room", "link:a") as first:
        waiting = asyncio.ensure_future(first.get())
        await asyncio.sleep(0)
        async with events.listen("room", "link:a") as second:
            with pytest.raises(Replaced):
                await asyncio.wait_for(waiting, 1)
            events.publish("room", {"type": "joined"})
            assert await asyncio.wait_for(second.get(), 1) == {"type": "joined"}
            with pytest.raises(Replaced):
                await first.get()  # events published after it was retired never reach it
            assert events.listeners("room") == 1
        assert events.listeners("room") == 0


async def test_each_new_listener_retires_the_one_before() -> None:
    events = RoomEvents()
    async with AsyncExitStack() as stack:
        listeners = [await stack.enter_async_context(events.listen("room", "link:a"))
                     for _ in range(5)]
        for retired in listeners[:-1]:
            with pytest.raises(Replaced):
                await retired.get()
        events.publish("room", {"type": "tick"})
        assert await asyncio.wait_for(listeners[-1].get(), 1) == {"type": "tick"}
        assert events.listeners("room") == 1


async def test_other_holders_keep_their_listeners() -> None:
    events = RoomEvents()
    async with events.listen("room", "staff:1") as official, \
            events.listen("room", "link:a"), events.listen("room", "link:a") as citizen:
        events.publish("room", {"type": "muted"})
        assert await asyncio.wait_for(official.get(), 1) == {"type": "muted"}
        assert await asyncio.wait_for(citizen.get(), 1) == {"type": "muted"}
        assert events.listeners("room") == 2


async def test_a_retired_listener_leaving_late_does_not_remove_its_successor() -> None:
    events = RoomEvents()
    stack = AsyncExitStack()
    await stack.enter_async_context(events.listen("room", "link:a"))
    async with events.listen("room", "link:a") as successor:
        await stack.aclose()  # the old socket's handler finishes after the new one arrived
        events.publish("room", {"type": "left"})
        assert await asyncio.wait_for(successor.get(), 1) == {"type": "left"}


async def test_a_holder_listens_to_a_few_hearings_at_most_the_oldest_goes_first() -> None:
    events = RoomEvents()
    async with AsyncExitStack() as stack:
        listeners = [await stack.enter_async_context(events.listen(f"room{i}", "staff:1"))
                     for i in range(MAX_ROOMS_PER_HOLDER + 2)]
        for retired in listeners[:2]:
            with pytest.raises(Replaced):
                await retired.get()
        for i, kept in enumerate(listeners[2:], start=2):
            events.publish(f"room{i}", {"type": "tick"})
            assert await asyncio.wait_for(kept.get(), 1) == {"type": "tick"}
        assert sum(events.listeners(f"room{i}") for i in range(len(listeners))) == \
            MAX_ROOMS_PER_HOLDER


async def test_a_slow_listener_loses_the_oldest_events_and_never_blocks_the_room() -> None:
    events = RoomEvents()
    async with events.listen("room", "link:a") as slow:
        for i in range(500):
            events.publish("room", {"n": i})
        assert (await slow.get())["n"] == 400


class OrderedBus:
    """One database for the processes of a test: what is sent waits until `flush`, which hands
    it to every process in the one order it was sent (as PostgreSQL NOTIFY does)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, object]]] = []
        self.processes: list[RoomEvents] = []

    def process(self) -> RoomEvents:
        self.processes.append(RoomEvents(bus=self))
        return self.processes[-1]

    def send(self, room: str, event: dict[str, object]) -> None:
        self.sent.append((room, event))

    def flush(self) -> None:
        while self.sent:
            room, event = self.sent.pop(0)
            for events in self.processes:
                events.deliver(room, event)


async def test_with_a_bus_events_reach_listeners_only_through_it_and_announcements_never() -> None:
    bus = OrderedBus()
    events = bus.process()
    async with events.listen("room", "link:a") as listener:
        events.publish("room", {"type": "joined"})
        assert listener._queue.empty()  # not before the bus hands it back
        bus.flush()
        assert await asyncio.wait_for(listener.get(), 1) == {"type": "joined"}  # no control


async def test_the_announcement_of_a_retired_listener_does_not_retire_its_successor() -> None:
    bus = OrderedBus()
    events = bus.process()
    async with events.listen("room", "link:a") as first, \
            events.listen("room", "link:a") as second:  # before the first one's announcement
        bus.flush()
        assert first.retired and not second.retired
        events.publish("room", {"type": "left"})
        bus.flush()
        assert await asyncio.wait_for(second.get(), 1) == {"type": "left"}


async def test_after_a_resync_a_listener_whose_announcement_was_lost_is_retired_elsewhere() -> None:
    bus = OrderedBus()
    here, there = bus.process(), bus.process()
    async with here.listen("room", "link:a") as old:
        bus.sent.clear()  # the announcement was lost with the connection
        here.deliver("room", {"type": "resync"})
        assert await asyncio.wait_for(old.get(), 1) == {"type": "resync"}
        async with there.listen("room", "link:a") as new:
            bus.flush()
            with pytest.raises(Replaced):
                await old.get()
            assert not new.retired
