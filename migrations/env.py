"""Alembic environment: async engine, metadata from the table module only."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from reception.adapters.db.engine import create_engine
from reception.adapters.db.repositories.transcripts.search import include_search_name  # fts_*
from reception.adapters.db.tables import Base
from reception.adapters.jobs.schema import include_name  # the job queue's tables are its own

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True,
                      include_name=lambda *a: include_name(*a) and include_search_name(*a))
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(url: str) -> None:
    engine = create_engine(url, pool_size=1)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:  # called from inside a running program with a connection
        _run(connection)
        return
    asyncio.run(_run_async(config.get_main_option("sqlalchemy.url")))


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_online()
