"""What a booking may say, and what it costs: an ID number in ASCII digits only (one number, one
quota), refused bookings not counted against the citizen's three a day, a 429 that says when in
words, a denunciation at the office without waiving protection, and days the agenda can show."""

from __future__ import annotations

import uuid
from datetime import timedelta

import asyncpg
import pytest
from quart import Quart

from reception.services.security.limits import subject_key
from reception.web.security.limits import BOOKINGS_PER_ADDRESS, BOOKINGS_PER_ID
from tests.conftest import asyncpg_dsn
from tests.integration.booking.conftest import PinnedClock, booking_form, official_with_session
from tests.integration.booking.test_booking_flow import first_slot
from tests.integration.booking.test_staff_actions import staff_post
from tests.integration.conftest import form_token, log_in

NUMBER = "079190045678"  # TP HCM, a man born 1990
# The same number with its last digit in another script: Python's \d and int() take each.
LOOKALIKES = ["07919004567\uff18", "07919004567\u0668", "07919004567\u06f8", "07919004567\u096e",
              "07919004567\u09ee"]  # fullwidth, Arabic-Indic, Persian, Devanagari, Bengali


async def _slots(app: Quart) -> list[str]:
    client = app.test_client()
    items = (await (await client.get("/api/v1/reception/agencies/TT/slots")).get_json())["items"]
    return [item["slot"] for item in items]


async def test_an_id_number_in_other_digits_does_not_get_a_second_quota(booking_app: Quart) -> None:
    await official_with_session(booking_app, days_ahead=14, hours=(8, 16))
    slots, client = await _slots(booking_app), booking_app.test_client()
    token = await form_token(client, "/booking?agency=TT")
    statuses = [(await client.post("/api/v1/bookings", json=booking_form(
        slot, full_name="Phạm Minh Tuấn", id_number=NUMBER))).status_code for slot in slots[:4]]
    assert statuses == [201, 201, 201, 429]
    for number in LOOKALIKES:
        api = await client.post("/api/v1/bookings", json=booking_form(slots[5], id_number=number))
        assert api.status_code == 400, number  # as any malformed body of the API
        assert [e["field"] for e in (await api.get_json())["errors"]] == ["id_number"]
        page = await client.post("/booking", form={**booking_form(slots[5], id_number=number),
                                                   "agency": "TT", "csrf_token": token})
        assert page.status_code == 422, number
        assert "Số định danh cá nhân phải có 12 chữ số" in await page.get_data(as_text=True)


async def test_refused_bookings_do_not_use_up_the_citizens_three_a_day(
        booking_app: Quart, clock: PinnedClock) -> None:
    await official_with_session(booking_app, days_ahead=14, hours=(8, 16))
    slots, client = await _slots(booking_app), booking_app.test_client()
    nowhere = f"{uuid.uuid4()}|{slots[0].split('|')[1]}"  # a session that does not exist
    for _ in range(3):
        refused = await client.post("/api/v1/bookings", json=booking_form(nowhere, id_number=NUMBER))
        assert refused.status_code == 404
    statuses = [(await client.post("/api/v1/bookings", json=booking_form(
        slot, id_number=NUMBER))).status_code for slot in slots[:4]]
    assert statuses == [201, 201, 201, 429]


async def test_the_per_day_limit_says_when_in_words_like_its_retry_after(
        booking_app: Quart, clock: PinnedClock) -> None:
    await official_with_session(booking_app, days_ahead=14, hours=(8, 16))
    slots, client = await _slots(booking_app), booking_app.test_client()
    token = await form_token(client, "/booking?agency=TT")
    for slot in slots[:3]:
        assert (await client.post("/api/v1/bookings", json=booking_form(
            slot, id_number=NUMBER))).status_code == 201
    page = await client.post("/booking", form={**booking_form(slots[3], id_number=NUMBER),
                                               "agency": "TT", "csrf_token": token})
    api = await client.post("/api/v1/bookings", json=booking_form(slots[4], id_number=NUMBER))
    # The window is the UTC day: it closes at 07:00 in Vietnam, 22 hours after NOW (09:00).
    for response in (page, api):
        assert response.status_code == 429
        wait = int(response.headers["Retry-After"])
        assert timedelta(hours=21, minutes=59) < timedelta(seconds=wait) <= timedelta(hours=22, seconds=1)
    html = await page.get_data(as_text=True)
    assert "một phút" not in html
    assert "Bạn đã đạt giới hạn 3 lần mỗi ngày. Vui lòng thử lại sau 07:00, Thứ Tư, 02/12/2026." in html
    assert (await api.get_json())["detail"] == ("Bạn đã đạt giới hạn 3 lần mỗi ngày. Vui lòng thử "
                                                "lại sau 07:00, Thứ Tư, 02/12/2026.")


