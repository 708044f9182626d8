"""The case pages without the API: registering a petition (a denouncer's identity sealed), a
refusal in Vietnamese, and a decision dispatched, published and received through the forms,
the second-complaint window then counted from the receipt."""

from __future__ import annotations

import uuid
from datetime import date

import asyncpg
from quart import Quart
from quart.typing import TestClientProtocol as Client

from reception.domain.organisation import StaffRole
from tests.conftest import asyncpg_dsn
from tests.integration.cases.helpers import ALL_CASE_ROLES, act, client_for, detail, post, staff

COMPLAINANT = {"role": "complainant", "full_name": "Trần Thị Bình", "address": "12 Lê Lợi, Huế"}


async def _form(client: Client, path: str, fields: dict[str, str]) -> tuple[int, str, str]:
    response = await client.post(path, form={**fields, "csrf_token": client.csrf})  # type: ignore[attr-defined]
    return response.status_code, await response.get_data(as_text=True), response.headers.get("Location", "")


async def test_a_receptionist_registers_a_denunciation_from_the_page_and_the_identity_is_sealed(
        app: Quart) -> None:
    await staff(app, "reception", StaffRole.RECEPTIONIST)
    client = await client_for(app, "reception")
    assert "Tiếp nhận, vào sổ đơn" in await (await client.get("/cases/new")).get_data(as_text=True)
    status, html, _ = await _form(client, "/cases/new", {"kind": "denunciation", "channel": "post",
                                                         "full_name": "L", "summary": ""})
    assert status == 422 and 'aria-invalid="true"' in html
    assert "Nhập họ và tên (ít nhất 2 ký tự)." in html and "Nhập nội dung đơn" in html
    status, _, location = await _form(client, "/cases/new", {
        "kind": "denunciation", "channel": "forwarded", "received_on": "2026-11-02",
        "full_name": "Lê Văn Cường", "address": "Huế", "id_type": "CCCD", "id_number": "079123456789",
        "summary": "Tố cáo cán bộ địa chính nhận tiền", "respondent": "Ông Nguyễn Văn X"})
    assert status == 303 and location.startswith("/cases/")
    page = await (await client.get(location)).get_data(as_text=True)
    assert "TC-2026-000001" in page and "Đã vào sổ" in page and "Người tố cáo A" in page
    assert "Lê Văn Cường" not in page
    again = await (await client.get(location)).get_data(as_text=True)
    assert "Đã vào sổ" not in again  # the secret code is shown once
    case_id = uuid.UUID(location.split("?")[0].rsplit("/", 1)[1])
    async with app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        denouncer = next(p for p in await uow.cases.parties(case_id) if p.role.value == "denouncer")
        assert denouncer.vault_id is not None and denouncer.id_number is None
        assert (await uow.vault.get(denouncer.vault_id)).id_number == "079123456789"


async def test_a_refused_action_names_what_is_missing_and_why_in_vietnamese(app: Quart) -> None:
    await staff(app, "head", *ALL_CASE_ROLES)
    client = await client_for(app, "head")
    case = await post(client, "/api/v1/cases", {"kind": "complaint", "channel": "visit",
                                                "summary": "Khiếu nại", "parties": [COMPLAINANT],
                                                "received_on": "2026-09-01"}, 201)
    page = await (await client.get(f"/cases/{case['id']}")).get_data(as_text=True)
    visible = _text(page)
    assert "Việc thuộc thẩm quyền giải quyết của cơ quan" in visible  # a question, not an identifier
    assert "within_competence" not in visible and "acceptance_bar" not in visible
    status, html, _ = await _form(client, f"/cases/{case['id']}/actions",
                                  {"action": "accept", "on": "2026-09-03"})
    assert status == 409
    summary = _text(html.split('data-error-summary', 1)[1].split("</div>", 1)[0])
    assert "Chưa thể thực hiện “Thụ lý”." in summary
    assert "Chưa xác nhận: Việc thuộc thẩm quyền giải quyết của cơ quan (Điều 17-26 LKN)" in summary
    assert "Chưa xác nhận: Đã kiểm tra chín trường hợp không thụ lý khiếu nại" in summary
    assert 'href="#f-accept-within_competence"' in html  # each reason links to its question
    status, html, _ = await _form(client, f"/cases/{case['id']}/actions",
                                  {"action": "sign_decision", "on": "2026-09-01"})
    assert status == 409
    assert "Không thực hiện được bước này khi hồ sơ đang ở bước “Nhận khiếu nại”." in html
    assert "sign_decision" not in _text(html)


