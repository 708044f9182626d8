"""A real browser on the real server: the case manager's dashboard and a case page (desktop and
phone), a petition registered and an action recorded through the pages, the citizen's status
page, and tampering with a case's audit row caught by `reception audit-verify`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import asyncpg
from playwright.async_api import Browser, expect

from reception.bootstrap.container import Container
from reception.domain.cases.case import ProcessKind
from reception.domain.cases.case_file import Channel, PartyRole
from reception.services.cases.workflow import ActionRequest, NewCase, NewParty
from tests.conftest import asyncpg_dsn
from tests.e2e.conftest import LiveServer, run_cli, snap
from tests.integration.conftest import make_settings

PASSWORD = "mat-khau-rat-dai"


async def _seed(server: LiveServer, db_url: str, data_dir: Path) -> tuple[str, str, str]:
    created = run_cli(server, "create-user", "--login", "truongdoan", "--full-name", "Trưởng đoàn",
                      "--agency-code", "TTT", "--agency-name", "Thanh tra tỉnh", "--agency-level",
                      "province", "--role", "head", "--role", "case_manager", "--password-stdin",
                      stdin=PASSWORD + "\n")
    assert created.returncode == 0, created.stderr
    container = Container(make_settings(data_dir, db_url), db_url)
    try:
        actor = next(m for m in await container.staff.list_staff() if m.login == "truongdoan")
        workflow = container.cases.workflow
        complaint = await workflow.register(actor, NewCase(
            ProcessKind.COMPLAINT, Channel.VISIT, "Khiếu nại quyết định thu hồi đất số 12/QĐ-UBND",
            [NewParty(PartyRole.COMPLAINANT, "Trần Thị Bình", "Huế", "CCCD", "079123456789")],
            received_on=date(2026, 10, 1)))
        await workflow.act(actor, complaint.case.id, ActionRequest(
            "accept", {"within_competence": True, "acceptance_bar": "none"}, date(2026, 10, 5)))
        for n in range(3):
            await workflow.register(actor, NewCase(
                ProcessKind.DENUNCIATION, Channel.POST, f"Tố cáo số {n}",
                [NewParty(PartyRole.DENOUNCER, f"Người thật {n}")], received_on=date(2026, 9, 1 + n)))
        return str(complaint.case.id), complaint.case.reference, complaint.secret
    finally:
        await container.close()


async def test_a_case_manager_works_a_case_in_the_browser_and_tampering_is_detected(
        live_server: LiveServer, browser: Browser, artifacts: Path, clean_db: str, tmp_path: Path) -> None:
    case_id, reference, secret = await _seed(live_server, clean_db, tmp_path)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await page.goto(f"{live_server.url}/login")
    await page.get_by_label("Tên đăng nhập").fill("truongdoan")
    await page.get_by_label("Mật khẩu").fill(PASSWORD)
    await page.get_by_role("button", name="Đăng nhập").click()
    await page.get_by_role("link", name="Hồ sơ", exact=True).click()
    await expect(page.get_by_role("heading", name="Bảng theo dõi")).to_be_visible()
    await expect(page.get_by_role("img", name="Hồ sơ tiếp nhận theo tháng")).to_be_visible()
    await snap(page, path=str(artifacts / "cases-dashboard-desktop.png"), full_page=True)
    await page.set_viewport_size({"width": 390, "height": 844})
    await snap(page, path=str(artifacts / "cases-dashboard-phone.png"), full_page=True)

    await page.set_viewport_size({"width": 1280, "height": 900})
    await page.get_by_role("link", name="Tiếp nhận, vào sổ đơn").click()
    await page.get_by_label("Loại", exact=True).select_option("complaint")
    await page.get_by_label("Nguồn tiếp nhận").select_option("post")
    await page.get_by_label("Nội dung đơn").fill("Khiếu nại quyết định xử phạt số 7/QĐ-XP")
    await page.get_by_label("Họ và tên", exact=True).fill("Phạm Văn Dũng")
    await page.get_by_label("Số quyết định").fill("7/QĐ-XP")
    await page.get_by_label("Cơ quan, người ban hành").fill("Chủ tịch UBND xã An Bình")
    await snap(page, path=str(artifacts / "cases-register-desktop.png"), full_page=True)
    await page.get_by_role("button", name="Vào sổ", exact=True).click()
    await expect(page.get_by_role("heading", name="KN-2026-000002")).to_contain_text("Nhận khiếu nại")
    await expect(page.locator(".secret-code")).to_contain_text("KN-2026-000002")

    await page.goto(f"{live_server.url}/cases/{case_id}")
    await expect(page.get_by_role("heading", name=reference)).to_contain_text("Đã thụ lý")
    await expect(page.locator(".deadlines:not(.dates)")).to_contain_text(
        "Giải quyết khiếu nại lần đầu")
    await page.locator("summary", has_text="Kiểm tra lại quyết định").click()
    await page.locator("details[open] button", has_text="Ghi nhận").click()
    await expect(page.locator(".history li").first).to_contain_text("Kiểm tra lại quyết định")
    await snap(page, path=str(artifacts / "cases-detail-desktop.png"), full_page=True)
    await page.set_viewport_size({"width": 390, "height": 844})
    await snap(page, path=str(artifacts / "cases-detail-phone.png"), full_page=True)

    citizen = await browser.new_context(viewport={"width": 390, "height": 844})
    public = await citizen.new_page()
    await public.goto(f"{live_server.url}/status")
    await public.get_by_label("Mã hồ sơ").fill(reference)
    await public.get_by_label("Mã bí mật").fill(secret)
    await public.get_by_role("button", name="Tra cứu").click()
    await expect(public.locator(".phase")).to_have_text("Đang xác minh")  # C_RECHECK after the recheck above
    await expect(public.get_by_text("Thời hạn luật định tiếp theo")).to_be_visible()
    await snap(public, path=str(artifacts / "cases-status-phone.png"), full_page=True)
    await citizen.close()
    await context.close()

    assert run_cli(live_server, "audit-verify").returncode == 0
    conn = await asyncpg.connect(dsn=asyncpg_dsn(clean_db))
    try:
        row = await conn.fetchval("SELECT id FROM audit_log WHERE action = 'case.action' "
                                  "ORDER BY id LIMIT 1")
        await conn.execute("UPDATE audit_log SET details = details || '{\"to\": \"C_CLOSED\"}' "
                           "WHERE id = $1", row)
    finally:
        await conn.close()
    tampered = run_cli(live_server, "audit-verify")
    assert tampered.returncode != 0 and str(row) in tampered.stdout + tampered.stderr
