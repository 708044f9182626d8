"""The health check port on the SQLAlchemy engine: does the database answer right now?"""

from __future__ import annotations

from datetime import timedelta

import structlog
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from reception.adapters.db.tables.media_nodes import MediaNodeRow
from reception.services.hearings.node import DEAD_AFTER

log = structlog.get_logger(__name__)


class EngineHealth:
    def __init__(self, engine: AsyncEngine, dead_after: timedelta = DEAD_AFTER) -> None:
        self._dead_after = dead_after
        # Each check is one read: run without BEGIN and ROLLBACK around it (two round trips
        # each; load balancers call this often). The pool resets the connection at check-in.
        self._engine = engine.execution_options(isolation_level="AUTOCOMMIT")

    async def media_nodes(self) -> int | None:
        """Media nodes alive now (one statement); None when the database does not answer."""
        try:
            async with self._engine.connect() as connection:
                return int((await connection.execute(
                    select(func.count()).select_from(MediaNodeRow)
                    .where(MediaNodeRow.heartbeat_at > func.now() - self._dead_after))).scalar_one())
        except Exception:  # any failure means "not healthy"; the details go to the log
            log.exception("health check failed")
            return None
