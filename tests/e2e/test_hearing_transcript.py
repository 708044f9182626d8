"""Two real Chromiums hold a hearing; when the official ends it, the server's in-process worker
transcribes it: the console's progress bar reaches done, the citizen's sentence is attributed
to the citizen and the official's to the official."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.async_api import async_playwright
from sqlalchemy import text

from reception.domain.hearings.model import MemberRole
from tests.e2e.conftest import LiveServer, snap, start_server, stop_server
from tests.integration.hearings.browsers import (
    SERVER_ENV,
    admitted_hearing,
    container_for,
)
from tests.integration.hearings.factory import make_official, seed_booking
from tests.integration.transcription.conftest import CITIZEN_TEXT, wer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def server(clean_db: str, tmp_path: Path) -> Iterator[LiveServer]:
    live = start_server(clean_db, tmp_path, **SERVER_ENV, WORKER_IN_PROCESS="true",
                        WORKER_POLL_SECONDS="0.5")
    yield live
    stop_server(live)


async def test_an_ended_browser_hearing_is_transcribed_with_each_sentence_attributed_to_its_speaker(
    server: LiveServer, artifacts: Path
) -> None:
    container = container_for(server)
    official = await make_official(container.staff)
    async with container.uow_factory() as uow:  # English speech fixtures: the agency says so
        agency = await uow.agencies.get(official.agency_id)
        assert agency is not None
        await uow.agencies.update(replace(agency, transcription_language="en"))
        await uow.commit()
    seeded = await seed_booking(container.uow_factory, official)

    async with async_playwright() as playwright:
        official_browser, citizen_browser, console, citizen, admitted_at = await admitted_hearing(
            playwright, server, official.login, seeded)
        # Both speeches end ~14 s after admission (padded WAVs): let them finish.
        await citizen.wait_for_timeout(max(0.0, 15.5 - (time.monotonic() - admitted_at)) * 1000)
        await console.click("#end")
        await console.click("#end")  # confirm
        ended_at = time.monotonic()
        await console.wait_for_selector("#transcription[data-state=done]", timeout=90_000)
        transcribed_in = time.monotonic() - ended_at
        bar = await console.get_attribute("#transcription-bar", "value")
        label = await console.text_content("#transcription-text")
        await console.locator("#transcription").scroll_into_view_if_needed()
        await snap(console, path=str(artifacts / "hearing-transcribed-console.png"))
        await official_browser.close()
        await citizen_browser.close()

    async with container.uow_factory() as uow:
        (hearing,) = await uow.hearings.of_booking(seeded.booking.id)
        rows = (await uow.session.execute(text(
            "SELECT s.role, s.member_id, s.text FROM transcript_segment s JOIN transcript t "
            "ON t.id = s.transcript_id WHERE t.hearing_id = :h ORDER BY s.start_ms"),
            {"h": hearing.id})).all()
        members = {m.id: m for m in await uow.hearings.members(hearing.id)}
    await container.close()

    print(f"transcribed {transcribed_in:.1f} s after the end")  # noqa: T201 (-s shows it)
    assert hearing.transcription == "transcribed"
    assert bar == "100" and label == "Bản ghi lời đã sẵn sàng để rà soát."
    by_role = {role: " ".join(r.text for r in rows if members[r.member_id].role is role)
               for role in (MemberRole.CITIZEN, MemberRole.OFFICIAL)}
    assert all(r.role == members[r.member_id].role.value for r in rows)
    assert wer(CITIZEN_TEXT, by_role[MemberRole.CITIZEN]) <= 0.25, by_role
    assert "working days" in by_role[MemberRole.OFFICIAL].lower(), by_role
    assert "compensation" in by_role[MemberRole.CITIZEN].lower(), by_role
    assert "working days" not in by_role[MemberRole.CITIZEN].lower(), by_role
    assert "compensation" not in by_role[MemberRole.OFFICIAL].lower(), by_role
