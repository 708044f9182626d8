"""Two web processes and two media processes, as a load balancer would see them: two hearings
held at once are pinned to different media processes, and each hearing's people signal through
either web process — the official through one, the citizen through the other — with real aiortc
peers whose media crosses the media process. Nothing of a hearing lives in a web process: the
tickets one issues are redeemed by the other, the media work goes to the pinned node, and the
recordings are stored by it when the hearing ends."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import text

from reception.adapters.media.forwarding.ice import restrict_to_loopback
from reception.bootstrap.container import Container
from reception.domain.hearings.model import Hearing
from reception.services.hearings.node import DEAD_AFTER
from reception.settings import Settings
from tests.conftest import asyncpg_dsn, emptied
from tests.e2e.conftest import free_port
from tests.integration.hearings.factory import PASSWORD, make_official, seed_booking
from tests.integration.media.media_peers import Client, wait_until

pytestmark = pytest.mark.slow


@dataclass
class Plant:
    webs: list[str]
    env: dict[str, str]
    processes: dict[str, subprocess.Popen[bytes]]
    logs: Path


def _start(plant_env: dict[str, str], logs: Path, name: str, *command: str
           ) -> subprocess.Popen[bytes]:
    log = (logs / f"{name}.log").open("wb")
    return subprocess.Popen([sys.executable, "-m", "reception.cli", *command], env=plant_env,
                            stdout=log, stderr=subprocess.STDOUT)


def _nodes(database_url: str) -> int:
    import asyncpg

    async def count() -> int:
        connection = await asyncpg.connect(asyncpg_dsn(database_url))
        try:
            return int(await connection.fetchval("SELECT count(*) FROM media_node"))
        finally:
            await connection.close()

    return asyncio.run(count())


@pytest.fixture(scope="module")
def plant(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Plant]:
    """One plant for the module's tests (starting four processes is the slow part); each test
    holds hearings of its own, and the test that kills a media process runs last."""
    clean_db = asyncio.run(emptied(database_url))
    tmp_path = tmp_path_factory.mktemp("plant")
    env = {**os.environ, "DATABASE_URL": clean_db, "DATA_DIR": str(tmp_path / "data"),
           "SECRET_KEY": "plant-secret", "WORKER_IN_PROCESS": "false", "COOKIE_SECURE": "false",
           "ICE_LOOPBACK_ONLY": "true", "MEDIA_EMBEDDED": "false"}
    processes = {name: _start({**env, "MEDIA_NODE_NAME": name}, tmp_path, name, "media")
                 for name in ("media-a", "media-b")}
    ports = [free_port(), free_port()]
    for name, port in zip(("web-a", "web-b"), ports, strict=True):
        processes[name] = _start(env, tmp_path, name, "serve", "--port", str(port))
    webs = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        deadline = time.monotonic() + 180  # importing the media stack is slow on a busy machine
        while not (all(_healthy(url) for url in webs) and _nodes(clean_db) == 2):
            for name, process in processes.items():
                assert process.poll() is None, (tmp_path / f"{name}.log").read_text()
            assert time.monotonic() < deadline, "the plant did not start"
            time.sleep(0.3)
        yield Plant(webs, env, processes, tmp_path)
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()


def _healthy(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.fixture
def loopback_peers() -> Iterator[None]:
    """The test's aiortc peers offer 127.0.0.1 candidates, like Chromium with
    --allow-loopback-in-peer-connection (the media processes answer on loopback)."""
    restrict_to_loopback(True)
    yield
    restrict_to_loopback(False)


@pytest.fixture
async def container(plant: Plant, loopback_peers: None) -> AsyncIterator[Container]:
    settings = Settings.from_mapping({k: plant.env[k] for k in ("DATABASE_URL", "DATA_DIR",
                                                                "SECRET_KEY")})
    services = Container(settings, plant.env["DATABASE_URL"])
    yield services
    await services.close()


async def _signed_in(web: str, login: str) -> tuple[aiohttp.ClientSession, str]:
    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    page = await (await session.get(f"{web}/login")).text()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    response = await session.post(f"{web}/login", data={
        "login": login, "password": PASSWORD, "csrf_token": token.group(1)}, allow_redirects=False)
    assert response.status == 302, await response.text()
    return session, token.group(1)


async def _csrf(session: aiohttp.ClientSession, web: str, hearing_id: str) -> str:
    page = await (await session.get(f"{web}/staff/hearings/{hearing_id}")).text()
    found = re.search(r'name="csrf-token" content="([0-9a-f]+)"', page)
    assert found, page[:500]
    return found.group(1)


async def _offer(session: aiohttp.ClientSession, web: str, hearing_id: str, client: Client,
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


async def test_two_hearings_on_two_media_processes_signalled_through_either_web_process(
    plant: Plant, container: Container
) -> None:
    web_a, web_b = plant.webs
    hearings, peers, sessions = [], [], []
    for number, name in enumerate(("Nguyễn Văn An", "Trần Thị Bích Ngọc")):
        official = await make_official(container.staff, f"canbo{number}", "TT")
        seeded = await seed_booking(container.uow_factory, official, name=name)
        hearing = await container.hearings.open(official, seeded.booking.id)
        staff, _ = await _signed_in(web_a, official.login)
        sessions.append(staff)
        csrf = await _csrf(staff, web_b, str(hearing.id))  # the session is honoured by both
        official_peer = Client(speech="official.wav", luma=190)
        citizen_peer = Client(speech="citizen.wav", luma=60)
        peers += [official_peer, citizen_peer]
        # The official signals through web A, the citizen through web B.
        await _offer(staff, web_a, str(hearing.id), official_peer, {"X-CSRF-Token": csrf}, "join")
        async with aiohttp.ClientSession() as link:
            citizen_id = await _offer(link, web_b, str(hearing.id), citizen_peer,
                                      {"X-Join-Token": seeded.token}, "join-by-link")
        # The console's event socket is on web A; the admission goes through web B.
        events = await staff.ws_connect(f"{web_a.replace('http', 'ws')}/api/v1/hearings/"
                                        f"{hearing.id}/events")
        first = json.loads((await events.receive(timeout=30)).data)
        assert first["event"]["type"] == "hello"
        admitted = await staff.post(
            f"{web_b}/api/v1/hearings/{hearing.id}/members/{citizen_id}/admit",
            headers={"X-CSRF-Token": csrf})
        assert admitted.status == 204, await admitted.text()
        while True:  # the event crossed processes: web B -> PostgreSQL -> web A's socket
            pushed = json.loads((await events.receive(timeout=30)).data)
            if pushed["event"]["type"] == "admitted":
                break
        assert pushed["event"]["member"] == citizen_id
        assert any(m["id"] == citizen_id and m["admitted"] for m in pushed["state"]["members"])
        await events.close()
        hearings.append((hearing, staff, csrf, official_peer, citizen_peer))

    try:
        for _, _, _, official_peer, citizen_peer in hearings:
            await wait_until(lambda o=official_peer, c=citizen_peer:  # type: ignore[misc]
                             o.audio_frames > 50 and c.audio_frames > 50 and len(o.video_lumas) > 10,
                             30, "media both ways through the media process")
        async with container.uow_factory() as uow:  # type: ignore[attr-defined]
            pinned = dict((await uow.session.execute(text(
                "SELECT id::text, media_node FROM hearing"))).all())
        assert sorted(pinned.values()) == ["media-a", "media-b"]  # one hearing on each

        states = []
        for web, (hearing, staff, csrf, _, _) in zip((web_b, web_a), hearings, strict=True):
            states.append(await (await staff.get(f"{web}/api/v1/hearings/{hearing.id}/state")).json())
            ended = await staff.post(f"{web}/api/v1/hearings/{hearing.id}/end",
                                     headers={"X-CSRF-Token": csrf})
            assert ended.status == 200, await ended.text()
    finally:
        for peer in peers:
            await peer.close()
        for staff in sessions:
            await staff.close()

    for state in states:  # the room as its media process sees it, read through a web process
        assert state["hearing"]["phase"] == "recording"
        assert {m["connection"] for m in state["members"]} == {"connected"}
        assert all(m["recorder"]["state"] == "recording" for m in state["members"])
    async with container.uow_factory() as uow:
        for hearing, *_ in hearings:
            stored = await uow.hearings.recordings(hearing.id)
            assert {r.kind for r in stored} == {"audio", "evidence"} and len(stored) == 4
            for recording in stored:
                assert (Path(plant.env["DATA_DIR"]) / "recordings" / recording.path).is_file()
    assert all(uuid.UUID(h) for h in pinned)


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


async def _live_hearing(container: Container, login: str, citizen_name: str, official_web: str,
                        citizen_web: str, *, video: bool = True) -> Live:
    official = await make_official(container.staff, login, "TT")
    seeded = await seed_booking(container.uow_factory, official, name=citizen_name)
    hearing = await container.hearings.open(official, seeded.booking.id)
    staff, _ = await _signed_in(official_web, official.login)
    live = Live(hearing, staff, await _csrf(staff, official_web, str(hearing.id)),
                Client(speech="official.wav", luma=190 if video else None),
                Client(speech="citizen.wav", luma=60 if video else None))
    headers = {"X-CSRF-Token": live.csrf}
    await _offer(staff, official_web, str(hearing.id), live.official, headers, "join")
    async with aiohttp.ClientSession() as link:
        citizen_id = await _offer(link, citizen_web, str(hearing.id), live.citizen,
                                  {"X-Join-Token": seeded.token}, "join-by-link")
    await staff.post(f"{official_web}/api/v1/hearings/{hearing.id}/members/{citizen_id}/admit",
                     headers=headers)
    await wait_until(lambda: live.official.audio_frames > 100, 30, "the citizen's audio")
    return live


async def test_an_http_flood_on_a_web_process_does_not_reach_a_live_hearing(
    plant: Plant, container: Container
) -> None:
    """Media runs in media processes, off the web processes' event loops: an anonymous client
    flooding a web process (mostly answered 429) leaves the hearing's audio at its full rate."""
    web_a, web_b = plant.webs
    # Audio only: a light test client. The hearing is signalled through web B; A is flooded.
    live = await _live_hearing(container, "canbo-lu", "Phạm Minh Châu", web_b, web_b, video=False)
    official_peer = live.official
    try:
        async def rate(seconds: float) -> float:
            start, began = official_peer.audio_frames, asyncio.get_running_loop().time()
            await asyncio.sleep(seconds)
            return (official_peer.audio_frames - start) / (asyncio.get_running_loop().time() - began)

        quiet = await rate(4)
        flooding = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.integration.flood", web_a, "8", "48",
            stdout=asyncio.subprocess.PIPE)
        await asyncio.sleep(2)  # the flood is at full strength
        loud = await rate(4)
        answers = json.loads((await flooding.communicate())[0])
    finally:
        await live.close()

    assert quiet > 40  # 50 Opus frames a second
    assert loud > 0.9 * quiet, (quiet, loud, answers)
    assert sum(answers.values()) > 500  # it did flood: refused (no CSRF token), never a 5xx
    assert all(400 <= int(status) < 500 for status in answers), answers


