"""The embedded PostgreSQL starts, keeps data across restarts and stops; migrations match the
models exactly (autogenerate finds nothing to do)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from reception.adapters.db.embedded import EmbeddedPostgres, ensure_database
from reception.adapters.db.engine import create_engine
from reception.adapters.db.repositories.transcripts.search import include_search_name
from reception.adapters.db.tables.base import Base
from reception.adapters.jobs.schema import include_name
from tests.conftest import asyncpg_dsn


async def test_migrations_and_models_agree(database_url: str) -> None:
    def diff(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                          "include_name": lambda *a: (
            include_name(*a) and include_search_name(*a))})
        return list(compare_metadata(context, Base.metadata))

    engine = create_engine(database_url, pool_size=1)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(diff)
    finally:
        await engine.dispose()
    assert differences == []


async def test_the_search_and_calendar_extensions_are_installed(database_url: str) -> None:
    conn = await asyncpg.connect(dsn=asyncpg_dsn(database_url))
    try:
        names = {r["extname"] for r in await conn.fetch("SELECT extname FROM pg_extension")}
    finally:
        await conn.close()
    assert {"btree_gist", "unaccent"} <= names


@pytest.mark.slow
async def test_the_embedded_server_keeps_data_across_a_restart(tmp_path: Path) -> None:
    def start() -> EmbeddedPostgres:
        return EmbeddedPostgres(tmp_path)

    server = await asyncio.to_thread(start)
    await ensure_database(server.url("postgres"), "keep")
    conn = await asyncpg.connect(dsn=server.url("keep"))
    await conn.execute("CREATE TABLE note (text varchar); INSERT INTO note VALUES ('còn đây')")
    await conn.close()
    await asyncio.to_thread(server.stop)
    with pytest.raises(OSError):
        await asyncpg.connect(dsn=server.url("keep"), timeout=2)

    server = await asyncio.to_thread(start)
    conn = await asyncpg.connect(dsn=server.url("keep"))
    try:
        assert await conn.fetchval("SELECT text FROM note") == "còn đây"
    finally:
        await conn.close()
        await asyncio.to_thread(server.stop)
    assert not (tmp_path / "pgdata" / "postmaster.pid").exists()  # stopped cleanly
