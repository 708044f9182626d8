"""Access control: every case-file route with an object id is in the authorisation matrix, and
for every such route and method another agency's user gets 404; a citizen with another case's
reference gets 404 too."""

from __future__ import annotations

import io
import re
from typing import Any

from quart import Quart
from werkzeug.datastructures import FileStorage

from reception.domain.access import MATRIX
from reception.domain.organisation import StaffRole
from reception.web.cases.access import matrix_entry
from tests.integration.cases.helpers import ALL_CASE_ROLES, client_for, headers, post, staff

CASE_BLUEPRINTS = ("api_cases.", "cases.", "dashboard.", "status_public.")
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d494441"
    "5478da63f8cfc0f01f0005000201a5d5f1d60000000049454e44ae426082")


def _object_rules(app: Quart) -> list[Any]:
    return [r for r in app.url_map.iter_rules()
            if r.endpoint.startswith(CASE_BLUEPRINTS) and re.search(r"<uuid:|<[a-z_]*id>", r.rule)]


async def test_every_case_route_with_an_object_id_is_in_the_matrix(app: Quart) -> None:
    rules = _object_rules(app)
    assert len(rules) >= 10
    missing = [r.rule for r in rules if matrix_entry(app.view_functions[r.endpoint]) is None]
    assert missing == []
    declared = {matrix_entry(app.view_functions[r.endpoint]) for r in rules}
    granted = {(p, o) for _, p, o in MATRIX}
    assert declared <= granted


BODIES: dict[str, dict[str, Any]] = {
    "api_cases.act": {"json": {"action": "accept"}},
    "api_cases.reveal": {"json": {"reason": "Cần xác minh"}},
    "api_cases.delivered": {"json": {"delivered_on": "2026-10-01"}},
    "api_cases.upload": {"files": True},
    "api_cases.generate": {"json": {}},
    "cases.act": {"form": {"action": "accept"}},
    "cases.reveal": {"form": {"reason": "Cần xác minh"}},
    "cases.generate": {"form": {"form_key": "receipt_02"}},
    "cases.upload": {"files": True},
}


async def test_another_agencys_user_gets_404_on_every_object_route(app: Quart) -> None:
    await staff(app, "owner", *ALL_CASE_ROLES, code="A")
    await staff(app, "stranger", *ALL_CASE_ROLES, StaffRole.INSPECTOR, code="B")
    owner = await client_for(app, "owner")
    case = await post(owner, "/api/v1/cases", {
        "kind": "denunciation", "channel": "post", "summary": "Tố cáo",
        "parties": [{"role": "denouncer", "full_name": "Phạm Văn An"}]}, 201)
    document = await post(owner, f"/api/v1/cases/{case['id']}/forms/receipt_02", {}, 201)
    party = (await (await owner.get(f"/api/v1/cases/{case['id']}")).get_json())["parties"][0]
    ids = {"case_id": case["id"], "document_id": document["id"], "party_id": party["id"],
           "dispatch_id": document["id"], "form_key": "receipt_02"}
    stranger = await client_for(app, "stranger")
    checked = []
    for rule in _object_rules(app):
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: ids[m.group(1)], rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            extra = dict(BODIES.get(rule.endpoint, {}))
            if "form" in extra:
                extra["form"] = {**extra["form"], "csrf_token": stranger.csrf}  # type: ignore[attr-defined]
            if "files" in extra:
                extra["form"] = {"csrf_token": stranger.csrf}  # type: ignore[attr-defined]
                extra["files"] = {"file": FileStorage(io.BytesIO(PNG), "a.png", content_type="image/png")}
            response = await stranger.open(path, method=method, headers=headers(stranger), **extra)
            checked.append((method, rule.rule, response.status_code))
    assert checked and all(status == 404 for _, _, status in checked), checked


async def test_a_citizen_with_another_cases_reference_gets_404(app: Quart) -> None:
    await staff(app, "owner", *ALL_CASE_ROLES)
    owner = await client_for(app, "owner")
    def complaint(summary: str, name: str) -> dict[str, Any]:
        return {"kind": "complaint", "channel": "visit", "summary": summary,
                "parties": [{"role": "complainant", "full_name": name}]}

    mine = await post(owner, "/api/v1/cases", complaint("Việc A", "Ngô Thị Hoa"), 201)
    other = await post(owner, "/api/v1/cases", complaint("Việc B", "Đỗ Văn Nam"), 201)
    document = await post(owner, f"/api/v1/cases/{other['id']}/forms/receipt_02", {}, 201)
    citizen = app.test_client()
    page = await (await citizen.get("/status")).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]
    ok = await citizen.post("/status", form={"reference": mine["reference"], "secret": mine["secret"],
                                             "csrf_token": token})
    assert ok.status_code == 200 and mine["reference"] in await ok.get_data(as_text=True)
    wrong = await citizen.post("/status", form={"reference": other["reference"],
                                                "secret": mine["secret"], "csrf_token": token})
    assert wrong.status_code == 404
    stolen = await citizen.post("/status/document", form={
        "reference": other["reference"], "secret": mine["secret"], "document_id": document["id"]})
    assert stolen.status_code == 404
    unpublished = await citizen.post("/status/document", form={
        "reference": other["reference"], "secret": other["secret"], "document_id": document["id"]})
    assert unpublished.status_code == 404
