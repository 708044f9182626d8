"""`make run`'s shape: `reception serve --workers 2 --media 2` starts two web processes on one
socket and two media nodes; both nodes register, the address answers, and when the server is
killed outright its children go with it (no process, no node left holding hearings)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.e2e.conftest import free_port
from tests.integration.media_plant import healthy, node_count

pytestmark = pytest.mark.slow


def test_serve_starts_web_workers_and_media_nodes_and_takes_them_down_with_it(
    clean_db: str, tmp_path: Path
) -> None:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": clean_db, "DATA_DIR": str(tmp_path),
           "SECRET_KEY": "working-set", "WORKER_IN_PROCESS": "false", "ICE_LOOPBACK_ONLY": "true"}
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "reception.cli", "serve", "--port", str(port),
                               "--workers", "2", "--media", "2"], env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180
        while node_count(clean_db) < 2 or not _answers(port):
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.3)
        children = psutil.Process(server.pid).children()
        commands = sorted(" ".join(c.cmdline()[3:4]) for c in children)
        assert commands == ["media", "media", "serve"]  # one more web process, two media nodes
        for _ in range(20):  # both web processes answer on the one address
            assert _answers(port)
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait(10)
    gone = psutil.wait_procs(children, timeout=20)[1]
    assert not gone, f"children outlived the server: {gone}"


def _answers(port: int) -> bool:
    return healthy(f"http://127.0.0.1:{port}")
