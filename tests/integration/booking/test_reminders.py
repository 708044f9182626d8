"""Reminders 24 h and 1 h before, with a pinned clock, a real outbox in PostgreSQL and a real
local SMTP server: queued at their moment, in the citizen's language, once, never for a
cancelled booking; a refusing mail server is retried with back-off, then given up."""

from __future__ import annotations

from datetime import datetime, timedelta

import asyncpg
from quart import Quart

from reception.services.booking.outbox import MAX_ATTEMPTS, retry_delay
from tests.conftest import asyncpg_dsn
from tests.integration.booking.conftest import Inbox, PinnedClock, booking_form, official_with_session


async def book(client: object, start: datetime, session: str, lang: str = "vi",
               email: str = "an@example.vn") -> dict[str, str]:
    slot = f"{session}|{start.isoformat()}"
    response = await client.post(f"/api/v1/bookings?lang={lang}",  # type: ignore[attr-defined]
                                 json=booking_form(slot, email=email))
    assert response.status_code == 201, await response.get_data(as_text=True)
    return dict(await response.get_json())


async def session_id(app: Quart, start: datetime) -> str:
    slots = await app.container.booking.calendar.free_slots(  # type: ignore[attr-defined]
        (await app.container.staff.list_agencies())[0].id, start, start + timedelta(hours=4))  # type: ignore[attr-defined]
    return str(slots[0].session_id)


