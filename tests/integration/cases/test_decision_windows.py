"""A first-time complaint decision sent and received: the complainant's second-complaint window
(C-7, from their receipt: LKN Art. 33(1)) and the day the decision takes effect (C-8, LKN
Art. 44(1)) are the complainant's and the law's, not the office's duties. The case opens after
a second complaint filed inside the receipt-based window (the auditor's scenario A)."""

from __future__ import annotations

from datetime import date
from typing import Any

from quart import Quart
from quart.typing import TestClientProtocol as Client

from reception.domain.organisation import StaffRole
from tests.integration.cases.helpers import (
    ALL_CASE_ROLES,
    act,
    client_for,
    detail,
    headers,
    post,
    staff,
)

COMPLAINANT = {"role": "complainant", "full_name": "Trần Văn Khiếu", "address": "Xã A"}


async def _decided_and_received(app: Quart) -> tuple[Client, dict[str, Any]]:
    """Received 03/08, accepted 05/08, decided at once and signed 10/08, sent 10/08, received
    by the complainant 25/08."""
    await staff(app, "sup", StaffRole.HEAD, code="TINH")
    await staff(app, "head", *ALL_CASE_ROLES, code="SO", parent="TINH")
    client = await client_for(app, "head")
    case = await post(client, "/api/v1/cases", {
        "kind": "complaint", "channel": "post", "summary": "Khiếu nại quyết định thu hồi đất",
        "parties": [COMPLAINANT], "received_on": "2026-08-03",
        "contested": {"number": "12/QĐ-UBND", "issued_on": "2026-07-20",
                      "issuer": "Chủ tịch UBND xã A"}}, 201)
    cid = case["id"]
    await act(client, cid, "accept", date(2026, 8, 5),
              facts={"within_competence": True, "acceptance_bar": "none"})
    await act(client, cid, "recheck", date(2026, 8, 5))
    await act(client, cid, "decide_at_once", date(2026, 8, 6), facts={"clearly_correct": True})
    await act(client, cid, "sign_decision", date(2026, 8, 10))
    await act(client, cid, "dispatch_decision", date(2026, 8, 10),
              recipients=[{"recipient": COMPLAINANT["full_name"], "channel": "post"}])
    sent = (await detail(client, cid))["dispatches"][0]["id"]
    response = await client.post(f"/api/v1/cases/{cid}/dispatches/{sent}/delivery",
                                 json={"delivered_on": "2026-08-25"}, headers=headers(client))
    assert response.status_code == 204
    return client, case


def _windows(shown: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {w["rule_id"]: (w["counted_from"], w["due"]) for w in shown["obligations"]}


async def test_a_second_complaint_inside_the_receipt_window_leaves_the_case_readable(
        app: Quart) -> None:
    client, case = await _decided_and_received(app)
    cid = case["id"]
    shown = await detail(client, cid)
    assert _windows(shown)["C-7"] == ("2026-08-25", "2026-09-24")  # 30 days from receipt
    await act(client, cid, "await_effect", date(2026, 9, 20))
    # 20/09 is past 30 days from the dispatch (09/09) but inside the window from receipt.
    escalated = await act(client, cid, "file_second_complaint", date(2026, 9, 20),
                          facts={"first_decision_attached": True})
    assert escalated["state"] == "C_ESCALATED" and escalated["closed"] is True
    shown = await detail(client, cid)  # answered 500: the replay re-judged the window
    assert shown["state"] == "C_ESCALATED" and shown["obligations"] == []
    assert [e["action"] for e in shown["events"]][-1] == "file_second_complaint"
    page = await client.get(f"/cases/{cid}")
    assert page.status_code == 200
    citizen = app.test_client()
    from tests.integration.conftest import form_token
    token = await form_token(citizen, "/status")
    response = await citizen.post("/status", form={"reference": case["reference"],
                                                   "secret": case["secret"], "csrf_token": token})
    assert response.status_code == 200
