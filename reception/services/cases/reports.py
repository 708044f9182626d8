"""The case manager's dashboard, search and CSV export, all scoped by the authorisation
matrix. Denouncers appear in every row as their pseudonym (the only name the table has)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from reception.domain import labels
from reception.domain.access import ObjectType, Permission
from reception.domain.cases.case_file import CaseFile, CaseFilter
from reception.domain.cases.views import local_today
from reception.domain.organisation import StaffMember
from reception.i18n import translations
from reception.i18n_marker import N_
from reception.services import spreadsheets
from reception.services.cases.support import scope
from reception.services.ports import Clock, UnitOfWorkFactory

WEEK = 7
CHART_MONTHS = 12
# The export is opened by managers in a spreadsheet: headers and values in Vietnamese, the
# kind and the state as the case pages name them, dates in ISO form (they sort as text).
CSV_COLUMNS = (N_("Case no."), N_("Kind"), N_("State"), N_("Received on"), N_("Person"),
               N_("Next deadline"), N_("Days overdue"), N_("Closed"), N_("Resolved on"),
               N_("Resolved on time"))
YES, NO = N_("Yes"), N_("No")


@dataclass(frozen=True)
class Dashboard:
    today: date
    by_state: list[tuple[str, str, int]]
    due_this_week: list[CaseFile]
    overdue: list[CaseFile]  # earliest due first; days overdue = today - next_due
    by_official: list[tuple[str | None, int, int]]  # (name, open, overdue); None: unassigned
    by_agency: list[tuple[str, int, int]]
    intake: list[tuple[date, int]]  # every month of the chart, none left out
    resolution: list[tuple[date, int, int]]  # (month, on time, resolved), every month
    results: list[CaseFile]


class CaseReports:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def dashboard(self, actor: StaffMember, f: CaseFilter) -> Dashboard:
        today = local_today(self._clock.now())
        since = date(today.year - 1, today.month, 1) + timedelta(days=32)
        since = since.replace(day=1)
        async with self._uow() as uow:
            where = await scope(uow, actor, Permission.DASHBOARD, ObjectType.CASE_SET)
            reports = uow.case_reports
            names = {m.id: m.full_name for m in await uow.staff.list()}
            agencies = {a.id: a.name for a in await uow.agencies.list()}
            by_official = [(names.get(k, "—") if k else None, n, late)  # type: ignore[call-overload]
                           for k, n, late in await reports.workload(where, today, "official")]
            by_agency = [(agencies.get(k, "—"), n, late)  # type: ignore[call-overload]
                         for k, n, late in await reports.workload(where, today, "agency")]
            return Dashboard(
                today, await reports.by_state(where),
                await reports.search(where, CaseFilter(due_before=today + timedelta(days=WEEK)), today),
                await reports.search(where, CaseFilter(overdue_only=True), today),
                by_official, by_agency,
                _every_month(since, today, await reports.intake_by_month(where, since), (0,)),
                _every_month(since, today, await reports.resolution_by_month(where, since), (0, 0)),
                await reports.search(where, f, today) if _any(f) else [])

    async def search(self, actor: StaffMember, f: CaseFilter, *, limit: int = 50,
                     offset: int = 0) -> list[CaseFile]:
        today = local_today(self._clock.now())
        async with self._uow.reading() as uow:
            where = await scope(uow, actor, Permission.LIST, ObjectType.CASE_SET)
            return await uow.case_reports.search(where, f, today, limit=limit, offset=offset)

    async def export_csv(self, actor: StaffMember, f: CaseFilter) -> AsyncIterator[str]:
        """CSV lines, streamed from the database without loading every row."""
        today = local_today(self._clock.now())
        buffer = io.StringIO()
        writer = spreadsheets.writer(buffer)
        writer.writerow(_vi(c) for c in CSV_COLUMNS)
        async with self._uow() as uow:
            where = await scope(uow, actor, Permission.EXPORT, ObjectType.CASE_SET)
            count = 0
            async for c in uow.case_reports.stream(where, f, today):
                late = (today - c.next_due).days if c.next_due and not c.closed and c.next_due < today else 0
                writer.writerow((c.reference, _label("process_kind", c.kind.value),
                                 _label("state", c.state), c.opened_on.isoformat(),
                                 c.principal_name, c.next_due.isoformat() if c.next_due else "", late,
                                 _yes_no(c.closed), c.resolved_on.isoformat() if c.resolved_on else "",
                                 "" if c.resolved_on_time is None else _yes_no(c.resolved_on_time)))
                count += 1
                if count % 500 == 0:
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
            from reception.services import audit

            await uow.audit.append(audit.record(self._clock.now(), actor, "case.export", "case_set",
                                                None, agency_id=actor.agency_id,
                                                details={"rows": count, "filter": f.text[:64]}))
            await uow.commit()
        yield buffer.getvalue()


def _vi(msgid: str) -> str:
    return translations("vi").gettext(msgid)


def _label(kind: str, value: str) -> str:
    """`value` named as the case pages name it (the one label table), in Vietnamese."""
    found = labels.msgid(kind, value)
    return _vi(found) if found else value


def _yes_no(value: bool) -> str:
    return _vi(YES if value else NO)


def _any(f: CaseFilter) -> bool:
    return bool(f.text or f.state or f.kind or f.overdue_only or f.due_before or f.open_only)


def _every_month(since: date, today: date, rows: Sequence[tuple[Any, ...]],
                 zero: tuple[int, ...]) -> list[Any]:
    """One row per month from `since` to today's month: a month nothing happened in is a zero,
    not a gap (the charts' axes would otherwise skip it and read as consecutive months)."""
    counted = {row[0]: row for row in rows}
    months, month = [], since.replace(day=1)
    while month <= today:
        months.append(counted.get(month, (month, *zero)))
        month = (month + timedelta(days=32)).replace(day=1)
    return months
