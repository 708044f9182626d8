"""Staff pages name people as people: the dashboard's workload row of cases nobody is assigned
to says so ("Chưa phân công", not a dash), and the case history names who took each step by
full name (the login, as the record stores it, stays in the title)."""

from __future__ import annotations

from quart import Quart

from tests.integration.cases.helpers import ALL_CASE_ROLES, client_for, post, staff

COMPLAINANT = {"role": "complainant", "full_name": "Trần Thị Bình", "address": "12 Lê Lợi, Huế"}


async def test_unassigned_cases_and_the_history_name_people(app: Quart) -> None:
    await staff(app, "theodoi", *ALL_CASE_ROLES)
    client = await client_for(app, "theodoi")
    case = await post(client, "/api/v1/cases", {"kind": "complaint", "channel": "visit",
                                                "summary": "Khiếu nại", "parties": [COMPLAINANT]}, 201)
    board = await (await client.get("/dashboard/")).get_data(as_text=True)
    assert "<td>Chưa phân công</td>" in board and "<td>—</td>" not in board
    page = await (await client.get(f"/cases/{case['id']}")).get_data(as_text=True)
    history = page.split('class="history"', 1)[1].split("</ol>", 1)[0]
    assert '<span title="theodoi">Cán bộ theodoi</span>' in history
