"""`make run`'s demo data: agencies, accounts, reception sessions and case files, created once."""

from __future__ import annotations

from quart import Quart

from reception.domain.cases.case_file import CaseFilter
from reception.services.demo.calendar import seed_demo_calendar
from reception.services.demo.cases import seed_demo_cases
from reception.services.demo.data import seed_demo


async def _seed(app: Quart) -> list[str]:
    container = app.container  # type: ignore[attr-defined]
    today = container.clock.now().date()
    created = await seed_demo(container.staff)
    created += await seed_demo_calendar(container.staff, container.booking.calendar, today)
    created += await seed_demo_cases(container.staff, container.cases, today)
    return created


async def test_demo_data_is_created_once_and_fills_the_dashboard(app: Quart) -> None:
    first = await _seed(app)
    assert "staff admin" in first and any(line.startswith("case KN-") for line in first)
    assert await _seed(app) == []
    container = app.container  # type: ignore[attr-defined]
    manager = next(m for m in await container.staff.list_staff() if m.login == "theodoi")
    cases = await container.cases.reports.search(manager, CaseFilter())
    assert {c.kind for c in cases} >= {"petition", "complaint", "denunciation"}
