"""Browser tests: the real server (`reception serve`) in a subprocess on 127.0.0.1 and Debian's
Chromium driven by Playwright (never `playwright install`)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.async_api import Browser, Error, Locator, Page, async_playwright, expect

CHROMIUM = "/usr/bin/chromium"
# Two cores shared by server, browser and media: give slow moments room instead of flaking.
expect.set_options(timeout=15_000)
# Flags from docs/media.md: no background traffic, fake media devices, loopback ICE.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
    "--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns",
    "--autoplay-policy=no-user-gesture-required",
]


async def snap(shown: Page | Locator, path: str, *, full_page: bool = False) -> None:
    """A screenshot for people to look at (a page, or one element of it). Chromium sometimes
    answers "Unable to capture screenshot" when its compositor has no frame ready (a busy
    machine, a page that just changed): let one frame paint and take it again."""
    page = shown if isinstance(shown, Page) else shown.page
    for attempt in (1, 2):
        try:
            if isinstance(shown, Page):
                await shown.screenshot(path=path, full_page=full_page)
            else:
                await shown.screenshot(path=path)
            return
        except Error as problem:
            if attempt == 2 or "Unable to capture screenshot" not in problem.message:
                raise
            await page.evaluate("new Promise((done) => requestAnimationFrame(() => done(null)))")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    env: dict[str, str]
    process: subprocess.Popen[bytes]


def start_server(database_url: str, data_dir: Path, *args: str, **extra: str) -> LiveServer:
    """`reception serve *args`; ready when it answers and a media node is alive."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "DATA_DIR": str(data_dir),
           "PORT": str(port), "SECRET_KEY": "e2e-secret", "WORKER_IN_PROCESS": "false", **extra}
    log = (data_dir / "server.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "reception.cli", "serve", *args], env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    # Generous: on a loaded CI machine importing the media stack alone can take many seconds.
    deadline = time.monotonic() + 120
    try:  # whatever goes wrong, no server is left running into the next test's database
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError((data_dir / "server.log").read_text())
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                    if response.status == 200 and json.load(response)["media_nodes"] > 0:
                        return LiveServer(url, env, process)
            except OSError:  # not listening yet, or too busy to answer within the second
                pass
            time.sleep(0.2)
        raise RuntimeError("server did not start: " + (data_dir / "server.log").read_text())
    except BaseException:
        stop_server(LiveServer(url, env, process))
        raise


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture
def server(clean_db: str, tmp_path: Path) -> Iterator[LiveServer]:
    """The hearing tests' server (media on loopback, the test probe on); a module that needs
    other settings defines its own `server`."""
    from tests.integration.hearings.browsers import hearing_server

    live = hearing_server(clean_db, tmp_path)
    yield live
    stop_server(live)


@pytest.fixture
def live_server(clean_db: str, tmp_path: Path) -> Iterator[LiveServer]:
    server = start_server(clean_db, tmp_path)
    yield server
    stop_server(server)


def run_cli(server: LiveServer, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reception.cli", *args], env=server.env,
                          input=stdin, capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="session")
async def browser(chromium_path: str) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        instance = await playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield instance
        await instance.close()
