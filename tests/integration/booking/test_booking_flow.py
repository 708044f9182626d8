"""A citizen books through the page, the outbox sends the e-mail to a real SMTP server, and
the link from that e-mail opens the booking — and nothing else."""

from __future__ import annotations

import re

from quart import Quart

from reception.domain.booking import LOCAL_TZ
from tests.integration.booking.conftest import Inbox, booking_form, official_with_session
from tests.integration.conftest import form_token


def slot_of(session_id_and_start: str) -> str:
    return session_id_and_start


async def first_slot(client: object, code: str = "TT") -> str:
    response = await client.get(f"/api/v1/reception/agencies/{code}/slots")  # type: ignore[attr-defined]
    return str((await response.get_json())["items"][0]["slot"])


async def test_a_citizen_books_and_the_link_from_the_e_mail_opens_the_booking(
    booking_app: Quart, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    await official_with_session(booking_app)
    client = booking_app.test_client()
    slot = await first_slot(client)
    token = await form_token(client, "/booking?agency=TT")
    response = await client.post("/booking", form={**booking_form(slot), "agency": "TT",
                                                   "csrf_token": token})
    page = await response.get_data(as_text=True)
    assert response.status_code == 200, page
    reference = re.search(r"TD-2026-\d{6}", page)
    assert reference
    # The tab reads the page's name, not markup; the copy script is included once, in the body.
    title = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
    assert title and "<" not in title.group(1) and ">" not in title.group(1), title
    assert page.count("copy.js") == 1

    sent = await booking_app.container.booking.outbox.deliver_due()  # type: ignore[attr-defined]
    assert sent == 1 and len(inbox.messages) == 1
    mail = inbox.messages[0]
    assert reference.group(0) in mail["Subject"] and mail["To"] == "an@example.vn"
    attachments = [p for p in mail.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert attachments and b"BEGIN:VEVENT" in attachments[0].get_payload(decode=True)

    mine = await client.get(f"/my-booking?t={inbox.link_token()}")
    assert mine.status_code == 200
    assert reference.group(0) in await mine.get_data(as_text=True)
    forged = await client.get("/my-booking?t=" + "A" * 43)
    assert forged.status_code == 403


async def test_the_stored_outbox_copy_loses_the_link_once_sent(
    booking_app: Quart, smtp: tuple[Inbox, int], clean_db: str
) -> None:
    import asyncpg

    from tests.conftest import asyncpg_dsn

    await official_with_session(booking_app)
    client = booking_app.test_client()
    slot = await first_slot(client)
    result = await client.post("/api/v1/bookings", json=booking_form(slot))
    assert result.status_code == 201, await result.get_data(as_text=True)
    token = (await result.get_json())["token"]
    await booking_app.container.booking.outbox.deliver_due()  # type: ignore[attr-defined]
    conn = await asyncpg.connect(dsn=asyncpg_dsn(clean_db))
    try:
        bodies = [r["body"] for r in await conn.fetch("SELECT body FROM outbox_message")]
        hashes = [r["token_hash"] for r in await conn.fetch("SELECT token_hash FROM participant")]
    finally:
        await conn.close()
    assert bodies and all(token not in b for b in bodies)
    assert token not in hashes and len(hashes[0]) == 64
    assert LOCAL_TZ is not None
