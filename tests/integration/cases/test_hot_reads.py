"""The hot reads (the case list, the case page, the session check) run Core SELECTs outside a
transaction and build domain objects from plain rows: they return exactly what the ORM reading
of the same tables returns, on Vietnamese names, and each person still sees only the cases
their role and agency allow."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from quart import Quart
from sqlalchemy import select

from reception.adapters.db.repositories.cases.cases import to_case
from reception.adapters.db.tables import cases as t
from reception.domain.cases.case_file import CaseFilter
from reception.domain.organisation import StaffRole
from reception.services.errors import NotFound
from tests.integration.cases.helpers import ALL_CASE_ROLES, agency, client_for, post, staff

NAMES = ("Nguyễn Thị Ánh Tuyết", "Trần Văn Đức", "Lê Hoàng Yến", "Phạm Quốc Việt",
         "Đặng Thuỳ Dương", "Nguyễn Thị Ánh Hồng")


async def _orm_cases(app: Quart, agency_ids: set[Any]) -> list[Any]:
    """The reference: ORM entities of the agencies' cases, in the list's order."""
    async with app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        rows = await uow.session.scalars(
            select(t.CaseFile).where(t.CaseFile.agency_id.in_(agency_ids))
            .order_by(t.CaseFile.opened_on.desc(), t.CaseFile.id))
        return [to_case(r) for r in rows]


async def _register(app: Quart, login: str, names: tuple[str, ...]) -> list[str]:
    client = await client_for(app, login)
    ids = []
    for name in names:
        party = {"role": "complainant", "full_name": name, "address": "12 Lê Lợi, Huế",
                 "id_type": "CCCD", "id_number": "079090001234"}
        case = await post(client, "/api/v1/cases", {
            "kind": "complaint", "channel": "visit", "summary": f"Khiếu nại của {name}",
            "parties": [party], "received_on": "2026-09-01"}, 201)
        ids.append(str(case["id"]))
    return ids


async def test_list_and_page_match_the_orm_and_keep_to_role_and_agency(app: Quart) -> None:
    province = await agency(app, "TTT")
    district = await agency(app, "HUY", "TTT")
    await staff(app, "tinh", *ALL_CASE_ROLES, code="TTT")
    await staff(app, "huyen", *ALL_CASE_ROLES, code="HUY", parent="TTT")
    inspector = await staff(app, "thanhtra", StaffRole.INSPECTOR, code="TTT")
    upper = await _register(app, "tinh", NAMES[:3])
    lower = await _register(app, "huyen", NAMES[3:])
    members = {m.login: m for m in await app.container.staff.list_staff()}  # type: ignore[attr-defined]
    cases = app.container.cases  # type: ignore[attr-defined]

    # The province's manager sees both agencies, the district's only its own, field for field.
    for login, agencies in (("tinh", {province.id, district.id}), ("huyen", {district.id})):
        found = await cases.reports.search(members[login], CaseFilter())
        assert found == await _orm_cases(app, agencies)
        assert {str(c.id) for c in found} == set(upper + lower if login == "tinh" else lower)
    # An inspector lists only what is assigned to them: nothing yet.
    assert await cases.reports.search(inspector, CaseFilter()) == []

    # A Vietnamese name prefix finds the same cases as a scan of the reference list.
    found = await cases.reports.search(members["tinh"], CaseFilter(text="nguyễn thị ánh"))
    assert sorted(c.principal_name for c in found) == ["Nguyễn Thị Ánh Hồng",
                                                       "Nguyễn Thị Ánh Tuyết"]

    # The case page: the district's case from the province, parties' names intact; the
    # province's case is not found from the district.
    page = await cases.files.detail(members["tinh"], uuid.UUID(lower[0]))
    assert page.case == next(c for c in await _orm_cases(app, {district.id})
                             if str(c.id) == lower[0])
    assert [p.display_name for p in page.parties] == [NAMES[3]]
    with pytest.raises(NotFound):
        await cases.files.detail(members["huyen"], uuid.UUID(upper[0]))
