"""The whole citizen journey in real Chromium on a phone viewport: book, receive the e-mail on
a local SMTP server, follow the link, pass the device check with fake devices, consent, and be
admitted by an official working in a second browser context. Online receptions are booked at
least five working days ahead (R-7a), so the server's clock is moved to the day (TEST_CLOCK_FILE)."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from playwright.async_api import Browser, Page, expect

from reception.domain.booking import LOCAL_TZ
from reception.domain.law.workdays import add_working_days, default_calendar
from tests.e2e.conftest import LiveServer, free_port, run_cli, snap, start_server, stop_server
from tests.integration.booking.conftest import Inbox

PHONE = {"width": 390, "height": 844}
PASSWORD = "mat-khau-rat-dai"

pytestmark = pytest.mark.browser


@pytest.fixture
def mail_server(clean_db: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    (tmp_path / "clock").write_text("0")
    server = start_server(clean_db, tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=str(port),
                          SMTP_TLS="false", OUTBOX_POLL_SECONDS="0.5", COOKIE_SECURE="false",
                          ICE_LOOPBACK_ONLY="true", TEST_CLOCK_FILE=str(tmp_path / "clock"))
    yield server, inbox
    stop_server(server)
    controller.stop()


async def shot(page: Page, artifacts: Path, name: str) -> None:
    await snap(page, path=str(artifacts / f"booking-{name}.png"), full_page=True)


async def sign_in(official: Page, server: LiveServer) -> None:
    await official.goto(f"{server.url}/login?next=/agenda/")
    await official.get_by_label("Tên đăng nhập").fill("canbo")
    await official.get_by_label("Mật khẩu").fill(PASSWORD)
    await official.get_by_role("button", name="Đăng nhập").click()
    await expect(official.get_by_role("heading", name="Lịch tiếp công dân")).to_be_visible()


async def wait_for_mail(inbox: Inbox, seconds: float = 15) -> None:
    for _ in range(int(seconds * 10)):
        if inbox.messages:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("no e-mail arrived")


async def test_a_citizen_books_gets_the_mail_consents_and_is_admitted(
    mail_server: tuple[LiveServer, Inbox], browser: Browser, artifacts: Path
) -> None:
    server, inbox = mail_server
    created = run_cli(server, "create-user", "--login", "canbo", "--full-name", "Nguyễn Thị Lan",
                      "--agency-code", "HN-TT", "--agency-name", "Thanh tra thành phố Hà Nội",
                      "--agency-level", "central", "--role", "receptionist", "--password-stdin",
                      stdin=PASSWORD + "\n")
    assert created.returncode == 0, created.stderr

    # The official logs in and adds a regular session seven working days ahead.
    staff = await browser.new_context()
    official = await staff.new_page()
    await sign_in(official, server)
    day = add_working_days(default_calendar(), datetime.now(LOCAL_TZ).date(), 7)
    start = datetime(day.year, day.month, day.day, 8, 0, tzinfo=LOCAL_TZ)
    await official.get_by_label("Loại buổi tiếp").select_option("regular")
    await official.get_by_label("Ngày tiếp").fill(start.date().isoformat())
    await official.get_by_label("Từ").fill(start.strftime("%H:%M"))
    await official.get_by_label("Đến").fill((start + timedelta(minutes=30)).strftime("%H:%M"))
    await official.get_by_role("button", name="Thêm buổi tiếp").click()
    await expect(official.get_by_role("status")).to_contain_text("Đã thêm buổi tiếp")

    # The citizen books on a phone.
    phone = await browser.new_context(viewport=PHONE, permissions=["camera", "microphone"])
    citizen = await phone.new_page()
    await citizen.goto(f"{server.url}/booking")
    await citizen.get_by_label("Cơ quan, đơn vị").select_option("HN-TT")
    await citizen.get_by_role("button", name="Xem giờ còn trống").click()
    await citizen.locator("fieldset.slot-day:not([hidden]) label.slot").first.click()
    await citizen.get_by_label("Khiếu nại", exact=True).check()
    await citizen.get_by_label("Mô tả ngắn").fill("Khiếu nại quyết định thu hồi đất năm 2025")
    await citizen.get_by_label("Họ và tên").fill("Trần Văn Bình")
    await citizen.get_by_label("Số định danh cá nhân (12 chữ số)").fill("00108501234")
    await citizen.get_by_label("Địa chỉ", exact=True).fill("12 Hàng Bông, Hà Nội")
    await citizen.get_by_label("Thư điện tử (để nhận xác nhận và nhắc lịch)").fill("binh@example.vn")
    await shot(citizen, artifacts, "1-form")
    await citizen.get_by_role("button", name="Đặt lịch giờ này").click()
    await expect(citizen.locator("#id_number-error")).to_contain_text("12 chữ số")
    await shot(citizen, artifacts, "2-form-error")
    await citizen.locator("fieldset.slot-day:not([hidden]) label.slot").first.click()
    await citizen.get_by_label("Khiếu nại", exact=True).check()
    await citizen.get_by_label("Số định danh cá nhân (12 chữ số)").fill("001085012345")
    await citizen.get_by_role("button", name="Đặt lịch giờ này").click()
    await expect(citizen.get_by_role("heading", name="Đã đặt lịch thành công")).to_be_visible()
    reference = re.search(r"TD-\d{4}-\d{6}", await citizen.content())
    assert reference
    await shot(citizen, artifacts, "3-booked")

    # The e-mail arrives on the local SMTP server; its link opens the booking.
    await wait_for_mail(inbox)
    assert reference.group(0) in inbox.messages[0]["Subject"]
    link = f"{server.url}/my-booking?t={inbox.link_token(0)}"
    await citizen.goto(link)
    await expect(citizen.get_by_role("heading", name=re.compile(reference.group(0)))).to_be_visible()
    await shot(citizen, artifacts, "4-my-booking")
    # The day of the reception, forty minutes before: the waiting room is open.
    offset = start - timedelta(minutes=40) - datetime.now(LOCAL_TZ)
    (Path(server.env["DATA_DIR"]) / "clock").write_text(str(offset.total_seconds()))
    # A week later yesterday's sign-in has long ended (the session store's 12-hour limit).
    await sign_in(official, server)
    await official.goto(f"{server.url}/agenda/?day={day.isoformat()}")
    await citizen.get_by_role("link", name="Vào phòng chờ").click()
    await citizen.wait_for_load_state("load")  # the page's script listens to the device check
    # A second tab of the same waiting room is never reloaded: only its polling script updates it.
    second_tab = await phone.new_page()
    await second_tab.goto(citizen.url)
    hearing_link = second_tab.get_by_role("link", name="Vào phòng tiếp công dân")
    await expect(hearing_link).to_be_hidden()
    await citizen.get_by_role("button", name="Kiểm tra camera và micrô").click()
    await expect(citizen.locator("#device-ok")).to_be_visible()
    # They see themselves, and the microphone's bar moves with what it hears (the fake
    # device beeps): the preview stays on instead of turning black after a second.
    await citizen.wait_for_function(
        "() => { const v = document.getElementById('preview');"
        " return !v.hidden && v.videoWidth > 0 && !v.paused; }", timeout=10_000)
    await citizen.wait_for_function(
        "() => document.getElementById('mic-meter').value > 0.01", timeout=10_000)
    await expect(citizen.locator("#mic-level")).to_contain_text("Micrô")
    await shot(citizen, artifacts, "5-device-check")
    await citizen.get_by_role("button", name="Tôi đồng ý và muốn chờ được mời vào").click()
    await expect(citizen.get_by_text("Bạn đang ở phòng chờ")).to_be_visible()
    await shot(citizen, artifacts, "6-waiting")
    await expect(second_tab.get_by_text("Bạn đang ở phòng chờ")).to_be_visible(timeout=10_000)
    await expect(hearing_link).to_be_visible()
    await expect(hearing_link).to_have_attribute("href", re.compile(r"/my-booking/hearing\?t="))

    # The official sees the citizen waiting, opens the hearing and admits them.
    await official.goto(f"{server.url}/agenda/")
    await expect(official.locator("#waiting")).to_contain_text("Trần Văn Bình")
    await official.get_by_role("button", name="Mở phiên tiếp").click()
    await expect(official).to_have_url(re.compile(r"/staff/hearings/"))  # the hearing console
    await official.goto(f"{server.url}/agenda/")  # admitting from the agenda works too
    await official.locator("#waiting").get_by_role("button", name="Mời vào").click()
    await expect(official.locator("#waiting")).to_contain_text("Đã mời vào")
    # Admitted from the agenda: the waiting room takes the citizen into the hearing room, where
    # they come in admitted (the one admission path, which starts the recording clock).
    await expect(citizen).to_have_url(re.compile(r"/my-booking/hearing\?t="), timeout=10_000)
    await expect(citizen.get_by_text("Bạn đang trong phiên tiếp")).to_be_visible(timeout=15_000)
    await expect(second_tab).to_have_url(re.compile(r"/my-booking/hearing\?t="), timeout=10_000)
    await shot(citizen, artifacts, "7-admitted")
    await phone.close()
    await staff.close()
