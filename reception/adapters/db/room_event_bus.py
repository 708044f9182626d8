"""Room events across processes, through PostgreSQL LISTEN/NOTIFY on the channel `room_events`.

Any process sends (a web process, a media process, the worker, a CLI command): `send` is
synchronous — media callbacks are not coroutines — and only queues; one task per bus sends the
queue in order on its own connection (`SELECT pg_notify(...)`). Every process that serves
websockets also listens, on one dedicated connection, and hands every notification, its own
included, to `deliver`: PostgreSQL gives all listeners the notifications in the same order.

A notification carries at most 8000 bytes: a larger event goes out as {"type": "state"} (pages
fetch the state again on any event), logged. If the listening connection is lost (database
restart, terminated backend, dead network path) events may have been missed: the bus connects
again with bounded back-off and then delivers {"type": "resync"} to every room listened to here.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

import asyncpg
import structlog

from reception.adapters.db.engine import libpq_url

log = structlog.get_logger(__name__)
CHANNEL = "room_events"
PAYLOAD_LIMIT = 7500  # bytes; PostgreSQL refuses 8000 and more (default build), kept a margin
MAX_PENDING = 10_000  # events queued while the database is unreachable; the oldest go first
MIN_BACKOFF_SECONDS, MAX_BACKOFF_SECONDS = 0.1, 5.0
CONNECT_TIMEOUT_SECONDS = 10.0
FLUSH_SECONDS = 5.0  # how long close() waits for queued events to go out
# How the two connections show in pg_stat_activity (operators, and the reconnection test).
LISTENING_NAME, SENDING_NAME = "reception room events: listen", "reception room events: send"

Event = dict[str, Any]
Deliver = Callable[[str, Event], None]
Rooms = Callable[[], Iterable[str]]


def encode(room: str, event: Event) -> str:
    """The notification's payload {"room", "event"}; an event too large becomes a state refresh."""
    payload = _dumps({"room": room, "event": event})
    size = len(payload.encode())
    if size < PAYLOAD_LIMIT:
        return payload
    log.warning("room event too large for a notification; sent as a state refresh",
                room=room, type=event.get("type"), bytes=size)
    return _dumps({"room": room, "event": {"type": "state"}})


def _dumps(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)


