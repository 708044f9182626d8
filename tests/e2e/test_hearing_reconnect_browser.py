"""A citizen's network drops mid-hearing: their Chromium's network process is frozen (SIGSTOP),
so no packet of theirs flows while the page keeps running. The page notices, offers again once
the network is back, and media flows again in the same hearing, recorded in the same file."""

from __future__ import annotations

import os
import signal
import time
from datetime import timedelta
from pathlib import Path

import psutil
import pytest
from playwright.async_api import async_playwright, expect

from reception.adapters.media import probe_duration
from reception.domain.hearings.model import HearingStatus, MemberRole
from tests.e2e.conftest import LiveServer
from tests.integration.hearings.browsers import (
    CITIZEN_WAV,
    booked_hearing,
    citizen_page,
    joined_console,
    party_browsers,
    probe,
    wait_for,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
COUNT_CONNECTIONS = """
const Native = window.RTCPeerConnection;
window.connectionsMade = 0;
window.RTCPeerConnection = class extends Native {
  constructor(...args) { super(...args); window.connectionsMade += 1; }
};
"""


def network_process(speech: Path) -> psutil.Process:
    """The network-service process of this test's Chromium that plays `speech`."""
    for process in psutil.process_iter(["cmdline"]):
        if "--utility-sub-type=network.mojom.NetworkService" not in (process.info["cmdline"] or []):
            continue
        ancestors = process.parents()
        if os.getpid() in [a.pid for a in ancestors] and any(
                f"--use-file-for-fake-audio-capture={speech}%noloop" in a.cmdline() for a in ancestors):
            return process
    raise AssertionError("no network-service process of the citizen's Chromium")


async def test_a_citizen_whose_network_drops_reconnects_into_the_same_hearing_with_media_flowing(
    server: LiveServer, tmp_path: Path
) -> None:
    container, official, seeded = await booked_hearing(server)

    async with async_playwright() as playwright:
        official_browser, citizen_browser = await party_browsers(playwright)
        console = await joined_console(official_browser, server, official.login, seeded.booking.id)
        citizen = await citizen_page(citizen_browser, server, seeded.token)
        await citizen.context.add_init_script(COUNT_CONNECTIONS)
        await citizen.reload()
        await wait_for(citizen, lambda p: p["connection"] == "connected", 15, "citizen connected")
        hearing_before = await citizen.evaluate(
            "JSON.parse(document.getElementById('hearing-config').textContent).hearingId")
        await console.click("[data-admitted=false] button.primary")  # Admit
        await wait_for(citizen, lambda p: p["frames"] > 20, 20, "the official's video")
        await wait_for(console, lambda p: p["frames"] > 20, 20, "the citizen's video")

        network = network_process(CITIZEN_WAV)
        network.send_signal(signal.SIGSTOP)  # the citizen's line goes dead
        dropped = time.monotonic()
        try:
            await citizen.wait_for_selector("#status[data-kind=warning]", timeout=20_000)
            noticed_after = time.monotonic() - dropped
            # Past the page's 1 s back-off: its new join request waits on the dead line, so
            # the old connection cannot just come back by itself before the new offer.
            await citizen.wait_for_timeout(2500)
            frames_during_drop = (await probe(console))["frames"]
        finally:
            network.send_signal(signal.SIGCONT)
        # The page's new connection: its join request waited on the dead line and goes out now;
        # on a busy machine the server takes seconds to answer it, while the old connection may
        # already come back by itself, so wait for the new one before looking at media.
        deadline = time.monotonic() + 30
        while await citizen.evaluate("window.connectionsMade") < 2:  # the page's CSP forbids eval
            assert time.monotonic() < deadline, "the page never offered a second connection"
            await citizen.wait_for_timeout(200)
        # Frames counted on the page's current connection only. (The padded speech files end
        # ~14 s after joining, so audio after the drop is proved by the integration test.)
        back = await wait_for(citizen, lambda p: p["connection"] == "connected" and p["frames"] > 20,
                              20, "video on the new connection")
        recovered_after = time.monotonic() - dropped
        seen = await wait_for(console, lambda p: p["frames"] > frames_during_drop + 20, 15,
                              "the citizen's video on the console again")
        made = await citizen.evaluate("window.connectionsMade")
        await console.click("#end")
        await console.click("#end")  # confirm
        await citizen.wait_for_selector("#status[data-kind=done]", timeout=10000)
        # The pages say "ended" once the state commits; the files are stored (and the
        # transcription queued) just after: wait for the console to list all four.
        await expect(console.locator("#recordings tbody tr")).to_have_count(4, timeout=30_000)
        await official_browser.close()
        await citizen_browser.close()

    async with container.uow_factory() as uow:
        hearings = await uow.hearings.of_booking(seeded.booking.id)
        members = {m.id: m for m in await uow.hearings.members(hearings[0].id)}
        recordings = await uow.hearings.recordings(hearings[0].id)
    await container.close()

    print(f"drop noticed after {noticed_after:.1f} s, media back after {recovered_after:.1f} s")
    assert made == 2  # a second connection, offered by the page itself
    assert back["frames"] > 20 and seen["frames"] > frames_during_drop
    assert len(hearings) == 1 and str(hearings[0].id) == hearing_before
    hearing = hearings[0]
    assert hearing.status is HearingStatus.ENDED
    citizen_files = [r for r in recordings if members[r.member_id].role is MemberRole.CITIZEN]
    assert sorted(r.kind for r in citizen_files) == ["audio", "evidence"]
    (audio,) = [r for r in citizen_files if r.kind == "audio"]
    assert hearing.ended_at is not None and hearing.recording_started_at is not None
    assert audio.stopped_at is not None
    # The recording ran from the admission to the end and its audio spans it, drop included:
    # time 0 of the file is the recording's started_at (the transcript's contract). The
    # hearing's own times are taken by the service around admitting and ending, which take
    # seconds on a busy machine (measured: 2.5 s and 3.2 s at load average 13), so they are no
    # measure of the file's length.
    assert hearing.recording_started_at <= audio.started_at
    assert audio.stopped_at >= hearing.ended_at - timedelta(seconds=1)
    span = (audio.stopped_at - audio.started_at).total_seconds()
    assert abs(probe_duration(tmp_path / "recordings" / audio.path) - span) <= 0.25
