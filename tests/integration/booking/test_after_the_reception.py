"""The citizen's booking page once the reception has taken place: no calendar invitation for a
time that has passed, and documents still accepted (the service takes them) with the page
saying where they go."""

from __future__ import annotations

import re
from datetime import timedelta

import asyncpg
from quart import Quart

from tests.conftest import asyncpg_dsn
from tests.integration.booking.conftest import PinnedClock
from tests.integration.booking.test_self_service import setup

CALENDAR = "Thêm vào lịch của tôi (.ics)"
ADD = "Thêm tài liệu"
AFTERWARDS = "Buổi tiếp của bạn đã diễn ra."


def _visible(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1]).split())


async def test_after_the_hearing_the_page_drops_the_calendar_and_says_where_documents_go(
        booking_app: Quart, clock: PinnedClock, clean_db: str) -> None:
    client, _, start, booked = await setup(booking_app)
    page = f"/my-booking?t={booked['token']}"
    before = _visible(await (await client.get(page)).get_data(as_text=True))  # type: ignore[attr-defined]
    assert CALENDAR in before and ADD in before and AFTERWARDS not in before
    conn = await asyncpg.connect(dsn=asyncpg_dsn(clean_db))
    try:  # the hearing was held and ended
        await conn.execute("UPDATE booking SET status = 'completed' WHERE reference = $1",
                           booked["reference"])
    finally:
        await conn.close()
    clock.at = start + timedelta(hours=2)
    after = _visible(await (await client.get(page)).get_data(as_text=True))  # type: ignore[attr-defined]
    assert CALENDAR not in after
    assert ADD in after and AFTERWARDS in after
    assert "gửi đến cơ quan" in after  # where a document added now goes
