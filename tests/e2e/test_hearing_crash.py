"""The server is killed (SIGKILL) ten seconds into a hearing: after a restart the recordings
are repaired and hold all but the last moments, the hearing is interrupted, and the citizen
joins a new hearing for the same booking."""

from __future__ import annotations

import asyncio
import hashlib
import os
import signal
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import av
import pytest
from playwright.async_api import async_playwright

from reception.adapters.media import probe_duration
from reception.domain.hearings.model import HearingStatus
from tests.e2e.conftest import stop_server
from tests.integration.hearings.browsers import (
    booked_hearing,
    citizen_page,
    hearing_server,
    official_console,
    party_browsers,
    wait_for,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
INTO_HEARING = 10.0


def decodes(path: Path) -> bool:
    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(audio=0)) > 0


async def test_a_killed_server_repairs_the_recordings_and_the_citizen_joins_a_new_hearing(
    clean_db: str, tmp_path: Path
) -> None:
    server = hearing_server(clean_db, tmp_path)
    container, official, seeded = await booked_hearing(server)
    async with async_playwright() as playwright:
        official_browser, citizen_browser = await party_browsers(playwright)
        try:
            console = await official_console(official_browser, server, official.login,
                                             seeded.booking.id)
            old_console = urlsplit(console.url).path
            await console.click("#join")
            citizen = await citizen_page(citizen_browser, server, seeded.token)
            await wait_for(citizen, lambda p: p["connection"] == "connected", 15, "citizen connected")
            await console.click("[data-admitted=false] button.primary")
            admitted = time.monotonic()
            await wait_for(console, lambda p: p["frames"] > 10, 20, "the citizen's video")
            await asyncio.sleep(max(0.0, INTO_HEARING - (time.monotonic() - admitted)))
            os.kill(server.process.pid, signal.SIGKILL)
            killed_at = datetime.now(UTC)
            server.process.wait()

            server = hearing_server(clean_db, tmp_path)  # same data: recovery runs at start
            async with container.uow_factory() as uow:
                (crashed,) = await uow.hearings.of_booking(seeded.booking.id)
                recordings = await uow.hearings.recordings(crashed.id)
            assert crashed.status is HearingStatus.INTERRUPTED
            assert crashed.recording_started_at is not None
            wall = (killed_at - crashed.recording_started_at).total_seconds()
            assert wall >= INTO_HEARING - 0.5
            assert sorted(r.kind for r in recordings) == ["audio", "audio", "evidence", "evidence"]
            for recording in recordings:
                path = tmp_path / "recordings" / recording.path
                assert recording.state == "repaired" and decodes(path)
                assert hashlib.sha256(path.read_bytes()).hexdigest() == recording.sha256
                if recording.kind == "audio":
                    assert probe_duration(path) >= wall - 1.5, (recording, wall)

            # The console shows the interruption and opens a new hearing for the booking.
            console = await official_console(official_browser, server, official.login,
                                             seeded.booking.id)
            assert urlsplit(console.url).path != old_console  # a new hearing
            await console.goto(server.url + old_console)
            assert await console.get_attribute("#hearing-over", "data-status") == "interrupted"
            await console.click("#hearing-over button[type=submit]")
            await console.wait_for_selector("#join")
            await console.click("#join")
            citizen = await citizen_page(citizen_browser, server, seeded.token)
            await wait_for(citizen, lambda p: p["connection"] == "connected", 15, "citizen rejoined")
            await console.click("[data-admitted=false] button.primary")
            await wait_for(citizen, lambda p: p["admitted"] and p["frames"] > 5, 20,
                           "the new hearing's media")
        finally:
            await official_browser.close()
            await citizen_browser.close()
            stop_server(server)
    async with container.uow_factory() as uow:
        hearings = await uow.hearings.of_booking(seeded.booking.id)
    await container.close()
    assert [h.status for h in hearings] == [HearingStatus.INTERRUPTED, HearingStatus.OPEN]
