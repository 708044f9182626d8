"""The health check port on the SQLAlchemy engine: does the database answer right now?"""

from __future__ import annotations

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

log = structlog.get_logger(__name__)


class EngineHealth:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def database_answers(self) -> bool:
        try:
            async with self._engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:  # any failure means "not healthy"; the details go to the log
            log.exception("health check failed")
            return False
        return True
