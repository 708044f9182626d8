"""An application on the real database with an ended hearing of agency TT and its finished
machine transcript, and the official of that hearing logged in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from quart import Quart
from quart.typing import TestClientProtocol as Client

from reception.app import create_app
from reception.domain.organisation import StaffMember
from tests.integration.cases.helpers import client_for
from tests.integration.conftest import make_settings
from tests.integration.hearings.factory import make_official
from tests.integration.transcript_review.seed import SeededHearing, seed_hearing


@pytest.fixture
async def review_app(tmp_path: Path, clean_db: str) -> AsyncIterator[Quart]:
    settings = make_settings(tmp_path, clean_db, WORKER_IN_PROCESS="false",
                             ICE_LOOPBACK_ONLY="true")
    application = create_app(settings, clean_db)
    async with application.test_app():
        yield application


# The approving official's declaration, as the API takes it (the page's tick box).
CHECKED = {"checked_against_recording": True}

@dataclass
class Desk:
    app: Quart
    official: StaffMember
    client: Client  # the official, logged in; unsafe calls carry X-CSRF-Token
    seeded: SeededHearing

    @property
    def base(self) -> str:
        return f"/staff/hearings/{self.seeded.hearing.id}"

    @property
    def api(self) -> str:
        return f"/api/v1/hearings/{self.seeded.hearing.id}/transcript"


@pytest.fixture
async def desk(review_app: Quart, tmp_path: Path) -> Desk:
    container = review_app.container  # type: ignore[attr-defined]
    official = await make_official(container.staff)
    seeded = await seed_hearing(container.uow_factory, official, tmp_path / "recordings")
    return Desk(review_app, official, await client_for(review_app, official.login), seeded)
