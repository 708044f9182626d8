"""Dashboard and search queries over case files. Each is one indexed statement scoped by
agency (see bench/cases.py for the plans at 1M rows); overdue is `next_due < today` computed
in the query, never a stored flag."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from reception.adapters.db.engine import read_rows
from reception.adapters.db.repositories.cases.cases import scope_filter, to_case
from reception.adapters.db.tables import cases as t
from reception.domain.cases.case_file import CaseFile, CaseFilter, CaseScope
from reception.domain.cases.views import search_key


def _filtered(scope: CaseScope, f: CaseFilter, today: date) -> Select[Any]:
    # Core columns, not ORM entities: the list is a hot read and to_case reads rows alike.
    query = select(*t.CaseFile.__table__.c).where(scope_filter(scope))
    text = f.text.strip()
    if text:
        if text.upper()[:3] in ("KN-", "TC-", "DON", "KP-"):
            query = query.where(t.CaseFile.reference == text.upper())
        elif text.isascii() and text.isdigit():  # an ID number: ASCII digits only
            query = query.where(t.CaseFile.principal_id_number == text)
        else:
            query = query.where(t.CaseFile.name_key.like(search_key(text).replace("%", "") + "%"))
    if f.state:
        query = query.where(t.CaseFile.state == f.state)
    if f.kind:
        query = query.where(t.CaseFile.kind == f.kind)
    if f.overdue_only:
        query = query.where(~t.CaseFile.closed, t.CaseFile.next_due < today)
    if f.due_before:
        query = query.where(~t.CaseFile.closed, t.CaseFile.next_due >= today,
                            t.CaseFile.next_due <= f.due_before)
    if f.open_only:
        query = query.where(~t.CaseFile.closed)
    return query


class SqlCaseReports:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def search(self, scope: CaseScope, f: CaseFilter, today: date, *, limit: int = 50,
                     offset: int = 0) -> list[CaseFile]:
        order = (t.CaseFile.next_due.asc() if f.overdue_only or f.due_before
                 else t.CaseFile.opened_on.desc())
        rows = await read_rows(self._s, _filtered(scope, f, today).order_by(order, t.CaseFile.id)
                               .limit(limit).offset(offset))
        return [to_case(r) for r in rows]

    async def stream(self, scope: CaseScope, f: CaseFilter, today: date) -> AsyncIterator[CaseFile]:
        rows = await self._s.stream(_filtered(scope, f, today).order_by(t.CaseFile.opened_on)
                                            .execution_options(yield_per=2000))
        async for row in rows:
            yield to_case(row)

    async def by_state(self, scope: CaseScope) -> list[tuple[str, str, int]]:
        """Open cases by kind and state (closed ones are counted in the monthly charts)."""
        rows = await self._s.execute(
            select(t.CaseFile.kind, t.CaseFile.state, func.count())
            .where(scope_filter(scope), ~t.CaseFile.closed).group_by(t.CaseFile.kind, t.CaseFile.state)
            .order_by(t.CaseFile.kind, t.CaseFile.state))
        return [(k, s, n) for k, s, n in rows]

    async def workload(self, scope: CaseScope, today: date, by: str) -> list[tuple[object, int, int]]:
        """(agency_id or assignee_id, open cases, overdue cases) for open cases."""
        column = t.CaseFile.agency_id if by == "agency" else t.CaseFile.assignee_id
        overdue = func.count(case((t.CaseFile.next_due < today, 1)))
        rows = await self._s.execute(
            select(column, func.count(), overdue)
            .where(scope_filter(scope), ~t.CaseFile.closed).group_by(column)
            .order_by(overdue.desc()).limit(50))
        return [(key, n, late) for key, n, late in rows]

    async def intake_by_month(self, scope: CaseScope, since: date) -> list[tuple[date, int]]:
        month = func.date_trunc("month", t.CaseFile.opened_on)
        rows = await self._s.execute(
            select(month, func.count()).where(scope_filter(scope), t.CaseFile.opened_on >= since)
            .group_by(month).order_by(month))
        return [(m.date(), n) for m, n in rows]

    async def resolution_by_month(self, scope: CaseScope, since: date) -> list[tuple[date, int, int]]:
        month = func.date_trunc("month", t.CaseFile.resolved_on)
        on_time = func.count(case((t.CaseFile.resolved_on_time.is_(True), 1)))
        rows = await self._s.execute(
            select(month, on_time, func.count())
            .where(and_(scope_filter(scope), t.CaseFile.resolved_on.is_not(None),
                        t.CaseFile.resolved_on >= since))
            .group_by(month).order_by(month))
        return [(m.date(), good, total) for m, good, total in rows]
