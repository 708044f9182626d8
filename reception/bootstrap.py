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
from reception.wiring_booking import BookingServices, build_booking_services
from reception.wiring_cases import CaseServices, build_case_services, identity_sealer
from reception.wiring_hearings import build_hearing_service


@dataclass
class Container:
    settings: Settings
    database_url: str
    engine: AsyncEngine = field(init=False)
    staff: StaffService = field(init=False)

    def __post_init__(self) -> None:
        self.engine = create_engine(self.database_url)
        sessions = session_factory(self.engine)
        sealer = identity_sealer(self.settings)
        self.uow_factory = lambda: SqlUnitOfWork(sessions, sealer)
        self.clock = SystemClock()
        self.staff = StaffService(self.uow_factory, Argon2Hasher(), self.clock)
        self.audit = AuditService(self.uow_factory)
        self.booking: BookingServices = build_booking_services(self.settings, self.uow_factory,
                                                               self.clock)
        self.cases: CaseServices = build_case_services(self.settings, self.uow_factory, self.clock)
        self.hearings = build_hearing_service(self.settings, self.uow_factory, self.clock,
                                              self.booking.agenda, self.booking.waiting_room)
        self._closed = False

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            await self.engine.dispose()
