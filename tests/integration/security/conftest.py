"""Fixtures of the security tests: the app with a pinned clock (sessions, limits) and
helpers that act as an outsider would (raw cookies, forged headers)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from quart import Quart
from quart.typing import TestClientProtocol as Client

from reception.app import create_app
from tests.integration.booking.conftest import PinnedClock
from tests.integration.conftest import PASSWORD, form_token, make_settings


@pytest.fixture
def clock() -> PinnedClock:
    # Pinned at the wall clock's now: the tests move it (idle sessions, rate windows), and the
    # hearings they seed are booked minutes from the real now, inside the opening window.
    return PinnedClock(datetime.now(UTC))


@pytest.fixture
async def sec_app(tmp_path: Path, clean_db: str, clock: PinnedClock) -> AsyncIterator[Quart]:
    application = create_app(make_settings(tmp_path, clean_db), clean_db, clock)
    async with application.test_app():
        yield application


async def signed_in(app: Quart, login: str, password: str = PASSWORD,
                    user_agent: str = "") -> tuple[Client, str]:
    """A client logged in as `login`, and the CSRF token its scripts would send."""
    client = app.test_client()
    token = await form_token(client, "/login")
    response = await client.post("/login", form={"login": login, "password": password,
                                                 "csrf_token": token},
                                 headers={"User-Agent": user_agent} if user_agent else None)
    assert response.status_code == 302, await response.get_data(as_text=True)
    return client, token


def auth_cookie(client: Client) -> str:
    jar: Any = client.cookie_jar  # type: ignore[attr-defined]
    return next(c.value for c in jar if c.name == "reception_auth")


def replay(app: Quart, cookie: str) -> Client:
    """An attacker's client carrying a copied auth cookie and nothing else."""
    client = app.test_client()
    client.set_cookie("localhost", "reception_auth", cookie)  # type: ignore[attr-defined]
    return client


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([0-9a-f]+)"', html)
    assert match
    return match.group(1)
