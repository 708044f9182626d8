"""Helpers of the case-file integration tests: staff of two agencies, API calls, engine checks."""

from __future__ import annotations

from datetime import date
from typing import Any

from quart import Quart
from quart.typing import TestClientProtocol as Client

from reception.domain.cases.case import CaseId
from reception.domain.cases.status import case_status
from reception.domain.organisation import AgencyLevel, StaffMember, StaffRole
from reception.services.cases.support import process_of
from reception.services.staff import NewAgency, NewStaff
from tests.integration.conftest import PASSWORD, form_token

ALL_CASE_ROLES = (StaffRole.HEAD, StaffRole.CASE_MANAGER, StaffRole.RECEPTIONIST)


async def agency(app: Quart, code: str, parent_code: str | None = None) -> Any:
    service = app.container.staff  # type: ignore[attr-defined]
    existing = {a.code: a for a in await service.list_agencies()}
    if code in existing:
        return existing[code]
    parent = existing.get(parent_code) if parent_code else None
    level = AgencyLevel.DEPARTMENT if parent else AgencyLevel.PROVINCE
    return await service.create_agency(None, NewAgency(code, f"Thanh tra {code}", level,
                                                       parent.id if parent else None))


async def staff(app: Quart, login: str, *roles: StaffRole, code: str = "TTT",
                parent: str | None = None) -> StaffMember:
    a = await agency(app, code, parent)
    return await app.container.staff.create_staff(  # type: ignore[attr-defined,no-any-return]
        None, NewStaff(a.id, login, f"Cán bộ {login}", PASSWORD, frozenset(roles)))


async def client_for(app: Quart, login: str) -> Client:
    """A logged-in test client whose unsafe requests carry the CSRF header, as scripts do."""
    client = app.test_client()
    token = await form_token(client, "/login")
    response = await client.post("/login", form={"login": login, "password": PASSWORD,
                                                 "csrf_token": token})
    assert response.status_code == 302
    client.csrf = token  # type: ignore[attr-defined]
    return client


def headers(client: Client) -> dict[str, str]:
    return {"X-CSRF-Token": getattr(client, "csrf", "")}


async def post(client: Client, path: str, body: dict[str, Any], status: int = 200) -> dict[str, Any]:
    response = await client.post(path, json=body, headers=headers(client))
    data = await response.get_json()
    assert response.status_code == status, data
    return data or {}


async def act(client: Client, case_id: str, action: str, on: date, **extra: Any) -> dict[str, Any]:
    return await post(client, f"/api/v1/cases/{case_id}/actions",
                      {"action": action, "on": on.isoformat(), **extra})


async def detail(client: Client, case_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/cases/{case_id}")
    assert response.status_code == 200
    return await response.get_json()  # type: ignore[no-any-return]


async def assert_deadlines_match_engine(app: Quart, client: Client, case_id: str) -> dict[str, Any]:
    """The deadlines the API shows are exactly the engine's, replayed from the stored events."""
    shown = await detail(client, case_id)
    async with app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        import uuid
        row = await uow.cases.get(uuid.UUID(case_id), _all_scope(shown["agency_id"]))
        events = [s.event for s in await uow.cases.events(row.id)]
    case = process_of(row).replay(CaseId(case_id), events)
    today = app.container.cases.workflow.today()  # type: ignore[attr-defined]
    expected = [(o.deadline.rule_id, o.deadline.due.isoformat(), o.days_left)
                for o in case_status(case, today, roles=()).obligations]
    assert [(o["rule_id"], o["due"], o["days_left"]) for o in shown["obligations"]] == expected
    assert shown["state"] == case.state
    return shown


def _all_scope(agency_id: str) -> Any:
    import uuid

    from reception.domain.cases.case_file import CaseScope
    return CaseScope(frozenset({uuid.UUID(agency_id)}))  # type: ignore[arg-type]
