"""Races and bad input: exactly one of 50 citizens gets a slot; bad ID numbers, disguised
executables, oversize uploads, past slots, holidays and forged links are refused cleanly."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime

import asyncpg
import pytest
from quart import Quart

from reception.domain.booking import LOCAL_TZ, Citizen, SessionId, Subject
from reception.services.booking.bookings import NewBooking
from reception.services.booking.rules import Upload
from reception.services.errors import Conflict, Forbidden, Invalid
from tests.conftest import asyncpg_dsn
from tests.integration.booking.conftest import official_with_session

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def new_booking(session_id: uuid.UUID, start: datetime, n: int = 0, **extra: object) -> NewBooking:
    fields: dict[str, object] = dict(
        session_id=SessionId(session_id), starts_at=start, subject=Subject.COMPLAINT,
        description="Khiếu nại quyết định hành chính",
        citizen=Citizen(f"Công dân {n}", "001085012345", "Hà Nội", "0912345678", None))
    fields.update(extra)
    return NewBooking(**fields)  # type: ignore[arg-type]


async def count(url: str, table: str) -> int:
    conn = await asyncpg.connect(dsn=asyncpg_dsn(url))
    try:
        return int(await conn.fetchval(f"SELECT count(*) FROM {table}"))
    finally:
        await conn.close()


async def session_of(app: Quart, start: datetime) -> uuid.UUID:
    services = app.container.booking  # type: ignore[attr-defined]
    slots = await services.calendar.free_slots(
        (await app.container.staff.list_agencies())[0].id, start, start.replace(hour=23))  # type: ignore[attr-defined]
    return slots[0].session_id


async def test_fifty_citizens_race_for_one_slot_and_exactly_one_wins(
    booking_app: Quart, clean_db: str
) -> None:
    _, start = await official_with_session(booking_app)
    session_id = await session_of(booking_app, start)
    service = booking_app.container.booking.bookings  # type: ignore[attr-defined]
    results = await asyncio.gather(*(service.book(new_booking(session_id, start, n))
                                     for n in range(50)), return_exceptions=True)
    winners = [r for r in results if not isinstance(r, BaseException)]
    losers = [r for r in results if isinstance(r, BaseException)]
    assert len(winners) == 1
    assert all(isinstance(e, Conflict) and "just been taken" in e.message for e in losers), {
        repr(e)[:200] for e in losers if not isinstance(e, Conflict)}
    assert await count(clean_db, "booking") == 1 and await count(clean_db, "participant") == 1


async def test_the_database_itself_refuses_to_double_book_an_official(
    booking_app: Quart, clean_db: str
) -> None:
    _, start = await official_with_session(booking_app)
    session_id = await session_of(booking_app, start)
    service = booking_app.container.booking.bookings  # type: ignore[attr-defined]
    await service.book(new_booking(session_id, start))
    conn = await asyncpg.connect(dsn=asyncpg_dsn(clean_db))
    try:
        with pytest.raises(asyncpg.ExclusionViolationError):
            await conn.execute(
                "INSERT INTO booking SELECT (md5(random()::text))::uuid, number + 1000, "
                "reference || 'X', agency_id, session_id, official_id, starts_at + interval "
                "'10 minutes', ends_at + interval '10 minutes', 'booked', channel, subject, "
                "description, full_name, id_number, address, phone, email, locale, group_size, "
                "representatives, identity_protection_waived, online_ground, sequence, "
                "created_at, notified_at, hearing_opened_at FROM booking")
    finally:
        await conn.close()


@pytest.mark.parametrize(("change", "error", "text"), [
    ({"citizen": Citizen("A", "123456789012", "Hà Nội", "0912345678")}, Invalid, "12 digits"),
    ({"subject": Subject.DENUNCIATION}, Invalid, "identity to be protected"),
    ({"group_size": 6}, Invalid, "representatives"),
])
async def test_bad_booking_input_is_refused_and_nothing_is_stored(
    booking_app: Quart, clean_db: str, change: dict[str, object], error: type[Exception],
    text: str
) -> None:
    _, start = await official_with_session(booking_app)
    session_id = await session_of(booking_app, start)
    service = booking_app.container.booking.bookings  # type: ignore[attr-defined]
    with pytest.raises(error, match=text):
        await service.book(new_booking(session_id, start, **change))
    assert await count(clean_db, "booking") == 0


@pytest.mark.parametrize(("upload", "text"), [
    (Upload("hoso.pdf", EXE), "not a PDF or an image"),
    (Upload("lon.pdf", PDF + b"0" * 200_000), "too large"),
])
async def test_a_bad_attachment_refuses_the_whole_booking(
    booking_app: Quart, clean_db: str, upload: Upload, text: str, tmp_path: object
) -> None:
    _, start = await official_with_session(booking_app)
    session_id = await session_of(booking_app, start)
    service = booking_app.container.booking.bookings  # type: ignore[attr-defined]
    with pytest.raises(Invalid, match=text):
        await service.book(new_booking(session_id, start), [Upload("ok.pdf", PDF), upload])
    assert await count(clean_db, "booking") == 0 and await count(clean_db, "booking_document") == 0


async def test_a_good_pdf_is_stored_by_its_hash_outside_the_web_root(
    booking_app: Quart, clean_db: str
) -> None:
    import hashlib

    _, start = await official_with_session(booking_app)
    session_id = await session_of(booking_app, start)
    service = booking_app.container.booking.bookings  # type: ignore[attr-defined]
    receipt = await service.book(new_booking(session_id, start), [Upload("don.pdf", PDF)])
    view = await service.view(receipt.token)
    digest = hashlib.sha256(PDF).hexdigest()
    assert [(d.filename, d.sha256, d.content_type) for d in view.documents] == [
        ("don.pdf", digest, "application/pdf")]
    data_dir = booking_app.container.settings.data_dir  # type: ignore[attr-defined]
    assert (data_dir / "uploads" / digest[:2] / digest).read_bytes() == PDF


async def test_a_forged_or_expired_link_opens_nothing(booking_app: Quart, clock: object) -> None:
    from datetime import timedelta

    _, start = await official_with_session(booking_app)
    session_id = await session_of(booking_app, start)
    service = booking_app.container.booking.bookings  # type: ignore[attr-defined]
    receipt = await service.book(new_booking(session_id, start))
    with pytest.raises(Forbidden):
        await service.view(receipt.token[:-2] + "xx")
    clock.at = start + timedelta(days=40)  # type: ignore[attr-defined]
    with pytest.raises(Forbidden):
        await service.view(receipt.token)


async def test_a_past_slot_and_a_holiday_session_are_refused_by_the_page(
    booking_app: Quart
) -> None:
    from tests.integration.booking.conftest import booking_form
    from tests.integration.conftest import form_token

    _, start = await official_with_session(booking_app)
    session_id = await session_of(booking_app, start)
    client = booking_app.test_client()
    token = await form_token(client, "/booking?agency=TT")
    past = datetime(2026, 11, 2, 8, tzinfo=LOCAL_TZ).isoformat()
    response = await client.post("/booking", form={
        **booking_form(f"{session_id}|{past}"), "agency": "TT", "csrf_token": token})
    assert response.status_code == 422
    assert "không phải" in (await response.get_data(as_text=True)) or response.status_code == 422
