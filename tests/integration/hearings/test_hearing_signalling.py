"""Signalling details: single-use tickets, and time-limited TURN credentials (coturn's
shared-secret scheme) handed to browsers when the official joins."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from quart import Quart

from reception.app import create_app
from reception.domain.hearings.model import HearingId, MemberId
from tests.integration.conftest import make_settings
from tests.integration.hearings.conftest import Room, open_room


async def test_a_ticket_opens_one_offer_of_its_own_hearing_only(room: Room) -> None:
    """Tickets live in the database (any web process redeems what another issued), once."""
    first, second = [(await (await room.post(room.api("/join"))).get_json())["ticket"]
                     for _ in range(2)]
    hearing, other = HearingId(uuid.UUID(room.hearing_id)), HearingId(uuid.uuid4())

    async def redeem(ticket: str, of: HearingId) -> MemberId | None:
        async with room.app.container.uow_factory() as uow:  # type: ignore[attr-defined]
            member = await uow.hearing_tickets.redeem(ticket, of)
            await uow.commit()
            return member

    assert await redeem(first, hearing) is not None
    assert await redeem(first, hearing) is None  # replayed
    assert await redeem(second, other) is None  # another hearing's offer
    assert await redeem(second, hearing) is None  # a refused attempt used it up


@pytest.fixture
async def turn_app(tmp_path: Path, clean_db: str) -> AsyncIterator[Quart]:
    settings = make_settings(tmp_path, clean_db, ICE_SERVERS='[{"urls": "stun:stun.example.org"}]',
                             TURN_URLS="turn:turn.example.org:3478?transport=udp",
                             TURN_SECRET="coturn-shared-secret", TURN_CREDENTIAL_SECONDS="600")
    application = create_app(settings, clean_db)
    async with application.test_app():
        yield application


async def test_browsers_get_stun_and_turn_credentials_that_expire(turn_app: Quart) -> None:
    room = await open_room(turn_app)

    joined = await (await room.post(room.api("/join"))).get_json()

    stun, turn = joined["ice_servers"]
    assert stun == {"urls": ["stun:stun.example.org"]}
    assert turn["urls"] == ["turn:turn.example.org:3478?transport=udp"]
    expiry, user = turn["username"].split(":", 1)
    assert 590 <= int(expiry) - time.time() <= 610 and user == room.official.login
    digest = hmac.new(b"coturn-shared-secret", turn["username"].encode(), hashlib.sha1).digest()
    assert turn["credential"] == base64.b64encode(digest).decode()
