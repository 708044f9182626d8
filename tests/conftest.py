"""Test harness: one real PostgreSQL for the session (embedded, or DATABASE_URL's server), a
freshly migrated test database, and every table emptied before each database test."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from reception.adapters.db.embedded import EmbeddedPostgres, ensure_database
from reception.adapters.db.migrate import upgrade

ROOT = Path(__file__).resolve().parents[1]
# One database per test session, so that several sessions on one server do not collide.
TEST_DATABASE = f"reception_test_{os.getpid()}"
ARTIFACTS = ROOT / "tests" / "artifacts"


def _server_url(database: str) -> tuple[str, EmbeddedPostgres | None]:
    configured = os.environ.get("DATABASE_URL")
    if configured:
        return make_url(configured).set(database=database).render_as_string(False), None
    server = EmbeddedPostgres(ROOT / "var" / "test")
    return server.url(database), server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[tuple[str, EmbeddedPostgres | None]]:
    """(url of the 'postgres' maintenance database, embedded handle or None)."""
    url, server = _server_url("postgres")
    yield url, server
    if server is not None:
        server.stop()


@pytest.fixture(scope="session")
async def database_url(postgres_server: tuple[str, EmbeddedPostgres | None]) -> AsyncIterator[str]:
    """A test database migrated to head, created for this test session and dropped after it."""
    maintenance, _ = postgres_server
    await ensure_database(maintenance, TEST_DATABASE, recreate=True)
    url = make_url(maintenance).set(database=TEST_DATABASE).render_as_string(False)
    await upgrade(url)
    yield url
    conn = await asyncpg.connect(dsn=asyncpg_dsn(maintenance))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{TEST_DATABASE}" WITH (FORCE)')
    finally:
        await conn.close()


def asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(False)


@pytest.fixture
async def clean_db(database_url: str) -> str:
    """Empty every application table (fast TRUNCATE) so each test starts from nothing."""
    return await emptied(database_url)


async def emptied(database_url: str) -> str:
    """The database with every application table emptied (for fixtures of any scope)."""
    conn = await asyncpg.connect(dsn=asyncpg_dsn(database_url))
    try:
        tables = await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'alembic_version'")
        if tables:
            names = ", ".join(f'"{t["tablename"]}"' for t in tables)
            await conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    finally:
        await conn.close()
    return database_url


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
