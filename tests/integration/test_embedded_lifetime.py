"""The embedded PostgreSQL stops when its last user stops, a killed one included: real processes
using one data directory, SIGKILLed, and the postmaster polled until it is gone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest

from reception.adapters.db.embedded_lifetime import POLL_SECONDS
from tests.e2e.conftest import free_port

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
# A user of the embedded server that holds it until killed.
USER = """
import sys, time
from pathlib import Path
from reception.adapters.db.embedded import EmbeddedPostgres
server = EmbeddedPostgres(Path(sys.argv[1]))
print(server.url("postgres"), flush=True)
time.sleep(3600)
"""


def _wait(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds} s waiting for {what}")
        time.sleep(0.1)


def _postmaster(data_dir: Path) -> psutil.Process | None:
    pid_file = data_dir / "pgdata" / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().split()[0])
        return psutil.Process(pid)
    except (OSError, ValueError, IndexError, psutil.NoSuchProcess):
        return None


def _watchers(data_dir: Path) -> list[psutil.Process]:
    return [p for p in psutil.process_iter(["cmdline"])
            if "reception.adapters.db.embedded_lifetime" in (p.info["cmdline"] or [])
            and str((data_dir / "pgdata").resolve()) in (p.info["cmdline"] or [])]


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        process.kill()
        process.wait()


def _user(processes: list[subprocess.Popen[bytes]], data_dir: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, "-c", USER, str(data_dir)], cwd=ROOT,
                               stdout=subprocess.PIPE)
    processes.append(process)
    assert process.stdout is not None and process.stdout.readline().startswith(b"postgresql")
    return process


def _kill(process: subprocess.Popen[bytes]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


def test_the_server_outlives_a_killed_user_and_stops_after_the_last_is_killed(
        tmp_path: Path, processes: list[subprocess.Popen[bytes]]) -> None:
    first = _user(processes, tmp_path)
    postmaster = _postmaster(tmp_path)
    assert postmaster is not None
    second = _user(processes, tmp_path)
    assert _postmaster(tmp_path) == postmaster  # shared, not a second server
    _kill(first)
    # Several of the watcher's rounds pass: one user is left, so the server stays.
    time.sleep(POLL_SECONDS * 6)
    assert postmaster.is_running() and len(_watchers(tmp_path)) == 1
    _kill(second)
    _wait(lambda: not postmaster.is_running(), 30, "the postmaster to stop")
    _wait(lambda: not _watchers(tmp_path), 10, "the watcher to exit")
    assert not (tmp_path / "pgdata" / "postmaster.pid").exists()  # a clean shutdown


def test_a_killed_watcher_is_replaced_by_the_next_user(
        tmp_path: Path, processes: list[subprocess.Popen[bytes]]) -> None:
    first = _user(processes, tmp_path)
    (watcher,) = _watchers(tmp_path)
    watcher.kill()
    watcher.wait(10)
    second = _user(processes, tmp_path)
    assert len(_watchers(tmp_path)) == 1
    postmaster = _postmaster(tmp_path)
    assert postmaster is not None
    _kill(first)
    _kill(second)
    _wait(lambda: not postmaster.is_running(), 30, "the postmaster to stop")


def test_two_servers_on_one_data_dir_share_the_database_and_it_stops_when_both_are_killed(
        tmp_path: Path, processes: list[subprocess.Popen[bytes]]) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DATA_DIR=str(tmp_path), SECRET_KEY="lifetime", WORKER_IN_PROCESS="false",
               LOG_JSON="false")
    migrated = subprocess.run([sys.executable, "-m", "reception.cli", "migrate"], cwd=ROOT,
                              env=env, capture_output=True, timeout=120, check=False)
    assert migrated.returncode == 0, migrated.stderr
    urls = []
    for _ in range(2):
        port = free_port()
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "reception.cli", "serve", "--port", str(port)], cwd=ROOT,
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        urls.append(f"http://127.0.0.1:{port}/healthz")
        _wait(lambda url=urls[-1]: _healthy(url), 60, "reception serve to answer")
        if len(urls) == 1:
            postmaster = _postmaster(tmp_path)
            assert postmaster is not None
    assert _postmaster(tmp_path) == postmaster
    for process in processes:
        _kill(process)
    _wait(lambda: not postmaster.is_running(), 30, "the postmaster to stop")


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False
