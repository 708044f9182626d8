"""The booking form on a phone: agencies with nothing to book are not offered, and the times of
one day are shown at a time; the ID number is kept whole when typed with spaces; a refusal
comes back with a summary at the top linking to each field; files too large for the server to
read bring the form back with the reason (the browser puts back what was typed) instead of a
bare 413; a future booking's link says when its waiting room opens, and its hearing cannot be
opened days early (which used to leave the citizen unable to consent, move or cancel)."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from quart import Quart
from werkzeug.datastructures import FileStorage

from reception.domain.booking import LOCAL_TZ
from reception.domain.organisation import StaffRole
from tests.integration.booking.conftest import NOW, PinnedClock, booking_form, official_with_session
from tests.integration.booking.test_self_service import setup
from tests.integration.conftest import form_token, log_in, make_staff


async def _free_session(app: Quart) -> tuple[str, str]:
    _, start = await official_with_session(app)
    agency = (await app.container.staff.list_agencies())[0]  # type: ignore[attr-defined]
    slots = await app.container.booking.calendar.free_slots(agency.id, start, start.replace(hour=12))  # type: ignore[attr-defined]
    return str(slots[0].session_id), start.isoformat()


async def test_only_agencies_with_free_times_are_offered_one_day_at_a_time(booking_app: Quart) -> None:
    await official_with_session(booking_app, days_ahead=14)
    await official_with_session(booking_app, days_ahead=15, login="canbo2")
    await make_staff(booking_app, "khac", StaffRole.RECEPTIONIST, agency_code="XX")  # no sessions
    client = booking_app.test_client()
    page = await (await client.get("/booking")).get_data(as_text=True)
    assert 'value="TT"' in page and 'value="XX"' not in page
    page = await (await client.get("/booking?agency=XX")).get_data(as_text=True)
    assert "không còn giờ trống" in page and 'name="slot"' not in page  # no whole form for nothing
    page = await (await client.get("/booking?agency=TT")).get_data(as_text=True)
    days = re.findall(r'<fieldset class="slot-day" data-day="([\d-]+)"( hidden)?', page)
    assert [(d, h) for d, h in days] == [("2026-12-15", ""), ("2026-12-16", " hidden")]
    page = await (await client.get("/booking?agency=TT&day=2026-12-16")).get_data(as_text=True)
    shown = re.findall(r'<fieldset class="slot-day" data-day="([\d-]+)" >', page)
    assert shown == ["2026-12-16"]  # the day asked for, the others hidden


async def test_an_id_number_typed_with_spaces_keeps_its_twelve_digits(booking_app: Quart,
                                                                      clean_db: str) -> None:
    session, start = await _free_session(booking_app)
    client = booking_app.test_client()
    token = await form_token(client, "/booking?agency=TT")
    form = {**booking_form(f"{session}|{start}", id_number="001 085 012 345"), "agency": "TT"}
    response = await client.post("/booking", form={**form, "csrf_token": token})
    assert response.status_code == 200, await response.get_data(as_text=True)
    async with booking_app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        [booking] = await uow.bookings.for_agency((await uow.agencies.list())[0].id, NOW,
                                                  NOW + timedelta(days=30))
    assert booking.citizen.id_number == "001085012345"
    page = await (await client.get("/booking?agency=TT")).get_data(as_text=True)
    assert 'maxlength="20"' in page and 'maxlength="12"' not in page


async def test_a_refusal_comes_back_summarised_at_the_top_with_links_to_the_fields(
    booking_app: Quart
) -> None:
    session, start = await _free_session(booking_app)
    client = booking_app.test_client()
    token = await form_token(client, "/booking?agency=TT")
    form = {**booking_form(f"{session}|{start}", id_number="001 190 045", full_name=""),
            "agency": "TT", "csrf_token": token}
    response = await client.post("/booking", form=form)
    page = await response.get_data(as_text=True)
    assert response.status_code == 422
    summary = page.split("data-error-summary", 1)[1].split("</div>", 1)[0]
    assert '<a href="#id_number">' in summary and '<a href="#full_name">' in summary
    assert page.index("data-error-summary") < page.index('id="slot"')  # first thing on the page
    assert 'value="001 190 045"' in page  # what was typed is kept


async def test_files_too_large_to_read_bring_the_form_back_not_a_bare_413(booking_app: Quart) -> None:
    session, start = await _free_session(booking_app)
    client = booking_app.test_client()
    token = await form_token(client, "/booking?agency=TT")
    too_big = b"%PDF-1.4\n" + bytes(booking_app.config["MAX_CONTENT_LENGTH"] + 1024)
    response = await client.post(
        "/booking?agency=TT", form={**booking_form(f"{session}|{start}"), "csrf_token": token},
        files={"documents": FileStorage(io.BytesIO(too_big), "scan.pdf", content_type="application/pdf")})
    page = await response.get_data(as_text=True)
    assert response.status_code == 413
    assert "data-restore" in page and "data-error-summary" in page  # the browser refills it
    assert "Tệp quá lớn để gửi" in page and 'name="slot"' in page
    assert 'data-max-bytes="100000"' in page  # the browser checks before sending


async def test_a_future_booking_says_when_it_opens_and_its_hearing_waits_for_that_hour(
    booking_app: Quart, clock: PinnedClock
) -> None:
    client, _, start, booked = await setup(booking_app)
    page = await (await client.get(f"/my-booking?t={booked['token']}")).get_data(as_text=True)  # type: ignore[attr-defined]
    assert "Phòng chờ mở lúc 07:00, Thứ Ba, 15/12/2026" in page
    room = await (await client.get(f"/my-booking/waiting-room?t={booked['token']}")).get_data(as_text=True)  # type: ignore[attr-defined]
    assert "Phòng chờ mở lúc 07:00, Thứ Ba, 15/12/2026" in room
    official = booking_app.test_client()
    assert await log_in(official, "canbo") == 302
    agenda = await (await official.get("/agenda/?day=2026-12-15")).get_data(as_text=True)
    assert "Phiên tiếp mở lúc 07:00, Thứ Ba, 15/12/2026." in agenda and "Mở phiên tiếp" not in agenda
    csrf = await form_token(official, "/agenda/")
    opened = await official.post(f"/api/v1/bookings/{booked['id']}/open", headers={"X-CSRF-Token": csrf})
    assert opened.status_code == 409
    assert "07:00 15/12/2026" in (await opened.get_json())["detail"]
    moved = await client.post("/api/v1/join/cancel", headers={"X-Join-Token": booked["token"]})  # type: ignore[attr-defined]
    assert moved.status_code == 200  # still the citizen's to change
    assert start.astimezone(LOCAL_TZ).hour == 8
