"""Room events of open hearings, pushed to every websocket of the hearing (in memory: rooms
live in this process's media hub too). Slow listeners lose the oldest events, never block."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

Event = dict[str, Any]
QUEUE_LIMIT = 100


class RoomEvents:
    def __init__(self) -> None:
        self._listeners: dict[str, set[asyncio.Queue[Event]]] = {}

    def publish(self, room: str, event: Event) -> None:
        for queue in self._listeners.get(room, ()):
            if queue.full():
                queue.get_nowait()  # drop the oldest: the next "state" event resynchronises
            queue.put_nowait(event)

    @asynccontextmanager
    async def listen(self, room: str) -> AsyncIterator[asyncio.Queue[Event]]:
        queue: asyncio.Queue[Event] = asyncio.Queue(QUEUE_LIMIT)
        self._listeners.setdefault(room, set()).add(queue)
        try:
            yield queue
        finally:
            listeners = self._listeners.get(room, set())
            listeners.discard(queue)
            if not listeners:
                self._listeners.pop(room, None)
