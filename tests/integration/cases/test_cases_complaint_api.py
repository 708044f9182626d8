"""A complaint walked through the API from reception to the first-time decision and the
second complaint, every shown deadline checked against the engine, each step in the events
and in the hash-chained audit log."""

from __future__ import annotations

from datetime import date

from quart import Quart

from reception.domain.organisation import StaffRole
from tests.integration.cases.helpers import (
    ALL_CASE_ROLES,
    act,
    assert_deadlines_match_engine,
    client_for,
    detail,
    headers,
    post,
    staff,
)

RECEIVED = date(2026, 9, 1)
COMPLAINANT = {"role": "complainant", "full_name": "Trần Thị Bình", "address": "12 Lê Lợi, Huế",
               "id_number": "079123456789"}


async def test_a_petition_becomes_a_complaint_that_is_decided_and_escalated(app: Quart) -> None:
    await staff(app, "sup", StaffRole.HEAD, code="TINH")
    await staff(app, "head", *ALL_CASE_ROLES, code="SO", parent="TINH")
    inspector = await staff(app, "verifier", StaffRole.INSPECTOR, code="SO")
    client = await client_for(app, "head")
    petition = await post(client, "/api/v1/cases", {
        "kind": "petition", "channel": "post", "summary": "Khiếu nại quyết định thu hồi đất",
        "received_on": RECEIVED.isoformat(),
        "parties": [{**COMPLAINANT, "role": "petitioner"},
                    {"role": "complainee", "full_name": "UBND xã An Bình"}]}, 201)
    assert petition["reference"] == "DON-2026-000001" and petition["secret"]
    await act(client, petition["id"], "classify_kn", RECEIVED)
    await assert_deadlines_match_engine(app, client, petition["id"])
    await act(client, petition["id"], "propose_complaint_acceptance", date(2026, 9, 2),
              facts={"within_competence": True})
    items = (await (await client.get("/api/v1/cases?kind=complaint")).get_json())["items"]
    assert len(items) == 1 and items[0]["reference"] == "KN-2026-000001"
    assert items[0]["parent_id"] == petition["id"] and items[0]["principal"] == "Trần Thị Bình"
    cid = items[0]["id"]
    await act(client, cid, "accept", date(2026, 9, 3),
              facts={"within_competence": True, "acceptance_bar": "none"})
    shown = await assert_deadlines_match_engine(app, client, cid)
    assert [o["rule_id"] for o in shown["obligations"]] == ["C-3"]
    await act(client, cid, "recheck", date(2026, 9, 4))
    await act(client, cid, "assign_verification", date(2026, 9, 4), verifier_ids=[str(inspector.id)])
    verifier = await client_for(app, "verifier")
    await act(verifier, cid, "report_verification", date(2026, 9, 20), note="Kết quả xác minh")
    await act(client, cid, "notify_dialogue", date(2026, 9, 21),
              facts={"request_differs_from_verification": True, "dialogue_date": "2026-10-01"})
    await act(client, cid, "hold_dialogue", date(2026, 10, 1), facts={"chaired_by": "resolver"})
    await act(client, cid, "draft_decision", date(2026, 10, 2))
    decided = await act(client, cid, "sign_decision", date(2026, 10, 5))
    assert decided["resolved_on"] == "2026-10-05" and decided["resolved_on_time"] is True
    await assert_deadlines_match_engine(app, client, cid)
    decision = await post(client, f"/api/v1/cases/{cid}/forms/first_decision", {}, 201)
    await act(client, cid, "dispatch_decision", date(2026, 10, 6), document_id=decision["id"],
              recipients=[{"recipient": "Trần Thị Bình", "channel": "post"}])
    await act(client, cid, "publish_decision", date(2026, 10, 7), document_id=decision["id"],
              publication_medium="website")
    await act(client, cid, "await_effect", date(2026, 10, 8))
    shown = await assert_deadlines_match_engine(app, client, cid)
    dispatch = shown["dispatches"][0]
    response = await client.post(f"/api/v1/cases/{cid}/dispatches/{dispatch['id']}/delivery",
                                 json={"delivered_on": "2026-10-09"}, headers=headers(client))
    assert response.status_code == 204
    escalated = await act(client, cid, "file_second_complaint", date(2026, 10, 20),
                          facts={"first_decision_attached": True})
    assert escalated["state"] == "C_ESCALATED" and escalated["closed"] is True
    sup = await client_for(app, "sup")
    second = (await (await sup.get("/api/v1/cases?kind=complaint")).get_json())["items"]
    second = [c for c in second if c["instance"] == 2]
    assert len(second) == 1 and second[0]["parent_id"] == cid and second[0]["state"] == "C_RECEIVED"
    events = (await detail(client, cid))["events"]
    assert [e["action"] for e in events][:3] == ["receive", "accept", "recheck"]
    assert all(e["legal_basis"] for e in events)
    assert app.container.audit and await app.container.audit.verify() is None  # type: ignore[attr-defined]


async def test_an_action_the_statute_forbids_is_refused_with_its_reason(app: Quart) -> None:
    await staff(app, "head", *ALL_CASE_ROLES)
    client = await client_for(app, "head")
    case = await post(client, "/api/v1/cases", {
        "kind": "complaint", "channel": "visit", "summary": "Khiếu nại", "parties": [COMPLAINANT],
        "received_on": RECEIVED.isoformat()}, 201)
    response = await client.post(f"/api/v1/cases/{case['id']}/actions",
                                 json={"action": "sign_decision", "on": RECEIVED.isoformat()},
                                 headers=headers(client))
    body = await response.get_json()
    assert response.status_code == 409 and "sign_decision" in body["detail"]
    response = await client.post(f"/api/v1/cases/{case['id']}/actions",
                                 json={"action": "accept", "on": RECEIVED.isoformat(),
                                       "facts": {"within_competence": True}},
                                 headers=headers(client))
    assert response.status_code == 409 and "Art. 11" in (await response.get_json())["detail"]
