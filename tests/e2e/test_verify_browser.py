"""The public verification page in a real browser, on a phone: a person follows the link
printed next to a signature, then uploads their copy — valid; then a copy with one byte
changed — invalid, with the reason summarised at the top."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from playwright.async_api import Browser, expect

from reception.bootstrap.container import Container
from reception.domain.cases.case import ProcessKind
from reception.domain.cases.case_file import Channel, PartyRole
from reception.services.cases.workflow import NewCase, NewParty
from tests.conftest import ARTIFACTS
from tests.e2e.conftest import LiveServer, run_cli, snap
from tests.integration.conftest import make_settings


async def _issue_receipt(server: LiveServer, db_url: str, data_dir: Path) -> tuple[bytes, str, str]:
    created = run_cli(server, "create-user", "--login", "tiepdan", "--full-name", "Nguyễn Thị Tiếp",
                      "--agency-code", "TTT", "--agency-name", "Thanh tra tỉnh", "--agency-level",
                      "province", "--role", "receptionist", "--role", "case_manager",
                      "--password-stdin", stdin="mat-khau-rat-dai\n")
    assert created.returncode == 0, created.stderr
    container = Container(make_settings(data_dir, db_url), db_url)
    try:
        actor = next(m for m in await container.staff.list_staff() if m.login == "tiepdan")
        case = await container.cases.workflow.register(actor, NewCase(
            ProcessKind.COMPLAINT, Channel.VISIT, "Khiếu nại quyết định thu hồi đất",
            [NewParty(PartyRole.COMPLAINANT, "Trần Thị Bình", "Huế", "CCCD", "079123456789")],
            received_on=date(2026, 10, 1)))
        document = await container.cases.files.generate(actor, case.case.id, "receipt_02")
        _, pdf = await container.cases.files.download(actor, case.case.id, document.id)
        async with container.uow_factory() as uow:
            digest = (await container.signing.verifier.check(pdf))[0].digest
            record = await uow.signed_documents.by_digest(digest)
        assert record is not None and record.sha256 == hashlib.sha256(pdf).hexdigest()
        return pdf, record.code, case.case.reference
    finally:
        await container.close()


async def test_the_verification_page_says_valid_then_invalid_after_tampering(
        browser: Browser, live_server: LiveServer, clean_db: str, tmp_path: Path) -> None:
    pdf, code, reference = await _issue_receipt(live_server, clean_db, tmp_path)
    good = tmp_path / "ban-goc.pdf"
    good.write_bytes(pdf)
    changed = bytearray(pdf)
    changed[1500] ^= 0x01
    bad = tmp_path / "ban-bi-sua.pdf"
    bad.write_bytes(bytes(changed))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    context = await browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = await context.new_page()
    await page.goto(f"{live_server.url}/verify/{code}")  # what the QR code opens
    await expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra văn bản đã ký số")
    await expect(page.locator("dl.facts")).to_contain_text(reference)
    await expect(page.locator("dl.facts")).to_contain_text("Nguyễn Thị Tiếp")
    await expect(page.locator("body")).not_to_contain_text("Trần Thị Bình")
    await snap(page, path=str(ARTIFACTS / "verify-code-phone.png"), full_page=True)

    await page.set_input_files("#file", str(good))
    await page.get_by_role("button", name="Kiểm tra tệp").click()
    verdict = page.locator(".verdict")
    await expect(verdict).to_have_attribute("data-verdict", "valid")
    await expect(verdict).to_contain_text("Văn bản thật, không bị sửa đổi")
    await snap(page, path=str(ARTIFACTS / "verify-valid-phone.png"), full_page=True)

    await page.set_input_files("#file", str(bad))
    await page.get_by_role("button", name="Kiểm tra tệp").click()
    await expect(verdict).to_have_attribute("data-verdict", "invalid")
    await expect(page.get_by_role("alert").first).to_contain_text("chữ ký không còn khớp")
    box = await verdict.bounding_box()
    assert box is not None and box["y"] < 844  # the verdict is where the eye is, on a phone
    await snap(page, path=str(ARTIFACTS / "verify-invalid-phone.png"), full_page=True)

    await page.get_by_role("button", name="Kiểm tra tệp").click()  # no file chosen
    await expect(page.locator("#verify-error")).to_contain_text("Hãy chọn tệp PDF")
    await context.close()
