"""In Chromium on a phone-sized screen (390x844): the review page highlights the lines the
machine was unsure of and says why, says which speaker spoke another language and which
machine lines were left out; confirming and correcting resolve the highlighted lines in place
until approval is possible. A transcription whose worker stopped reads "waiting for another
worker", not a frozen percentage, on the console and on the transcript page. Screenshots in
tests/artifacts."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy import text

from reception.domain.hearings.model import HearingId, MemberId
from reception.domain.transcripts.transcript import Doubt, TranscriptId
from reception.services.transcripts.ports import StoredTrack
from tests.e2e.conftest import LiveServer, snap, start_server, stop_server
from tests.integration.hearings.browsers import container_for
from tests.integration.hearings.factory import PASSWORD, make_official
from tests.integration.transcript_review.seed import seed_hearing
from transcripts import Dropped, LanguageGuess, Segment, TrackResult
from transcripts.values import KNOWN_CAPTION, LOOPED_LINE

pytestmark = [pytest.mark.browser]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def server(clean_db: str, tmp_path: Path) -> Iterator[LiveServer]:
    live = start_server(clean_db, tmp_path, WORKER_IN_PROCESS="false", ICE_LOOPBACK_ONLY="true",
                        LOG_JSON="false")
    yield live
    stop_server(live)


async def phone(browser: Browser, server: LiveServer, login: str) -> Page:
    page = await (await browser.new_context(viewport=PHONE)).new_page()
    await page.goto(f"{server.url}/login")
    await page.fill("#login", login)
    await page.fill("#password", PASSWORD)
    await page.locator("#main form button[type=submit]").click()
    await page.wait_for_url(lambda url: "/login" not in url)
    return page


async def test_highlighted_lines_are_confirmed_or_corrected_in_place_on_a_phone(
        server: LiveServer, browser: Browser, tmp_path: Path, artifacts: Path) -> None:
    container = container_for(server)
    official = await make_official(container.staff)
    seeded = await seed_hearing(container.uow_factory, official, tmp_path / "recordings",
                                doubtful={1: (Doubt.LOW_CONFIDENCE.value,),
                                          2: (Doubt.NO_SPEECH.value,)})
    english = TrackResult(
        (Segment(1.0, 4.0, "I want to complain about the land decision.", 0.9),), "en", "vi",
        (Dropped(4.2, 5.0, "Subtitles by the Amara.org community", KNOWN_CAPTION),
         Dropped(5.0, 7.5, "I would like to finally be, be, be, be, be, be, be", LOOPED_LINE)),
        LanguageGuess("en", 0.86, 0.001), ((0.5, 5.5),), 8.0)
    async with container.uow_factory() as uow:
        await uow.transcription.save_track(
            TranscriptId(seeded.transcript_id),
            StoredTrack(MemberId(seeded.citizen_member.id), "citizen.audio.webm", english),
            datetime.now(UTC))
        await uow.commit()
    await container.close()
    page = await phone(browser, server, official.login)
    await page.goto(f"{server.url}/staff/hearings/{seeded.hearing.id}/transcript")

    summary = page.locator("#uncertain-summary")
    await expect(summary).to_have_attribute("data-awaiting", "2")
    await expect(page.locator(f"#language-{seeded.citizen_member.id}")).to_contain_text(
        "nói tiếng Anh")
    await page.locator("#dropped summary").click()
    dropped = page.locator(".dropped-line")
    await expect(dropped.first).to_contain_text("Amara.org")
    await expect(dropped.nth(1)).to_contain_text("đã được nhận dạng lại")  # the looped line
    citizen_line = page.locator(f"#seg-{seeded.segment_ids[1]}")
    await citizen_line.scroll_into_view_if_needed()
    await snap(page, path=str(artifacts / "review_uncertain_phone.png"), full_page=True)

    await citizen_line.locator(".seg-confirm-button").click()
    await expect(citizen_line).not_to_have_class(re.compile(r"\bawaiting\b"))
    await expect(citizen_line.locator(".seg-confirmed")).to_contain_text(official.full_name)
    await expect(summary).to_have_attribute("data-awaiting", "1")
    closing = page.locator(f"#seg-{seeded.segment_ids[2]}")
    await closing.locator("textarea").fill("Cảm ơn ông, chúng tôi đã ghi nhận đầy đủ.")
    await closing.locator(".seg-save").click()
    await expect(summary).to_have_attribute("data-awaiting", "0")
    await expect(page.locator("#approval-blocked")).to_have_count(0)
    await page.reload()  # what the server stored, not only what the script shows
    await expect(page.locator(".segment.awaiting")).to_have_count(0)
    await page.check("input[name=checked]")
    await page.locator("#approve").click()
    await expect(page.locator("#approved")).to_be_visible()
    await snap(page, path=str(artifacts / "review_uncertain_resolved_phone.png"),
                          full_page=True)


async def test_a_transcription_whose_worker_stopped_reads_waiting_not_running(
        server: LiveServer, browser: Browser, tmp_path: Path, artifacts: Path) -> None:
    container = container_for(server)
    official = await make_official(container.staff)
    seeded = await seed_hearing(container.uow_factory, official, tmp_path / "recordings")
    hearing_id = HearingId(seeded.hearing.id)
    async with container.uow_factory() as uow:  # 28 % done, then the worker died 10 min ago
        await uow.session.execute(text(
            "UPDATE transcript SET status = 'running', progress = 0.28 WHERE id = :t"),
            {"t": seeded.transcript_id})
        await uow.session.execute(text(
            "UPDATE hearing SET transcription = 'queued' WHERE id = :h"), {"h": hearing_id})
        await uow.jobs.transcribe(hearing_id)
        worker = (await uow.session.execute(text(
            "INSERT INTO procrastinate_workers (last_heartbeat) "
            "VALUES (now() - interval '10 minutes') RETURNING id"))).scalar_one()
        await uow.session.execute(text(
            "UPDATE procrastinate_jobs SET status = 'doing', worker_id = :w "
            "WHERE lock = :lock"), {"w": worker, "lock": f"hearing:{hearing_id}"})
        await uow.commit()
    await container.close()
    page = await phone(browser, server, official.login)
    await page.goto(f"{server.url}/staff/hearings/{hearing_id}")
    label = page.locator("#transcription-text")
    await expect(label).to_contain_text("đã dừng")  # stopped: waiting for another worker
    await expect(label).to_contain_text("28%")  # kept, not running
    await expect(page.locator("#transcription-bar")).to_have_attribute("data-state", "waiting")
    await page.locator("#transcription").scroll_into_view_if_needed()
    await asyncio.sleep(0.2)
    await snap(page, path=str(artifacts / "console_worker_lost_phone.png"))
    await page.goto(f"{server.url}/staff/hearings/{hearing_id}/transcript")
    await expect(page.locator("#transcription-text")).to_contain_text("đã dừng")
    await snap(page, path=str(artifacts / "review_worker_lost_phone.png"))
    assert uuid.UUID(str(hearing_id))
