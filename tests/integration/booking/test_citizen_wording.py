"""What the citizen reads on the booking pages, on a phone, in Vietnamese: free times counted
as free places ("còn 6 lượt trống", not "6 hours left"); without a mail server, a confirmation
that tells them no e-mail is coming and lets them copy the link (never how the server is set
up); sizes as people write them ("5 MB", "< 1 KB"); the consent wording's version in words."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from quart import Quart
from werkzeug.datastructures import FileStorage

from reception.app import create_app
from reception.domain.organisation import StaffRole
from tests.integration.booking.conftest import PinnedClock, booking_form, official_with_session
from tests.integration.conftest import form_token, log_in, make_settings, make_staff

# A PDF of 300 bytes: less than a kilobyte, which used to read "0 KB".
SMALL_PDF = b"%PDF-1.4\n" + b"%" * 283 + b"\n%%EOF\n"


@pytest.fixture
async def mailless_app(tmp_path: Path, clean_db: str, clock: PinnedClock) -> AsyncIterator[Quart]:
    """No SMTP_HOST: e-mails are written to the server log, never sent."""
    application = create_app(make_settings(tmp_path, clean_db, OUTBOX_POLL_SECONDS="3600"),
                             clean_db, clock)
    async with application.test_app():
        yield application


async def _first_slot(client: object) -> str:
    response = await client.get("/api/v1/reception/agencies/TT/slots")  # type: ignore[attr-defined]
    return str((await response.get_json())["items"][0]["slot"])


async def _book(app: Quart) -> str:
    client = app.test_client()
    slot = await _first_slot(client)
    token = await form_token(client, "/booking?agency=TT")
    response = await client.post("/booking", form={**booking_form(slot), "agency": "TT",
                                                   "csrf_token": token},
                                 files={"documents": FileStorage(io.BytesIO(SMALL_PDF), "don.pdf",
                                                                 content_type="application/pdf")})
    page = await response.get_data(as_text=True)
    assert response.status_code == 200, page
    return page


async def test_free_times_are_counted_as_free_places(booking_app: Quart) -> None:
    await official_with_session(booking_app)  # 08:00-11:00 in half hours: 6 free times
    page = await (await booking_app.test_client().get("/booking?agency=TT")).get_data(as_text=True)
    assert "còn 6 lượt trống" in page and "còn 6 giờ" not in page
    office = booking_app.test_client()
    await make_staff(booking_app, "tiepdan", StaffRole.RECEPTIONIST)
    assert await log_in(office, "tiepdan") == 302
    walk_in = await (await office.get("/agenda/walk-in")).get_data(as_text=True)
    assert "lượt trống" in walk_in and "còn 6 giờ" not in walk_in


async def test_without_a_mail_server_the_citizen_is_told_to_keep_the_link(
    mailless_app: Quart,
) -> None:
    await official_with_session(mailless_app)
    page = await _book(mailless_app)
    assert "Lịch hẹn này sẽ không được gửi qua thư điện tử" in page
    assert "máy chủ thư" not in page and "nhật ký" not in page
    assert "Sao chép đường dẫn" in page and 'data-copy="private-link"' in page
    assert 'id="private-link"' in page and "copy.js" in page and 'role="status"' in page
    assert "Chúng tôi cũng đã gửi" not in page  # no e-mail was sent


async def test_sizes_and_the_consent_version_read_as_people_write_them(
    mailless_app: Quart,
) -> None:
    await official_with_session(mailless_app)
    form = await (await mailless_app.test_client().get("/booking?agency=TT")).get_data(as_text=True)
    assert "5 MB" in form and "5.0" not in form
    booked = await _book(mailless_app)
    token = re.search(r"/my-booking\?t=([\w-]+)", booked).group(1)  # type: ignore[union-attr]
    client = mailless_app.test_client()
    mine = await (await client.get(f"/my-booking?t={token}")).get_data(as_text=True)
    assert "don.pdf (&lt; 1 KB)" in mine and "(0 KB)" not in mine
    room = await (await client.get(f"/my-booking/waiting-room?t={token}")).get_data(as_text=True)
    assert "Mẫu lời đồng ý ban hành tháng 11/2026, bản số 1" in room
    assert "2026-11-v1" not in room and "Phiên bản văn bản" not in room
