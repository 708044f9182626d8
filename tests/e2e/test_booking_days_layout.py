"""The booking page on a 390×844 phone: the days of the next weeks fit in a few rows of small
buttons (weekday, date, free places), each tall enough to tap, and the times of the chosen day
come right below them, not a phone's height further down. The page is drawn by the app (Quart's
test client) and laid out by real Chromium with the site's stylesheet."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Browser
from quart import Quart

from reception.domain.booking import LOCAL_TZ, SessionKind
from reception.domain.law.workdays import add_working_days, default_calendar
from reception.domain.organisation import StaffRole
from reception.services.booking.calendar import NewSession
from tests.e2e.conftest import snap
from tests.integration.booking.conftest import NOW, booking_app, clock, smtp  # noqa: F401
from tests.integration.conftest import make_staff

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
TAP = 44  # px: the smallest comfortable touch target


async def _sessions_on_working_days(app: Quart, count: int) -> str:
    """A morning session on each of `count` working days from a week ahead; the agency code."""
    member = await make_staff(app, "canbo", StaffRole.RECEPTIONIST)
    calendar = app.container.booking.calendar  # type: ignore[attr-defined]
    for n in range(6, 6 + count):
        day = add_working_days(default_calendar(), NOW.date(), n)
        start = datetime(day.year, day.month, day.day, 8, tzinfo=LOCAL_TZ)
        await calendar.add_session(None, NewSession(member.agency_id, SessionKind.REGULAR,
                                                    member.id, start, start + timedelta(hours=3), 30))
    return str((await app.container.staff.list_agencies())[0].code)  # type: ignore[attr-defined]


async def _page_html(app: Quart, agency: str) -> str:
    """The booking page with the site's stylesheet inline (the page is shown without a server)."""
    client = app.test_client()
    html = await (await client.get(f"/booking?agency={agency}")).get_data(as_text=True)
    css = await (await client.get("/static/site.css")).get_data(as_text=True)
    html = re.sub(r'<link rel="stylesheet"[^>]*>', lambda _: f"<style>{css}</style>", html)
    return re.sub(r"<script[^>]*></script>", "", html)


async def test_the_days_fit_a_phone_in_a_few_rows_with_the_times_right_below(
        booking_app: Quart, browser: Browser, artifacts: Path) -> None:  # noqa: F811
    agency = await _sessions_on_working_days(booking_app, 15)
    context = await browser.new_context(viewport=PHONE)
    page = await context.new_page()
    await page.set_content(await _page_html(booking_app, agency))
    chips = [await c.bounding_box() for c in await page.locator(".day-chip").all()]
    assert len(chips) >= 12
    boxes = [c for c in chips if c is not None]
    first_row = [c for c in boxes if abs(c["y"] - boxes[0]["y"]) < 1]
    assert len(first_row) >= 4, f"{len(first_row)} days a row"
    assert all(c["height"] >= TAP and c["width"] >= TAP for c in boxes)
    assert max(c["x"] + c["width"] for c in boxes) <= PHONE["width"]  # nothing off the screen
    times = await page.locator("fieldset.slot-day:not([hidden]) label.slot").first.bounding_box()
    assert times is not None
    below = times["y"] - max(c["y"] + c["height"] for c in boxes)
    assert 0 < below < 120, f"the times start {below:.0f} px below the days"
    chip = page.locator(".day-chip").first
    assert re.search(r"Thứ \w+", await chip.inner_text()) and "còn 6" in await chip.inner_text()
    await chip.focus()  # a keyboard user sees where they are
    outline = await chip.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"
    await snap(page, path=str(artifacts / "booking-days-390.png"), full_page=True)
    await context.close()
