"""SQL repository of the links between case files and the receptions they were opened from."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from reception.adapters.db.tables.cases import CaseReception
from reception.domain.booking import BookingId
from reception.domain.cases.intake import ReceptionLink
from reception.domain.organisation import StaffId


def _link(r: CaseReception) -> ReceptionLink:
    return ReceptionLink(r.case_id, BookingId(r.booking_id), r.received_on, StaffId(r.linked_by),
                         r.linked_at)


class SqlCaseReceptions:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, link: ReceptionLink) -> None:
        self._s.add(CaseReception(case_id=link.case_id, booking_id=link.booking_id,
                                  received_on=link.received_on, linked_by=link.linked_by,
                                  linked_at=link.linked_at))
        await self._s.flush()

    async def for_case(self, case_id: uuid.UUID) -> list[ReceptionLink]:
        rows = await self._s.scalars(select(CaseReception).where(CaseReception.case_id == case_id)
                                     .order_by(CaseReception.linked_at))
        return [_link(r) for r in rows]

    async def for_booking(self, booking_id: BookingId) -> list[ReceptionLink]:
        rows = await self._s.scalars(select(CaseReception)
                                     .where(CaseReception.booking_id == booking_id)
                                     .order_by(CaseReception.linked_at))
        return [_link(r) for r in rows]
