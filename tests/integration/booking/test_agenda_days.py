"""The days a staff member may ask the agenda for, or plan a session on: a real day the
application cannot reason about (year 1 or 9999, before the reception law) is refused in words
— 422 on the page, 400 with the same words from the API — not a 500."""

from __future__ import annotations

import pytest
from quart import Quart

from tests.integration.booking.conftest import official_with_session
from tests.integration.conftest import form_token, log_in


@pytest.mark.parametrize("day", ["0001-01-01", "0001-01-02", "1900-01-01", "2013-12-31",
                                 "9999-12-31"])
async def test_the_agenda_refuses_a_day_it_cannot_show_in_words(booking_app: Quart, day: str) -> None:
    await official_with_session(booking_app)
    staff = booking_app.test_client()
    assert await log_in(staff, "canbo") == 302
    page = await staff.get(f"/agenda/?day={day}")
    assert page.status_code == 422
    assert "Nhập một ngày từ 01/07/2014 đến 31/12/" in await page.get_data(as_text=True)
    api = await staff.get(f"/api/v1/agenda?day={day}")
    assert api.status_code == 400
    assert "Nhập một ngày từ 01/07/2014" in (await api.get_json())["detail"]
    assert (await staff.get("/agenda/?day=2026-12-15")).status_code == 200


async def test_a_session_is_planned_on_a_day_within_the_range(booking_app: Quart) -> None:
    official, _ = await official_with_session(booking_app)
    staff = booking_app.test_client()
    assert await log_in(staff, "canbo") == 302
    token = await form_token(staff, "/agenda/")
    response = await staff.post("/api/v1/sessions", headers={"X-CSRF-Token": token}, json={
        "kind": "regular", "official_id": str(official.id),
        "starts_at": "9999-12-31T08:00:00+07:00", "ends_at": "9999-12-31T11:00:00+07:00"})
    assert response.status_code == 400
    assert "Nhập một ngày từ 01/07/2014" in (await response.get_json())["detail"]
