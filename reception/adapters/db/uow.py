"""One SQL transaction per use case: leaving the block without commit() rolls back."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from reception.adapters.db.repositories import SqlAgencies, SqlAuditLog, SqlStaff


class SqlUnitOfWork:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def __aenter__(self) -> SqlUnitOfWork:
        self.session = self._sessions()
        self.agencies = SqlAgencies(self.session)
        self.staff = SqlStaff(self.session)
        self.audit = SqlAuditLog(self.session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.session.rollback()  # a no-op after commit()
        await self.session.close()

    async def commit(self) -> None:
        await self.session.commit()
