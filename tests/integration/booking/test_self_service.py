"""A citizen manages the booking with the private link, through the pages: moves it to a free
time (the old one becomes free, an e-mail and a new invitation go out; a taken time is refused
in words), cancels it (the link then shows it cancelled and nothing can be changed) and adds
documents, whose content is checked."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from quart import Quart
from quart.datastructures import FileStorage

from tests.integration.booking.conftest import Inbox, booking_form, official_with_session
from tests.integration.booking.test_booking_refusals import EXE, PDF
from tests.integration.conftest import form_token


async def setup(app: Quart) -> tuple[object, str, datetime, dict[str, str]]:
    """A session on 15/12 08:00-11:00, one citizen booked at 08:00: (client, session, start,
    the booking as the API returned it, with its token)."""
    _, start = await official_with_session(app)
    services = app.container.booking  # type: ignore[attr-defined]
    agency = (await app.container.staff.list_agencies())[0]  # type: ignore[attr-defined]
    session = str((await services.calendar.free_slots(agency.id, start, start.replace(hour=12)))[0]
                  .session_id)
    client = app.test_client()
    response = await client.post("/api/v1/bookings",
                                 json=booking_form(f"{session}|{start.isoformat()}"))
    assert response.status_code == 201
    return client, session, start, dict(await response.get_json())


async def free_starts(client: object) -> list[datetime]:
    response = await client.get("/api/v1/reception/agencies/TT/slots")  # type: ignore[attr-defined]
    return [datetime.fromisoformat(i["starts_at"]) for i in (await response.get_json())["items"]]


async def post_form(client: object, path: str, form: dict[str, str],
                    files: dict[str, FileStorage] | None = None) -> tuple[int, str, str]:
    # The reschedule page always has a form (a cancelled booking's page has none left).
    token = await form_token(client, "/my-booking/reschedule?" + path.split("?", 1)[1])  # type: ignore[arg-type]
    response = await client.post(path, form={**form, "csrf_token": token},  # type: ignore[attr-defined]
                                 files=files)
    return (response.status_code, response.headers.get("Location", ""),
            await response.get_data(as_text=True))


async def test_moving_to_a_free_time_frees_the_old_one_and_mails_a_new_invitation(
    booking_app: Quart, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    client, session, start, booked = await setup(booking_app)
    rival = await client.post("/api/v1/bookings", json=booking_form(  # type: ignore[attr-defined]
        f"{session}|{(start + timedelta(minutes=30)).isoformat()}", email="binh@example.vn"))
    assert rival.status_code == 201
    link = f"/my-booking/reschedule?t={booked['token']}"

    taken = start + timedelta(minutes=30)
    status, _, page = await post_form(client, link, {"slot": f"{session}|{taken.isoformat()}"})
    assert status == 409 and "Giờ này vừa có người khác đặt" in page

    later = start + timedelta(hours=1)
    status, location, _ = await post_form(client, link, {"slot": f"{session}|{later.isoformat()}"})
    assert status == 302 and "done=moved" in location
    free = await free_starts(client)
    assert start in free and later not in free

    assert await booking_app.container.booking.outbox.deliver_due() == 3  # type: ignore[attr-defined]
    moved = next(m for m in inbox.messages if m["To"] == "an@example.vn" and "Đã đổi giờ" in m["Subject"])
    assert "09:00, Thứ Ba, 15/12/2026" in moved.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    [ics] = [p.get_payload(decode=True) for p in moved.iter_attachments()]
    assert b"SEQUENCE:1" in ics and b"DTSTART:20261215T020000Z" in ics  # 09:00 in Hanoi
    mine = await client.get(f"/my-booking?t={booked['token']}")  # type: ignore[attr-defined]
    assert "09:00, Thứ Ba, 15/12/2026" in await mine.get_data(as_text=True)


async def test_a_cancelled_booking_frees_its_time_and_can_no_longer_be_changed(
    booking_app: Quart, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    client, session, start, booked = await setup(booking_app)
    token = booked["token"]
    status, location, _ = await post_form(client, f"/my-booking/cancel?t={token}", {})
    assert status == 302 and "done=cancelled" in location
    assert start in await free_starts(client)

    page = await (await client.get(f"/my-booking?t={token}")).get_data(as_text=True)  # type: ignore[attr-defined]
    assert "Đã hủy" in page and "Hủy lịch của tôi" not in page and "Chọn giờ khác" not in page
    status, _, page = await post_form(client, f"/my-booking/cancel?t={token}", {})
    assert status == 409 and "không thể đổi hoặc hủy" in page
    later = start + timedelta(hours=1)
    status, _, page = await post_form(client, f"/my-booking/reschedule?t={token}",
                                      {"slot": f"{session}|{later.isoformat()}"})
    assert status == 409 and "không thể đổi hoặc hủy" in page
    status, _, page = await post_form(client, f"/my-booking/documents?t={token}", {}, {
        "documents": FileStorage(io.BytesIO(PDF), filename="don.pdf")})
    assert status == 422 and "không thể bổ sung" in page

    assert await booking_app.container.booking.outbox.deliver_due() == 2  # type: ignore[attr-defined]
    cancelled = inbox.messages[-1]
    assert "Đã hủy" in cancelled["Subject"] and token not in str(cancelled)
    [ics] = [p.get_payload(decode=True) for p in cancelled.iter_attachments()]
    assert b"METHOD:CANCEL" in ics and b"STATUS:CANCELLED" in ics


async def test_documents_added_after_booking_are_checked_by_their_content(
    booking_app: Quart, clean_db: str
) -> None:
    from tests.integration.booking.test_booking_refusals import count

    client, _, _, booked = await setup(booking_app)
    path = f"/my-booking/documents?t={booked['token']}"
    status, _, page = await post_form(client, path, {}, {
        "documents": FileStorage(io.BytesIO(EXE), filename="giay-to.pdf")})
    assert status == 422 and "giay-to.pdf" in page and await count(clean_db, "booking_document") == 0
    status, location, _ = await post_form(client, path, {}, {
        "documents": FileStorage(io.BytesIO(PDF), filename="quyet-dinh.pdf")})
    assert status == 302 and "done=documents" in location
    page = await (await client.get(f"/my-booking?t={booked['token']}")).get_data(as_text=True)  # type: ignore[attr-defined]
    assert "quyet-dinh.pdf" in page
