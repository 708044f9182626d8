"""Room events of open hearings, pushed to every websocket of the hearing (in memory: rooms
live in this process's media hub too). Slow listeners lose the oldest events, never block.

Every listener belongs to a holder — a staff member, or a citizen's link — and a holder keeps
at most one listener per hearing and at most MAX_ROOMS_PER_HOLDER in all: a new connection
retires the holder's previous one for that hearing (or its oldest elsewhere), whose socket is
then closed as `Replaced`. Without this, one link could hold any number of sockets open, each
with its own file and queue, until the server runs out of either.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from reception.i18n_marker import N_
from reception.services.errors import Conflict

Event = dict[str, Any]
QUEUE_LIMIT = 100
MAX_ROOMS_PER_HOLDER = 4  # an official may follow a few hearings; nobody needs hundreds


class Replaced(Conflict):
    """The holder connected again: this older connection stops (the web closes it with a code
    the page knows not to reconnect on)."""

    def __init__(self) -> None:
        super().__init__(N_("This hearing was opened again in another window."))


class Listener:
    """One websocket's queue of events; `get()` raises Replaced once it is retired."""

    def __init__(self, room: str, holder: str) -> None:
        self.room, self.holder = room, holder
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
    def __init__(self, max_rooms_per_holder: int = MAX_ROOMS_PER_HOLDER) -> None:
        self._max_rooms = max_rooms_per_holder
        self._rooms: dict[str, dict[str, Listener]] = {}  # room -> holder -> listener
        self._holders: dict[str, dict[str, Listener]] = {}  # holder -> room -> (oldest first)

    def publish(self, room: str, event: Event) -> None:
        for listener in self._rooms.get(room, {}).values():
            listener.put(event)

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
