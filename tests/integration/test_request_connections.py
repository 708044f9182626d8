"""What a signed-in request costs the database, counted on the real engine against the real
PostgreSQL: one pooled connection per request (the session check and the use case share it),
no pre-ping statements, a handful of statements per page, and a connection the server killed
is replaced without the person noticing."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import pytest
from quart import Quart, has_request_context
from sqlalchemy import event, text

from tests.conftest import asyncpg_dsn
from tests.integration.cases.helpers import ALL_CASE_ROLES, act, client_for, post, staff

PARTY = {"role": "complainant", "full_name": "Trần Thị Bình", "address": "12 Lê Lợi, Huế"}


@dataclass
class Traffic:
    statements: list[str] = field(default_factory=list)
    checkouts: int = 0
    connections: set[int] = field(default_factory=set)


@contextmanager
def counting(app: Quart) -> Iterator[Traffic]:
    """Every statement and pool checkout of the app's engine while the block runs (BEGIN,
    COMMIT, ROLLBACK and a pre-ping are driver calls, not statements: the pre-ping is checked
    on the pool itself)."""
    engine = app.container.engine.sync_engine  # type: ignore[attr-defined]
    seen = Traffic()

    def on_execute(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        seen.statements.append(" ".join(statement.split())[:120])
        seen.connections.add(id(conn.connection.dbapi_connection))

    def on_checkout(*_: Any) -> None:
        seen.checkouts += 1

    event.listen(engine, "before_cursor_execute", on_execute)
    event.listen(engine.pool, "checkout", on_checkout)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
        event.remove(engine.pool, "checkout", on_checkout)


async def _case(app: Quart) -> tuple[Any, str]:
    await staff(app, "head", *ALL_CASE_ROLES)
    client = await client_for(app, "head")
    case = await post(client, "/api/v1/cases", {"kind": "complaint", "channel": "visit",
                                                "summary": "Khiếu nại", "parties": [PARTY],
                                                "received_on": "2026-09-01"}, 201)
    await act(client, case["id"], "accept", _day(3),
              facts={"within_competence": True, "acceptance_bar": "none"})
    return client, str(case["id"])


def _day(n: int) -> Any:
    from datetime import date
    return date(2026, 9, n)


def _pings(app: Quart) -> bool:
    return bool(app.container.engine.pool._pre_ping)  # type: ignore[attr-defined]


async def test_a_case_detail_takes_one_connection_and_a_handful_of_statements(app: Quart) -> None:
    client, case_id = await _case(app)
    assert not _pings(app), "pool_pre_ping costs BEGIN / ; / ROLLBACK per checkout"
    for _ in range(2):  # the second request runs on warm caches, as in production
        with counting(app) as seen:
            response = await client.get(f"/api/v1/cases/{case_id}")
        assert response.status_code == 200
    assert seen.checkouts == 1, seen
    assert len(seen.connections) == 1, seen
    reads = [s for s in seen.statements if s.startswith("SELECT")]
    writes = [s for s in seen.statements if not s.startswith("SELECT")]
    # The session check, the case in scope, everything else the page shows in one go.
    assert len(reads) <= 4 and not writes, "\n".join(seen.statements)
    assert sum("case_event" in s for s in reads) == 1, reads
    assert sum("FROM agency" in s for s in reads) <= 1, reads


async def test_the_case_list_takes_one_connection_and_two_statements(app: Quart) -> None:
    client, _ = await _case(app)
    for _ in range(2):
        with counting(app) as seen:
            response = await client.get("/api/v1/cases")
        assert response.status_code == 200 and (await response.get_json())["items"]
    assert seen.checkouts == 1 and len(seen.connections) == 1, seen
    assert len(seen.statements) <= 3, seen.statements


async def _terminate(database_url: str, pids: list[int] | None = None) -> list[int]:
    """pg_terminate_backend on `pids` (default: every idle connection to the database, the
    app's pool among them), then wait until the server no longer lists them."""
    conn = await asyncpg.connect(dsn=asyncpg_dsn(database_url))
    try:
        if pids is None:
            pids = [r["pid"] for r in await conn.fetch(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state = 'idle'")]
        for pid in pids:
            await conn.execute("SELECT pg_terminate_backend($1)", pid)
        deadline = time.monotonic() + 30
        while await conn.fetchval("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY($1)",
                                  pids):
            assert time.monotonic() < deadline, "the backends did not go away"
            await asyncio.sleep(0.05)
    finally:
        await conn.close()
    return pids


async def test_a_connection_killed_server_side_is_replaced_and_the_request_succeeds(
        app: Quart, clean_db: str) -> None:
    client, case_id = await _case(app)
    assert await _terminate(clean_db), "the pool keeps idle connections"
    response = await client.get(f"/api/v1/cases/{case_id}")
    assert response.status_code == 200


async def test_a_unit_of_work_retries_its_first_statement_once_on_a_dead_connection(
        app: Quart, clean_db: str) -> None:
    """The connection dies between checkout and the first statement (nothing seen by the
    checkout check): the first statement is retried on a fresh connection."""
    container = app.container  # type: ignore[attr-defined]
    async with container.uow_factory() as uow:
        await uow.session.execute(text("SELECT 1"))  # a live connection in the pool
    async with container.uow_factory() as uow:
        raw = await uow._lease.connection.get_raw_connection()
        pid = raw.driver_connection.get_server_pid()
        await _terminate(clean_db, [pid])
        fresh = await uow.session.scalar(text("SELECT pg_backend_pid()"))
    assert fresh != pid


async def test_a_reading_unit_of_work_retries_its_first_read_and_its_session_follows(
        app: Quart, clean_db: str) -> None:
    """Reads of a reading unit of work go straight to its connection (engine.read_rows): the
    first is retried on a fresh connection when the lent one died, and the unit of work's ORM
    reads that follow use the fresh one too."""
    from sqlalchemy import func, select

    from reception.adapters.db.engine import read_rows

    container = app.container  # type: ignore[attr-defined]
    async with container.uow_factory.reading() as uow:
        await read_rows(uow.session, select(func.pg_backend_pid()))  # a live pooled connection
    async with container.uow_factory.reading() as uow:
        raw = await uow._lease.connection.get_raw_connection()
        pid = raw.driver_connection.get_server_pid()
        await _terminate(clean_db, [pid])
        fresh = (await read_rows(uow.session, select(func.pg_backend_pid())))[0][0]
        assert fresh != pid
        assert await uow.session.scalar(select(func.pg_backend_pid())) == fresh


async def test_a_write_is_never_retried(app: Quart, clean_db: str) -> None:
    """After a statement ran, a dead connection is an outage for this unit of work (503),
    never a second attempt that could repeat what was written."""
    from reception.services.errors import Unavailable

    container = app.container  # type: ignore[attr-defined]
    raised = None
    try:
        async with container.uow_factory() as uow:
            pid = await uow.session.scalar(text("SELECT pg_backend_pid()"))
            await _terminate(clean_db, [pid])
            await uow.session.execute(text("SELECT 1"))
    except Unavailable as error:
        raised = error
    assert raised is not None


@contextmanager
def driver_queries(app: Quart) -> Iterator[list[str]]:
    """The first word of every query the driver sends (BEGIN and ROLLBACK included) for a
    request, while the block runs (asyncpg's own query logger; the app's background tasks,
    outside any request, are left out)."""
    engine = app.container.engine.sync_engine  # type: ignore[attr-defined]
    seen: list[str] = []
    hooked: list[Any] = []

    def logged(record: Any) -> None:  # called in the context of the query's caller
        if has_request_context():
            seen.append(record.query.split()[0].upper().rstrip(";"))

    def on_checkout(_dbapi: Any, record: Any, _proxy: Any) -> None:
        driver = record.driver_connection
        if all(driver is not d for d in hooked):
            driver.add_query_logger(logged)
            hooked.append(driver)

    event.listen(engine.pool, "checkout", on_checkout)
    try:
        yield seen
    finally:
        event.remove(engine.pool, "checkout", on_checkout)
        for driver in hooked:
            driver.remove_query_logger(logged)


async def test_the_list_and_the_page_read_without_begin_or_rollback(app: Quart) -> None:
    """The session check, the list and the case page only read: each statement runs on its
    own (under READ COMMITTED a transaction would take a new snapshot per statement anyway),
    which saves BEGIN and ROLLBACK — two round trips per unit of work."""
    client, case_id = await _case(app)
    for path in ("/api/v1/cases", f"/api/v1/cases/{case_id}"):
        await client.get(path)  # warm
        with counting(app) as seen, driver_queries(app) as sent:
            response = await client.get(path)
        assert response.status_code == 200 and seen.statements
        assert not {"BEGIN", "ROLLBACK", "COMMIT"} & set(sent), (path, sent)


async def test_a_reading_unit_of_work_refuses_writes_and_hands_back_a_transactional_connection(
        app: Quart) -> None:
    from sqlalchemy import func, select, update

    from reception.adapters.db.engine import ReadOnlyViolation
    from reception.adapters.db.tables.organisation import Agency

    container = app.container  # type: ignore[attr-defined]
    await staff(app, "reader", *ALL_CASE_ROLES)
    xact = select(func.pg_current_xact_id())
    await container.connections.open_request()  # both units share the request's connection
    try:
        async with container.uow_factory.reading() as uow:
            first, second = (await uow.session.scalar(xact), await uow.session.scalar(xact))
            assert first != second, "a reading unit of work runs each statement on its own"
            with pytest.raises(ReadOnlyViolation):
                await uow.session.execute(update(Agency).values(name="Đổi tên"))
            with pytest.raises(ReadOnlyViolation):
                await uow.commit()
        async with container.uow_factory() as uow:  # the same connection, transactions again
            first, second = (await uow.session.scalar(xact), await uow.session.scalar(xact))
            assert first == second
            await uow.session.execute(update(Agency).values(name="Đổi tên"))
            # no commit: rolled back
    finally:
        await container.connections.close_request()
    async with container.uow_factory.reading() as uow:
        names = {a.name for a in await uow.agencies.list()}
    assert "Đổi tên" not in names


async def test_healthz_reads_without_begin_or_rollback(app: Quart) -> None:
    """Load balancers call /healthz often: its reads run without a transaction around them,
    and the connections go back to the pool transactional (a case is registered after)."""
    client = app.test_client()
    await client.get("/healthz")
    with counting(app) as seen, driver_queries(app) as sent:
        response = await client.get("/healthz")
    assert response.status_code == 200 and seen.statements
    assert not {"BEGIN", "ROLLBACK", "COMMIT"} & set(sent), sent
    with driver_queries(app) as sent:
        await _case(app)  # its requests write in transactions
    assert "BEGIN" in sent and "COMMIT" in sent, sent


async def _arrivals(engine: Any, capacity: int | None) -> list[str]:
    """Who gets the one connection, in order: a first request holds it while two more queue,
    and a fourth arrives just as the first hands it back."""
    from reception.adapters.db.connections import Connections

    connections = Connections(engine, capacity=capacity)
    order: list[str] = []
    holding, release = asyncio.Event(), asyncio.Event()

    async def request(name: str) -> None:
        await connections.open_request()
        try:
            lease = await connections.lease(reading=True)
            order.append(name)
            if name == "first":
                holding.set()
                await release.wait()
            await lease.give_back()
        finally:
            await connections.close_request()

    first = asyncio.create_task(request("first"))
    await holding.wait()
    waiting = [asyncio.create_task(request(n)) for n in ("second", "third")]
    for _ in range(50):  # event-loop turns, no I/O: both end up waiting behind the first
        await asyncio.sleep(0)
    assert order == ["first"]
    release.set()
    late = asyncio.create_task(request("late"))  # arrives as the first hands its connection back
    await asyncio.wait_for(asyncio.gather(first, *waiting, late), 30)
    return order


async def test_requests_take_their_turn_for_a_connection_in_order_of_arrival(
        clean_db: str) -> None:
    """When every connection is out, requests get one in the order they asked: one that has
    waited is never overtaken by one that just arrived. The pool's own wait lets the newcomer
    take the connection handed back (shown first, so the scenario is the one that matters);
    under load a few requests then wait for seconds while the rest fly."""
    from sqlalchemy.ext.asyncio import create_async_engine

    from reception.adapters.db.engine import async_url

    engine = create_async_engine(async_url(clean_db), pool_size=1, max_overflow=0)
    try:
        assert (await _arrivals(engine, None)).index("late") < 3, "the pool alone is fair now"
        assert await _arrivals(engine, 1) == ["first", "second", "third", "late"]
    finally:
        await engine.dispose()


async def test_requests_never_take_the_overflow_background_work_keeps_it(app: Quart) -> None:
    """However many requests arrive, at most DB_POOL_SIZE hold a connection (the rest queue in
    order): the pool never opens and closes overflow connections for them under steady load
    (measured: 154 connections opened in 6 s of 64 clients before), and the overflow stays
    free for background work — a media node's heartbeat, the outbox — during a flood."""
    container = app.container  # type: ignore[attr-defined]
    connections, size = container.connections, container.settings.db_pool_size
    holding, release = [], asyncio.Event()

    async def request() -> None:
        await connections.open_request()
        try:
            lease = await connections.lease(reading=True)
            holding.append(lease)
            await release.wait()
            await lease.give_back()
        finally:
            await connections.close_request()

    flood = [asyncio.create_task(request()) for _ in range(size * 3)]
    try:
        deadline = time.monotonic() + 30
        while len(holding) < size:
            assert time.monotonic() < deadline, f"only {len(holding)} requests got a connection"
            await asyncio.sleep(0.01)
        for _ in range(50):  # event-loop turns: anyone past the queue would have a lease now
            await asyncio.sleep(0)
        assert len(holding) == size
        async with asyncio.timeout(5):  # background work, outside any request: not queued
            async with container.engine.connect() as background:
                assert (await background.execute(text("SELECT 1"))).scalar() == 1
    finally:
        release.set()
        await asyncio.gather(*flood)
    assert len(holding) == size * 3
