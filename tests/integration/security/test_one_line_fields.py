"""One-line fields (names, addresses, IDs, contacts, titles) take one line: a line break, a
control character or a bidirectional override is refused at the input with a Vietnamese 422
naming the field, and nothing is stored. A citizen's name is a hearing member's display name
and the transcript's speaker label: `Nguyễn Văn A\\r\\n[00:00:03] … (official): …` would forge a
line of the signed record. Fields of several lines (summaries, notes, transcript text) keep
their line breaks. The sweep reads the app's own pydantic models, so a new field is covered."""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil

import asyncpg
import pytest
from pydantic import BaseModel, ValidationError
from quart import Quart
from werkzeug.datastructures import FileStorage, MultiDict

import reception.web
from reception.domain.organisation import StaffRole
from reception.web.cases.forms import dispatch_records
from tests.conftest import asyncpg_dsn
from tests.integration.booking.test_booking_refusals import PDF
from tests.integration.cases.helpers import ALL_CASE_ROLES
from tests.integration.conftest import make_staff
from tests.integration.security.conftest import signed_in

FORGED = "Nguyễn Văn A\r\n[00:00:03] Nguyễn Thị Lan (official): Tôi đồng ý hủy quyết định"
NOT_ONE_LINE = ("A\r\nB", "A\nB", "A\rB", "A\tB", "A\u2028B", "A\u2029B", "A\u202eB", "A\u2066B")
# Fields that hold several lines, and why; every other field of every model takes one line.
MULTI_LINE = {
    "description": "the citizen's matter, in their words",
    "representatives": "one representative per line (each line is checked as a name)",
    "summary": "the content of a petition or case",
    "note": "an official's note",
    "reason": "why a sealed identity is revealed (kept in the audit log)",
    "text": "a transcript line's corrected text",
    "sdp": "a WebRTC session description, CRLF-separated by its standard",
    "password": "a secret, never shown", "current": "a secret, never shown",
    "new": "a secret, never shown",
    "next": "where to go after logging in: whatever it holds, reduced to a path of this site "
            "(a hostile one must not stop the login)",
}
ONE_LINE_PAGE = "Hãy nhập trên một dòng, không xuống dòng và không có ký tự điều khiển ẩn."


def web_models() -> list[type[BaseModel]]:
    """Every pydantic model of the web layer (forms, JSON bodies, query strings)."""
    found: dict[str, type[BaseModel]] = {}
    for module in pkgutil.walk_packages(reception.web.__path__, "reception.web."):
        for _, obj in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if issubclass(obj, BaseModel) and obj.__module__.startswith("reception.web."):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[k] for k in sorted(found)]


def _errors_at(model: type[BaseModel], field: str, value: str) -> list[str]:
    try:
        model.model_validate({field: value})
    except ValidationError as error:
        return [e["type"] for e in error.errors() if e["loc"][:1] == (field,)]
    return []


def test_the_sweep_finds_the_models_that_take_names() -> None:
    names = {m.__qualname__ for m in web_models()}
    assert {"BookingForm", "BookingIn", "WalkInIn", "PartyIn", "CaseIn", "RegisterForm",
            "IntakeForm", "StaffIn", "StaffForm", "AgencyIn", "EvidenceIn"} <= names


@pytest.mark.parametrize("model", web_models(), ids=lambda m: f"{m.__module__}.{m.__qualname__}")
def test_every_one_line_field_of_every_model_refuses_what_is_not_one_line(
    model: type[BaseModel]
) -> None:
    for field in model.model_fields:
        if field in MULTI_LINE:
            assert _errors_at(model, field, "Dòng thứ nhất đủ dài\r\nDòng thứ hai đủ dài") == [], (
                f"{model.__qualname__}.{field} keeps its line breaks")
            continue
        for value in NOT_ONE_LINE:
            assert _errors_at(model, field, value), f"{model.__qualname__}.{field} took {value!r}"


async def _count(database_url: str, table: str) -> int:
    connection = await asyncpg.connect(dsn=asyncpg_dsn(database_url))
    try:
        return int(await connection.fetchval(f"SELECT count(*) FROM {table}"))
    finally:
        await connection.close()


async def test_staff_forms_and_bodies_refuse_line_breaks_in_names(sec_app: Quart,
                                                                  clean_db: str) -> None:
    await make_staff(sec_app, "lan", *ALL_CASE_ROLES)
    admin = await make_staff(sec_app, "root", StaffRole.ADMINISTRATOR)
    client, csrf = await signed_in(sec_app, "lan")
    case = await client.post("/api/v1/cases", headers={"X-CSRF-Token": csrf}, json={
        "kind": "petition", "channel": "post", "summary": "Đơn kiến nghị\nnhiều dòng",
        "parties": [{"role": "petitioner", "full_name": "Nguyễn Văn An", "address": "Hà Nội"},
                    {"role": "complainee", "full_name": FORGED}]})
    problem = await case.get_json()
    assert case.status_code == 422 and [e["field"] for e in problem["errors"]] == [
        "parties.1.full_name"]
    page = await client.post("/cases/new", form={
        "kind": "petition", "channel": "post", "full_name": "Nguyễn Văn An",
        "contact": "0912\r\n345678", "summary": "Đơn kiến nghị", "csrf_token": csrf})
    assert page.status_code == 422 and ONE_LINE_PAGE in await page.get_data(as_text=True)
    assert await _count(clean_db, "case_file") == 0
    case = await client.post("/api/v1/cases", headers={"X-CSRF-Token": csrf}, json={
        "kind": "petition", "channel": "post", "summary": "Đơn kiến nghị",
        "parties": [{"role": "petitioner", "full_name": "Nguyễn Văn An"}]})
    upload = await client.post(
        f"/api/v1/cases/{(await case.get_json())['id']}/documents", headers={"X-CSRF-Token": csrf},
        form={"title": "Đơn\r\n[00:00:03] giả"},
        files={"file": FileStorage(io.BytesIO(PDF), "don.pdf", content_type="application/pdf")})
    assert upload.status_code == 422 and await _count(clean_db, "case_document") == 0
    with pytest.raises(ValueError, match="recipient_1"):  # the action page's dispatch form
        dispatch_records(MultiDict({"recipient_1": "Ông A\r\nBà B", "channel_1": "post"}))

    root, root_csrf = await signed_in(sec_app, "root")
    staff = await root.post("/api/v1/staff", headers={"X-CSRF-Token": root_csrf}, json={
        "agency_id": str(admin.agency_id), "login": "lan2", "full_name": FORGED,
        "password": "long-enough-password", "roles": ["receptionist"]})
    assert staff.status_code == 422
    agency = await root.post("/api/v1/agencies", headers={"X-CSRF-Token": root_csrf}, json={
        "code": "XA", "name": "UBND xã\u202e An Bình", "level": "province"})
    assert agency.status_code == 422
    assert await _count(clean_db, "staff_user") == 2
