"""What the pages tell about the recordings, on a phone: a reload of the console during a
hearing shows the recording's state before rejoining and rejoins with one tap; the review and
playback pages show a recording that no longer matches what was recorded, and approval is
not offered."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Page, async_playwright, expect

from tests.e2e.conftest import LiveServer, snap
from tests.integration.hearings.browsers import (
    admitted_hearing,
    booked_hearing,
    container_for,
    wait_for,
)
from tests.integration.hearings.factory import PASSWORD, make_official
from tests.integration.transcript_review.seed import seed_hearing

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PHONE = {"width": 390, "height": 844}


async def test_a_reloaded_console_shows_the_recording_and_rejoins_with_one_tap(
    server: LiveServer, artifacts: Path
) -> None:
    container, official, seeded = await booked_hearing(server)
    async with async_playwright() as playwright:
        official_browser, citizen_browser, console, citizen, _ = await admitted_hearing(
            playwright, server, official.login, seeded)
        await wait_for(console, lambda p: p["frames"] > 10, 25, "the citizen's video")

        await console.set_viewport_size(PHONE)
        await console.reload()  # the official's page is gone: the hearing goes on
        indicator = console.locator("#rec-indicator")
        await expect(indicator).to_have_attribute("data-phase", "recording")
        await expect(console.locator("[data-recorder=recording]")).to_have_count(2)
        await expect(console.locator("#observer")).to_have_count(0)
        await expect(console.locator("#join")).to_have_text("Vào lại phiên tiếp")
        await expect(console.locator("#members .member-actions")).to_have_count(0)
        await snap(console, path=str(artifacts / "hearing-console-reloaded-phone.png"))

        await console.click("#join")  # one tap
        await wait_for(console, lambda p: p["connection"] == "connected" and p["frames"] > 10,
                       25, "the official back in the hearing")
        await expect(console.locator("#members .member-actions")).to_have_count(1)
        await expect(indicator).to_have_attribute("data-phase", "recording")
        await official_browser.close()
        await citizen_browser.close()
    async with container.uow_factory() as uow:
        hearing = await uow.hearings.open_for_booking(seeded.booking.id)
        assert hearing is not None
        members = await uow.hearings.members(hearing.id)
    await container.close()
    assert len([m for m in members if m.staff_id == official.id]) == 1  # the same membership


async def _logged_in(page: Page, server: LiveServer, login: str) -> None:
    await page.goto(f"{server.url}/login")
    await page.fill("#login", login)
    await page.fill("#password", PASSWORD)
    await page.locator("#main form button[type=submit]").click()
    await page.wait_for_url(lambda url: "/login" not in url)


async def test_the_review_page_shows_a_recording_that_fails_verification(
    server: LiveServer, tmp_path: Path, artifacts: Path
) -> None:
    container = container_for(server)
    official = await make_official(container.staff)
    seeded = await seed_hearing(container.uow_factory, official, tmp_path / "recordings",
                                evidence=bytes(range(256)) * 16 + b"evidence")
    await container.close()
    tampered = (tmp_path / "recordings" / str(seeded.hearing.id)
                / f"{seeded.citizen_member.id}.evidence.webm")
    data = bytearray(tampered.read_bytes())
    data[1500] ^= 0x01
    tampered.write_bytes(data)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                   args=["--no-sandbox", "--disable-gpu"])
        page = await (await browser.new_context(viewport=PHONE)).new_page()
        await _logged_in(page, server, official.login)
        await page.goto(f"{server.url}/staff/hearings/{seeded.hearing.id}/transcript")
        failed = page.locator("#verification-failed")
        await expect(failed).to_be_visible()
        await expect(page.locator(f"[data-file='{tampered.name}']")).to_have_attribute(
            "data-ok", "false")
        await expect(page.locator(".check-problems")).to_contain_text("Đoạn 1 của tệp (byte 1024 đến 2047)")
        await expect(page.locator("#approval-blocked")).to_be_visible()
        await expect(page.locator("#approve")).to_have_count(0)
        await page.locator("#verification").scroll_into_view_if_needed()
        await snap(page, path=str(artifacts / "review-verification-failed-phone.png"))
        await page.goto(f"{server.url}/staff/hearings/{seeded.hearing.id}/recording")
        await expect(page.locator("#verification-failed")).to_be_visible()
        await snap(page, path=str(artifacts / "recording-verification-failed-phone.png"),
                              full_page=True)
        await browser.close()
