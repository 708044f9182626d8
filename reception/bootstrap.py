"""The one place that wires adapters into services.

`Container.start()` resolves the database (embedded or DATABASE_URL), opens the engine and
builds the services; `close()` releases everything and is idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine

from reception.adapters.clock import SystemClock
from reception.adapters.db.engine import create_engine, session_factory
from reception.adapters.db.uow import SqlUnitOfWork
from reception.adapters.passwords import Argon2Hasher
from reception.services.audit import AuditService
from reception.services.staff import StaffService
from reception.settings import Settings


@dataclass
class Container:
    settings: Settings
    database_url: str
    engine: AsyncEngine = field(init=False)
    staff: StaffService = field(init=False)

    def __post_init__(self) -> None:
        self.engine = create_engine(self.database_url)
        sessions = session_factory(self.engine)
        self.uow_factory = lambda: SqlUnitOfWork(sessions)
        self.clock = SystemClock()
        self.staff = StaffService(self.uow_factory, Argon2Hasher(), self.clock)
        self.audit = AuditService(self.uow_factory)
        self._closed = False

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            await self.engine.dispose()