@pytest.mark.parametrize("channel", ["walk_in", "phone"])
async def test_a_denunciation_at_the_office_or_by_phone_keeps_identity_protection(
        booking_app: Quart, channel: str) -> None:
    official, start = await official_with_session(booking_app, days_ahead=1)
    sessions = await booking_app.container.booking.calendar.sessions(  # type: ignore[attr-defined]
        official.agency_id, start, start + timedelta(hours=1))
    denunciation = booking_form(f"{sessions[0].id}|{start.isoformat()}", subject="denunciation",
                                full_name="Lê Thị Hằng", id_number="048301004567",
                                description="Tố cáo cán bộ địa chính nhận tiền của dân")
    staff = booking_app.test_client()
    assert await log_in(staff, "canbo") == 302
    created = await staff_post(staff, "/agenda/walk-in", {**denunciation, "channel": channel})
    assert created.status_code == 201, await created.get_data(as_text=True)  # type: ignore[attr-defined]
    async with booking_app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        kept = await uow.bookings.for_agency(official.agency_id, start, start + timedelta(hours=1))
    assert [(b.channel.value, b.subject.value, b.identity_protection_waived) for b in kept] == [
        (channel, "denunciation", False)]


async def test_a_denunciation_online_still_needs_the_waiver(booking_app: Quart) -> None:
    await official_with_session(booking_app, days_ahead=14, hours=(8, 16))
    slot = (await _slots(booking_app))[0]
    online = await booking_app.test_client().post("/api/v1/bookings", json=booking_form(
        slot, subject="denunciation", description="Tố cáo cán bộ địa chính nhận tiền của dân"))
    assert online.status_code == 422  # ND154 Art. 20(4): online only without protection
    assert "giữ bí mật danh tính" in (await online.get_json())["detail"]


async def test_a_booking_refused_for_its_address_leaves_the_id_numbers_count_alone(
        booking_app: Quart, clean_db: str) -> None:
    await official_with_session(booking_app, days_ahead=14, hours=(8, 16))
    slots, client = await _slots(booking_app), booking_app.test_client()
    nowhere = f"{uuid.uuid4()}|{slots[0].split('|')[1]}"
    for _ in range(20):  # a busy shared address: twenty attempts today, all refused
        assert (await client.post("/api/v1/bookings", json=booking_form(
            nowhere, id_number="001085012345"))).status_code == 404
    over = await client.post("/api/v1/bookings", json=booking_form(slots[0], id_number=NUMBER))
    assert over.status_code == 429
    counts = await _counts(clean_db)
    assert counts[subject_key(BOOKINGS_PER_ID, NUMBER)] == 0  # given back: nothing was tried
    assert counts[subject_key(BOOKINGS_PER_ID, "001085012345")] == 0  # refused bookings
    assert [hits for key, hits in counts.items()
            if key.startswith(f"{BOOKINGS_PER_ADDRESS.name}:")] == [21]  # every attempt


async def _counts(url: str) -> dict[str, int]:
    conn = await asyncpg.connect(dsn=asyncpg_dsn(url))
    try:
        rows = await conn.fetch("SELECT key, hits FROM rate_limit_counter")
    finally:
        await conn.close()
    return {r["key"]: r["hits"] for r in rows}


ONE_LINE_PAGE = "Hãy nhập trên một dòng, không xuống dòng và không có ký tự điều khiển ẩn."
FORGED = "Nguyễn Văn A\r\n[00:00:03] Nguyễn Thị Lan (official): Tôi đồng ý hủy quyết định"


async def _bookings(database_url: str) -> int:
    connection = await asyncpg.connect(dsn=asyncpg_dsn(database_url))
    try:
        return int(await connection.fetchval("SELECT count(*) FROM booking"))
    finally:
        await connection.close()


async def test_a_booking_with_a_line_break_in_the_name_is_refused_and_nothing_stored(
    booking_app: Quart, clean_db: str
) -> None:
    await official_with_session(booking_app)
    client = booking_app.test_client()
    slot = await first_slot(client)
    token = await form_token(client, "/booking?agency=TT")
    page = await client.post("/booking", form={**booking_form(slot, full_name=FORGED),
                                               "agency": "TT", "csrf_token": token})
    html = await page.get_data(as_text=True)
    assert page.status_code == 422 and ONE_LINE_PAGE in html
    api = await client.post("/api/v1/bookings", json=booking_form(slot, address="Hà\u2028Nội"))
    problem = await api.get_json()
    assert api.status_code == 422, problem
    assert [e["field"] for e in problem["errors"]] == ["address"]
    assert problem["detail"] == ("address: nội dung phải nằm trên một dòng, không xuống dòng và "
                                 "không có ký tự điều khiển ẩn.")
    listed = await client.post("/api/v1/bookings", json=booking_form(
        slot, group_size="6", representatives="Trần Văn B\nLê Thị \u202eC"))
    assert listed.status_code == 400  # each representative is one name
    assert await _bookings(clean_db) == 0
