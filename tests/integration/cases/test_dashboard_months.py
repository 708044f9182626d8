"""The dashboard's two monthly charts show every month of their year, a month with nothing in it
as a zero: the resolution chart skipped months without resolutions (its axis read 08/26, 10/26,
11/26 while the intake chart showed 09/26)."""

from __future__ import annotations

from datetime import date

from quart import Quart

from tests.integration.cases.helpers import ALL_CASE_ROLES, act, client_for, post, staff

COMPLAINANT = {"role": "complainant", "full_name": "Trần Thị Bình", "address": "12 Lê Lợi, Huế"}
YEAR = [f"2026-{m:02d}-01" for m in range(1, 13)]  # the pinned clock stands in December 2026


async def test_both_charts_show_every_month_zero_included(booking_app: Quart) -> None:
    app = booking_app
    await staff(app, "head", *ALL_CASE_ROLES)
    client = await client_for(app, "head")
    for received, decided in ((date(2026, 8, 3), date(2026, 8, 20)), (date(2026, 9, 1), None),
                              (date(2026, 10, 1), date(2026, 10, 15))):
        case = await post(client, "/api/v1/cases", {
            "kind": "complaint", "channel": "post", "summary": "Khiếu nại",
            "parties": [COMPLAINANT], "received_on": received.isoformat()}, 201)
        await act(client, case["id"], "accept", received,
                  facts={"within_competence": True, "acceptance_bar": "none"})
        if decided:
            await act(client, case["id"], "recheck", received)
            await act(client, case["id"], "decide_at_once", received, facts={"clearly_correct": True})
            await act(client, case["id"], "sign_decision", decided)
    board = await (await client.get("/api/v1/dashboard")).get_json()
    assert [m["month"] for m in board["intake"]] == YEAR
    assert [m["month"] for m in board["resolution"]] == YEAR
    assert {m["month"]: m["count"] for m in board["intake"] if m["count"]} == {
        "2026-08-01": 1, "2026-09-01": 1, "2026-10-01": 1}
    resolved = {m["month"]: m["resolved"] for m in board["resolution"]}
    assert (resolved["2026-08-01"], resolved["2026-09-01"], resolved["2026-10-01"]) == (1, 0, 1)
    page = await (await client.get("/dashboard/")).get_data(as_text=True)
    charts = page.split("<svg")[1:]
    assert len(charts) == 2 and all(chart.count("09/26") == 1 for chart in charts)