class PostgresEventBus:
    """The `EventBus` port (services/hearings/events.py) on PostgreSQL: `send` from anywhere,
    `start(deliver, rooms)` in processes that serve websockets, `close()` at the end."""

    def __init__(self, database_url: str, *, ping_seconds: float = 30.0,
                 max_backoff_seconds: float = MAX_BACKOFF_SECONDS) -> None:
        self._dsn = libpq_url(database_url)
        self._ping_seconds, self._max_backoff = ping_seconds, max_backoff_seconds
        self._pending: deque[str] = deque()
        self._wake = asyncio.Event()
        self._sender: asyncio.Task[None] | None = None
        self._sending: asyncpg.Connection | None = None
        self._listener: asyncio.Task[None] | None = None
        self._listening: asyncpg.Connection | None = None
        self._closed = False
        self.reconnects = 0  # how often the listening connection was lost and opened again

    # Sending -----------------------------------------------------------------------------------

    def send(self, room: str, event: Event) -> None:
        if self._closed:
            log.warning("room event after the bus closed; not sent", room=room,
                        type=event.get("type"))
            return
        if len(self._pending) >= MAX_PENDING:
            self._pending.popleft()
            log.warning("room events queue full (database unreachable?); oldest dropped")
        self._pending.append(encode(room, event))
        self._start_sender()

    def _start_sender(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop yet: sent on start() or on the next send from a running loop
        if self._sender is None or self._sender.done() or self._sender.get_loop() is not loop:
            self._wake = asyncio.Event()
            self._sending = None  # a connection of another (finished) loop cannot be reused
            self._sender = loop.create_task(self._send_pending(), name="room events sender")
        self._wake.set()

    async def _send_pending(self) -> None:
        backoff = MIN_BACKOFF_SECONDS
        while True:
            if not self._pending:
                if self._closed:
                    return
                self._wake.clear()
                await self._wake.wait()
                continue
            payload = self._pending.popleft()
            try:
                if self._sending is None or self._sending.is_closed():
                    self._sending = await self._connect(SENDING_NAME)
                await self._sending.execute("SELECT pg_notify($1, $2)", CHANNEL, payload)
                backoff = MIN_BACKOFF_SECONDS
            except Exception:
                if self._sending is not None and not self._sending.is_closed():
                    # the connection is fine, the statement failed: retrying cannot help
                    log.exception("a room event could not be sent; dropped")
                    continue
                self._pending.appendleft(payload)  # the connection failed: send it again
                log.warning("room events: sending connection failed; retrying",
                            in_seconds=backoff, exc_info=True)
                self._sending = None
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self._max_backoff)

    # Listening ---------------------------------------------------------------------------------

    async def start(self, deliver: Deliver, rooms: Rooms) -> None:
        """Listen from now on: every notification goes to `deliver(room, event)`; after a lost
        connection every room in `rooms()` (those listened to here) gets {"type": "resync"}.
        Raises if the database cannot be reached now; later losses are retried."""
        if self._closed or self._listener is not None:
            raise RuntimeError("the room event bus is closed or listening already")
        self._deliver, self._rooms = deliver, rooms
        lost = await self._listen()
        self._listener = asyncio.create_task(self._keep_listening(lost),
                                             name="room events listener")
        self._start_sender()  # events queued before a loop ran

    async def _listen(self) -> asyncio.Event:
        connection = await self._connect(LISTENING_NAME)
        lost = asyncio.Event()
        connection.add_termination_listener(lambda _connection: lost.set())
        try:
            await connection.add_listener(CHANNEL, self._notified)
        except BaseException:
            connection.terminate()
            raise
        self._listening = connection
        return lost

    async def _keep_listening(self, lost: asyncio.Event) -> None:
        while True:
            await self._until_lost(lost)
            log.warning("room events: listening connection lost; connecting again")
            if self._listening is not None:
                self._listening.terminate()
            lost = await self._reconnect()
            self.reconnects += 1
            for room in list(self._rooms()):  # events may have been missed meanwhile
                self._deliver_safely(room, {"type": "resync"})

    async def _until_lost(self, lost: asyncio.Event) -> None:
        """Returns when the connection closed, or stopped answering (a dead network path
        closes nothing: a ping finds it)."""
        while True:
            try:
                await asyncio.wait_for(lost.wait(), self._ping_seconds)
                return
            except TimeoutError:
                pass
            try:
                assert self._listening is not None
                await self._listening.execute("SELECT 1", timeout=self._ping_seconds)
            except Exception:
                log.warning("room events: listening connection does not answer", exc_info=True)
                return

    async def _reconnect(self) -> asyncio.Event:
        backoff = MIN_BACKOFF_SECONDS
        while True:
            try:
                return await self._listen()
            except Exception:
                log.warning("room events: cannot listen yet", in_seconds=backoff, exc_info=True)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self._max_backoff)

    async def _connect(self, name: str) -> asyncpg.Connection:
        return await asyncpg.connect(self._dsn, timeout=CONNECT_TIMEOUT_SECONDS,
                                     server_settings={"application_name": name})

    def _notified(self, _connection: object, _pid: int, _channel: str, payload: str) -> None:
        try:
            message = json.loads(payload)
            room, event = message["room"], message["event"]
            if not isinstance(room, str) or not isinstance(event, dict):
                raise TypeError("room must be a string and event an object")
        except (ValueError, KeyError, TypeError):
            log.warning("room events: malformed notification ignored", payload=payload[:200])
            return
        self._deliver_safely(room, event)

    def _deliver_safely(self, room: str, event: Event) -> None:
        try:
            self._deliver(room, event)
        except Exception:  # one bad delivery must not stop the listener
            log.exception("room events: delivery failed", room=room)

    # Closing -----------------------------------------------------------------------------------

    async def close(self) -> None:
        """Send what is queued (waiting at most FLUSH_SECONDS), stop listening, close both
        connections. Idempotent."""
        if self._closed:
            return
        self._closed = True
        loop = asyncio.get_running_loop()
        sender, self._sender = self._sender, None
        if sender is not None and sender.get_loop() is loop and not sender.done():
            self._wake.set()
            try:
                await asyncio.wait_for(asyncio.shield(sender), FLUSH_SECONDS)
            except TimeoutError:
                log.warning("room events not sent before closing", count=len(self._pending))
            await _cancelled(sender)
        elif self._pending:
            log.warning("room events not sent: no sender in this loop", count=len(self._pending))
        listener, self._listener = self._listener, None
        if listener is not None and listener.get_loop() is loop:
            await _cancelled(listener)
        for connection in (self._sending, self._listening):
            if connection is not None and not connection.is_closed():
                try:
                    await connection.close(timeout=2)
                except Exception:  # dead already, or of another loop: just drop the socket
                    with contextlib.suppress(Exception):
                        connection.terminate()
        self._sending = self._listening = None


async def _cancelled(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
