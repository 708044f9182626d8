"""SQL repositories of the security edge: rate-limit counters and hearing officials."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from reception.adapters.db.tables import security as t
from reception.domain.organisation import StaffId


class SqlRateLimits:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def hit(self, key: str, window_start: datetime, expires_at: datetime) -> int:
        fresh = insert(t.RateLimitCounter).values(
            key=key, window_start=window_start, hits=1, expires_at=expires_at)
        statement = fresh.on_conflict_do_update(
            index_elements=[t.RateLimitCounter.key, t.RateLimitCounter.window_start],
            set_={"hits": t.RateLimitCounter.hits + 1}).returning(t.RateLimitCounter.hits)
        return int((await self._s.execute(statement)).scalar_one())

    async def forgive(self, key: str, window_start: datetime) -> None:
        counter = t.RateLimitCounter
        await self._s.execute(update(counter).where(
            counter.key == key, counter.window_start == window_start, counter.hits > 0,
        ).values(hits=counter.hits - 1))

    async def purge(self, now: datetime) -> int:
        result = await self._s.execute(delete(t.RateLimitCounter)
                                       .where(t.RateLimitCounter.expires_at < now))
        return int(result.rowcount)  # type: ignore[attr-defined]


class SqlHearingOfficials:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, hearing_id: uuid.UUID, staff_id: StaffId, added_by: StaffId) -> None:
        await self._s.execute(insert(t.HearingOfficialRow).values(
            hearing_id=hearing_id, staff_id=staff_id, added_by=added_by).on_conflict_do_nothing())

    async def of_hearing(self, hearing_id: uuid.UUID) -> frozenset[StaffId]:
        rows = await self._s.scalars(select(t.HearingOfficialRow.staff_id)
                                     .where(t.HearingOfficialRow.hearing_id == hearing_id))
        return frozenset(StaffId(r) for r in rows)
