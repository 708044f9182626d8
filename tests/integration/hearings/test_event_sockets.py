"""Event websockets against the real server (`reception serve`, Hypercorn on 127.0.0.1): one
citizen link opening 200 sockets holds one at a time — each new socket closes the one before
with 4409 — and the server's open files do not grow; another link's socket is not touched."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psutil
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from reception.domain.booking import BookingId, Participant, ParticipantId, ParticipantRole
from reception.services.booking.rules import new_token
from tests.e2e.conftest import LiveServer, stop_server
from tests.integration.hearings.browsers import container_for, hearing_server
from tests.integration.hearings.factory import make_official, seed_booking

pytestmark = pytest.mark.slow
ROUNDS, PER_ROUND = 4, 50


@dataclass
class OpenHearing:
    server: LiveServer
    events: str  # ws:// URL of the hearing's event socket, without credentials
    token: str
    booking_id: BookingId


@pytest.fixture
def server(clean_db: str, tmp_path: Path) -> Iterator[LiveServer]:
    started = hearing_server(clean_db, tmp_path)
    yield started
    stop_server(started)


@pytest.fixture
async def hearing(server: LiveServer) -> AsyncIterator[OpenHearing]:
    container = container_for(server)
    try:
        official = await make_official(container.staff)
        seeded = await seed_booking(container.uow_factory, official)
        opened = await container.hearings.open(official, seeded.booking.id)
    finally:
        await container.close()
    base = server.url.replace("http://", "ws://")
    yield OpenHearing(server, f"{base}/api/v1/hearings/{opened.id}/events", seeded.token,
                      seeded.booking.id)


async def _open(url: str) -> ClientConnection:
    socket = await connect(url, open_timeout=30)
    await asyncio.wait_for(socket.recv(), 30)  # the first state: the server holds it now
    return socket


async def _closed_with(socket: ClientConnection, seconds: float = 30) -> int | None:
    """The code the server closed `socket` with (None: still open after `seconds`)."""
    try:
        async with asyncio.timeout(seconds):
            while True:
                await socket.recv()
    except ConnectionClosed:
        return socket.close_code
    except TimeoutError:
        return None


def _settled_files(process: psutil.Process, at_most: int, seconds: float = 30) -> int:
    deadline = time.monotonic() + seconds
    while (count := process.num_fds()) > at_most and time.monotonic() < deadline:
        time.sleep(0.2)
    return count


async def test_one_link_holds_one_socket_however_often_it_connects(hearing: OpenHearing) -> None:
    server = psutil.Process(hearing.server.process.pid)
    link = f"{hearing.events}?t={hearing.token}"
    held = await _open(link)
    baseline = server.num_fds()
    closes: list[int | None] = []
    files: list[int] = []
    for _ in range(ROUNDS):
        for _ in range(PER_ROUND):
            newer = await _open(link)
            closes.append(await _closed_with(held))
            held = newer
        files.append(_settled_files(server, baseline + 4))
    assert closes == [4409] * ROUNDS * PER_ROUND
    assert all(count <= baseline + 4 for count in files), (baseline, files)
    await asyncio.sleep(0.5)
    assert held.close_code is None  # the newest socket is still held
    await held.close()


async def test_another_link_of_the_same_hearing_keeps_its_socket(hearing: OpenHearing) -> None:
    container = container_for(hearing.server)
    try:
        async with container.uow_factory() as work:
            token, token_hash = new_token()
            await work.participants.add(Participant(
                ParticipantId(uuid.uuid4()), hearing.booking_id, ParticipantRole.THIRD_PARTY,
                "Luật sư Lê"), token_hash, datetime.now(UTC) + timedelta(days=1))
            await work.commit()
    finally:
        await container.close()
    citizen = await _open(f"{hearing.events}?t={hearing.token}")
    lawyer = await _open(f"{hearing.events}?t={token}")
    again = await _open(f"{hearing.events}?t={hearing.token}")
    assert await _closed_with(citizen) == 4409
    await asyncio.sleep(0.5)
    assert lawyer.close_code is None and again.close_code is None
    await lawyer.close()
    await again.close()
