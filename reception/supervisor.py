"""Child processes of `reception serve`: media nodes (`--media N`) and further web processes
(`--workers N`). Each child watches its parent and stops when it goes, so a killed server
leaves no orphan; a child that dies is started again (its hearings are adopted meanwhile by a
live node, docs/deployment.md "Media nodes")."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

import structlog

log = structlog.get_logger(__name__)
RESTART_DELAY_SECONDS = 1.0


@dataclass
class Children:
    """Runs `reception <command…>` children and keeps them running until `stop()`."""

    commands: Sequence[Sequence[str]]
    pass_fds: Sequence[int] = ()
    env: dict[str, str] = field(default_factory=dict)  # added to this process's environment
    _processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    _watch: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._processes = [self._spawn(command) for command in self.commands]
        self._watch = asyncio.create_task(self._keep_running())

    async def stop(self, grace_seconds: float = 15.0) -> None:
        if self._watch is not None:
            self._watch.cancel()
            await asyncio.gather(self._watch, return_exceptions=True)
        for process in self._processes:
            if process.poll() is None:
                process.terminate()
        for process in self._processes:
            try:
                await asyncio.to_thread(process.wait, grace_seconds)
            except subprocess.TimeoutExpired:
                process.kill()

    def _spawn(self, command: Sequence[str]) -> subprocess.Popen[bytes]:
        argv = [sys.executable, "-m", "reception.cli", *command, "--parent-pid", str(os.getpid())]
        return subprocess.Popen(argv, pass_fds=tuple(self.pass_fds), env={**os.environ, **self.env})

    async def _keep_running(self) -> None:
        while True:
            await asyncio.sleep(RESTART_DELAY_SECONDS)
            for index, process in enumerate(self._processes):
                if process.poll() is not None:
                    log.warning("child.restarted", command=" ".join(self.commands[index]),
                                code=process.returncode)
                    self._processes[index] = self._spawn(self.commands[index])


async def watch_parent(parent_pid: int, stop: asyncio.Event) -> None:
    """Set `stop` when the parent process is gone (we were re-parented)."""
    while not stop.is_set():
        if os.getppid() != parent_pid:
            log.warning("child.parent_gone", parent=parent_pid)
            stop.set()
            return
        await asyncio.sleep(0.5)
