"""Room events of open hearings, pushed to every websocket of the hearing. Slow listeners lose
the oldest events, never block.

Rooms and their websockets live in several processes, so events go through a bus (the EventBus
port; PostgreSQL NOTIFY in adapters/db/room_event_bus.py): `publish` sends, and the bus hands
every event back to every process, this one included, through `deliver`, which fans it out to
the listeners here. Without a bus (unit tests, one process) `publish` delivers at once.

Every listener belongs to a holder — a staff member, or a citizen's link — and a holder keeps
at most one listener per hearing and at most MAX_ROOMS_PER_HOLDER in all: a new connection
retires the holder's previous one for that hearing (or its oldest elsewhere), whose socket is
then closed as `Replaced`. Without this, one link could hold any number of sockets open, each
with its own file and queue, until the server runs out of either. Across processes a new
listener announces itself on the bus (a control message no page sees); each process then
retires the holder's listener there if that one was announced earlier. The bus gives every
process the announcements in the same order, so exactly the last announced one survives, even
when two connections arrive at two processes at the same moment.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol

from reception.i18n_marker import N_
from reception.services.errors import Conflict

Event = dict[str, Any]
QUEUE_LIMIT = 100
MAX_ROOMS_PER_HOLDER = 4  # an official may follow a few hearings; nobody needs hundreds
ANNOUNCE = "listener-announced"  # control message {"type", "holder", "listener"}; never delivered
RESYNC = "resync"  # the bus may have missed events (lost connection): pages fetch the state


class EventBus(Protocol):
    """Carries room events to every process (each gets them back through `deliver`)."""

    def send(self, room: str, event: Event) -> None:
        """Queue `event` for every process; never blocks, safe outside a coroutine."""


class Replaced(Conflict):
    """The holder connected again: this older connection stops (the web closes it with a code
    the page knows not to reconnect on)."""

    def __init__(self) -> None:
        super().__init__(N_("This hearing was opened again in another window."))


class Listener:
    """One websocket's queue of events; `get()` raises Replaced once it is retired."""

    def __init__(self, room: str, holder: str) -> None:
        self.room, self.holder = room, holder
        self.id = uuid.uuid4().hex
        self.announced = False  # its announcement came back through the bus (or a resync did)
        self._queue: asyncio.Queue[Event | None] = asyncio.Queue(QUEUE_LIMIT)
        self.retired = False

    def put(self, event: Event) -> None:
        if self._queue.full():
            self._queue.get_nowait()  # drop the oldest: the next "state" event resynchronises
        self._queue.put_nowait(event)

    def retire(self) -> None:
        self.retired = True
        while not self._queue.empty():
            self._queue.get_nowait()
        self._queue.put_nowait(None)  # wakes a get() that is waiting

    async def get(self) -> Event:
        if self.retired:
            raise Replaced()
        event = await self._queue.get()
        if event is None or self.retired:
            raise Replaced()
        return event


class RoomEvents:
    def __init__(self, max_rooms_per_holder: int = MAX_ROOMS_PER_HOLDER,
                 bus: EventBus | None = None) -> None:
        self._max_rooms, self._bus = max_rooms_per_holder, bus
        self._rooms: dict[str, dict[str, Listener]] = {}  # room -> holder -> listener
        self._holders: dict[str, dict[str, Listener]] = {}  # holder -> room -> (oldest first)

    def publish(self, room: str, event: Event) -> None:
        if self._bus is None:
            self.deliver(room, event)
        else:
            self._bus.send(room, event)  # delivered here too, when the bus hands it back

    def deliver(self, room: str, event: Event) -> None:
        """Fan `event` out to this process's listeners of `room` (the bus calls this)."""
        listeners = self._rooms.get(room, {})
        if event.get("type") == ANNOUNCE:
            current = listeners.get(str(event.get("holder")))
            if current is not None and current.id == event.get("listener"):
                current.announced = True
            elif current is not None and current.announced:
                self._retire(current)
            # an unannounced one here was announced after this one: it is the newer, it stays
            return
        if event.get("type") == RESYNC:
            for listener in listeners.values():  # what was missed can no longer order them
                listener.announced = True
        for listener in list(listeners.values()):
            listener.put(event)

    def rooms(self) -> list[str]:
        """The rooms listened to in this process."""
        return list(self._rooms)

    def listeners(self, room: str) -> int:
        return len(self._rooms.get(room, {}))

    @asynccontextmanager
    async def listen(self, room: str, holder: str) -> AsyncIterator[Listener]:
        """A listener of `room` for `holder`, retiring the holder's previous one there and,
        past MAX_ROOMS_PER_HOLDER rooms, its oldest elsewhere."""
        listener = Listener(room, holder)
        previous = self._holders.get(holder, {}).get(room)
        if previous is not None:
            self._retire(previous)
        while len(self._holders.get(holder, {})) >= self._max_rooms:
            self._retire(next(iter(self._holders[holder].values())))
        self._holders.setdefault(holder, {})[room] = listener
        self._rooms.setdefault(room, {})[holder] = listener
        if self._bus is not None:  # retires the holder's listener of this room everywhere else
            self._bus.send(room, {"type": ANNOUNCE, "holder": holder, "listener": listener.id})
        try:
            yield listener
        finally:
            self._drop(listener)

    def _retire(self, listener: Listener) -> None:
        self._drop(listener)
        listener.retire()

    def _drop(self, listener: Listener) -> None:
        """Forget `listener` (only if it is still the one registered: a retired listener's
        exit must not remove its successor)."""
        for index, outer, inner in ((self._rooms, listener.room, listener.holder),
                                    (self._holders, listener.holder, listener.room)):
            entries = index.get(outer)
            if entries is not None and entries.get(inner) is listener:
                del entries[inner]
                if not entries:
                    del index[outer]
