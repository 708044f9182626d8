"""A media node in this process (docs/deployment.md "Media nodes"): its rooms (the aiortc hub),
its internal API on its own address, its registration and heartbeat in the database. A web
process runs one when MEDIA_EMBEDDED is on; `reception media` runs nothing else."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from dataclasses import dataclass

import structlog
from hypercorn.asyncio import serve as hypercorn_serve
from hypercorn.config import Config

from reception.bootstrap.container import Container
from reception.bootstrap.hearings import dead_after, open_media_rooms
from reception.services.hearings.node import BEAT_SECONDS, WATCH_SECONDS, MediaNodeService
from reception.web.media_node import create_node_app

log = structlog.get_logger(__name__)


@dataclass
class RunningNode:
    service: MediaNodeService
    url: str
    _stop_api: asyncio.Event
    _api: asyncio.Task[None]
    _loops: tuple[asyncio.Task[None], ...]  # heartbeat, sweep, watchdog

    async def stop(self) -> None:
        """Rooms end first (files closed), then the API stops and the node leaves."""
        for loop in self._loops:
            loop.cancel()
        for loop in self._loops:
            with contextlib.suppress(asyncio.CancelledError):
                await loop
        await self.service.stop()
        self._stop_api.set()
        await asyncio.gather(self._api, return_exceptions=True)


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


async def start_media_node(container: Container) -> RunningNode:
    settings = container.settings
    host = socket.gethostname()
    name = settings.media_node_name or f"{host}-{os.getpid()}"
    service = MediaNodeService(container.uow_factory, container.clock, container.events, name,
                               verifier=container.integrity, process_alive=process_alive,
                               dead_after=dead_after(settings))
    listener = socket.socket(socket.AF_INET6 if ":" in settings.media_node_host else socket.AF_INET)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((settings.media_node_host, settings.media_node_port))
    port = listener.getsockname()[1]
    config = Config()
    config.bind = [f"fd://{listener.detach()}"]  # hypercorn owns the socket from here
    config.accesslog = None
    config.graceful_timeout = 5
    stop = asyncio.Event()
    server = asyncio.create_task(hypercorn_serve(
        create_node_app(service, settings.media_node_key()), config, shutdown_trigger=stop.wait))
    url = f"http://{settings.media_node_host}:{port}"
    adopted = await service.start(open_media_rooms(settings, service), url, host, os.getpid())
    log.info("media_node.started", node=name, url=url, adopted=len(adopted))
    return RunningNode(service, url, stop, server, tuple(
        asyncio.create_task(_every(seconds, service, work))
        for seconds, work in ((BEAT_SECONDS, "heartbeat"), (BEAT_SECONDS, "sweep"),
                              (WATCH_SECONDS, "check_heartbeat"))))


async def _every(seconds: float, service: MediaNodeService, work: str) -> None:
    """The node's periodic work, each in its own loop: a long sweep (adopting a dead node's
    hearings repairs their files) never delays the heartbeat, and the watchdog
    (`check_heartbeat`) runs while a heartbeat waits for an unreachable database."""
    while True:
        await asyncio.sleep(seconds)
        try:
            await getattr(service, work)()
        except Exception:  # the database may be away for a moment: keep going
            log.exception(f"media_node.{work}_failed", node=service.name)
