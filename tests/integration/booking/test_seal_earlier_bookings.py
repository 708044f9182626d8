"""Denunciations booked before the sealing rule (rows the migration's NOT VALID constraint let
stand) are sealed by `reception migrate`: the booking keeps the pseudonym, its citizen's link
and its queued e-mail lose the name and the address, the vault holds them, and the database
then holds every row to the rule."""

from __future__ import annotations

import asyncpg
from quart import Quart

from reception.domain.booking import Subject
from reception.domain.cases.denouncer import SEALED_CITIZEN
from reception.services.booking.sealing import citizen_behind
from tests.conftest import asyncpg_dsn
from tests.integration.hearings.factory import make_official, seed_booking

NAME, ID_NUMBER, EMAIL = "Đặng Thị Bảo Mật", "001185067890", "baomat@example.vn"
CONSTRAINT = "ck_booking_denouncer_sealed"
RULE = ("subject <> 'denunciation' OR (sealed_identity IS NOT NULL AND id_number = '' "
        "AND address = '' AND phone IS NULL AND email IS NULL)")


async def _as_before_the_rule(conn: asyncpg.Connection, booking_id: object) -> None:
    """The booking as an older version stored a denunciation, under the constraint as the
    migration adds it to a database that already has such rows."""
    await conn.execute(f"ALTER TABLE booking DROP CONSTRAINT {CONSTRAINT}")
    await conn.execute("UPDATE booking SET subject = 'denunciation', full_name = $2, "
                       "id_number = $3, email = $4 WHERE id = $1",
                       booking_id, NAME, ID_NUMBER, EMAIL)
    await conn.execute("UPDATE participant SET display_name = $2 WHERE booking_id = $1",
                       booking_id, NAME)
    await conn.execute(
        "INSERT INTO outbox_message (dedupe_key, booking_id, to_address, subject, body, "
        "created_at, send_after, attempts) VALUES ($1, $2, $3, 'Nhắc lịch', $4, now(), "
        "now() + interval '1 day', 0)", f"{booking_id}:reminder_24h:0:x", booking_id, EMAIL,
        f"Kính gửi {NAME},\n\nLịch tiếp của bạn là ngày mai.")
    await conn.execute(f"ALTER TABLE booking ADD CONSTRAINT {CONSTRAINT} CHECK ({RULE}) NOT VALID")


async def test_reception_migrate_seals_the_denunciations_booked_before_the_rule(
        booking_app: Quart, clean_db: str) -> None:
    container = booking_app.container  # type: ignore[attr-defined]
    official = await make_official(container.staff)
    seeded = await seed_booking(container.uow_factory, official, subject=Subject.COMPLAINT)
    conn = await asyncpg.connect(dsn=asyncpg_dsn(clean_db))
    try:
        await _as_before_the_rule(conn, seeded.booking.id)
        try:
            assert await container.seal_earlier_bookings() == 1
            assert await container.seal_earlier_bookings() == 0  # once
            row = await conn.fetchrow("SELECT * FROM booking WHERE id = $1", seeded.booking.id)
            names = [r[0] for r in await conn.fetch(
                "SELECT display_name FROM participant WHERE booking_id = $1", seeded.booking.id)]
            mail = await conn.fetchrow("SELECT to_address, sealed_recipient, body FROM outbox_message "
                                       "WHERE booking_id = $1", seeded.booking.id)
            validated = await conn.fetchval(
                "SELECT convalidated FROM pg_constraint WHERE conname = $1", CONSTRAINT)
        finally:  # leave no unsealed row under a constraint left NOT VALID for the next test
            await conn.execute("DELETE FROM booking WHERE subject = 'denunciation' "
                               "AND sealed_identity IS NULL")
            await conn.execute(f"ALTER TABLE booking VALIDATE CONSTRAINT {CONSTRAINT}")
    finally:
        await conn.close()

    assert (row["full_name"], row["id_number"], row["email"]) == (SEALED_CITIZEN.full_name, "", None)
    assert names == [SEALED_CITIZEN.full_name]
    assert mail["to_address"] == "" and mail["sealed_recipient"] == row["sealed_identity"]
    assert NAME not in mail["body"] and SEALED_CITIZEN.full_name in mail["body"]
    assert validated is True
    async with container.uow_factory() as uow:
        booking = await uow.bookings.get(seeded.booking.id)
        citizen = await citizen_behind(uow, booking)
    assert (citizen.full_name, citizen.id_number, citizen.email) == (NAME, ID_NUMBER, EMAIL)
