"""A real browser: the bootstrap administrator created with the CLI logs in through the page."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Browser, expect

from tests.e2e.conftest import LiveServer, run_cli, snap


async def test_the_bootstrap_administrator_logs_in_through_the_page(
    live_server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    created = run_cli(live_server, "create-user", "--login", "quantri", "--full-name",
                      "Quản trị viên", "--agency-code", "TTCP", "--agency-name",
                      "Thanh tra Chính phủ", "--password-stdin", stdin="mat-khau-rat-dai\n")
    assert created.returncode == 0, created.stderr
    assert "Created quantri (administrator)" in created.stdout

    context = await browser.new_context(viewport={"width": 390, "height": 844})
    page = await context.new_page()
    await page.goto(f"{live_server.url}/login")
    await expect(page.get_by_role("heading", name="Đăng nhập cán bộ")).to_be_visible()
    await page.get_by_label("Tên đăng nhập").fill("quantri")
    await page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    await page.get_by_role("button", name="Đăng nhập").click()
    await expect(page.get_by_role("alert")).to_contain_text("Sai tên đăng nhập hoặc mật khẩu")

    await page.get_by_label("Mật khẩu").fill("mat-khau-rat-dai")
    await page.get_by_role("button", name="Đăng nhập").click()
    await expect(page.get_by_role("heading", name="Xin chào, Quản trị viên")).to_be_visible()
    cookies = {c["name"]: c for c in await context.cookies()}
    assert cookies["reception_auth"]["httpOnly"] and cookies["reception_auth"]["secure"]

    await page.get_by_role("link", name="Cán bộ", exact=True).click()
    await expect(page.get_by_role("cell", name="quantri")).to_be_visible()
    await snap(page, path=str(artifacts / "admin-staff-phone.png"), full_page=True)
    # The account page lists this sign-in by browser and system, not by its raw header.
    await page.goto(f"{live_server.url}/account/")
    await expect(page.locator("li", has_text="Trình duyệt này")).to_contain_text("trên Linux")
    await expect(page.get_by_text("Mozilla")).to_have_count(0)
    await snap(page, path=str(artifacts / "account-phone.png"), full_page=True)
    await context.close()


async def test_create_user_refuses_an_unknown_agency_clearly(live_server: LiveServer) -> None:
    result = run_cli(live_server, "create-user", "--login", "x1", "--full-name", "X",
                     "--agency-code", "NOPE", "--password-stdin", stdin="mat-khau-rat-dai\n")
    assert result.returncode == 1
    assert "No agency with code NOPE" in result.stderr


async def test_audit_verify_names_the_first_tampered_row(
    live_server: LiveServer, clean_db: str
) -> None:
    import asyncpg

    from tests.conftest import asyncpg_dsn

    for login in ("a1", "a2", "a3"):
        run_cli(live_server, "create-user", "--login", login, "--full-name", login,
                "--agency-code", "TTCP", "--agency-name", "Thanh tra Chính phủ",
                "--password-stdin", stdin="mat-khau-rat-dai\n")
    intact = run_cli(live_server, "audit-verify")
    assert intact.returncode == 0 and "intact" in intact.stdout
    conn = await asyncpg.connect(dsn=asyncpg_dsn(clean_db))
    try:
        target = await conn.fetchval("SELECT id FROM audit_log ORDER BY id OFFSET 2 LIMIT 1")
        await conn.execute("UPDATE audit_log SET actor_label = 'someone else' WHERE id = $1", target)
    finally:
        await conn.close()
    tampered = run_cli(live_server, "audit-verify")
    assert tampered.returncode == 1
    assert f"audit log row {target}: its content does not match its keyed hash" in tampered.stderr
