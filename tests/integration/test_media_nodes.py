"""Two web processes and two media processes, as a load balancer would see them: two hearings
held at once are pinned to different media processes, and each hearing's people signal through
either web process — the official through one, the citizen through the other — with real aiortc
peers whose media crosses the media process. Nothing of a hearing lives in a web process: the
tickets one issues are redeemed by the other, the media work goes to the pinned node, and the
recordings are stored by it when the hearing ends."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import text

from reception.adapters.media.forwarding.ice import restrict_to_loopback
from reception.bootstrap.container import Container
from reception.services.hearings.node import DEAD_AFTER
from reception.settings import Settings
from tests.integration.hearings.factory import make_official, seed_booking
from tests.integration.media.media_peers import Client, wait_until
from tests.integration.media_plant import (
    Plant,
    csrf_token,
    live_hearing,
    offer,
    planted,
    signed_in,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def plant(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Plant]:
    """One plant for the module's tests (starting four processes is the slow part); each test
    holds hearings of its own, and the test that kills a media process runs last."""
    with planted(database_url, tmp_path_factory.mktemp("plant")) as started:
        yield started


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


async def test_two_hearings_on_two_media_processes_signalled_through_either_web_process(
    plant: Plant, container: Container
) -> None:
    web_a, web_b = plant.webs
    hearings, peers, sessions = [], [], []
    for number, name in enumerate(("Nguyễn Văn An", "Trần Thị Bích Ngọc")):
        official = await make_official(container.staff, f"canbo{number}", "TT")
        seeded = await seed_booking(container.uow_factory, official, name=name)
        hearing = await container.hearings.open(official, seeded.booking.id)
        staff, _ = await signed_in(web_a, official.login)
        sessions.append(staff)
        csrf = await csrf_token(staff, web_b, str(hearing.id))  # the session is honoured by both
        official_peer = Client(speech="official.wav", luma=190)
        citizen_peer = Client(speech="citizen.wav", luma=60)
        peers += [official_peer, citizen_peer]
        # The official signals through web A, the citizen through web B.
        await offer(staff, web_a, str(hearing.id), official_peer, {"X-CSRF-Token": csrf}, "join")
        async with aiohttp.ClientSession() as link:
            citizen_id = await offer(link, web_b, str(hearing.id), citizen_peer,
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


async def test_an_http_flood_on_a_web_process_does_not_reach_a_live_hearing(
    plant: Plant, container: Container
) -> None:
    """Media runs in media processes, off the web processes' event loops: an anonymous client
    flooding a web process (mostly answered 429) leaves the hearing's audio at its full rate."""
    web_a, web_b = plant.webs
    # Audio only: a light test client. The hearing is signalled through web B; A is flooded.
    live = await live_hearing(container, "canbo-lu", "Phạm Minh Châu", web_b, web_b, video=False)
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
    live = await live_hearing(container, "canbo-ha", "Lê Hoàng Phúc", web_a, web_b)
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
