"""In a real Chromium on the real server: the official plays a line from the speaker's own
recording, corrects it, approves the transcript, exports WebVTT, and the recording page shows
the corrected words as captions over the citizen's video (screenshot in tests/artifacts)."""

from __future__ import annotations

import asyncio
import io
import re
import time
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from playwright.async_api import Browser, Locator, Page, expect

from tests.e2e.conftest import LiveServer, snap, start_server, stop_server
from tests.integration.hearings.browsers import container_for
from tests.integration.hearings.factory import PASSWORD, make_official
from tests.integration.transcript_review.seed import seed_hearing

pytestmark = [pytest.mark.browser]
SPEECH = Path(__file__).resolve().parents[1] / "fixtures" / "speech" / "citizen.wav"
CORRECTED = "Tôi khiếu nại quyết định thu hồi đất."


def evidence_webm(wav: Path, seconds: float = 6.0, fps: int = 10) -> bytes:
    """A short VP8 + Opus WebM like the recorder writes: the citizen's speech over a plain
    moving picture (captions are drawn by the browser, not burnt in)."""
    buffer = io.BytesIO()
    out = av.open(buffer, "w", format="webm")
    video = out.add_stream("libvpx", rate=fps)
    video.width, video.height, video.pix_fmt = 320, 240, "yuv420p"
    audio = out.add_stream("libopus", rate=48000)
    audio.layout = "mono"
    packets = []
    resampler = av.AudioResampler(format="s16", layout="mono", rate=48000)
    with av.open(str(wav)) as source:
        for sound in source.decode(audio=0):
            if sound.time is not None and sound.time >= seconds:
                break
            for piece in resampler.resample(sound):
                packets += audio.encode(piece)
    packets += audio.encode(None)
    for i in range(int(seconds * fps)):
        picture = np.full((240, 320, 3), ((40 + i * 2) % 160, 90, 140), dtype=np.uint8)
        frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
        frame.pts, frame.time_base = i, Fraction(1, fps)
        packets += video.encode(frame)
    packets += video.encode(None)
    for packet in sorted(packets, key=lambda p: float((p.pts or 0) * (p.time_base or 1))):
        out.mux(packet)
    out.close()
    return buffer.getvalue()


@pytest.fixture
def server(clean_db: str, tmp_path: Path) -> Iterator[LiveServer]:
    live = start_server(clean_db, tmp_path, WORKER_IN_PROCESS="false", ICE_LOOPBACK_ONLY="true",
                        LOG_JSON="false")
    yield live
    stop_server(live)


async def until(element: Locator, probe: str, seconds: float = 15) -> object:
    """Poll a probe on the element (the page's CSP forbids wait_for_function's eval)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := await element.evaluate(probe):
            return value
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out: {probe}")


async def logged_in(browser: Browser, server: LiveServer, login: str) -> Page:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await page.goto(f"{server.url}/login")
    await page.fill("#login", login)
    await page.fill("#password", PASSWORD)
    await page.locator("#main form button[type=submit]").click()
    await page.wait_for_url(lambda url: "/login" not in url)
    return page


async def test_correction_approval_and_export_then_the_webvtt_plays_as_captions(
        server: LiveServer, browser: Browser, tmp_path: Path, artifacts: Path) -> None:
    container = container_for(server)
    official = await make_official(container.staff)
    seeded = await seed_hearing(container.uow_factory, official, tmp_path / "recordings",
                                evidence=evidence_webm(SPEECH))
    await container.close()
    citizen_line = f"#seg-{seeded.segment_ids[1]}"
    page = await logged_in(browser, server, official.login)
    await page.goto(f"{server.url}/staff/hearings/{seeded.hearing.id}/transcript")

    # The citizen's line plays from its start in the citizen's own file (which began 2 s late).
    await page.locator(f"{citizen_line} .seg-play").click()
    player = page.locator("#player")
    await expect(player).to_have_attribute("data-member", str(seeded.citizen_member.id))
    await until(player, "v => v.currentTime >= 1.0 ? v.currentTime : 0")
    await player.evaluate("v => v.pause()")

    await page.fill(f"{citizen_line} textarea", CORRECTED)
    await page.locator(f"{citizen_line} .seg-save").click()
    await expect(page.locator(f"{citizen_line} .seg-msg")).to_have_text("Đã lưu thành phiên bản 2.")
    await page.reload()
    await page.locator(f"{citizen_line} details summary").click()
    await expect(page.locator(f"{citizen_line} .seg-history")).to_contain_text(
        "Tôi khiếu lại quyết định thu hồi đất.")  # the machine text stays viewable
    await page.check("input[name=checked]")
    await page.locator("#approve").click()
    await expect(page.locator("#approved")).to_be_visible()
    assert await page.locator("textarea").count() == 0  # locked: nothing to edit any more
    await snap(page, path=str(artifacts / "transcript_review.png"), full_page=True)

    async with page.expect_download() as download_info:
        await page.locator("#export-vtt").click()
    saved = tmp_path / "export.vtt"
    await (await download_info.value).save_as(saved)
    exported = saved.read_bytes().decode("utf-8")  # noqa: ASYNC240 - a few bytes, after the fact
    assert exported.startswith("WEBVTT")
    assert f"<v {seeded.citizen_member.display_name}>{CORRECTED}" in exported

    # A link from search or a case file (?t=…#seg-…) lands on the line, the player at its moment.
    start = int(await page.locator(citizen_line).get_attribute("data-start") or 0) / 1000
    await page.goto(f"{server.url}/staff/hearings/{seeded.hearing.id}/transcript"
                    f"?t={start:.1f}{citizen_line}")
    await expect(page.locator(citizen_line)).to_have_class(re.compile(r"\bplaying\b"))
    await expect(player).to_have_attribute("data-member", str(seeded.citizen_member.id))
    sought = float(str(await until(player, "v => v.readyState >= 1 ? String(v.currentTime) : ''")))
    assert 0 < sought <= start  # the citizen's own file began later than the hearing

    await page.goto(f"{server.url}/staff/hearings/{seeded.hearing.id}/recording")
    video = page.locator(f"#recording-{seeded.citizen_member.id} video")
    await video.evaluate("v => { v.muted = true; return v.play(); }")
    await until(video, "v => v.currentTime >= 1.6 ? v.currentTime : 0")
    await video.evaluate("v => v.pause()")
    cue = await video.evaluate(
        "v => Array.from(v.textTracks[0].activeCues || []).map(c => c.text).join(' ')")
    assert CORRECTED in cue and v_mode(await video.evaluate("v => v.textTracks[0].mode"))
    await page.wait_for_timeout(300)  # let the paused frame and caption paint
    await snap(video, path=str(artifacts / "transcript_captions.png"))


def v_mode(mode: str) -> bool:
    return mode == "showing"  # `default` on the <track> turns the captions on
