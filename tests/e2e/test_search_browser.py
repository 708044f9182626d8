"""A real browser on the real server: an official searches the transcripts without typing
accents, sees the match highlighted, quotes the passage in a case file, and finds the quote with
its player on the case page (desktop and phone screenshots)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from playwright.async_api import Browser, expect

from reception.bootstrap.container import Container
from reception.domain.cases.case import ProcessKind
from reception.domain.cases.case_file import Channel, PartyRole
from reception.services.cases.workflow import NewCase, NewParty
from tests.e2e.conftest import LiveServer, run_cli, snap
from tests.integration.conftest import make_settings
from tests.integration.search.seed import Line, seed_hearing

PASSWORD = "mat-khau-rat-dai"
LINES = [Line("official", 1_000, 4_000, "Mời bà trình bày nội dung khiếu nại."),
         Line("citizen", 5_000, 11_000, "Tôi khiếu nại việc bồi thường mười lăm mét vuông đất.")]


async def _seed(server: LiveServer, db_url: str, data_dir: Path) -> str:
    created = run_cli(server, "create-user", "--login", "tiepdan", "--full-name", "Cán bộ tiếp dân",
                      "--agency-code", "TTT", "--agency-name", "Thanh tra tỉnh", "--agency-level",
                      "province", "--role", "receptionist", "--role", "case_manager",
                      "--password-stdin", stdin=PASSWORD + "\n")
    assert created.returncode == 0, created.stderr
    container = Container(make_settings(data_dir, db_url), db_url)
    try:
        actor = next(m for m in await container.staff.list_staff() if m.login == "tiepdan")
        registered = await container.cases.workflow.register(actor, NewCase(
            ProcessKind.COMPLAINT, Channel.ONLINE, "Khiếu nại về bồi thường đất",
            [NewParty(PartyRole.COMPLAINANT, "Lê Thị Hoa", "Huế", "CCCD", "079123456780")],
            received_on=date(2026, 11, 2)))
    finally:
        await container.close()
    await seed_hearing(db_url, actor.agency_id, actor.id, LINES)
    return registered.case.reference


async def test_an_official_finds_a_sentence_and_quotes_it_in_a_case_file(
        live_server: LiveServer, browser: Browser, artifacts: Path, clean_db: str,
        tmp_path: Path) -> None:
    reference = await _seed(live_server, clean_db, tmp_path)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await page.goto(f"{live_server.url}/login")
    await page.get_by_label("Tên đăng nhập").fill("tiepdan")
    await page.get_by_label("Mật khẩu").fill(PASSWORD)
    await page.get_by_role("button", name="Đăng nhập").click()
    await page.get_by_role("navigation", name="Trình đơn chính").get_by_role("link", name="Tìm",
                                                                          exact=True).click()
    await page.get_by_label("Lời nói trong phiên tiếp").fill("khieu nai 15")
    await page.get_by_role("button", name="Tìm", exact=True).click()
    hit = page.locator(".search-hit")
    await expect(hit).to_have_count(1)
    await expect(hit.locator("mark")).to_have_text(["khiếu", "nại", "mười", "lăm"])
    await expect(hit).to_contain_text("Nguyễn Văn An")
    await expect(page.locator("#search-order")).to_contain_text("Phiên tiếp gần đây nhất hiện trước")
    await expect(hit.get_by_role("link", name="Phát từ 0:05")).to_have_attribute(
        "href", re.compile(r"\?t=5\.0#seg-"))
    await snap(page, path=str(artifacts / "search-results.png"), full_page=True)

    await hit.get_by_role("link", name="Trích dẫn vào hồ sơ").click()
    await expect(page.locator(".evidence-quote")).to_contain_text("bồi thường mười lăm mét")
    await page.get_by_label("Số hồ sơ").fill(reference)
    await page.get_by_label("Nội dung nào").fill("Nội dung 1")
    await page.get_by_label("Ghi chú").fill("Diện tích công dân nêu")
    await page.get_by_role("button", name="Gắn vào hồ sơ").click()

    evidence = page.locator("#evidence")
    await expect(evidence).to_contain_text("Tôi khiếu nại việc bồi thường mười lăm mét vuông đất.")
    await expect(evidence).to_contain_text("Diện tích công dân nêu")
    await expect(evidence.locator("audio")).to_have_attribute(
        "src", re.compile(r"/audio\.webm\?file=[^#]+\.webm#t=3\.0,9\.0$"))
    await evidence.scroll_into_view_if_needed()
    await snap(page, path=str(artifacts / "case-evidence.png"), full_page=True)

    phone = await browser.new_context(viewport={"width": 390, "height": 844},
                                      storage_state=await context.storage_state())
    small = await phone.new_page()
    await small.goto(f"{live_server.url}/search?q=muoi+lam")
    await expect(small.locator(".search-hit")).to_have_count(1)
    await snap(small, path=str(artifacts / "search-phone.png"), full_page=True)
    await phone.close()
    await context.close()
