"""The whole journey, in real browsers at phone width and in Vietnamese, on a server whose clock
the test moves (TEST_CLOCK_FILE) through the weeks a complaint takes:

1. a citizen books an online reception from a phone, with an attachment;
2. on the day, the official admits them from the agenda and the hearing takes place between two
   real Chromiums (fake camera, Vietnamese speech as the citizen's microphone);
3. the case file is opened from the reception: the citizen, content, attachment, hearing and its
   transcript linked, the statutory clock counting from the reception day; the receipt (Mẫu 02)
   carries the secret of the status page;
4. the head accepts the complaint (the questions of the law, not engine identifiers);
5. verification is assigned to an inspector, who finds the case and reports;
6. the dialogue is noticed, refused before its day, and held on it;
7. the decision is drafted (its PDF prefilled from the case), signed, sent and published;
8. after each step the citizen sees it on /status with the reference and the receipt's secret.

Every page is screenshot into tests/artifacts/journey-*.png (390×844, vi)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from playwright.async_api import Page, async_playwright, expect
from pypdf import PdfReader

from reception.domain.booking import LOCAL_TZ, SessionKind
from reception.domain.law.workdays import add_working_days, default_calendar, subtract_working_days
from reception.domain.organisation import AgencyLevel, StaffRole
from reception.services.booking.calendar import NewSession
from reception.services.staff import NewAgency, NewStaff
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer, snap, start_server, stop_server
from tests.e2e.test_hearing_vietnamese import RATE, vietnamese_microphone, write_wav
from tests.integration.booking.test_booking_refusals import PDF
from tests.integration.hearings.browsers import SERVER_ENV, container_for, role_browser, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PHONE = {"width": 390, "height": 844}
PASSWORD = "mat-khau-rat-dai"
CITIZEN = "Trần Văn Bình"


@pytest.fixture
def clock_file(tmp_path: Path) -> Path:
    path = tmp_path / "clock_offset"
    path.write_text("0")
    return path


@pytest.fixture
def server(clean_db: str, tmp_path: Path, clock_file: Path) -> Iterator[LiveServer]:
    live = start_server(clean_db, tmp_path, **SERVER_ENV, TEST_CLOCK_FILE=str(clock_file),
                        WORKER_IN_PROCESS="true", WORKER_POLL_SECONDS="0.5")
    yield live
    stop_server(live)


class Journey:
    """The moving clock and the screenshots of one run."""

    def __init__(self, clock_file: Path, artifacts: Path) -> None:
        self.clock_file, self.artifacts, self.shots = clock_file, artifacts, []

    def move_to(self, moment: datetime) -> None:
        self.clock_file.write_text(str((moment - datetime.now(LOCAL_TZ)).total_seconds()))

    async def shot(self, page: Page, name: str) -> None:
        self.shots.append(name)
        path = self.artifacts / f"journey-{len(self.shots):02d}-{name}.png"
        await snap(page, path=str(path), full_page=True)


async def log_in(page: Page, server: LiveServer, login: str) -> None:
    await page.goto(f"{server.url}/login")
    await page.get_by_label("Tên đăng nhập").fill(login)
    await page.get_by_label("Mật khẩu").fill(PASSWORD)
    await page.get_by_role("button", name="Đăng nhập").click()
    await page.wait_for_url(lambda url: "/login" not in url)


async def go(page: Page, server: LiveServer, url: str, login: str) -> None:
    """Open a staff page days later: the sign-in of an earlier day has ended (sessions last at
    most 12 hours), so the person signs in again and lands on the page."""
    await page.goto(url)
    if "/login" in page.url:
        await page.get_by_label("Tên đăng nhập").fill(login)
        await page.get_by_label("Mật khẩu").fill(PASSWORD)
        await page.get_by_role("button", name="Đăng nhập").click()
        await page.wait_for_url(lambda current: "/login" not in current)


async def act(page: Page, action: str, fill: dict[str, str] | None = None,
              check: tuple[str, ...] = (), note: str = "") -> None:
    """Open an action of the case page, answer its questions and record it."""
    details = page.locator(f"#action-{action}")
    if await details.get_attribute("open") is None:  # open after a refusal, with the answers
        await details.locator("summary").click()
    for selector in check:
        await details.locator(selector).check()
    for selector, value in (fill or {}).items():
        if (await details.locator(selector).get_attribute("type")) == "radio":
            await details.locator(f"{selector}[value='{value}']").check()
        else:
            await details.locator(selector).fill(value)
    if note:
        await details.locator(f"#note-{action}").fill(note)
    await details.get_by_role("button", name="Ghi nhận").click()


async def quoted_words(page: Page, seconds: float = 120) -> None:
    """The case page quotes what the citizen said (the transcript may still be on its way)."""
    deadline = time.monotonic() + seconds
    lines = page.locator("#evidence blockquote p:not(.muted)")
    while await lines.count() == 0:
        assert time.monotonic() < deadline, "the hearing's words never reached the case file"
        await page.wait_for_timeout(2000)
        await page.reload()
    assert len((await lines.first.text_content() or "").split()) >= 3


async def check_status(page: Page, server: LiveServer, journey: Journey, reference: str,
                       secret: str, step: str, name: str) -> None:
    await page.goto(f"{server.url}/")
    await page.get_by_role("link", name="Tra cứu hồ sơ của bạn").click()
    await page.get_by_label("Mã hồ sơ (ví dụ KN-2026-000042)").fill(reference)
    await page.get_by_label("Mã bí mật trên giấy biên nhận").fill(secret)
    await page.get_by_role("button", name="Tra cứu").click()
    await expect(page.locator(".current-step")).to_have_text(step)
    await journey.shot(page, name)


def at(d: date, hour: int = 9) -> datetime:
    return datetime(d.year, d.month, d.day, hour, 0, tzinfo=LOCAL_TZ)


async def test_the_whole_journey_from_a_phone_booking_to_a_published_decision(
    server: LiveServer, clock_file: Path, tmp_path: Path, artifacts: Path
) -> None:
    started = time.monotonic()
    journey = Journey(clock_file, artifacts)
    calendar = default_calendar()
    now = datetime.now(LOCAL_TZ)
    # The recorder stamps files with the wall clock, so the hearing itself happens now: the
    # citizen books seven working days "earlier" (R-7a wants five days' notice). On a day off
    # there is no regular session today, and the hearing happens on a working day ahead, on the
    # moved clock; its files' times then disagree with the hearing's, and the transcript's lines
    # cannot be placed in the quoted passage (only that check is then relaxed).
    slot = (now + timedelta(minutes=40)).replace(second=0, microsecond=0)
    slot -= timedelta(minutes=slot.minute % 5)
    at_wall_time = calendar.is_working_day(now.date()) and slot.date() == now.date() and slot.hour < 22
    if at_wall_time:
        day = now.date()
        booking_moment = at(subtract_working_days(calendar, day, 7), 9)
    else:
        day = add_working_days(calendar, now.date(), 7)
        slot = datetime(day.year, day.month, day.day, 8, 0, tzinfo=LOCAL_TZ)
        booking_moment = now

    container = container_for(server)
    agency = await container.staff.create_agency(None, NewAgency("TTHN", "Thanh tra tỉnh Hà Nam",
                                                                  AgencyLevel.PROVINCE))
    people = {login: await container.staff.create_staff(None, NewStaff(
        agency.id, login, name, PASSWORD, frozenset(roles)))
        for login, name, roles in (("tiepdan", "Nguyễn Thị Lan", (StaffRole.RECEPTIONIST,)),
                                   ("thutruong", "Lê Văn Hùng", (StaffRole.HEAD,)),
                                   ("thanhtra", "Phạm Minh Tuấn", (StaffRole.INSPECTOR,)))}
    await container.booking.calendar.add_session(None, NewSession(
        agency.id, SessionKind.REGULAR, people["tiepdan"].id, slot, slot + timedelta(hours=2)))
    await container.close()
    speech, speech_s = vietnamese_microphone(tmp_path / "citizen_vi.wav")
    silent = write_wav(tmp_path / "official_silent.wav", np.zeros(int(speech_s * RATE)))

    async with async_playwright() as playwright:
        # The citizen's speech loops: the device check in the waiting room opens the microphone
        # long before the hearing, and the hearing must still hear them speak.
        citizen_browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=[
            *CHROMIUM_ARGS, f"--use-file-for-fake-audio-capture={tmp_path / 'citizen_vi.wav'}"])
        official_browser = await role_browser(playwright, silent)
        phone = await citizen_browser.new_context(viewport=PHONE, locale="vi-VN",
                                                  permissions=["camera", "microphone"])
        citizen = await phone.new_page()

        # 1. The citizen books from a phone.
        journey.move_to(booking_moment)
        await citizen.goto(f"{server.url}/")
        await journey.shot(citizen, "home")
        await citizen.get_by_role("link", name="Đặt lịch tiếp công dân trực tuyến").click()
        await citizen.get_by_label("Cơ quan, đơn vị").select_option("TTHN")
        await citizen.get_by_role("button", name="Xem giờ còn trống").click()
        await expect(citizen.locator(".day-chip").first).to_contain_text(f"{day:%d/%m}")
        await citizen.locator("fieldset.slot-day:not([hidden]) label.slot").first.click()
        await citizen.get_by_label("Khiếu nại", exact=True).check()
        await citizen.get_by_label("Mô tả ngắn").fill(
            "Khiếu nại quyết định thu hồi đất số 12/QĐ-UBND của UBND xã An Bình")
        await citizen.get_by_label("Họ và tên").fill(CITIZEN)
        await citizen.get_by_label("Số định danh cá nhân (12 chữ số)").fill("001 085 012 345")
        await citizen.get_by_label("Điện thoại").fill("0912 345 678")
        await citizen.get_by_label("Địa chỉ", exact=True).fill("12 Hàng Bông, Hà Nội")
        await citizen.locator("#documents").set_input_files(
            files=[{"name": "quyet-dinh-12.pdf", "mimeType": "application/pdf", "buffer": PDF}])
        await journey.shot(citizen, "booking-form")
        await citizen.get_by_role("button", name="Đặt lịch giờ này").click()
        await expect(citizen.get_by_role("heading", name="Đã đặt lịch thành công")).to_be_visible()
        await journey.shot(citizen, "booked")
        booking_ref = re.search(r"TD-\d{4}-\d{6}", await citizen.content()).group(0)  # type: ignore[union-attr]
        link = await citizen.locator(".secret-link a").get_attribute("href")
        assert link and link.startswith(server.url)  # PUBLIC_URL follows the port served
        await citizen.goto(link)
        await expect(citizen.get_by_text("Phòng chờ mở lúc")).to_be_visible()  # it opens later
        await journey.shot(citizen, "my-booking-early")

        # 2. On the day: the waiting room opens an hour before; the official admits the citizen.
        journey.move_to(now if at_wall_time else slot - timedelta(minutes=40))
        await citizen.reload()
        await citizen.get_by_role("link", name="Vào phòng chờ").click()
        await citizen.wait_for_load_state("load")  # the page's script listens to the button
        await citizen.get_by_role("button", name="Kiểm tra camera và micrô").click()
        await expect(citizen.locator("#device-ok")).to_be_visible()
        await citizen.get_by_role("button", name="Tôi đồng ý và muốn chờ được mời vào").click()
        await expect(citizen.get_by_text("Bạn đang ở phòng chờ")).to_be_visible()
        await journey.shot(citizen, "waiting-room")

        staff = await official_browser.new_context(viewport=PHONE, locale="vi-VN")
        official = await staff.new_page()
        await log_in(official, server, "tiepdan")
        await journey.shot(official, "workspace-receptionist")
        await official.get_by_role("link", name="Lịch tiếp dân và phòng chờ").click()
        await expect(official.locator("#waiting")).to_contain_text(CITIZEN)
        await journey.shot(official, "agenda")
        await official.get_by_role("button", name="Mở phiên tiếp").click()
        await expect(official).to_have_url(re.compile(r"/staff/hearings/"))
        await official.wait_for_load_state("load")  # the console's script listens to #join
        await official.click("#join")
        await wait_for(official, lambda p: p["connection"] == "connected", 20, "official connected")
        agenda = await staff.new_page()
        await agenda.goto(f"{server.url}/agenda/")
        await agenda.locator("#waiting").get_by_role("button", name="Mời vào").click()
        await expect(citizen).to_have_url(re.compile(r"/my-booking/hearing\?t="), timeout=15_000)
        await wait_for(citizen, lambda p: p["admitted"], 20, "the citizen admitted")
        microphone_on = time.monotonic()
        await journey.shot(citizen, "hearing-citizen")
        await journey.shot(official, "hearing-console")
        await citizen.wait_for_timeout(max(0.0, speech_s + 1.0 - (time.monotonic() - microphone_on)) * 1000)
        await official.click("#end")
        await official.click("#end")  # confirm
        await expect(official.locator("#controls")).to_be_hidden(timeout=20_000)  # ended for all
        await agenda.close()

        # 3. The case file is opened from the reception, nothing typed again.
        await official.goto(f"{server.url}/agenda/")
        await official.get_by_role("link", name=booking_ref).click()
        reception_url = official.url
        await expect(official.get_by_text("Thời hạn giải quyết sẽ được tính từ")).to_contain_text(
            f"{day:%d/%m/%Y}")
        await official.locator("details summary", has_text="Quyết định bị khiếu nại").click()
        await official.get_by_label("Số quyết định").fill("12/QĐ-UBND")
        await official.get_by_label("Cơ quan, người ban hành").fill("Chủ tịch UBND xã An Bình")
        await official.get_by_label("Người, cơ quan bị khiếu nại hoặc bị tố cáo (nếu có)").fill(
            "Chủ tịch UBND xã An Bình")
        await journey.shot(official, "reception-open-case")
        await official.get_by_role("button", name="Mở hồ sơ").click()
        await expect(official.locator(".secret-code")).to_contain_text("KN-")
        reference = (await official.locator(".secret-code strong").text_content() or "").strip()
        shown_secret = (await official.locator(".secret-code code").text_content() or "").strip()
        summary = official.locator("#summary")
        await expect(summary).to_contain_text(booking_ref)
        await expect(official.locator(".deadlines")).to_contain_text(f"{day:%d/%m/%Y}")
        await expect(official.locator("#documents")).to_contain_text("quyet-dinh-12.pdf")
        await expect(official.locator("#evidence")).to_contain_text(booking_ref)
        await journey.shot(official, "case-opened")
        async with official.expect_download() as download:
            await official.get_by_role("button", name="In giấy biên nhận cho công dân (Mẫu 02/TCD)").click()
        receipt = "".join(p.extract_text() for p in PdfReader(await (await download.value).path()).pages)
        secret = re.search(r"Mã bí mật để tra cứu.*?:\s*(\S+)", receipt, re.S).group(1)  # type: ignore[union-attr]
        assert secret == shown_secret and f"{server.url}/status" in receipt.replace("\n", "")
        await official.goto(reception_url)  # a reception shows its case and its clock
        await expect(official.locator("#case")).to_contain_text(reference)
        await journey.shot(official, "reception-with-case")
        await check_status(citizen, server, journey, reference, secret, "Nhận khiếu nại", "status-received")

        # 4. The head accepts the complaint the next working day.
        journey.move_to(at(add_working_days(calendar, day, 1)))
        head_context = await official_browser.new_context(viewport=PHONE, locale="vi-VN")
        head = await head_context.new_page()
        await log_in(head, server, "thutruong")
        await head.get_by_role("link", name="Hồ sơ", exact=True).click()
        await head.locator("#q").fill(reference)
        await head.locator("#q").press("Enter")
        await journey.shot(head, "dashboard")
        await head.get_by_role("link", name=reference).first.click()
        case_url = head.url
        await act(head, "accept")  # nothing confirmed: the refusal names what is missing
        await expect(head.locator(".error-summary")).to_contain_text(
            "Chưa xác nhận: Việc thuộc thẩm quyền giải quyết của cơ quan")
        assert await head.evaluate("document.activeElement.matches('.error-summary')")
        await journey.shot(head, "case-accept-refused")
        await act(head, "accept", check=("#f-accept-within_competence", "#f-accept-acceptance_bar"))
        await expect(head.locator("h1 .state")).to_have_text("Đã thụ lý (Mẫu 03)")
        await check_status(citizen, server, journey, reference, secret, "Đã thụ lý (Mẫu 03)",
                           "status-accepted")

        # 5. Verification is assigned to the inspector, who finds the case and reports.
        await act(head, "recheck")
        await act(head, "assign_verification")
        await expect(head.locator(".next-steps")).to_contain_text("Phạm Minh Tuấn")
        await journey.shot(head, "case-verifying")
        journey.move_to(at(add_working_days(calendar, day, 3)))
        inspector_context = await official_browser.new_context(viewport=PHONE, locale="vi-VN")
        inspector = await inspector_context.new_page()
        await log_in(inspector, server, "thanhtra")
        await inspector.get_by_role("link", name="Hồ sơ được giao cho bạn xác minh").click()
        await journey.shot(inspector, "inspector-cases")
        await inspector.get_by_role("link", name=reference).click()
        await act(inspector, "report_verification",
                  note="Quyết định thu hồi đất ban hành đúng thẩm quyền nhưng chưa bồi thường đủ.")
        await expect(inspector.locator("h1 .state")).to_have_text("Có báo cáo kết quả xác minh")
        await journey.shot(inspector, "case-verified")
        await check_status(citizen, server, journey, reference, secret,
                           "Có báo cáo kết quả xác minh", "status-verified")

        # 6. The dialogue: noticed, refused before its day, held on it.
        notice_day = add_working_days(calendar, day, 4)
        dialogue_day = add_working_days(calendar, notice_day, 7)
        journey.move_to(at(notice_day))
        await go(head, server, case_url, "thutruong")
        await act(head, "notify_dialogue", check=("#f-notify_dialogue-request_differs_from_verification",),
                  fill={"#f-notify_dialogue-dialogue_date": dialogue_day.isoformat()})
        await expect(head.locator("h1 .state")).to_have_text("Đã thông báo đối thoại")
        journey.move_to(at(add_working_days(calendar, notice_day, 1)))
        await go(head, server, case_url, "thutruong")
        await expect(head.locator("#dialogue-day")).to_contain_text(f"{dialogue_day:%d/%m/%Y}")
        assert await head.locator("#action-hold_dialogue").count() == 0  # not offered before its day
        # A form kept open since an earlier day is refused by the engine, saying why.
        await head.evaluate("""(action) => {
            const form = document.createElement("form");
            form.method = "post"; form.action = action;
            for (const [name, value] of [["action", "hold_dialogue"], ["fact_chaired_by", "resolver"],
                    ["csrf_token", document.querySelector('meta[name="csrf-token"]').content]]) {
                const input = document.createElement("input");
                input.type = "hidden"; input.name = name; input.value = value; form.append(input);
            }
            document.body.append(form); form.submit();
        }""", f"{head.url.split('#')[0]}/actions")
        await expect(head.locator(".error-summary")).to_contain_text("đúng ngày đã thông báo")
        await journey.shot(head, "dialogue-refused-early")
        await check_status(citizen, server, journey, reference, secret, "Đã thông báo đối thoại",
                           "status-dialogue-noticed")
        journey.move_to(at(dialogue_day))
        await go(head, server, case_url, "thutruong")
        await act(head, "hold_dialogue", fill={"input[name=fact_chaired_by]": "resolver"},
                  note="Người khiếu nại đề nghị bồi thường bổ sung; UBND xã đồng ý xem xét.")
        await expect(head.locator("h1 .state")).to_have_text("Đã đối thoại (biên bản Mẫu 14)")

        # 7. The decision: drafted (prefilled PDF), signed, sent and published.
        await act(head, "draft_decision", note="Khiếu nại đúng một phần: bồi thường bổ sung.")
        await head.locator("#form_key").select_option("first_decision")
        await head.get_by_role("button", name="Tạo PDF").click()
        decision_link = head.locator("#documents a", has_text="Quyết định giải quyết khiếu nại")
        async with head.expect_download() as download:
            await decision_link.click()
        decision = "".join(p.extract_text() for p in PdfReader(await (await download.value).path()).pages)
        flat = " ".join(decision.split())
        for expected in (CITIZEN, "12/QĐ-UBND", "Phạm Minh Tuấn", "chưa bồi thường đủ",
                         "bồi thường bổ sung", f"{dialogue_day:%d/%m/%Y}", "khiếu nại lần hai"):
            assert expected in flat, (expected, flat)
        assert "resolver" not in flat and "complainant" not in flat
        await act(head, "sign_decision")
        await act(head, "dispatch_decision", check=("input[name=recipient_1]",))
        await expect(head.locator("h1 .state")).to_have_text("Đã gửi quyết định")
        publish = head.locator("#action-publish_decision")
        if await publish.get_attribute("open") is None:
            await publish.locator("summary").click()
        await publish.locator("#doc-publish_decision").select_option(label="Quyết định giải quyết khiếu nại")
        await publish.get_by_role("button", name="Ghi nhận").click()
        await expect(head.locator("h1 .state")).to_have_text("Đã công khai")
        if at_wall_time:
            await quoted_words(head)  # the hearing's transcript, quoted in the case file
        await journey.shot(head, "case-published")

        # 8. The citizen sees the published decision.
        await check_status(citizen, server, journey, reference, secret, "Đã công khai", "status-published")
        await expect(citizen.locator("#result")).to_contain_text("Quyết định giải quyết khiếu nại")
        for context in (phone, staff, head_context, inspector_context):
            await context.close()
        await citizen_browser.close()
        await official_browser.close()
    print(f"journey: {time.monotonic() - started:.0f} s, {len(journey.shots)} screenshots")  # noqa: T201