async def test_a_killed_media_process_leaves_no_hearing_behind(
    plant: Plant, container: Container
) -> None:
    """SIGKILL the media process holding a live hearing: the other media process adopts it at
    once (same host, its pid gone), interrupts it, repairs and stores both members' files and
    queues the transcription; the hearing's pages, through either web process, say so."""
    web_a, web_b = plant.webs
    live = await _live_hearing(container, "canbo-ha", "Lê Hoàng Phúc", web_a, web_b)
    hearing, staff = live.hearing, live.staff
    try:
        await wait_until(lambda: live.official.audio_frames > 250, 30, "five seconds of hearing")
        async with container.uow_factory() as uow:
            holder = (await uow.media_nodes.of_hearing(hearing.id, DEAD_AFTER))
        assert holder is not None
        plant.processes[holder.name].send_signal(signal.SIGKILL)
        plant.processes[holder.name].wait(10)  # reaped, as a supervisor would

        async def settled() -> dict[str, object]:
            return dict(await (await staff.get(
                f"{web_b}/api/v1/hearings/{hearing.id}/state")).json())

        deadline = asyncio.get_running_loop().time() + 30
        state = await settled()
        while state["hearing"]["status"] == "open" or not state["recordings"]:  # type: ignore[index]
            assert asyncio.get_running_loop().time() < deadline, state
            await asyncio.sleep(0.3)
            state = await settled()
    finally:
        await live.close()

    assert state["hearing"]["status"] == "interrupted"  # type: ignore[index]
    async with container.uow_factory() as uow:
        adopted = await uow.media_nodes.of_hearing(hearing.id, DEAD_AFTER)
        stored = await uow.hearings.recordings(hearing.id)
        ended = await uow.hearings.get(hearing.id)
    assert adopted is not None and adopted.name != holder.name and adopted.alive
    assert len(stored) == 4 and {r.state for r in stored} == {"repaired"}
    assert all((r.duration_seconds or 0) > 3 for r in stored if r.kind == "audio"), [
        (r.kind, r.duration_seconds) for r in stored]
    assert ended is not None and ended.transcription is not None  # queued with the state
