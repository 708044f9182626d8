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
    return {w["rule_id"]: (w["counted_from"], w["due"]) for w in shown["dates"]}


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
    assert shown["state"] == "C_ESCALATED" and shown["obligations"] == shown["dates"] == []
    assert [e["action"] for e in shown["events"]][-1] == "file_second_complaint"
    page = await client.get(f"/cases/{cid}")
    assert page.status_code == 200
    citizen = app.test_client()
    from tests.integration.conftest import form_token
    token = await form_token(citizen, "/status")
    response = await citizen.post("/status", form={"reference": case["reference"],
                                                   "secret": case["secret"], "csrf_token": token})
    assert response.status_code == 200


async def test_the_second_complaint_window_and_the_effect_day_are_not_the_office_s_overdue(
        app: Quart) -> None:
    """Today (December) both are long past: the complainant did not complain again and the
    decision took effect on 10/09. Neither is a duty the office missed."""
    client, case = await _decided_and_received(app)
    cid = case["id"]
    await act(client, cid, "publish_decision", date(2026, 8, 12), publication_medium="website")
    shown = await detail(client, cid)
    assert shown["obligations"] == [] and shown["next_due"] is None
    dates = {d["rule_id"]: d for d in shown["dates"]}
    assert (dates["C-7"]["nature"], dates["C-7"]["due"], dates["C-7"]["overdue"]) == (
        "party", "2026-09-24", False)
    assert (dates["C-8"]["nature"], dates["C-8"]["due"], dates["C-8"]["day"]) == (
        "effect", "2026-09-09", "2026-09-10")  # in force the day after the 30 days (Art. 44(1))
    page = await (await client.get(f"/cases/{cid}")).get_data(as_text=True)
    dates_shown = page[page.index('id="dates"'):]
    assert "quá hạn" not in page
    assert "Hạn người khiếu nại khiếu nại lần hai: <strong>Thứ Năm, 24/09/2026" in dates_shown
    assert "có hiệu lực pháp luật" in dates_shown and "Thứ Năm, 10/09/2026" in dates_shown
    overdue = await (await client.get("/api/v1/cases?overdue=true")).get_json()
    assert overdue["items"] == []
    listed = await (await client.get("/cases/?overdue=1")).get_data(as_text=True)
    assert case["reference"] not in listed
    board = await (await client.get("/api/v1/dashboard")).get_json()
    assert board["overdue"] == []
    assert all(row["overdue"] == 0 for row in board["by_official"] + board["by_agency"])
    html = await (await client.get("/dashboard/")).get_data(as_text=True)
    assert "Quá hạn (0)" in html


async def test_the_migration_moves_a_stored_next_due_off_a_party_s_window(
        app: Quart, clean_db: str) -> None:
    """Cases saved before (next_due = the C-7 window) get their earliest duty back, or none."""
    import uuid

    import asyncpg

    from tests.conftest import asyncpg_dsn

    client, case = await _decided_and_received(app)
    cid = uuid.UUID(case["id"])
    conn = await asyncpg.connect(dsn=asyncpg_dsn(clean_db))
    try:
        duty = await conn.fetchrow("SELECT due, rule_id FROM case_obligation WHERE case_id = $1 "
                                   "AND rule_id = 'C-12'", cid)  # the decision is not yet published
        await conn.execute("UPDATE case_file SET next_due = '2026-08-30', next_rule = 'C-7' "
                           "WHERE id = $1", cid)
    finally:
        await conn.close()
    await _migrate(clean_db, "dl_0001_next_due_is_the_office_s")
    shown = await detail(client, case["id"])
    assert (shown["next_due"], shown["next_rule"]) == (duty["due"].isoformat(), "C-12")


