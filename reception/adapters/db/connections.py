"""Where a unit of work gets its database connection: one pooled connection per HTTP request,
shared by the request's units of work one after the other (the session check, then the use
case), or a connection of its own outside a request or while the shared one is busy.

No pre-ping: a connection the server closed is noticed for free at checkout (asyncpg already
saw the socket close), and a connection that dies unnoticed fails on the first statement of a
unit of work, which is then retried once on a fresh connection — nothing was written yet, so
the retry cannot repeat a write. Connections are recycled on a schedule (`pool_recycle`).
"""

from __future__ import annotations

import asyncio
from contextvars import ContextVar
from typing import Any

import structlog
from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = structlog.get_logger(__name__)


def refuse_closed_at_checkout(engine: AsyncEngine) -> None:
    """A pooled connection whose socket is already closed (server restart, a terminated backend)
    is replaced at checkout without a round trip: the pool retries on DisconnectionError."""

    @event.listens_for(engine.sync_engine, "checkout")
    def _checkout(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        driver = record.driver_connection
        if driver is not None and driver.is_closed():
            raise exc.DisconnectionError("the server closed this connection")


def _set_autocommit(connection: AsyncConnection, on: bool) -> None:
    """Switch the asyncpg adapter (SQLAlchemy's DBAPI shim) between beginning a transaction
    before the first statement and running each statement on its own. An attribute of the
    adapter, no round trip; SQLAlchemy's own bookkeeping is unchanged (its begin, commit and
    rollback become no-ops at the driver)."""
    connection.sync_connection.connection.dbapi_connection.autocommit = on  # type: ignore[union-attr]


class Lease:
    """A connection lent to one unit of work; `replace` swaps in a fresh one (the retry).

    A reading lease (`reading=True`) runs its statements without BEGIN and ROLLBACK: under
    READ COMMITTED, PostgreSQL takes a new snapshot for every statement inside a transaction
    too, so reads see exactly what they would see in one, at two round trips less. The
    connection is switched back before anyone else uses it."""

    def __init__(self, connection: AsyncConnection, shared: SharedConnection | None,
                 *, reading: bool = False) -> None:
        self.connection, self._shared, self.reading = connection, shared, reading
        if reading:
            _set_autocommit(connection, True)

    async def replace(self, engine: AsyncEngine) -> AsyncConnection:
        old = self.connection
        self.connection = await engine.connect()
        if self.reading:
            _set_autocommit(self.connection, True)
        if self._shared is not None:
            self._shared.connection = self.connection
        try:
            await old.invalidate()
            await old.close()
        except Exception:  # the old one is dead already; the pool reconnects its slot
            log.info("closing a dead connection failed", exc_info=True)
        return self.connection

    def _done_reading(self) -> None:
        if self.reading:
            self.reading = False
            try:
                _set_autocommit(self.connection, False)
            except Exception:  # closed or invalidated: the pool gives its slot a new one
                log.info("could not switch a connection back to transactions", exc_info=True)

    async def give_back(self) -> None:
        if self.reading and self.connection.in_transaction():
            # Reads straight on the connection (engine.read_rows) open SQLAlchemy's own
            # transaction on it; the driver sent no BEGIN, so ending it sends nothing. Left
            # open, the next unit of work's session would join it and its commit would not
            # reach the database.
            await self.connection.rollback()
        self._done_reading()
        if self._shared is None:
            await self.connection.close()
        else:
            await self._shared.returned()

    async def discard(self) -> None:
        """Give back a connection that failed mid-way: the pool reconnects its slot."""
        self._done_reading()
        try:
            await self.connection.invalidate()
        except Exception:
            log.info("invalidating a failed connection failed", exc_info=True)
        if self._shared is not None:
            self._shared.connection = None
            await self._shared.returned()
        else:
            try:
                await self.connection.close()
            except Exception:
                log.info("closing a failed connection failed", exc_info=True)


class SharedConnection:
    """The request's connection: checked out on first use, returned at the request's end.

    With a `queue`, requests take their turn for a connection first come, first served: the
    pool's own wait lets a request that just arrived take a connection handed back while an
    earlier one, already woken for it, has not run yet — which sends that one to the back of
    the line again, and under load a few requests wait for seconds while the rest fly."""

    def __init__(self, engine: AsyncEngine, queue: asyncio.Semaphore | None = None) -> None:
        self._engine, self._queue = engine, queue
        self.connection: AsyncConnection | None = None
        self.busy = False
        self.closed = False
        self._turn = False  # holds a place of the queue

    async def lend(self, *, reading: bool = False) -> Lease | None:
        if self.busy or self.closed:
            return None  # nested or concurrent use, or a body streamed after the request
        self.busy = True  # before any await: two tasks of one request never share it
        try:
            if self.connection is not None and (self.connection.invalidated
                                                or self.connection.closed):
                await self._drop()
            if self.connection is None:
                if self._queue is not None and not self._turn:
                    await self._queue.acquire()  # FIFO (asyncio's Semaphore is fair)
                    self._turn = True
                self.connection = await self._engine.connect()
            return Lease(self.connection, self, reading=reading)
        except BaseException:
            self.busy = False
            raise

    async def returned(self) -> None:
        self.busy = False
        if self.closed:
            await self._drop()

    async def close(self) -> None:
        self.closed = True
        if not self.busy:
            await self._drop()

    async def _drop(self) -> None:
        connection, self.connection = self.connection, None
        try:
            if connection is not None:
                await connection.close()
        finally:
            if self.closed and self._turn:  # the request is over: the next one's turn
                self._turn = False
                assert self._queue is not None
                self._queue.release()


_current: ContextVar[SharedConnection | None] = ContextVar("reception_request_connection",
                                                           default=None)


class Connections:
    """The engine's connections as units of work borrow them; `capacity` (the pool's size:
    the overflow is left to work outside requests) makes requests queue for their connection
    in order of arrival."""

    def __init__(self, engine: AsyncEngine, capacity: int | None = None) -> None:
        self.engine = engine
        self._queue = asyncio.Semaphore(capacity) if capacity else None

    async def lease(self, *, reading: bool = False) -> Lease:
        shared = _current.get()
        if shared is not None:
            lease = await shared.lend(reading=reading)
            if lease is not None:
                return lease
        return Lease(await self.engine.connect(), None, reading=reading)

    async def open_request(self) -> None:
        """Start sharing one connection among this request's units of work (checked out
        lazily: a request that reads nothing takes none)."""
        _current.set(SharedConnection(self.engine, self._queue))

    async def close_request(self, _error: BaseException | None = None) -> None:
        shared = _current.get()
        _current.set(None)
        if shared is not None:
            try:
                await shared.close()
            except Exception:  # a dead connection at the end of a request is nobody's error
                log.info("returning the request's connection failed", exc_info=True)
