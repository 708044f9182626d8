"""With no media node alive (all stopped, or none started yet), the rest of the service works
and a hearing's offer is refused with a 503 and a sentence the citizen understands, never a
500; a malformed offer is refused with 4xx before any node is asked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from quart import Quart

from reception.app import create_app
from tests.integration.conftest import make_settings
from tests.integration.hearings.conftest import open_room


@pytest.fixture
async def web_only(tmp_path: Path, clean_db: str) -> AsyncIterator[Quart]:
    settings = make_settings(tmp_path, clean_db, ICE_LOOPBACK_ONLY="true", MEDIA_EMBEDDED="false")
    application = create_app(settings, clean_db)
    async with application.test_app():
        yield application


async def test_an_offer_without_a_live_media_node_is_a_clear_503(web_only: Quart) -> None:
    room = await open_room(web_only)
    health = await (await web_only.test_client().get("/healthz")).get_json()
    joined = await (await room.post(room.api("/join-by-link"), token=room.seeded.token)).get_json()
    sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
    offer = await room.post(room.api("/offer"), {"ticket": joined["ticket"], "sdp": sdp},
                            room.seeded.token)
    malformed = [await room.post(room.api("/offer"), body, room.seeded.token) for body in (
        {}, {"ticket": "x" * 5000, "sdp": sdp}, {"ticket": joined["ticket"], "sdp": 42})]
    state = await (await room.staff.get(room.api("/state"))).get_json()

    assert health["media_nodes"] == 0 and health["status"] == "ok"
    assert offer.status_code == 503
    assert "Hiện chưa thể tiếp trực tuyến" in (await offer.get_data(as_text=True))
    assert [r.status_code // 100 for r in malformed] == [4, 4, 4]
    assert state["hearing"]["status"] == "open"  # the hearing waits for a node; nothing lost
    assert all(m["connection"] == "none" for m in state["members"])
