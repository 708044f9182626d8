"""The SQLAlchemy async engine, built the same way for embedded and managed PostgreSQL.

No `pool_pre_ping` (it costs BEGIN / ; / ROLLBACK on every checkout): dead connections are
handled in connections.py (refused at checkout when the socket is closed, otherwise the first
statement of a unit of work is retried once), and every connection is replaced after
`pool_recycle` seconds so none outlives a server-side idle timeout or a network change.
Pool sizing against the number of processes: docs/deployment.md "Database connections".
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import structlog
from sqlalchemy import event, exc
from sqlalchemy.engine import Row, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql.base import Executable
from sqlalchemy.util import await_

from reception.adapters.db.connections import refuse_closed_at_checkout

log = structlog.get_logger(__name__)
RECYCLE_SECONDS = 30 * 60
RECONNECT = "reception.reconnect"  # Session.info key: how to swap in a fresh connection
DIRECT = "reception.direct"  # Session.info key of a reading unit of work: its connection


def async_url(url: str) -> str:
    """Turn any postgres URL into one for the asyncpg driver."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def libpq_url(url: str) -> str:
    """A plain postgresql:// URL, for the drivers that take libpq's form (psycopg, a bare
    asyncpg connection); our URLs may name the asyncpg driver."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


MAX_OVERFLOW = 10  # connections opened past pool_size under a burst, closed when handed back


def create_engine(url: str, *, pool_size: int = 10,
                  recycle_seconds: int = RECYCLE_SECONDS) -> AsyncEngine:
    engine = create_async_engine(async_url(url), pool_size=pool_size, pool_pre_ping=False,
                                 max_overflow=MAX_OVERFLOW, pool_recycle=recycle_seconds)
    refuse_closed_at_checkout(engine)
    return engine


class ReadOnlyViolation(RuntimeError):
    """A unit of work opened for reading tried to write: a programming error, refused before
    anything reaches the database (its statements run outside a transaction)."""


class FirstStatementRetry(Session):
    """A session whose first statement is retried once on a fresh connection when the
    connection turns out dead (the server restarted, a backend was terminated, a network
    path dropped). Only the first, and only with nothing pending: nothing was written, so
    the retry cannot write twice."""

    _started = False

    def execute(self, *args: Any, **kw: Any) -> Any:
        return self._first_retried(super().execute, *args, **kw)

    def scalar(self, *args: Any, **kw: Any) -> Any:
        return self._first_retried(super().scalar, *args, **kw)

    def _first_retried(self, run: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        if self._started or self.new or self.dirty or self.deleted:
            return run(*args, **kw)
        self._started = True
        try:
            return run(*args, **kw)
        except exc.DBAPIError as error:
            reconnect: Callable[[], Awaitable[AsyncConnection]] | None = self.info.get(RECONNECT)
            if not error.connection_invalidated or reconnect is None:
                raise
            log.info("database connection was dead; retrying on a fresh one")
            self.rollback()
            self.bind = await_(reconnect()).sync_connection
            return run(*args, **kw)

    def flush(self, objects: Any = None) -> None:
        self._started = True
        super().flush(objects)

    def read_rows(self, statement: Executable, params: Mapping[str, Any] | None = None
                  ) -> Sequence[Row[Any]]:
        """The rows of a Core SELECT, run on the session's connection: none of the ORM's result
        machinery (entity loading, identity map) that Core columns do not need."""
        return self._first_retried(  # type: ignore[no-any-return]
            lambda s, p: self.connection().execute(s, p).all(), statement, params)


async def read_rows(session: AsyncSession, statement: Executable,
                    params: Mapping[str, Any] | None = None) -> Sequence[Row[Any]]:
    """Hot reads (the session check, the case list and page): a Core SELECT's rows through the
    unit of work's session (its transaction and first-statement retry), without the ORM. In a
    unit of work that only reads, straight on its connection: there is nothing to flush, and
    the session never begins, so ending the unit of work costs nothing."""
    if not statement.is_select:
        raise ReadOnlyViolation(f"read_rows() runs SELECTs only: {statement}")
    direct: _DirectReads | None = session.info.get(DIRECT)
    if direct is not None:
        return await direct.rows(statement, params)
    return await session.run_sync(_read_rows, statement, params)


def _read_rows(sync: Session, statement: Executable,
               params: Mapping[str, Any] | None) -> Sequence[Row[Any]]:
    if isinstance(sync, FirstStatementRetry):  # a unit of work's session
        return sync.read_rows(statement, params)
    return sync.connection().execute(statement, params).all()  # a plain one (benchmarks, tools)


class _DirectReads:
    """The connection of a reading unit of work, for `read_rows`, with the same first-statement
    retry as FirstStatementRetry (a read cannot be repeated into a double write)."""

    def __init__(self, session: AsyncSession, connection: AsyncConnection,
                 reconnect: Callable[[], Awaitable[AsyncConnection]]) -> None:
        self._session, self._connection, self._reconnect = session, connection, reconnect
        self._started = False

    async def rows(self, statement: Executable,
                   params: Mapping[str, Any] | None) -> Sequence[Row[Any]]:
        first, self._started = not self._started, True
        try:
            return (await self._connection.execute(statement, params)).all()
        except exc.DBAPIError as error:
            if not (first and error.connection_invalidated):
                raise
            log.info("database connection was dead; retrying on a fresh one")
            self._connection = await self._reconnect()
            # the session's ORM reads, if any, go to the fresh connection too
            self._session.sync_session.bind = self._connection.sync_connection
            return (await self._connection.execute(statement, params)).all()


class ReadingSession(FirstStatementRetry):
    """The session of a unit of work that only reads: SELECTs only, nothing flushed."""


@event.listens_for(ReadingSession, "do_orm_execute")
def _selects_only(state: ORMExecuteState) -> None:
    if not state.is_select:
        raise ReadOnlyViolation(f"a write in a unit of work that only reads: {state.statement}")


@event.listens_for(ReadingSession, "before_flush")
def _nothing_flushed(session: Session, *_: Any) -> None:
    if session.new or session.dirty or session.deleted:
        raise ReadOnlyViolation("a flush in a unit of work that only reads")


def session_on(connection: AsyncConnection,
               reconnect: Callable[[], Awaitable[AsyncConnection]], *,
               reading: bool = False) -> AsyncSession:
    """A unit of work's session on a lent connection: it begins and ends its own transaction
    on it and leaves the connection open for the next unit of work of the request."""
    # expire_on_commit=False: objects stay readable after commit, nothing lazy-loads under asyncio.
    session = AsyncSession(bind=connection, expire_on_commit=False,
                           sync_session_class=ReadingSession if reading else FirstStatementRetry,
                           info={RECONNECT: reconnect})
    if reading:
        session.info[DIRECT] = _DirectReads(session, connection, reconnect)
    return session


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions straight on the engine (benchmarks and tools that need no unit of work)."""
    return async_sessionmaker(engine, expire_on_commit=False)
