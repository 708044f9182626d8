"""Administrators manage agencies and staff through the pages; every change is audit-logged."""

from __future__ import annotations

import asyncpg
from quart import Quart
from quart.typing import TestClientProtocol as Client

from reception.domain.organisation import StaffRole
from tests.conftest import asyncpg_dsn
from tests.integration.conftest import form_token, log_in, make_staff


async def _admin_client(app: Quart, client: Client) -> None:
    await make_staff(app, "root", StaffRole.ADMINISTRATOR, agency_code="TTCP")
    assert await log_in(client, "root") == 302


async def test_an_administrator_adds_a_commune_under_a_province(
    app: Quart, client: Client
) -> None:
    await _admin_client(app, client)
    token = await form_token(client, "/admin/agencies")
    created = await client.post("/admin/agencies", form={
        "csrf_token": token, "code": "BN", "name": "UBND tỉnh Bắc Ninh", "level": "province"})
    assert created.status_code == 302
    province = next(a for a in await app.container.staff.list_agencies() if a.code == "BN")  # type: ignore[attr-defined]
    await client.post("/admin/agencies", form={
        "csrf_token": token, "code": "BN-X1", "name": "UBND xã Tiên Du", "level": "commune",
        "parent_id": str(province.id)})
    page = await (await client.get("/admin/agencies")).get_data(as_text=True)
    assert "UBND xã Tiên Du" in page and "Cấp xã" in page


async def test_a_commune_cannot_sit_at_the_top(app: Quart, client: Client) -> None:
    await _admin_client(app, client)
    token = await form_token(client, "/admin/agencies")
    response = await client.post("/admin/agencies", form={
        "csrf_token": token, "code": "X1", "name": "UBND xã Lẻ", "level": "commune"})
    assert response.status_code == 409
    assert "không thể trực thuộc" in await response.get_data(as_text=True)


async def test_invalid_agency_fields_are_named(app: Quart, client: Client) -> None:
    await _admin_client(app, client)
    token = await form_token(client, "/admin/agencies")
    response = await client.post("/admin/agencies", form={
        "csrf_token": token, "code": "bad code!", "name": "", "level": "planet"})
    html = await response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Mã gồm 2 đến 32 chữ cái" in html and "Nhập tên đầy đủ" in html and "Chọn cấp." in html


async def test_an_administrator_creates_staff_who_can_then_log_in(
    app: Quart, client: Client
) -> None:
    await _admin_client(app, client)
    agency = (await app.container.staff.list_agencies())[0]  # type: ignore[attr-defined]
    token = await form_token(client, "/admin/staff")
    response = await client.post("/admin/staff", form={
        "csrf_token": token, "agency_id": str(agency.id), "login": "minh",
        "full_name": "Trần Văn Minh", "password": "a-long-password", "roles": "inspector"})
    assert response.status_code == 302
    duplicate = await client.post("/admin/staff", form={
        "csrf_token": token, "agency_id": str(agency.id), "login": "MINH",
        "full_name": "Someone Else", "password": "a-long-password", "roles": "inspector"})
    assert duplicate.status_code == 409
    short = await client.post("/admin/staff", form={
        "csrf_token": token, "agency_id": str(agency.id), "login": "ha",
        "full_name": "Lê Hà", "password": "short"})
    html = await short.get_data(as_text=True)
    assert short.status_code == 422 and "ít nhất 10 ký tự" in html and "ít nhất một vai trò" in html
    other = app.test_client()
    assert await log_in(other, "minh", "a-long-password") == 302


async def test_admin_changes_are_audit_logged_in_an_intact_chain(
    app: Quart, client: Client, clean_db: str
) -> None:
    await _admin_client(app, client)
    root = next(m for m in await app.container.staff.list_staff())  # type: ignore[attr-defined]
    token = await form_token(client, "/admin/staff")
    await client.post(f"/admin/staff/{root.id}", form={"csrf_token": token, "roles": "head"})
    conn = await asyncpg.connect(dsn=asyncpg_dsn(clean_db))
    try:
        actions = [r["action"] for r in await conn.fetch("SELECT action FROM audit_log ORDER BY id")]
    finally:
        await conn.close()
    assert actions[:3] == ["agency.create", "staff.create", "auth.login"]
    assert await app.container.audit.verify() is None  # type: ignore[attr-defined]