async def outbox_rows(url: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(dsn=asyncpg_dsn(url))
    try:
        return list(await conn.fetch(
            "SELECT dedupe_key, to_address, created_at, attempts, last_error, send_after, "
            "sent_at, failed_at FROM outbox_message ORDER BY id"))
    finally:
        await conn.close()


async def one_round(app: Quart) -> tuple[int, int]:
    """What the background loop does each tick: (reminders queued, messages sent)."""
    outbox = app.container.booking.outbox  # type: ignore[attr-defined]
    return await outbox.queue_reminders(), await outbox.deliver_due()


async def test_reminders_go_24_h_and_1_h_before_once_each_in_the_citizens_language(
    booking_app: Quart, smtp: tuple[Inbox, int], clock: PinnedClock, clean_db: str
) -> None:
    inbox, _ = smtp
    _, start = await official_with_session(booking_app)  # Tuesday 15/12/2026 08:00
    session = await session_id(booking_app, start)
    client = booking_app.test_client()
    vi = await book(client, start, session, email="an@example.vn")
    en = await book(client, start + timedelta(minutes=30), session, "en", email="bob@example.org")
    gone = await book(client, start + timedelta(hours=1), session, email="chi@example.vn")
    assert await one_round(booking_app) == (0, 3)  # the three confirmations
    inbox.messages.clear()

    clock.at = start - timedelta(hours=24, minutes=1)
    assert await one_round(booking_app) == (0, 0)  # one minute too early
    clock.at = start - timedelta(hours=24)
    assert await one_round(booking_app) == (1, 1)  # the 08:00 booking
    clock.at = start + timedelta(minutes=30) - timedelta(hours=24)
    assert await one_round(booking_app) == (1, 1)  # the 08:30 one; 08:00 not again
    assert [m["To"] for m in inbox.messages] == ["an@example.vn", "bob@example.org"]
    assert inbox.messages[0]["Subject"] == f"Nhắc lịch: ngày mai tiếp công dân trực tuyến, {vi['reference']}"
    assert inbox.messages[1]["Subject"] == f"Reminder: online reception tomorrow, {en['reference']}"
    assert "is tomorrow" in inbox.messages[1].get_body(("plain",)).get_content()  # type: ignore[union-attr]

    # The 09:00 booking's reminder is queued, then the citizen cancels before it goes out.
    clock.at = start + timedelta(hours=1) - timedelta(hours=24)
    assert await booking_app.container.booking.outbox.queue_reminders() == 1  # type: ignore[attr-defined]
    cancelled = await client.post("/api/v1/join/cancel", headers={"X-Join-Token": gone["token"]})
    assert cancelled.status_code == 200
    assert await one_round(booking_app) == (0, 1)  # only the cancellation, not the reminder
    assert "Đã hủy" in inbox.messages[-1]["Subject"] and inbox.messages[-1]["To"] == "chi@example.vn"

    for _ in range(2):  # the loop ticks again and again: nothing more to send
        assert await one_round(booking_app) == (0, 0)
    clock.at = start - timedelta(hours=1)
    assert await one_round(booking_app) == (1, 1)
    clock.at = start - timedelta(minutes=30)
    assert await one_round(booking_app) == (1, 1)
    assert await one_round(booking_app) == (0, 0)
    assert inbox.messages[-2]["Subject"] == (
        f"Nhắc lịch: một giờ nữa tiếp công dân trực tuyến, {vi['reference']}")
    assert inbox.messages[-1]["Subject"] == (
        f"Reminder: online reception in one hour, {en['reference']}")
    assert len(inbox.messages) == 5

    rows = await outbox_rows(clean_db)
    reminders: dict[str, list[str]] = {}
    for r in rows:
        booking_id, kind = r["dedupe_key"].split(":")[:2]
        reminders.setdefault(booking_id, []).append(kind)
    assert sorted(reminders[vi["id"]]) == ["confirmation", "reminder_1h", "reminder_24h"]
    assert sorted(reminders[en["id"]]) == ["confirmation", "reminder_1h", "reminder_24h"]
    assert sorted(reminders[gone["id"]]) == ["cancelled", "confirmation", "reminder_24h"]
    withdrawn = next(r for r in rows if r["dedupe_key"].startswith(f"{gone['id']}:reminder_24h"))
    assert withdrawn["sent_at"] is None and withdrawn["last_error"] == "booking cancelled"
    queued_at = {r["dedupe_key"].split(":")[1]: r["created_at"] for r in rows
                 if r["dedupe_key"].startswith(vi["id"])}
    assert queued_at["reminder_24h"] == start - timedelta(hours=24)
    assert queued_at["reminder_1h"] == start - timedelta(hours=1)


async def test_a_refused_message_is_retried_after_a_back_off_and_then_delivered(
    booking_app: Quart, smtp: tuple[Inbox, int], clock: PinnedClock, clean_db: str
) -> None:
    inbox, _ = smtp
    _, start = await official_with_session(booking_app)
    client = booking_app.test_client()
    booked = await book(client, start, await session_id(booking_app, start))
    outbox = booking_app.container.booking.outbox  # type: ignore[attr-defined]
    inbox.refusals = 1
    assert await outbox.deliver_due() == 0
    [row] = await outbox_rows(clean_db)
    assert row["attempts"] == 1 and "451" in row["last_error"] and row["sent_at"] is None
    assert row["send_after"] == clock.at + timedelta(seconds=30)

    clock.at += timedelta(seconds=29)
    assert await outbox.deliver_due() == 0 and inbox.messages == []  # backing off
    clock.at += timedelta(seconds=2)
    assert await outbox.deliver_due() == 1
    assert booked["reference"] in inbox.messages[0]["Subject"]
    [row] = await outbox_rows(clean_db)
    assert row["attempts"] == 2 and row["sent_at"] == clock.at
    assert await outbox.deliver_due() == 0 and len(inbox.messages) == 1


async def test_a_mail_server_that_keeps_refusing_is_given_up_after_the_last_attempt(
    booking_app: Quart, smtp: tuple[Inbox, int], clock: PinnedClock, clean_db: str
) -> None:
    inbox, _ = smtp
    _, start = await official_with_session(booking_app)
    await book(booking_app.test_client(), start, await session_id(booking_app, start))
    outbox = booking_app.container.booking.outbox  # type: ignore[attr-defined]
    inbox.refusals = 100
    for _ in range(MAX_ATTEMPTS + 2):
        await outbox.deliver_due()
        clock.at += timedelta(hours=1)
    [row] = await outbox_rows(clean_db)
    assert row["attempts"] == MAX_ATTEMPTS and row["failed_at"] is not None
    assert inbox.messages == [] and inbox.refusals == 100 - MAX_ATTEMPTS


def test_the_back_off_doubles_from_30_seconds_up_to_one_hour() -> None:
    assert [retry_delay(n).total_seconds() for n in range(1, 10)] == [
        30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
