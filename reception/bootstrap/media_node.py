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
from reception.services.hearings.node import BEAT_SECONDS, MediaNodeService
from reception.web.media_node import create_node_app

log = structlog.get_logger(__name__)


@dataclass
class RunningNode:
    service: MediaNodeService
    url: str
    _stop_api: asyncio.Event
    _api: asyncio.Task[None]
    _heartbeat: asyncio.Task[None]

    async def stop(self) -> None:
        """Rooms end first (files closed), then the API stops and the node leaves."""
        self._heartbeat.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._heartbeat
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
    return RunningNode(service, url, stop, server, asyncio.create_task(_beat(service)))


async def _beat(service: MediaNodeService) -> None:
    while True:
        await asyncio.sleep(BEAT_SECONDS)
        try:
            await service.beat()
        except Exception:  # the database may be away for a moment: keep beating
            log.exception("media_node.heartbeat_failed", node=service.name)
