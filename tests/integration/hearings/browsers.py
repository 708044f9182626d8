"""Helpers of the browser hearing tests: one Chromium per role (the fake microphone file is
per process), the official's login and console, and polling the pages' media probe."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from playwright.async_api import Browser, Page, Playwright

from reception.bootstrap.container import Container
from reception.domain.organisation import StaffMember
from reception.settings import Settings
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer, start_server
from tests.integration.hearings.factory import PASSWORD, Seeded, make_official, seed_booking

MEDIA = Path(__file__).resolve().parents[2] / "fixtures" / "media"
CITIZEN_WAV = MEDIA / "citizen_padded.wav"
OFFICIAL_WAV = MEDIA / "official_padded.wav"
SERVER_ENV = {"ICE_LOOPBACK_ONLY": "true", "HEARING_VIDEO_SIZE": "320x240", "LOG_JSON": "false"}


def hearing_server(database_url: str, data_dir: Path, *args: str) -> LiveServer:
    return start_server(database_url, data_dir, *args, **SERVER_ENV)


def container_for(server: LiveServer) -> Container:
    """Services on the server's database, for seeding and checking from the test."""
    settings = Settings.from_mapping({k: v for k, v in server.env.items()
                                      if k in ("DATABASE_URL", "DATA_DIR", "SECRET_KEY")})
    return Container(settings, server.env["DATABASE_URL"])


async def booked_hearing(server: LiveServer) -> tuple[Container, StaffMember, Seeded]:
    """Services on the server's database, an official, and a booking of theirs due now."""
    container = container_for(server)
    official = await make_official(container.staff)
    return container, official, await seed_booking(container.uow_factory, official)


async def party_browsers(playwright: Playwright) -> tuple[Browser, Browser]:
    """The official's and the citizen's Chromium, each with its own speech as microphone."""
    return (await role_browser(playwright, OFFICIAL_WAV),
            await role_browser(playwright, CITIZEN_WAV))


async def role_browser(playwright: Playwright, speech: Path) -> Browser:
    return await playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, f"--use-file-for-fake-audio-capture={speech}%noloop"])


async def official_console(browser: Browser, server: LiveServer, login: str,
                           booking_id: object) -> Page:
    page = await (await browser.new_context(viewport={"width": 1280, "height": 800})).new_page()
    await page.goto(f"{server.url}/login")
    await page.fill("#login", login)
    await page.fill("#password", PASSWORD)
    await page.locator("#main form button[type=submit]").click()
    await page.wait_for_url(lambda url: "/login" not in url)
    location = await page.evaluate(
        """async (url) => {
            const csrf = document.querySelector('meta[name="csrf-token"]').content;
            const response = await fetch(url, {method: "POST", headers: {"X-CSRF-Token": csrf}});
            return response.url;
        }""", f"{server.url}/staff/bookings/{booking_id}/hearing")
    await page.goto(location)
    return page


async def citizen_page(browser: Browser, server: LiveServer, token: str) -> Page:
    page = await (await browser.new_context(viewport={"width": 390, "height": 844})).new_page()
    await page.goto(f"{server.url}/my-booking/hearing?t={token}")
    return page


async def probe(page: Page) -> dict[str, Any]:
    found: dict[str, Any] = await page.evaluate(
        "window.hearingProbe ? window.hearingProbe() : null") or {}
    return found


async def wait_for(page: Page, condition: Callable[[dict[str, Any]], bool], seconds: float,
                   what: str) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    last: dict[str, Any] = {}
    while time.monotonic() < deadline:
        last = await probe(page)
        if last and condition(last):
            return last
        await asyncio.sleep(0.2)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}; last probe {last}")


async def joined_console(browser: Browser, server: LiveServer, login: str,
                         booking_id: object) -> Page:
    """The official's console, joined and connected."""
    console = await official_console(browser, server, login, booking_id)
    await console.click("#join")
    await wait_for(console, lambda p: p["connection"] == "connected", 15, "official connected")
    return console


async def connected_citizen(browser: Browser, server: LiveServer, token: str) -> Page:
    """The citizen's hearing page, connected (still waiting to be admitted)."""
    citizen = await citizen_page(browser, server, token)
    await wait_for(citizen, lambda p: p["connection"] == "connected", 15, "citizen connected")
    return citizen


async def admit_citizen(console: Page, citizen: Page) -> float:
    """Admit the waiting citizen from the console; the monotonic time of the click."""
    await console.click("[data-admitted=false] button.primary")
    clicked = time.monotonic()
    await wait_for(citizen, lambda p: p["admitted"], 10, "admission reaching the citizen")
    return clicked


class InHearing(NamedTuple):
    official_browser: Browser
    citizen_browser: Browser
    console: Page
    citizen: Page
    admitted_at: float  # monotonic time of the admission click


async def admitted_hearing(playwright: Playwright, server: LiveServer, login: str,
                           seeded: Seeded) -> InHearing:
    """Both parties' Chromiums: the official joined, the citizen connected and admitted."""
    official_browser, citizen_browser = await party_browsers(playwright)
    console = await joined_console(official_browser, server, login, seeded.booking.id)
    citizen = await connected_citizen(citizen_browser, server, seeded.token)
    return InHearing(official_browser, citizen_browser, console, citizen,
                     await admit_citizen(console, citizen))
