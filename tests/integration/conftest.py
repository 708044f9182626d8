"""Fixtures for tests of the running application (Quart test client on the real database)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from quart import Quart
from quart.typing import TestClientProtocol as Client

from reception.app import create_app
from reception.domain.organisation import AgencyLevel, StaffMember, StaffRole
from reception.services.staff import NewAgency, NewStaff
from reception.settings import Settings

PASSWORD = "correct horse battery"


def make_settings(tmp_path: Path, database_url: str, **extra: str) -> Settings:
    return Settings.from_mapping({
        "DATABASE_URL": database_url, "DATA_DIR": str(tmp_path), "SECRET_KEY": "test-secret",
        "COOKIE_SECURE": "false", "LOG_JSON": "false", "WORKER_IN_PROCESS": "false", **extra})


@pytest.fixture
async def app(tmp_path: Path, clean_db: str) -> AsyncIterator[Quart]:
    application = create_app(make_settings(tmp_path, clean_db), clean_db)
    async with application.test_app():
        yield application


@pytest.fixture
def client(app: Quart) -> Client:
    return app.test_client()


async def make_staff(app: Quart, login: str, *roles: StaffRole, agency_code: str = "TT",
                     password: str = PASSWORD) -> StaffMember:
    service = app.container.staff  # type: ignore[attr-defined]
    agencies = {a.code: a for a in await service.list_agencies()}
    agency = agencies.get(agency_code) or await service.create_agency(
        None, NewAgency(agency_code, f"Agency {agency_code}", AgencyLevel.CENTRAL))
    return await service.create_staff(None, NewStaff(agency.id, login, f"Name {login}", password,
                                                     frozenset(roles)))


async def form_token(client: Client, path: str) -> str:
    """GET a page and return its CSRF token (the cookie is kept by the client)."""
    response = await client.get(path)
    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"', await response.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


async def log_in(client: Client, login: str, password: str = PASSWORD) -> int:
    token = await form_token(client, "/login")
    response = await client.post("/login", form={"login": login, "password": password,
                                                 "csrf_token": token})
    return response.status_code
