"""Roles: nobody grants themselves a role; an administrator account holds no other role and
reaches no case content, hearing or booking (checked over every permission of the matrix and
every route of the app); only a hearing's own officials join it as officials (checked over
every staff route of the live hearing, for every other kind of staff)."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from quart import Quart
from quart.typing import TestClientProtocol as Client

from reception.domain.access import MATRIX, ObjectType, Permission, scope_for
from reception.domain.organisation import StaffRole
from reception.services.errors import Forbidden, Invalid
from reception.services.staff import NewStaff
from tests.integration.cases.helpers import ALL_CASE_ROLES
from tests.integration.conftest import form_token, make_staff
from tests.integration.hearings.factory import make_official, seed_booking
from tests.integration.security.conftest import signed_in

ADMIN = StaffRole.ADMINISTRATOR


def test_the_matrix_gives_administrators_nothing() -> None:
    assert [key for key in MATRIX if key[0] is ADMIN] == []
    for permission in Permission:
        for obj in ObjectType:
            assert scope_for({ADMIN}, permission, obj) is None, (permission, obj)


async def test_nobody_grants_themselves_a_role(sec_app: Quart) -> None:
    admin = await make_staff(sec_app, "root", ADMIN)
    staff = sec_app.container.staff  # type: ignore[attr-defined]
    with pytest.raises((Forbidden, Invalid)):
        await staff.update_staff(admin, admin.id, roles=frozenset({ADMIN, StaffRole.HEAD}))
    head = await make_staff(sec_app, "head", StaffRole.HEAD)
    with pytest.raises(Forbidden):  # whoever calls the use case
        await staff.update_staff(head, head.id, roles=frozenset({StaffRole.HEAD,
                                                                 StaffRole.INSPECTOR}))
    client, csrf = await signed_in(sec_app, "root")
    response = await client.post(f"/admin/staff/{admin.id}", form={
        "roles": ["administrator", "head"], "active": "on", "csrf_token": csrf})
    assert response.status_code in (403, 409, 422)
    assert (await staff.get_staff(admin.id)).roles == frozenset({ADMIN})


async def test_an_administrator_account_holds_no_other_role(sec_app: Quart) -> None:
    admin = await make_staff(sec_app, "root", ADMIN)
    other = await make_staff(sec_app, "root2", ADMIN)
    staff = sec_app.container.staff  # type: ignore[attr-defined]
    with pytest.raises(Invalid):
        await staff.update_staff(admin, other.id, roles=frozenset({ADMIN, StaffRole.HEAD}))
    with pytest.raises(Invalid):
        await staff.create_staff(admin, NewStaff(admin.agency_id, "both", "Cả hai", "x" * 12,
                                                 frozenset({ADMIN, StaffRole.HEAD})))


# Routes an administrator legitimately uses, or that belong to citizens (token, no cookie).
ADMIN_OR_PUBLIC = re.compile(
    r"^/($|account|admin|api/docs|api/openapi|api/v1/(agencies|me|staff|join|reception|sessions$)"
    r"|booking|favicon|healthz|lang|login|logout|my-booking|pki/|static|status|staff$|verify)")
PUBLIC_ENDPOINTS = {"api_booking.create_booking", "hearings.join_by_link", "hearings.offer",
                    "hearings.events", "transcript_status.set_language"}


async def _world(app: Quart) -> dict[str, str]:
    """A case, a booking and its open hearing in the administrator's agency."""
    container = app.container  # type: ignore[attr-defined]
    official = await make_official(container.staff, "canbo", "TT")
    head = await make_staff(app, "thutruong", *ALL_CASE_ROLES, agency_code="TT")
    seeded = await seed_booking(container.uow_factory, official)
    hearing = await container.hearings.open(official, seeded.booking.id)
    from reception.domain.cases.case import ProcessKind
    from reception.domain.cases.case_file import Channel, PartyRole
    from reception.services.cases.workflow import NewCase, NewParty
    registered = await container.cases.workflow.register(head, NewCase(
        ProcessKind.DENUNCIATION, Channel.POST, "Tố cáo", [
            NewParty(PartyRole.DENOUNCER, "Người tố cáo thật", "Hà Nội", "CCCD", "001085012345")]))
    return {"case_id": str(registered.case.id), "hearing_id": str(hearing.id),
            "booking_id": str(seeded.booking.id), "official": str(official.id)}


