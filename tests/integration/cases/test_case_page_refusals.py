"""A case page never leads into a dead end: the form list offers only the forms the viewer may
issue, a refusal comes back in the page's error summary, an error page says what and why once
and offers a way back, and every entry of an action form's error summary names its question."""

from __future__ import annotations

import re
import uuid

from quart import Quart
from quart.typing import TestClientProtocol as Client

from reception.domain.cases.facts import action_inputs
from reception.domain.organisation import StaffRole
from reception.domain.processes.registry import process_for
from tests.integration.cases.helpers import ALL_CASE_ROLES, client_for, post, staff

COMPLAINANT = {"role": "complainant", "full_name": "Trần Thị Bình", "address": "12 Lê Lợi, Huế"}
ACCEPTANCE_NOTICE = "Thông báo về việc thụ lý giải quyết khiếu nại"
NOT_YET = "Văn bản này ghi nhận một bước mà hồ sơ chưa tới"
NO_FORM_DUE = "Ở bước này của hồ sơ chưa có mẫu văn bản nào"
HEAD_ONLY = "Chỉ thủ trưởng cơ quan mới được ban hành và ký văn bản này."


async def _complaint(client: Client) -> str:
    case = await post(client, "/api/v1/cases", {"kind": "complaint", "channel": "visit",
                                                "summary": "Khiếu nại", "parties": [COMPLAINANT],
                                                "received_on": "2026-09-01"}, 201)
    return str(case["id"])


async def _form(client: Client, path: str, fields: dict[str, str]) -> tuple[int, str]:
    response = await client.post(path, form={**fields, "csrf_token": client.csrf})  # type: ignore[attr-defined]
    return response.status_code, await response.get_data(as_text=True)


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _summary(html: str) -> str:
    return html.split("data-error-summary", 1)[1].split("</div>", 1)[0]


def _form_options(html: str) -> list[str]:
    select = html.split('id="form_key"', 1)[1].split("</select>", 1)[0]
    return [_text(o) for o in re.findall(r"<option[^>]*>(.*?)</option>", select)]


async def test_a_case_manager_is_offered_only_the_forms_they_may_issue(app: Quart) -> None:
    await staff(app, "head", *ALL_CASE_ROLES)
    await staff(app, "manager", StaffRole.CASE_MANAGER)
    head, manager = await client_for(app, "head"), await client_for(app, "manager")
    cid = await _complaint(head)
    assert ACCEPTANCE_NOTICE in _form_options(await (await head.get(f"/cases/{cid}")).get_data(as_text=True))
    page = await (await manager.get(f"/cases/{cid}")).get_data(as_text=True)
    assert 'id="form_key"' not in page and NO_FORM_DUE in _text(page)  # nothing theirs yet
    status, html = await _form(manager, f"/cases/{cid}/forms",  # a page drawn before a change
                               {"form_key": "complaint_acceptance"})
    assert status == 403
    assert HEAD_ONLY in _text(_summary(html))  # on the case page, at the top
    assert 'id="documents"' in html and "Về trang chủ" not in _text(html.split("<main", 1)[1])


async def test_an_error_page_says_what_and_why_once_and_offers_a_way_back(app: Quart) -> None:
    await staff(app, "head", *ALL_CASE_ROLES)
    head = await client_for(app, "head")
    response = await head.get(f"/cases/{uuid.uuid4()}", headers={"Referer": "http://localhost/cases/"})
    html = await response.get_data(as_text=True)
    assert response.status_code == 404
    main = html.split("<main", 1)[1]
    heading = _text(re.findall(r"<h1>(.*?)</h1>", main, re.S)[0])
    body = [_text(p) for p in re.findall(r"<p>(.*?)</p>", main, re.S)]
    assert heading == "Không tìm thấy" and heading not in body
    assert re.search(r'<a class="button" href="/cases/">Quay lại</a>', main)
    assert "Về trang chủ" in main
    alone = await (await head.get(f"/cases/{uuid.uuid4()}")).get_data(as_text=True)
    assert "data-history-back" in alone and "Quay lại" in alone  # no referrer: the browser's history


async def test_every_entry_of_an_action_forms_error_summary_names_its_question(app: Quart) -> None:
    """Each action the engine offers on a new complaint, sent with every answer blank (on a
    case of its own: an action that asks nothing is then recorded): each entry of the summary
    links to a question by that question's own label, then says what is wrong. The questions
    and their labels come from the engine and the page's forms, not from this test."""
    member = await staff(app, "head", *ALL_CASE_ROLES)
    head = await client_for(app, "head")
    first = uuid.UUID(await _complaint(head))
    detail = await app.container.cases.files.detail(member, first)  # type: ignore[attr-defined]
    page = await (await head.get(f"/cases/{first}")).get_data(as_text=True)
    named: dict[str, str] = {}
    for option in detail.options:
        action = option.allowed.action
        assert option.inputs == action_inputs(process_for(detail.domain), detail.domain, action)
        status, html = await _form(head, f"/cases/{await _complaint(head)}/actions",
                                   {"action": action})
        if status != 422:  # nothing to answer, or only statements to confirm: the engine decides
            continue
        entries = re.findall(r"<li>(.*?)</li>", _summary(html), re.S)
        assert entries, action
        for entry in entries:
            link = re.match(r'\s*<a href="#([^"]+)">(.*?)</a>(.*)', entry, re.S)
            assert link, f"{action}: {_text(entry)!r} names no question"
            field, label, message = link.group(1), _text(link.group(2)), _text(link.group(3))
            assert label == _label(page, field) and message.strip(" —:"), (action, _text(entry))
            named[field] = f"{label} {message}"
    assert named["f-withdraw_partially-item"] == "Rút nội dung khiếu nại nào? — Hãy trả lời câu hỏi này."


def _label(page: str, field: str) -> str:
    """The label of an input on the page, or the legend of a group of choices."""
    found = (re.search(rf'<label[^>]*for="{field}"[^>]*>(.*?)</label>', page, re.S)
             or re.search(rf'<fieldset id="{field}"><legend>(.*?)</legend>', page, re.S))
    assert found, field
    return _text(found.group(1))


async def test_a_form_is_offered_when_the_step_it_records_is_due_and_refused_before(app: Quart) -> None:
    """A signed decision for a complaint not yet accepted would record an act that never
    happened; the written refusal to receive (Mẫu 01/TCD) answers a matter already closed."""
    await staff(app, "head", *ALL_CASE_ROLES)
    head = await client_for(app, "head")
    cid = await _complaint(head)
    page = await (await head.get(f"/cases/{cid}")).get_data(as_text=True)
    assert _form_options(page) == [ACCEPTANCE_NOTICE]
    for early in ("first_decision", "dialogue_minutes", "refusal_01"):
        status, html = await _form(head, f"/cases/{cid}/forms", {"form_key": early})
        assert status == 409 and NOT_YET in _text(_summary(html)), early
    await post(head, f"/api/v1/cases/{cid}/forms/first_decision", {}, 409)
    closed = await post(head, f"/api/v1/cases/{cid}/actions", {
        "action": "reject", "on": "2026-09-02", "facts": {"acceptance_bar": "time_barred"}})
    assert closed["closed"] is True
    page = await (await head.get(f"/cases/{cid}")).get_data(as_text=True)
    assert _form_options(page) == ["Thông báo từ chối tiếp công dân (Mẫu 01/TCD)"]
    status, _ = await _form(head, f"/cases/{cid}/forms", {"form_key": "refusal_01"})
    assert status == 302
