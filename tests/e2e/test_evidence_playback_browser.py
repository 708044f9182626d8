"""The evidence file the forwarding plane records plays in Chromium as video with sound, and
its timeline holds: a muted span (no packets at all were recorded) plays as silence at the
moment it happened, and the sound after it is where it was, not pulled forward."""

from __future__ import annotations

import asyncio
import fractions
import time
from pathlib import Path

import av
import numpy as np
import pytest
from aiortc.mediastreams import MediaStreamTrack
from playwright.async_api import Browser, Route

from reception.adapters.media import MediaHub
from tests.integration.media.media_peers import Client, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PAGE = """<!doctype html><html><body><video id="v" src="/evidence.webm" playsinline></video>
<script>
window.samples = [];
window.play = async () => {
  const v = document.getElementById("v");
  const context = new AudioContext();
  const analyser = context.createAnalyser();
  analyser.fftSize = 2048;
  context.createMediaElementSource(v).connect(analyser);
  analyser.connect(context.destination);
  const buffer = new Float32Array(analyser.fftSize);
  await v.play();
  const tick = () => {
    analyser.getFloatTimeDomainData(buffer);
    let sum = 0;
    for (const x of buffer) sum += x * x;
    window.samples.push([v.currentTime, Math.sqrt(sum / buffer.length), v.videoWidth,
                         v.getVideoPlaybackQuality().totalVideoFrames]);
    if (!v.ended) setTimeout(tick, 50); else window.done = true;
  };
  tick();
};
</script></body></html>"""


class Tone(MediaStreamTrack):
    """A steady 440 Hz tone in 20 ms frames, in real time: loud wherever it was recorded."""

    kind = "audio"

    def __init__(self) -> None:
        super().__init__()
        self._start: float | None = None
        self._sent = 0

    async def recv(self) -> av.AudioFrame:
        if self._start is None:
            self._start = time.monotonic()
        await asyncio.sleep(max(0.0, self._start + self._sent / 48_000 - time.monotonic()))
        tone = np.sin(2 * np.pi * 440 * (self._sent + np.arange(960)) / 48_000)
        frame = av.AudioFrame.from_ndarray((tone * 12_000).astype(np.int16).reshape(1, -1),
                                           format="s16", layout="mono")
        frame.sample_rate, frame.pts = 48_000, self._sent
        frame.time_base = fractions.Fraction(1, 48_000)
        self._sent += 960
        return frame


async def test_a_recorded_evidence_file_plays_as_video_with_sound_and_a_muted_span_stays_in_place(
    browser: Browser, tmp_path: Path
) -> None:
    hub = MediaHub(tmp_path, loopback_only=True)
    citizen = Client(speech=None, luma=90)
    citizen.pc.addTrack(Tone())
    answer = await hub.handle_offer("room", "citizen", await citizen.offer(), admitted=True)
    await citizen.accept(answer.sdp, answer.type)
    await wait_until(lambda: hub.participants("room")[0].connection_state == "connected", 10, "connected")
    await asyncio.sleep(1)
    await hub.start_recording("room", "citizen")
    started = time.monotonic()
    await asyncio.sleep(2)
    hub.set_muted("room", "citizen", True)
    muted_at = time.monotonic() - started
    await asyncio.sleep(2)
    hub.set_muted("room", "citizen", False)
    unmuted_at = time.monotonic() - started
    await asyncio.sleep(2)
    (result,) = await hub.end_room("room")
    await citizen.close()
    await hub.close()
    assert result.evidence is not None and result.gaps

    page = await browser.new_page()
    evidence = result.evidence.path.read_bytes()

    async def serve(route: Route) -> None:
        if route.request.url.endswith("/evidence.webm"):
            await route.fulfill(body=evidence, content_type="video/webm")
        else:
            await route.fulfill(body=PAGE, content_type="text/html")

    await page.route("http://evidence.test/**", serve)
    await page.goto("http://evidence.test/")
    await page.evaluate("window.play()")
    await page.wait_for_function("window.done === true", timeout=30_000)
    samples: list[list[float]] = await page.evaluate("window.samples")
    await page.close()

    def loudness(start: float, end: float) -> list[float]:
        return [rms for at, rms, _, _ in samples if start <= at <= end]

    assert max(width for _, _, width, _ in samples) == 320  # the citizen's own picture...
    assert samples[-1][3] > 4 * 30 * 0.8  # ...decoded all along (frames in 6 s at 30 fps)
    assert samples[-1][0] >= 5.5  # played to the end: the whole recording
    assert min(loudness(0.5, muted_at - 0.4)) > 0.05  # the tone before the mute
    assert max(loudness(muted_at + 0.4, unmuted_at - 0.4)) < 0.01  # silence, where it happened
    assert min(loudness(unmuted_at + 0.5, samples[-1][0] - 0.5)) > 0.05  # the tone after it