def _fill(rule: str, ids: dict[str, str]) -> str:
    values = {"action": "admit", "form_key": "receipt_02", "fmt": "txt", "kind": "audio",
              "answer": "yes", "code": "TT"}

    def one(match: re.Match[str]) -> str:
        converter, name = match.group(1), match.group(2)
        if name in ids:
            return ids[name]
        return str(uuid.uuid4()) if converter == "uuid" else values.get(name, "x")
    return re.sub(r"<(?:(\w+):)?(\w+)>", one, rule)


async def _call(client: Client, csrf: str, method: str, path: str) -> int:
    if method == "GET":
        return (await client.get(path)).status_code
    if path.startswith("/api/"):
        body = {"muted": True} if path.endswith("/mute") else {}
        return (await client.open(path, method=method, json=body,
                                  headers={"X-CSRF-Token": csrf})).status_code
    return (await client.open(path, method=method, form={"csrf_token": csrf})).status_code


def _routes(app: Quart, keep: Any) -> list[tuple[str, str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if not keep(rule):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, rule.rule))
    return found


async def test_an_administrator_reaches_no_case_hearing_or_booking_route(sec_app: Quart) -> None:
    ids = await _world(sec_app)
    await make_staff(sec_app, "root", ADMIN, agency_code="TT")
    client, csrf = await signed_in(sec_app, "root")
    routes = _routes(sec_app, lambda r: not ADMIN_OR_PUBLIC.match(r.rule)
                     and r.endpoint not in PUBLIC_ENDPOINTS)
    assert len(routes) > 40
    reached = []
    for endpoint, method, rule in routes:
        status = await _call(client, csrf, method, _fill(rule, ids))
        allowed = (401, 403, 404) if method == "GET" else (400, 401, 403, 404, 405, 409, 422)
        if status not in allowed:
            reached.append((endpoint, method, status))
    assert reached == [], "\n".join(map(str, reached))


HEARING_CONTROL = re.compile(r"^hearings\.(console|join_staff|admit|admit_waiting|mute|remove|end"
                             r"|state|open_hearing|party_form|add_party)$")


@pytest.mark.parametrize("roles", [(StaffRole.INSPECTOR,), (StaffRole.CASE_MANAGER,), (ADMIN,),
                                   (StaffRole.HEAD,), (StaffRole.RECEPTIONIST,)],
                         ids=lambda r: r[0].value)
async def test_only_the_hearings_officials_take_part(sec_app: Quart,
                                                     roles: tuple[StaffRole, ...]) -> None:
    ids = await _world(sec_app)
    await make_staff(sec_app, "outsider", *roles, agency_code="TT")
    client, csrf = await signed_in(sec_app, "outsider")
    routes = _routes(sec_app, lambda r: HEARING_CONTROL.match(r.endpoint))
    assert len(routes) >= 10
    for endpoint, method, rule in routes:  # opening it or adding a party to it included
        status = await _call(client, csrf, method, _fill(rule, ids))
        assert status in (401, 403, 404), (endpoint, method, status)

    if StaffRole.HEAD in roles:  # the head adds themselves, then may join
        added = await client.post(f"/api/v1/hearings/{ids['hearing_id']}/officials",
                                  json={"staff_id": str((await _me(client))["id"])},
                                  headers={"X-CSRF-Token": csrf})
        assert added.status_code == 204
        joined = await client.post(f"/api/v1/hearings/{ids['hearing_id']}/join", json={},
                                   headers={"X-CSRF-Token": csrf})
        assert joined.status_code == 200


async def test_the_bookings_official_adds_a_colleague_who_then_joins(sec_app: Quart) -> None:
    ids = await _world(sec_app)
    colleague = await make_staff(sec_app, "thanhtra", StaffRole.INSPECTOR, agency_code="TT")
    official, csrf = await signed_in(sec_app, "canbo")
    inspector, inspector_csrf = await signed_in(sec_app, "thanhtra")
    path = f"/api/v1/hearings/{ids['hearing_id']}"
    refused = await inspector.post(f"{path}/join", json={}, headers={"X-CSRF-Token": inspector_csrf})
    assert refused.status_code == 403
    assert (await official.post(f"{path}/officials", json={"staff_id": str(colleague.id)},
                                headers={"X-CSRF-Token": csrf})).status_code == 204
    joined = await inspector.post(f"{path}/join", json={}, headers={"X-CSRF-Token": inspector_csrf})
    assert joined.status_code == 200
    assert (await official.post(f"{path}/join", json={},
                                headers={"X-CSRF-Token": csrf})).status_code == 200
    await form_token(official, "/staff")


async def _me(client: Client) -> dict[str, Any]:
    return await (await client.get("/api/v1/me")).get_json()  # type: ignore[no-any-return]
