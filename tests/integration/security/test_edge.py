"""Input is checked at the edge: control characters get a 422 that names the field, text is
NFC-normalised, JSON is bounded in depth and size, a body that is not UTF-8 gets a 400, query
strings are validated by schema (400), datetimes need a zone, and a database that cannot be
reached gets a 503 with Retry-After — never a 500, never a trace."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import asyncpg
import pytest
from quart import Quart

from reception.app import create_app
from reception.domain.organisation import StaffRole
from tests.conftest import asyncpg_dsn
from tests.integration.cases.helpers import ALL_CASE_ROLES
from tests.integration.conftest import form_token, make_settings, make_staff
from tests.integration.security.conftest import signed_in


async def test_a_nul_character_is_refused_naming_the_field_anonymous_too(sec_app: Quart) -> None:
    client = sec_app.test_client()
    token = await form_token(client, "/status")
    response = await client.post("/status", form={"reference": "KN-2026-0000\x0001",
                                                  "secret": "abc", "csrf_token": token})
    text = await response.get_data(as_text=True)
    assert response.status_code == 422 and "ký tự điều khiển" in text
    api = await client.post("/api/v1/bookings", json={"full_name": "An\x00", "slot": "x"})
    body = await api.get_json()
    assert api.status_code == 422 and body["errors"][0]["field"] == "full_name"


async def test_staff_json_with_control_characters_names_the_nested_field(sec_app: Quart) -> None:
    await make_staff(sec_app, "lan", *ALL_CASE_ROLES)
    client, csrf = await signed_in(sec_app, "lan")
    response = await client.post("/api/v1/cases", headers={"X-CSRF-Token": csrf}, json={
        "kind": "petition", "channel": "post", "summary": "Đơn kiến nghị",
        "parties": [{"role": "petitioner", "full_name": "Nguyễn\x1bVăn An"}]})
    body = await response.get_json()
    assert response.status_code == 422 and body["errors"][0]["field"] == "parties.0.full_name"


async def test_text_is_stored_nfc_normalised(sec_app: Quart, clean_db: str) -> None:
    await make_staff(sec_app, "lan", *ALL_CASE_ROLES)
    client, csrf = await signed_in(sec_app, "lan")
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Ánh")
    response = await client.post("/api/v1/cases", headers={"X-CSRF-Token": csrf}, json={
        "kind": "petition", "channel": "post", "summary": "Đơn kiến nghị",
        "parties": [{"role": "petitioner", "full_name": decomposed}]})
    assert response.status_code == 201
    conn = await asyncpg.connect(dsn=asyncpg_dsn(clean_db))
    try:
        stored = await conn.fetchval("SELECT display_name FROM case_party")
    finally:
        await conn.close()
    assert stored == "Nguyễn Văn Ánh" and unicodedata.is_normalized("NFC", stored)


async def test_deep_json_and_bad_utf8_are_400(sec_app: Quart) -> None:
    client = sec_app.test_client()
    deep = await client.post("/api/v1/bookings", data=b"[" * 100_000 + b"]" * 100_000,
                             headers={"Content-Type": "application/json"})
    assert deep.status_code == 400
    assert (await deep.get_json())["code"] == "invalid_depth"
    invalid = await client.post("/api/v1/bookings", data=b'{"full_name": "\xff\xfe"}',
                                headers={"Content-Type": "application/json"})
    assert invalid.status_code == 400 and (await invalid.get_json())["code"] == "invalid_utf8"
    form = await client.post("/status", data=b"reference=\xff&secret=x",
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert form.status_code == 400


@pytest.mark.parametrize("query", ["/api/v1/cases?offset=abc",
                                   "/api/v1/cases?offset=99999999999999999999",
                                   "/api/v1/agenda?day=notadate",
                                   "/api/v1/agenda?official_id=zzz",
                                   "/api/v1/agenda/waiting?official_id=zzz",
                                   "/search?offset=99999999999999999999",
                                   "/api/v1/search"])
async def test_query_strings_are_validated_by_schema(sec_app: Quart, query: str) -> None:
    await make_staff(sec_app, "lan", *ALL_CASE_ROLES)
    client, _ = await signed_in(sec_app, "lan")
    response = await client.get(query)
    assert response.status_code == 400, await response.get_data(as_text=True)


async def test_a_naive_datetime_is_refused(sec_app: Quart) -> None:
    official = await make_staff(sec_app, "lan", StaffRole.RECEPTIONIST)
    client, csrf = await signed_in(sec_app, "lan")
    response = await client.post("/api/v1/sessions", headers={"X-CSRF-Token": csrf}, json={
        "kind": "ad_hoc", "official_id": str(official.id), "starts_at": "2026-12-10T08:00:00",
        "ends_at": "2026-12-10T10:00:00"})
    body = await response.get_json()
    assert response.status_code == 400 and body["errors"][0]["field"] == "starts_at"


async def test_an_unreachable_database_is_503_with_retry_after(tmp_path: Path) -> None:
    down = "postgresql://postgres@127.0.0.1:9/nothing"  # nothing listens on the discard port
    app = create_app(make_settings(tmp_path, down), down)
    # No lifespan: the database is down from the first request (start-up would need it).
    client = app.test_client()
    token = await form_token(client, "/status")
    page = await client.post("/status", form={"reference": "KN-2026-000001",
                                              "secret": "abcdef", "csrf_token": token})
    assert page.status_code == 503 and page.headers["Retry-After"]
    text = await page.get_data(as_text=True)
    assert "Traceback" not in text and "asyncpg" not in text and "9/nothing" not in text
    api = await client.get("/api/v1/join", headers={"X-Join-Token": "x" * 30})
    assert api.status_code == 503 and (await api.get_json())["code"] == "unavailable"
    await app.container.close()  # type: ignore[attr-defined]
