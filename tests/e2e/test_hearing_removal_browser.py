"""An official removes a citizen from the hearing in two real Chromiums. Removal is for good (the
link no longer lets them in), so the first tap only asks; the second removes. The citizen's
phone then says they were removed and stops showing the hearing; their recordings are closed
and stored at once."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from playwright.async_api import Locator, async_playwright, expect

from reception.domain.hearings.model import MemberRole
from tests.e2e.conftest import LiveServer, snap, stop_server
from tests.integration.hearings.browsers import (
    admitted_hearing,
    booked_hearing,
    hearing_server,
    wait_for,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def seconds_of(text: str | None) -> int:
    minutes, seconds = re.search(r"(\d\d):(\d\d)", text or "").groups()  # type: ignore[union-attr]
    return int(minutes) * 60 + int(seconds)


async def console_seconds(timer: Locator) -> int:
    return seconds_of(await timer.text_content())


async def wait_until_shown(read: Callable[[], Awaitable[int]], at_least: int,
                           seconds: float) -> None:
    """The page shows at least `at_least` within `seconds` (a timer reset to zero does not)."""
    deadline = time.monotonic() + seconds
    shown = await read()
    while shown < at_least:
        assert time.monotonic() < deadline, f"the timer shows {shown} s, it had {at_least} s"
        await asyncio.sleep(0.1)
        shown = await read()


@pytest.fixture
def server(clean_db: str, tmp_path: Path) -> Iterator[LiveServer]:
    live = hearing_server(clean_db, tmp_path)
    yield live
    stop_server(live)


async def test_the_official_confirms_a_removal_and_the_citizen_s_phone_says_so(
        server: LiveServer, artifacts: Path) -> None:
    container, official, seeded = await booked_hearing(server)

    async with async_playwright() as playwright:
        official_browser, citizen_browser, console, citizen, _ = await admitted_hearing(
            playwright, server, official.login, seeded)
        await wait_for(citizen, lambda p: p["frames"] > 20, 25, "the official's video")

        # The official's own row says they take part (it read "being received").
        await expect(console.locator("li.member").filter(has_text="(Bạn)")).to_contain_text(
            "Đang tham gia")
        remove = console.locator("li.member button[data-action=remove]")
        await expect(remove).to_have_text("Mời ra")
        # The citizen's running recording time, counted on by the page between room states.
        timer = console.locator("li.member:has(button[data-action=remove]) .member-rec")
        await expect(timer).to_have_text(re.compile(r"00:(0[4-9]|[1-5]\d)"), timeout=30_000)
        before = seconds_of(await timer.text_content())
        await remove.click()  # the first tap only asks
        # Drawing the list again for the question keeps the time running, not from zero.
        await expect(timer).to_have_text(re.compile(r"\d\d:\d\d"))
        await wait_until_shown(lambda: console_seconds(timer), before, 2.0)
        await expect(remove).to_have_text("Nhấn lần nữa để mời ra khỏi phiên tiếp")
        await expect(remove).to_have_attribute("aria-pressed", "true")
        await console.set_viewport_size({"width": 390, "height": 844})  # an official's phone
        await remove.scroll_into_view_if_needed()
        await snap(console, path=str(artifacts / "hearing-console-remove-confirm-phone.png"))
        assert await citizen.text_content("#status") != "Bạn đã bị mời ra khỏi phiên tiếp."
        await remove.click()

        await expect(citizen.locator("#status")).to_have_text("Bạn đã bị mời ra khỏi phiên tiếp.")
        await expect(citizen.locator("#stage")).to_be_hidden()
        # The hearing goes on recording the official; the citizen's own recording has ended.
        await expect(citizen.locator("#rec-indicator")).to_have_attribute("data-recording", "false")
        await expect(citizen.locator("#rec-indicator")).to_contain_text("Đã kết thúc ghi")
        # Not a dead end: what happens next, and the way back to the booking.
        back = citizen.locator("#after-end a.button")
        await expect(back).to_be_visible()
        await expect(back).to_have_text("Quay lại lịch hẹn của tôi")
        await expect(back).to_have_attribute("href", f"/my-booking?t={seeded.token}")
        await expect(remove).to_have_count(0)  # the console no longer lists them
        await snap(citizen, path=str(artifacts / "hearing-citizen-removed-phone.png"))
        # Back on the console after a reload, the official ends the hearing without joining
        # it again (joining would record them anew just to end it).
        await console.reload()
        await expect(console.locator("#join")).to_be_visible()
        await snap(console, path=str(artifacts / "hearing-console-reloaded-phone.png"),
                   full_page=True)
        end = console.locator("#end")
        await end.click()
        await expect(console.locator("#end-confirm")).to_be_visible()
        await end.click()
        await expect(console.locator("#status")).to_have_text(
            "Phiên tiếp đã kết thúc. Các bản ghi đã được đóng và lưu trữ.")
        await expect(end).to_be_hidden()
        await official_browser.close()
        await citizen_browser.close()

    async with container.uow_factory() as uow:
        (hearing,) = await uow.hearings.of_booking(seeded.booking.id)
        members = await uow.hearings.members(hearing.id)
        recordings = await uow.hearings.recordings(hearing.id)
    await container.close()
    assert hearing.ended_at is not None  # ended from the reloaded console
    assert len([m for m in members if m.role is MemberRole.OFFICIAL]) == 1  # not rejoined
    (removed,) = [m for m in members if m.role is MemberRole.CITIZEN]
    assert removed.removed_at is not None
    assert sorted(r.kind for r in recordings if r.member_id == removed.id) == ["audio", "evidence"]
