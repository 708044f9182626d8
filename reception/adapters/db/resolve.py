"""Decide which PostgreSQL to use: DATABASE_URL, or the embedded server under data_dir."""

from __future__ import annotations

from dataclasses import dataclass

from reception.adapters.db.embedded import APP_DATABASE, EmbeddedPostgres, ensure_database
from reception.settings import Settings


@dataclass
class ResolvedDatabase:
    url: str
    embedded: EmbeddedPostgres | None = None

    def stop(self) -> None:
        if self.embedded is not None:
            self.embedded.stop()


async def resolve_database(settings: Settings) -> ResolvedDatabase:
    """The configured database, or the embedded one (started and its database created)."""
    if settings.database_url is not None:
        return ResolvedDatabase(settings.database_url.get_secret_value())
    server = EmbeddedPostgres(settings.data_dir)
    await ensure_database(server.url("postgres"), APP_DATABASE)
    return ResolvedDatabase(server.url(APP_DATABASE), server)
