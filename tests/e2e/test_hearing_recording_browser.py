"""A hearing never runs unrecorded, whatever way the citizen is let in.

For each way an official admits someone (the routes marked `@admits`, web/hearings/admission.py), two
real Chromiums hold a hearing; afterwards both parties' recordings (audio and evidence) exist,
verify against their chains and last as long as each party was in (close to the wall clock).
A citizen whose recorder cannot start (its file's path is taken by a directory) pauses the
hearing for everyone: neither party receives any media, the console shows the alarm, and the
hearing resumes by itself once the recorder can start.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

import reception.app  # noqa: F401  (imports every route, so every admission way is listed)
from reception.adapters.media import chain, probe_duration
from reception.domain.hearings.model import HearingId, HearingStatus, MemberRole
from reception.web.hearings.admission import ADMISSION_WAYS
from tests.e2e.conftest import LiveServer, snap
from tests.integration.hearings.browsers import (
    booked_hearing,
    joined_console,
    party_browsers,
    probe,
    wait_for,
)
from tests.integration.hearings.factory import Seeded

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TALK_SECONDS = 6.0
PHONE = {"width": 390, "height": 844}


# -- one driver per way in: how the official uses it, and where the citizen waits ---------
async def _in_hearing_room(citizen: Browser, server: LiveServer, seeded: Seeded) -> Page:
    page = await (await citizen.new_context(viewport=PHONE)).new_page()
    await page.goto(f"{server.url}/my-booking/hearing?t={seeded.token}")
    await wait_for(page, lambda p: p["connection"] == "connected", 15, "citizen connected")
    return page


async def _in_waiting_room(citizen: Browser, server: LiveServer, seeded: Seeded) -> Page:
    page = await (await citizen.new_context(viewport=PHONE)).new_page()
    await page.goto(f"{server.url}/my-booking/waiting-room?t={seeded.token}")
    return page


async def _console_member_list(console: Page, seeded: Seeded, server: LiveServer) -> None:
    await console.click("[data-member][data-admitted=false] button.primary")


async def _console_waiting_list(console: Page, seeded: Seeded, server: LiveServer) -> None:
    await console.click(f"[data-participant='{seeded.citizen.id}'] button.primary")


async def _agenda(console: Page, seeded: Seeded, server: LiveServer) -> None:
    agenda = await console.context.new_page()
    await agenda.goto(f"{server.url}/agenda/")
    await agenda.click(f"[data-booking='{seeded.booking.id}'] form[action$='/admit'] button")
    await agenda.wait_for_load_state()
    await agenda.close()


async def _bookings_api(console: Page, seeded: Seeded, server: LiveServer) -> None:
    status = await console.evaluate(
        """async (url) => {
            const csrf = document.querySelector('meta[name="csrf-token"]').content;
            return (await fetch(url, {method: "POST", headers: {"X-CSRF-Token": csrf}})).status;
        }""", f"{server.url}/api/v1/bookings/{seeded.booking.id}/admit")
    assert status == 200


Admit = Callable[[Page, Seeded, LiveServer], Awaitable[None]]
Arrive = Callable[[Browser, LiveServer, Seeded], Awaitable[Page]]
WAYS: dict[str, tuple[Arrive, Admit]] = {
    "console member list": (_in_hearing_room, _console_member_list),
    "console waiting list": (_in_waiting_room, _console_waiting_list),
    "agenda": (_in_waiting_room, _agenda),
    "bookings API": (_in_waiting_room, _bookings_api),
}


def test_every_way_to_admit_has_a_browser_driver() -> None:
    assert sorted(WAYS) == sorted(ADMISSION_WAYS)


async def _citizen_in(page: Page) -> None:
    """The citizen is on the hearing page, admitted and connected (moved from the waiting
    room if that is where they were)."""
    await page.wait_for_url("**/my-booking/hearing?**", timeout=20_000)
    await wait_for(page, lambda p: p["admitted"] and p["connection"] == "connected", 20,
                   "the admitted citizen connected")


@pytest.mark.parametrize("way", sorted(ADMISSION_WAYS))
async def test_admitted_through_each_way_both_parties_are_recorded_for_the_whole_hearing(
    server: LiveServer, tmp_path: Path, way: str
) -> None:
    arrive, admit = WAYS[way]
    container, official, seeded = await booked_hearing(server)
    async with async_playwright() as playwright:
        official_browser, citizen_browser = await party_browsers(playwright)
        console = await joined_console(official_browser, server, official.login, seeded.booking.id)
        citizen = await arrive(citizen_browser, server, seeded)
        await expect(console.locator("#rec-indicator")).to_have_attribute("data-phase",
                                                                          "not_started")
        await admit(console, seeded, server)
        await _citizen_in(citizen)
        await wait_for(console, lambda p: p["frames"] > 20, 25, "the citizen's video on the console")
        await wait_for(citizen, lambda p: p["frames"] > 20, 25, "the official's video")
        await expect(console.locator("#rec-indicator")).to_have_attribute("data-phase",
                                                                          "recording")
        await expect(citizen.locator("#rec-indicator")).to_have_attribute("data-phase",
                                                                          "recording")
        await expect(console.locator("#recording-alarm")).to_be_hidden()
        await citizen.wait_for_timeout(TALK_SECONDS * 1000)
        await console.click("#end")
        await console.click("#end")
        await expect(console.locator("#recordings tbody tr")).to_have_count(4)
        await expect(console.locator("#rec-indicator")).to_have_attribute("data-phase", "closed")
        await citizen.wait_for_selector("#status[data-kind=done]", timeout=10_000)
        await official_browser.close()
        await citizen_browser.close()

    async with container.uow_factory() as uow:
        (hearing,) = await uow.hearings.of_booking(seeded.booking.id)
        members = {m.id: m for m in await uow.hearings.members(hearing.id)}
        recordings = await uow.hearings.recordings(hearing.id)
    await container.close()
    assert hearing.status is HearingStatus.ENDED
    assert hearing.recording_started_at is not None and hearing.ended_at is not None
    recorded = sorted((members[r.member_id].role.value, r.kind) for r in recordings)
    assert recorded == [("citizen", "audio"), ("citizen", "evidence"),
                        ("official", "audio"), ("official", "evidence")]
    for r in recordings:
        path = tmp_path / "recordings" / r.path
        assert r.verified is True and chain.verify(path, r.chain) == []
        assert r.stopped_at is not None
        wall = (r.stopped_at - r.started_at).total_seconds()
        assert abs(probe_duration(path) - wall) <= 1.0, (r.path, wall)
        # Recorded from when they were let in: the official from the admission, the citizen
        # from when their page connected (at most a waiting-room poll and a page load later).
        late = (r.started_at - hearing.recording_started_at).total_seconds()
        assert -1.0 <= late <= (2.0 if members[r.member_id].role is MemberRole.OFFICIAL else 12.0)
        assert (hearing.ended_at - r.stopped_at) <= timedelta(seconds=2)
        assert wall >= TALK_SECONDS


async def _frozen(page: Page, seconds: float = 2.0) -> tuple[int, int]:
    """Video frames and audio packets the page received during `seconds`."""
    before = await probe(page)
    await asyncio.sleep(seconds)
    after = await probe(page)
    return after["frames"] - before["frames"], after["audioPackets"] - before["audioPackets"]


async def test_a_recorder_that_cannot_start_pauses_the_hearing_for_everyone_until_it_records(
    server: LiveServer, tmp_path: Path, artifacts: Path
) -> None:
    container, official, seeded = await booked_hearing(server)
    async with async_playwright() as playwright:
        official_browser, citizen_browser = await party_browsers(playwright)
        console = await joined_console(official_browser, server, official.login, seeded.booking.id)
        await console.set_viewport_size(PHONE)
        citizen = await _in_hearing_room(citizen_browser, server, seeded)
        hearing_id = console.url.rsplit("/", 1)[-1]
        async with container.uow_factory() as uow:
            member = await uow.hearings.member_by_participant(HearingId(uuid.UUID(hearing_id)),
                                                              seeded.citizen.id)
        assert member is not None
        # The citizen's recording cannot be created: a directory holds its file's name.
        blocker = tmp_path / "recordings" / hearing_id / f"{member.id}.audio.webm"
        blocker.mkdir(parents=True)

        await console.click("[data-member][data-admitted=false] button.primary")
        alarm = console.locator("#recording-alarm")
        await expect(alarm).to_be_visible()
        await expect(alarm).to_have_attribute("role", "alert")
        await expect(alarm).to_contain_text(seeded.citizen.display_name)
        await expect(console.locator("#rec-indicator")).to_have_attribute("data-phase", "paused")
        await expect(console.locator(f"[data-member='{member.id}'] .member-rec")
                     ).to_have_attribute("data-recorder", "failed")
        await expect(citizen.locator("#recording-alarm")).to_be_visible()
        await expect(citizen.locator("#rec-indicator")).to_have_attribute("data-phase", "paused")
        await wait_for(citizen, lambda p: p["admitted"], 10, "the admission reaching the citizen")
        # Paused, never unrecorded: nothing reaches either party, however long it lasts.
        for _ in range(2):
            assert await _frozen(console) == (0, 0)
            assert await _frozen(citizen) == (0, 0)
        await snap(console, path=str(artifacts / "hearing-console-paused-phone.png"))
        await snap(citizen, path=str(artifacts / "hearing-citizen-paused-phone.png"))

        blocker.rmdir()  # fixed: the service's next try starts the recorder
        await expect(console.locator("#rec-indicator")).to_have_attribute(
            "data-phase", "recording", timeout=20_000)
        await expect(alarm).to_be_hidden()
        await wait_for(console, lambda p: p["frames"] > 20, 25,
                       "the citizen's media after the recording resumed")
        await wait_for(citizen, lambda p: p["frames"] > 20, 25, "the official's media again")
        await snap(console, path=str(artifacts / "hearing-console-recording-phone.png"))
        await snap(citizen, path=str(artifacts / "hearing-citizen-recording-phone.png"))
        await console.click("#end")
        await console.click("#end")
        await expect(console.locator("#recordings tbody tr")).to_have_count(4)
        await expect(console.locator("#members .member-actions")).to_have_count(0)
        await snap(console, path=str(artifacts / "hearing-console-ended-phone.png"),
                                 full_page=True)
        await console.reload()  # a reload shows the same: ended, the files, no live controls
        await expect(console.locator("#recordings tbody tr")).to_have_count(4)
        await expect(console.locator("#rec-indicator")).to_have_attribute("data-phase", "closed")
        await expect(console.locator("#join")).to_have_count(0)
        await expect(console.locator("[data-verified=true]")).to_have_count(4)
        await citizen.reload()
        await expect(citizen.locator("#recordings tbody tr")).to_have_count(4)
        await snap(citizen, path=str(artifacts / "hearing-citizen-ended-phone.png"),
                                 full_page=True)
        await official_browser.close()
        await citizen_browser.close()

    async with container.uow_factory() as uow:
        (hearing,) = await uow.hearings.of_booking(seeded.booking.id)
        recordings = await uow.hearings.recordings(hearing.id)
        trail = [r.action async for _, r, _, _ in uow.audit.entries()]
    await container.close()
    assert "hearing.recording_failed" in trail and "hearing.recording_resumed" in trail
    citizen_files = [r for r in recordings if r.member_id == member.id]
    assert sorted(r.kind for r in citizen_files) == ["audio", "evidence"]
    for r in citizen_files:  # recorded from when the recorder could start, not before
        assert r.started_at >= hearing.recording_started_at + timedelta(seconds=4)