def _text(html: str) -> str:
    """What a reader sees: the page without its tags and attributes."""
    import re
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


async def test_the_second_complaint_window_shown_runs_from_the_receipt_recorded_on_the_page(
        app: Quart, clean_db: str) -> None:
    await staff(app, "head", *ALL_CASE_ROLES)
    client = await client_for(app, "head")
    case = await post(client, "/api/v1/cases", {"kind": "complaint", "channel": "post",
                                                "summary": "Khiếu nại", "parties": [COMPLAINANT],
                                                "received_on": "2026-09-01"}, 201)
    cid = case["id"]
    await act(client, cid, "accept", date(2026, 9, 3),
              facts={"within_competence": True, "acceptance_bar": "none"})
    await act(client, cid, "recheck", date(2026, 9, 4))
    await act(client, cid, "decide_at_once", date(2026, 9, 4), facts={"clearly_correct": True})
    await act(client, cid, "sign_decision", date(2026, 10, 5))
    page = await (await client.get(f"/cases/{cid}")).get_data(as_text=True)
    assert 'name="recipient_1" value="Trần Thị Bình"' in page  # the dispatch form offers the parties
    for fields in ({"action": "dispatch_decision", "on": "2026-10-09", "recipient_1": "Trần Thị Bình",
                    "channel_1": "post", "recipient_other": "UBND xã An Bình", "channel_other": "hand"},
                   {"action": "publish_decision", "on": "2026-10-12", "publication_medium": "website"},
                   {"action": "await_effect", "on": "2026-10-12"}):
        assert (await _form(client, f"/cases/{cid}/actions", fields))[0] == 302
    shown = await detail(client, cid)
    assert sorted((d["recipient"], d["channel"]) for d in shown["dispatches"]) == [
        ("Trần Thị Bình", "post"), ("UBND xã An Bình", "hand")]
    assert [p["medium"] for p in shown["publications"]] == ["website"]
    assert _window(shown) == ("2026-10-09", "2026-11-09")  # the engine's dispatch-day count
    mine = next(d["id"] for d in shown["dispatches"] if d["recipient"] == "Trần Thị Bình")
    status, html, _ = await _form(client, f"/cases/{cid}/dispatches/{mine}/delivery",
                                  {"delivered_on": "2026-10-08"})
    assert status == 422 and "trước ngày gửi" in html
    assert (await _form(client, f"/cases/{cid}/dispatches/{mine}/delivery",
                        {"delivered_on": "2026-10-14"}))[0] == 302
    shown = await detail(client, cid)
    assert _window(shown) == ("2026-10-14", "2026-11-13")  # LKN Art. 33(1): from receipt
    page = await (await client.get(f"/cases/{cid}")).get_data(as_text=True)
    assert "Điều 33(1) LKN; tính từ Thứ Tư, 14/10/2026" in page and "Thứ Sáu, 13/11/2026" in page
    conn = await asyncpg.connect(dsn=asyncpg_dsn(clean_db))
    try:  # the indexed copy the reports query moved too
        row = await conn.fetchrow("SELECT started_on, due FROM case_obligation "
                                  "WHERE case_id = $1 AND rule_id = 'C-7'", uuid.UUID(cid))
    finally:
        await conn.close()
    assert (row["started_on"], row["due"]) == (date(2026, 10, 14), date(2026, 11, 13))


def _window(shown: dict[str, object]) -> tuple[str, str]:
    c7 = next(o for o in shown["dates"] if o["rule_id"] == "C-7")  # type: ignore[attr-defined]
    return c7["counted_from"], c7["due"]
