"""A case received on a day its legal clocks cannot count from — before the rules of its kind
were in force (a typo: 1900-01-01), or in the future — is refused in words, by the API and by
the registration page alike (one rule, in the service)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from quart import Quart

from reception.domain.cases.views import local_today
from reception.domain.organisation import StaffRole
from tests.integration.cases.helpers import ALL_CASE_ROLES, client_for, post, staff

COMPLAINANT = {"role": "complainant", "full_name": "Trần Thị Bình", "address": "12 Lê Lợi, Huế"}
DENOUNCER = {"role": "denouncer", "full_name": "Lê Văn Cường", "address": "Huế"}


@pytest.mark.parametrize(("kind", "party", "received_on", "first"), [
    ("complaint", COMPLAINANT, "1900-01-01", "01/01/2016"),
    ("complaint", COMPLAINANT, "2015-12-31", "01/01/2016"),  # acceptance clock P-5 from 2016
    ("denunciation", DENOUNCER, "2018-12-31", "01/01/2019"),  # LTC 2018 in force 1/1/2019
])
async def test_the_api_refuses_a_receipt_day_before_the_rules_of_the_case(
        app: Quart, kind: str, party: dict[str, str], received_on: str, first: str) -> None:
    await staff(app, "head", *ALL_CASE_ROLES)
    client = await client_for(app, "head")
    refused = await post(client, "/api/v1/cases", {
        "kind": kind, "channel": "post", "summary": "Khiếu nại quyết định thu hồi đất",
        "parties": [party], "received_on": received_on}, 422)
    assert refused["code"] == "invalid" and first in refused["detail"], refused
    future = (local_today(app.container.clock.now()) + timedelta(days=1)).isoformat()  # type: ignore[attr-defined]
    refused = await post(client, "/api/v1/cases", {
        "kind": kind, "channel": "post", "summary": "Khiếu nại quyết định thu hồi đất",
        "parties": [party], "received_on": future}, 422)
    assert refused["code"] == "invalid"


async def test_the_registration_page_says_why_in_vietnamese(app: Quart) -> None:
    await staff(app, "reception", StaffRole.RECEPTIONIST)
    client = await client_for(app, "reception")
    response = await client.post("/cases/new", form={  # type: ignore[attr-defined]
        "csrf_token": client.csrf, "kind": "complaint", "channel": "post",  # type: ignore[attr-defined]
        "received_on": "1900-01-01", "full_name": "Trần Thị Bình", "address": "12 Lê Lợi, Huế",
        "summary": "Khiếu nại quyết định thu hồi đất"})
    page = await response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ngày nhận đơn không thể trước ngày 01/01/2016" in page, page
