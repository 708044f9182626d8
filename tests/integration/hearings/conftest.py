"""A running application with the media hub on loopback, an official and a booking of theirs;
clients are real aiortc peers (tests/integration/media/media_peers.py) talking to the HTTP API."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from quart import Quart
from quart.typing import TestClientProtocol as Client

from reception.app import create_app
from reception.domain.organisation import StaffMember
from tests.integration.conftest import log_in, make_settings
from tests.integration.hearings.factory import Seeded, make_official, seed_booking


@pytest.fixture
async def hearing_app(tmp_path: Path, clean_db: str) -> AsyncIterator[Quart]:
    settings = make_settings(tmp_path, clean_db, ICE_LOOPBACK_ONLY="true")
    application = create_app(settings, clean_db)
    async with application.test_app():
        yield application


@dataclass
class Room:
    app: Quart
    staff: Client  # logged in as the official
    csrf: str
    official: StaffMember
    seeded: Seeded
    hearing_id: str

    async def post(self, path: str, body: dict[str, Any] | None = None,
                   token: str | None = None) -> Any:
        client = self.app.test_client() if token else self.staff
        headers = {"X-Join-Token": token} if token else {"X-CSRF-Token": self.csrf}
        return await client.post(path, json=body or {}, headers=headers)

    def api(self, suffix: str = "", hearing_id: str | None = None) -> str:
        return f"/api/v1/hearings/{hearing_id or self.hearing_id}{suffix}"


async def open_room(app: Quart) -> Room:
    container = app.container  # type: ignore[attr-defined]
    official = await make_official(container.staff)
    seeded = await seed_booking(container.uow_factory, official)
    staff = app.test_client()
    assert await log_in(staff, official.login) == 302
    hearing = await container.hearings.open(official, seeded.booking.id)
    page = await (await staff.get(f"/staff/hearings/{hearing.id}")).get_data(as_text=True)
    match = re.search(r'name="csrf-token" content="([0-9a-f]+)"', page)
    assert match
    return Room(app, staff, match.group(1), official, seeded, str(hearing.id))


@pytest.fixture
async def room(hearing_app: Quart) -> Room:
    return await open_room(hearing_app)
