"""A plant of real processes for the media-node tests: `reception media` processes and
`reception serve` web processes on one test database, and the ways a test drives a hearing
through them (an official signed in over HTTP, real aiortc peers)."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from reception.bootstrap.container import Container
from reception.domain.hearings.model import Hearing
from tests.conftest import asyncpg_dsn, emptied
from tests.e2e.conftest import free_port
from tests.integration.hearings.factory import PASSWORD, make_official, seed_booking
from tests.integration.media.media_peers import Client, wait_until


@dataclass
class Plant:
    webs: list[str]
    env: dict[str, str]
    processes: dict[str, subprocess.Popen[bytes]]
    logs: Path

    def log_of(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")


def _start(plant_env: dict[str, str], logs: Path, name: str, *command: str
           ) -> subprocess.Popen[bytes]:
    log = (logs / f"{name}.log").open("wb")
    return subprocess.Popen([sys.executable, "-m", "reception.cli", *command], env=plant_env,
                            stdout=log, stderr=subprocess.STDOUT)


def node_count(database_url: str) -> int:
    import asyncpg

    async def count() -> int:
        connection = await asyncpg.connect(asyncpg_dsn(database_url))
        try:
            return int(await connection.fetchval("SELECT count(*) FROM media_node"))
        finally:
            await connection.close()

    return asyncio.run(count())


def healthy(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@contextmanager
def planted(database_url: str, tmp_path: Path, *, media: tuple[str, ...] = ("media-a", "media-b"),
            webs: int = 2, env: dict[str, str] | None = None) -> Iterator[Plant]:
    """Media processes named `media` and `webs` web processes on an emptied database, all
    sharing one data directory; stopped (terminated, then killed) at the end."""
    import os

    clean_db = asyncio.run(emptied(database_url))
    plant_env = {**os.environ, "DATABASE_URL": clean_db, "DATA_DIR": str(tmp_path / "data"),
                 "SECRET_KEY": "plant-secret", "WORKER_IN_PROCESS": "false",
                 "COOKIE_SECURE": "false", "ICE_LOOPBACK_ONLY": "true", "MEDIA_EMBEDDED": "false",
                 **(env or {})}
    processes = {name: _start({**plant_env, "MEDIA_NODE_NAME": name}, tmp_path, name, "media")
                 for name in media}
    ports = [free_port() for _ in range(webs)]
    for number, port in enumerate(ports):
        name = f"web-{'abcdefgh'[number]}"
        processes[name] = _start(plant_env, tmp_path, name, "serve", "--port", str(port))
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        deadline = time.monotonic() + 180  # importing the media stack is slow on a busy machine
        while not (all(healthy(url) for url in urls) and node_count(clean_db) == len(media)):
            for name, process in processes.items():
                assert process.poll() is None, (tmp_path / f"{name}.log").read_text()
            assert time.monotonic() < deadline, "the plant did not start"
            time.sleep(0.3)
        yield Plant(urls, plant_env, processes, tmp_path)
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()


async def signed_in(web: str, login: str) -> tuple[aiohttp.ClientSession, str]:
    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    page = await (await session.get(f"{web}/login")).text()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    response = await session.post(f"{web}/login", data={
        "login": login, "password": PASSWORD, "csrf_token": token.group(1)}, allow_redirects=False)
    assert response.status == 302, await response.text()
    return session, token.group(1)


async def csrf_token(session: aiohttp.ClientSession, web: str, hearing_id: str) -> str:
    page = await (await session.get(f"{web}/staff/hearings/{hearing_id}")).text()
    found = re.search(r'name="csrf-token" content="([0-9a-f]+)"', page)
    assert found, page[:500]
    return found.group(1)


async def offer(session: aiohttp.ClientSession, web: str, hearing_id: str, client: Client,
                headers: dict[str, str], join: str) -> str:
    api = f"{web}/api/v1/hearings/{hearing_id}"
    joined = await (await session.post(f"{api}/{join}", json={}, headers=headers)).json()
    response = await session.post(f"{api}/offer", json={"ticket": joined["ticket"],
                                                        "sdp": await client.offer()},
                                  headers=headers)
    assert response.status == 200, await response.text()
    answer = await response.json()
    await client.accept(answer["sdp"], answer["type"])
    return str(joined["member_id"])


@dataclass
class Live:
    """A hearing with an official and an admitted citizen, each a real aiortc peer."""

    hearing: Hearing
    staff: aiohttp.ClientSession
    csrf: str
    official: Client
    citizen: Client

    async def close(self) -> None:
        await self.official.close()
        await self.citizen.close()
        await self.staff.close()


async def live_hearing(container: Container, login: str, citizen_name: str, official_web: str,
                       citizen_web: str, *, video: bool = True) -> Live:
    official = await make_official(container.staff, login, "TT")
    seeded = await seed_booking(container.uow_factory, official, name=citizen_name)
    hearing = await container.hearings.open(official, seeded.booking.id)
    staff, _ = await signed_in(official_web, official.login)
    live = Live(hearing, staff, await csrf_token(staff, official_web, str(hearing.id)),
                Client(speech="official.wav", luma=190 if video else None),
                Client(speech="citizen.wav", luma=60 if video else None))
    headers = {"X-CSRF-Token": live.csrf}
    await offer(staff, official_web, str(hearing.id), live.official, headers, "join")
    async with aiohttp.ClientSession() as link:
        citizen_id = await offer(link, citizen_web, str(hearing.id), live.citizen,
                                 {"X-Join-Token": seeded.token}, "join-by-link")
    await staff.post(f"{official_web}/api/v1/hearings/{hearing.id}/members/{citizen_id}/admit",
                     headers=headers)
    await wait_until(lambda: live.official.audio_frames > 100, 30, "the citizen's audio")
    return live
