"""Decide which PostgreSQL to use: DATABASE_URL, or the embedded server under data_dir."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reception.adapters.db.embedded import APP_DATABASE, EmbeddedPostgres, ensure_database


@dataclass
class ResolvedDatabase:
    url: str
    embedded: EmbeddedPostgres | None = None

    def stop(self) -> None:
        if self.embedded is not None:
            self.embedded.stop()


async def resolve_database(database_url: str | None, data_dir: Path) -> ResolvedDatabase:
    """The configured database, or the embedded one under `data_dir` (started, its database
    created)."""
    if database_url is not None:
        return ResolvedDatabase(database_url)
    server = EmbeddedPostgres(data_dir)
    await ensure_database(server.url("postgres"), APP_DATABASE)
    return ResolvedDatabase(server.url(APP_DATABASE), server)