async def test_only_the_resolution_decision_resolves_a_complaint(app: Quart) -> None:
    """A case the citizen took to court, one terminated and one escalated after the first period
    ran out are closed, not resolved on time; a signed decision is resolved (LKN Arts. 28, 31)."""
    await staff(app, "head", *ALL_CASE_ROLES)
    client = await client_for(app, "head")

    async def accepted(on: date) -> str:
        case = await post(client, "/api/v1/cases", {
            "kind": "complaint", "channel": "post", "summary": "Khiếu nại",
            "parties": [COMPLAINANT], "received_on": on.isoformat()}, 201)
        await act(client, case["id"], "accept", on,
                  facts={"within_competence": True, "acceptance_bar": "none"})
        return str(case["id"])

    sued = await act(client, await accepted(date(2026, 8, 3)), "file_lawsuit", date(2026, 8, 10))
    ended = await act(client, await accepted(date(2026, 8, 3)), "terminate", date(2026, 8, 10),
                      facts={"ground": "whole_withdrawal"})
    late = await act(client, await accepted(date(2026, 8, 3)), "file_second_complaint_overdue",
                     date(2026, 9, 10))
    for closed in (sued, ended, late):
        assert closed["closed"] is True
        assert (closed["resolved_on"], closed["resolved_on_time"]) == (None, None), closed["state"]
    cid = await accepted(date(2026, 8, 3))
    await act(client, cid, "recheck", date(2026, 8, 4))
    await act(client, cid, "decide_at_once", date(2026, 8, 4), facts={"clearly_correct": True})
    decided = await act(client, cid, "sign_decision", date(2026, 8, 20))
    assert (decided["resolved_on"], decided["resolved_on_time"]) == ("2026-08-20", True)
    board = await (await client.get("/api/v1/dashboard")).get_json()
    assert [(r["month"], r["on_time"], r["resolved"]) for r in board["resolution"]
            if r["resolved"]] == [("2026-08-01", 1, 1)]


async def test_the_migration_unresolves_cases_closed_without_a_decision(
        app: Quart, clean_db: str) -> None:
    import asyncpg

    from tests.conftest import asyncpg_dsn

    await staff(app, "head", *ALL_CASE_ROLES)
    client = await client_for(app, "head")
    case = await post(client, "/api/v1/cases", {
        "kind": "complaint", "channel": "post", "summary": "Khiếu nại", "parties": [COMPLAINANT],
        "received_on": "2026-08-03"}, 201)
    await act(client, case["id"], "accept", date(2026, 8, 3),
              facts={"within_competence": True, "acceptance_bar": "none"})
    await act(client, case["id"], "file_lawsuit", date(2026, 8, 10))
    conn = await asyncpg.connect(dsn=asyncpg_dsn(clean_db))
    try:  # as the old code stored it
        await conn.execute("UPDATE case_file SET resolved_on = '2026-08-10', resolved_on_time = true")
    finally:
        await conn.close()
    await _migrate(clean_db, "dl_0002_resolved_only_by_the_resolving_act")
    shown = await detail(client, case["id"])
    assert (shown["resolved_on"], shown["resolved_on_time"]) == (None, None)


async def _migrate(database_url: str, name: str) -> None:
    """Run one data migration's upgrade() on the test database."""
    import importlib.util
    from pathlib import Path

    from alembic.migration import MigrationContext
    from alembic.operations import Operations
    from sqlalchemy.engine import Connection

    from reception.adapters.db.engine import create_engine

    path = Path(__file__).parents[3] / "migrations" / "versions" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)

    def upgrade(connection: Connection) -> None:
        with Operations.context(MigrationContext.configure(connection)):
            migration.upgrade()

    engine = create_engine(database_url, pool_size=1)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(upgrade)
    finally:
        await engine.dispose()


async def test_the_other_reading_of_the_law_is_shown_beside_the_one_used(app: Quart) -> None:
    """P-5: the decree's 7 working days (used: earlier) and the law's own "10 ngày" (LKN Arts.
    27, 36), both shown (docs/law.md §4.1). Received Mon 2/11/2026: 11/11 and 12/11."""
    import html
    import re

    await staff(app, "head", *ALL_CASE_ROLES)
    client = await client_for(app, "head")
    case = await post(client, "/api/v1/cases", {
        "kind": "complaint", "channel": "post", "summary": "Khiếu nại", "parties": [COMPLAINANT],
        "received_on": "2026-11-02"}, 201)
    (p5,) = (await detail(client, case["id"]))["obligations"]
    assert (p5["rule_id"], p5["due"], p5["uncertain"]) == ("P-5", "2026-11-11", True)
    assert p5["other_readings"] == [{"due": "2026-11-12", "period": 10, "unit": "CD",
                                     "article": 'LKN Arts. 27, 36 (2011 text: "10 ngày")',
                                     "confidence": "M"}]
    page = await (await client.get(f"/cases/{case['id']}")).get_data(as_text=True)
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert ('Cách hiểu khác: Thứ Năm, 12/11/2026 — 10 ngày, Điều 27, 36 LKN (bản năm 2011: "10 ngày")'
            in text)
