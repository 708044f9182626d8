"""Assigning verification picks an inspector of the agency (nobody, or someone who cannot
verify, would leave the case stuck in verification with the inspector unable to find it); the
inspector then sees the case. The receipt (Mẫu 02) carries the status page's address and the
secret: the one shown at registration, checked against its hash, or a new one that replaces
it; the copy kept in the case file never shows it."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader
from quart import Quart

from reception.domain.organisation import StaffRole
from tests.integration.cases.helpers import ALL_CASE_ROLES, act, client_for, post, staff

COMPLAINANT = {"role": "complainant", "full_name": "Trần Thị Bình", "address": "12 Lê Lợi, Huế"}


async def _accepted(client: object) -> str:
    case = await post(client, "/api/v1/cases", {"kind": "complaint", "channel": "visit",  # type: ignore[arg-type]
                                                "summary": "Khiếu nại", "parties": [COMPLAINANT],
                                                "received_on": "2026-09-01"}, 201)
    await act(client, case["id"], "accept", date(2026, 9, 3),  # type: ignore[arg-type]
              facts={"within_competence": True, "acceptance_bar": "none"})
    await act(client, case["id"], "recheck", date(2026, 9, 4))  # type: ignore[arg-type]
    return str(case["id"])


async def test_verification_is_assigned_to_an_inspector_who_then_finds_the_case(app: Quart) -> None:
    head = await staff(app, "head", *ALL_CASE_ROLES)
    inspector = await staff(app, "thanhtra", StaffRole.INSPECTOR)
    client = await client_for(app, "head")
    cid = await _accepted(client)
    page = await (await client.get(f"/cases/{cid}")).get_data(as_text=True)
    assert f'name="verifier_ids" value="{inspector.id}"' in page and "Cán bộ thanhtra" in page
    refused = await client.post(f"/cases/{cid}/actions", form={
        "action": "assign_verification", "on": "2026-09-04", "csrf_token": client.csrf})  # type: ignore[attr-defined]
    html = await refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Hãy chọn người xác minh" in html
    assert 'href="#f-assign_verification-verifier_ids"' in html
    await post(client, f"/api/v1/cases/{cid}/actions", {  # a head is no verifier
        "action": "assign_verification", "on": "2026-09-04", "verifier_ids": [str(head.id)]}, 422)
    await act(client, cid, "assign_verification", date(2026, 9, 4), verifier_ids=[str(inspector.id)])
    verifier = await client_for(app, "thanhtra")
    listed = await (await verifier.get("/cases/?open=1")).get_data(as_text=True)
    assert "Đang xác minh" in listed and f"/cases/{cid}" in listed
    page = await (await verifier.get(f"/cases/{cid}")).get_data(as_text=True)
    assert "Báo cáo kết quả xác minh" in page


async def test_the_receipt_carries_the_secret_and_a_new_one_replaces_the_old(app: Quart) -> None:
    await staff(app, "head", *ALL_CASE_ROLES)
    client = await client_for(app, "head")
    case = await post(client, "/api/v1/cases", {"kind": "complaint", "channel": "visit",
                                                "summary": "Khiếu nại", "parties": [COMPLAINANT]}, 201)

    async def receipt(secret: str = "") -> str:
        response = await client.post(f"/cases/{case['id']}/receipt",
                                     form={"secret": secret, "csrf_token": client.csrf})  # type: ignore[attr-defined]
        assert response.status_code == 200 and response.content_type == "application/pdf"
        return "".join(p.extract_text() for p in PdfReader(io.BytesIO(await response.get_data())).pages)

    async def looks_up(secret: str) -> int:
        citizen = app.test_client()
        page = await (await citizen.get("/status")).get_data(as_text=True)
        token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        return (await citizen.post("/status", form={"reference": case["reference"], "secret": secret,
                                                    "csrf_token": token})).status_code

    first = await receipt(case["secret"])
    assert case["secret"] in first and "/status" in first and "Trần Thị Bình" in first
    assert await looks_up(case["secret"]) == 200
    reissued = await receipt("forged-secret")  # not the case's: a new secret is issued
    new = reissued.split("chỉ người cung cấp giữ):", 1)[1].split()[0]
    assert new != case["secret"] and await looks_up(case["secret"]) == 404
    assert await looks_up(new) == 200
    kept = (await (await client.get(f"/api/v1/cases/{case['id']}")).get_json())["documents"]
    assert [d["form_key"] for d in kept] == ["receipt_02", "receipt_02"]
    for document in kept:
        data = await (await client.get(f"/cases/{case['id']}/documents/{document['id']}")).get_data()
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        assert new not in text and case["secret"] not in text
