"""The citizen's status page: a form sent with a field left empty names the empty field (the
error summary at the top links to it, the message stands at the field) instead of answering
that no case matches; a deadline's legal basis names each law in full, as a citizen can look
it up ("Điều 28 Luật Khiếu nại", not "Điều 28 LKN")."""

from __future__ import annotations

from datetime import date

from quart import Quart

from reception.domain.organisation import StaffRole
from tests.integration.cases.helpers import ALL_CASE_ROLES, act, client_for, post, staff
from tests.integration.conftest import form_token

COMPLAINANT = {"role": "complainant", "full_name": "Trần Thị Bình", "address": "12 Lê Lợi, Huế"}


async def _look_up(app: Quart, reference: str, secret: str) -> tuple[int, str]:
    citizen = app.test_client()
    token = await form_token(citizen, "/status")
    response = await citizen.post("/status", form={"reference": reference, "secret": secret,
                                                   "csrf_token": token})
    return response.status_code, await response.get_data(as_text=True)


async def test_an_empty_form_asks_for_the_missing_fields(app: Quart) -> None:
    status, page = await _look_up(app, "", "")
    assert status == 422
    assert 'href="#reference"' in page and 'href="#secret"' in page
    assert page.count("Vui lòng nhập mã hồ sơ in trên giấy biên nhận.") == 2  # summary and field
    assert page.count("Vui lòng nhập mã bí mật in trên giấy biên nhận.") == 2
    assert 'id="secret-error"' in page and 'aria-describedby="secret-error"' in page
    assert "Không có hồ sơ nào" not in page
    status, page = await _look_up(app, "KN-2026-000042", "")
    assert status == 422 and 'href="#secret"' in page and 'href="#reference"' not in page


async def test_the_next_deadline_names_the_laws_in_full(app: Quart) -> None:
    await staff(app, "head", *ALL_CASE_ROLES, StaffRole.HEAD)
    client = await client_for(app, "head")
    case = await post(client, "/api/v1/cases", {"kind": "complaint", "channel": "visit",
                                                "summary": "Khiếu nại", "parties": [COMPLAINANT],
                                                "received_on": "2026-09-01"}, 201)
    await act(client, case["id"], "accept", date(2026, 9, 3),
              facts={"within_competence": True, "acceptance_bar": "none"})
    status, page = await _look_up(app, case["reference"], case["secret"])
    assert status == 200, page
    assert "Điều 28 Luật Khiếu nại" in page and "Nghị định 124/2020/NĐ-CP" in page
    assert "LKN" not in page and "NĐ124" not in page


async def test_a_closed_petition_shows_no_next_deadline_of_the_office_s_keeping(app: Quart) -> None:
    """A petition filed as ineligible is kept a year, then may be destroyed (P-7): the office's
    keeping of its file, not a deadline the citizen is waiting for."""
    await staff(app, "head", *ALL_CASE_ROLES, StaffRole.HEAD)
    client = await client_for(app, "head")
    case = await post(client, "/api/v1/cases", {
        "kind": "petition", "channel": "post", "summary": "Đơn không đủ điều kiện",
        "parties": [{**COMPLAINANT, "role": "petitioner"}], "received_on": "2026-11-30"}, 201)
    await act(client, case["id"], "classify_kn", date(2026, 12, 1))
    await act(client, case["id"], "file_not_eligible", date(2026, 12, 1),
              facts={"ground": "E2_identity_or_signature"})
    status, page = await _look_up(app, case["reference"], case["secret"])
    assert status == 200, page
    assert "Thời hạn luật định tiếp theo" not in page and "tiêu hủy" not in page
    assert "01/12/2027" not in page and "02/12/2027" not in page
