"""Every page a citizen and each staff role reaches, opened in real Chromium at phone width
(390×844) in Vietnamese and checked for accessibility; the test fails on anything "serious" or
"critical", listing every finding (rule, page, element):

- axe-core (axe-playwright-python) with its default rules, plus WCAG 2.2's target size (2.5.8)
  for fingers on a phone; every <details> is opened first, so folded forms are checked too;
- what axe does not look at: every focusable element shows a focus indicator of at least 3:1
  against what is behind it (WCAG 2.4.7, 1.4.11), the page's title is plain text (2.4.2), after
  a refused form the focus is on the error summary (3.3.1), and a number in a table stacked for
  a phone carries its column's name.

The walk goes the way the product is used (a booking refused once then made, its private pages,
a hearing with its transcript, a case opened from the reception, a denunciation, the
administrator's pages, the error pages) and fails if a page template of reception/templates was
not shown. The app is the booking tests' (pinned clock, seeded hearing with a finished
transcript as tests/integration/transcript_review writes it), served by hypercorn in this
process so that the browser loads pages, styles and scripts over HTTP like from `reception
serve`, with no server to start."""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.async_playwright import Axe
from hypercorn.asyncio import serve
from hypercorn.config import Config
from playwright.async_api import Browser, BrowserContext, Locator, Page
from quart import Quart
from quart.signals import template_rendered

from reception.domain.booking import LOCAL_TZ, SessionKind
from reception.domain.law.workdays import add_working_days, default_calendar
from reception.domain.organisation import AgencyLevel, StaffRole
from reception.services.booking.calendar import NewSession
from reception.services.staff import NewAgency, NewStaff
from tests.e2e.conftest import free_port, snap
from tests.integration.booking.conftest import PinnedClock, booking_app, clock, smtp  # noqa: F401
from tests.integration.labels.test_every_page_in_vietnamese import every_page_template, staff_client
from tests.integration.transcript_review.seed import seed_hearing

pytestmark = [pytest.mark.browser]
PHONE = {"width": 390, "height": 844}
PASSWORD = "correct horse battery"  # tests/integration/conftest.py's, which staff_client signs in with
FAILING = {"serious", "critical"}
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
OPEN_EVERYTHING = "document.querySelectorAll('details').forEach(d => d.open = true)"
CHECKS = (Path(__file__).parent / "accessibility_checks.js").read_text()


@dataclass
class Sweep:
    """What each page shown was found to lack: (impact, rule, page, element)."""

    base: str
    axe: Axe = field(default_factory=Axe)
    pages: list[str] = field(default_factory=list)
    found: list[tuple[str, str, str, str]] = field(default_factory=list)

    async def context(self, browser: Browser) -> BrowserContext:
        return await browser.new_context(viewport=PHONE, locale="vi-VN", base_url=self.base)

    async def check(self, page: Page, name: str) -> None:
        await page.wait_for_load_state("load")
        self.pages.append(name)
        await page.evaluate(OPEN_EVERYTHING)
        results = await self.axe.run(page, options=AXE_OPTIONS)
        for violation in results.response["violations"]:
            for node in violation["nodes"]:
                self.found.append((node.get("impact") or violation["impact"] or "", violation["id"], name,
                                   " ".join(str(t) for t in node["target"])))
        title = await page.title()
        if not title.strip() or re.search(r"[<>]", title):
            self.found.append(("serious", "page-title-text", name, title))
        await page.keyboard.press("Tab")  # the keyboard's way of focusing, as :focus-visible shows it
        for element, ratio in await page.evaluate(f"{CHECKS}.focusIndicators()"):
            self.found.append(("serious", "focus-indicator", name, f"{element} ({ratio}:1)"))
        for cell in await page.evaluate(f"{CHECKS}.stackedNumbers()"):
            self.found.append(("serious", "stacked-cell-label", name, cell))

    async def refused(self, page: Page, name: str, shot: Path | None = None) -> None:
        """A form sent back with problems: the focus is on them (checked, and the page shot for
        people to look at, before the page is checked)."""
        at = ""
        for _ in range(20):  # the page's script moves the focus once loaded
            if not (at := await page.evaluate(f"{CHECKS}.focusOnError()")):
                break
            await asyncio.sleep(0.1)
        if at:
            self.found.append(("serious", "error-summary-focus", name, f"focus on <{at}>"))
        if shot:
            await snap(page, str(shot))
        await self.check(page, name)

    def failing(self) -> str:
        """Serious and critical findings, one line per rule and page with every element."""
        grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
        for impact, rule, page, target in self.found:
            if impact in FAILING:
                grouped[(rule, page)].append(target)
        return "\n".join(f"{rule} on {page} ({len(targets)}): {'; '.join(targets)}"
                         for (rule, page), targets in sorted(grouped.items()))

    def summary(self) -> str:
        counts: dict[tuple[str, str], set[str]] = defaultdict(set)
        totals: dict[tuple[str, str], int] = defaultdict(int)
        for impact, rule, page, _ in self.found:
            counts[(impact, rule)].add(page)
            totals[(impact, rule)] += 1
        return "\n".join(f"{impact:9}{rule:24}{totals[(impact, rule)]:5} on {len(pages)} pages: "
                         f"{', '.join(sorted(pages))}" for (impact, rule), pages in sorted(counts.items()))


@pytest.fixture
async def served(booking_app: Quart) -> AsyncIterator[str]:  # noqa: F811
    """The app, already started by the fixture, also listening on a port of this process."""

    async def without_lifespan(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan":
            await booking_app(scope, receive, send)
            return
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})

    config = Config()
    config.bind = [f"127.0.0.1:{free_port()}"]
    config.accesslog = config.errorlog = None
    stop = asyncio.Event()
    task = asyncio.create_task(serve(without_lifespan, config, shutdown_trigger=stop.wait))  # type: ignore[arg-type]
    yield f"http://{config.bind[0]}"
    stop.set()
    await task


@pytest.fixture
def rendered(booking_app: Quart) -> Iterator[set[str]]:  # noqa: F811
    names: set[str] = set()

    async def record(app: Quart, template: Any, context: Any) -> None:
        names.add(template.name)

    template_rendered.connect(record, booking_app)
    yield names
    template_rendered.disconnect(record, booking_app)


async def log_in(page: Page, login: str) -> None:
    await page.goto("/login")
    await page.locator("#login").fill(login)
    await page.locator("#password").fill(PASSWORD)
    await page.locator("form[action='/login'] button[type=submit]").click()
    await page.wait_for_url(lambda url: "/login" not in url)


async def submit(button: Locator) -> None:
    """Send a form and wait for the page it answers with."""
    async with button.page.expect_navigation():
        await button.click()


async def fill_booking(page: Page, id_number: str) -> None:
    for selector, value in (("#description", "Đất đai bị thu hồi sai quy định"),
                            ("#full_name", "Nguyễn Văn An"), ("#id_number", id_number),
                            ("#phone", "0912345678"), ("#email", "an@example.vn"),
                            ("#address", "12 Hàng Bông, Hà Nội")):
        await page.locator(selector).fill(value)
    await page.locator("input[name=subject][value=complaint]").check()


async def test_every_page_has_no_serious_accessibility_violation_on_a_phone_in_vietnamese(
        booking_app: Quart, served: str, clock: PinnedClock, browser: Browser,  # noqa: F811
        rendered: set[str], tmp_path: Path, artifacts: Path) -> None:
    app = booking_app
    clock.at = datetime.now(LOCAL_TZ).replace(microsecond=0)
    staff = app.container.staff  # type: ignore[attr-defined]
    agency = await staff.create_agency(None, NewAgency("TT", "Thanh tra tỉnh Hà Nam",
                                                       AgencyLevel.PROVINCE))
    people = {}
    for login, name, roles in (("tiepdan", "Nguyễn Thị Lan", (StaffRole.RECEPTIONIST,)),
                               ("thutruong", "Lê Văn Hùng", (StaffRole.HEAD, StaffRole.CASE_MANAGER)),
                               ("thanhtra", "Phạm Minh Tuấn", (StaffRole.INSPECTOR,)),
                               ("quantri", "Đỗ Thu Hà", (StaffRole.ADMINISTRATOR,))):
        people[login] = await staff.create_staff(None, NewStaff(agency.id, login, name, PASSWORD,
                                                                frozenset(roles)))
    receptionist = people["tiepdan"]
    day = add_working_days(default_calendar(), clock.at.date(), 7)
    start = datetime(day.year, day.month, day.day, 8, tzinfo=LOCAL_TZ)
    await app.container.booking.calendar.add_session(None, NewSession(  # type: ignore[attr-defined]
        receptionist.agency_id, SessionKind.REGULAR, receptionist.id, start, start.replace(hour=10)))
    sweep = Sweep(served)

    # The citizen, on a phone: the public pages, then a booking refused once and made.
    citizen = await (await sweep.context(browser)).new_page()
    for path, name in (("/", "home"), ("/status", "status: form"), ("/verify", "verify: form"),
                       ("/login", "login"), ("/no-such-page", "error 404")):
        await citizen.goto(path)
        await sweep.check(citizen, name)
    await citizen.goto("/")  # for people to look at: the focus on the red header and on white
    for where, element in (("header", citizen.locator(".lang a")),
                           ("button", citizen.locator("main a.button").first)):
        await element.focus()
        await snap(citizen, str(artifacts / f"a11y-focus-{where}.png"))
    await citizen.goto("/login")
    await citizen.locator("#login").fill("tiepdan")
    await citizen.locator("#password").fill("sai mat khau")
    await submit(citizen.locator("form[action='/login'] button[type=submit]"))
    await sweep.refused(citizen, "login: refused")
    await citizen.goto("/booking")
    await sweep.check(citizen, "booking: agency")
    await citizen.locator("#agency").select_option("TT")
    await citizen.locator("form.compact button[type=submit]").click()
    await citizen.wait_for_url(re.compile(r"agency=TT"))
    await sweep.check(citizen, "booking: days")
    await citizen.locator(".day-chip").first.click()
    await citizen.locator("fieldset.slot-day:not([hidden]) label.slot").first.click()
    await sweep.check(citizen, "booking: time chosen")
    await fill_booking(citizen, "001 085")
    await submit(citizen.locator("form.citizen button[type=submit].primary"))
    await sweep.refused(citizen, "booking: refused", artifacts / "a11y-error-summary-focused.png")
    await citizen.locator("#id_number").fill("001 085 012 345")
    await submit(citizen.locator("form.citizen button[type=submit].primary"))
    await sweep.check(citizen, "booking: confirmation")
    link = await citizen.locator("a[href*='/my-booking?t=']").first.get_attribute("href")
    assert link, "no private link on the confirmation"
    token = link.split("?t=")[1]
    for path, name in (("/my-booking", "my booking"), ("/my-booking/reschedule", "my booking: reschedule"),
                       ("/my-booking/waiting-room", "waiting room and device test"),
                       ("/my-booking/hearing", "citizen hearing page")):
        await citizen.goto(f"{path}?t={token}")
        await sweep.check(citizen, name)

    # The reception office: a hearing held, its transcript to review, a walk-in.
    held = await seed_hearing(app.container.uow_factory, receptionist, tmp_path / "recordings")  # type: ignore[attr-defined]
    clock.at = held.seeded.booking.starts_at + timedelta(minutes=30)
    hearing, booking = held.hearing.id, held.seeded.booking.id
    office = await (await sweep.context(browser)).new_page()
    await log_in(office, "tiepdan")
    for path, name in (("/staff", "workspace (receptionist)"), ("/agenda/", "agenda"),
                       (f"/agenda/?day={day.isoformat()}", "agenda: a day"),
                       ("/agenda/walk-in", "walk-in form"),
                       (f"/staff/hearings/{hearing}", "hearing console"),
                       (f"/staff/bookings/{booking}/parties", "hearing parties"),
                       (f"/staff/hearings/{hearing}/transcript", "transcript review")):
        await office.goto(path)
        await sweep.check(office, name)
    await office.locator("input[name=checked]").check()
    await submit(office.locator("#approve"))
    await sweep.check(office, "transcript approved")
    await office.goto(f"/staff/hearings/{hearing}/recording")
    await sweep.check(office, "recording")
    await citizen.goto(f"/my-booking/transcript?t={held.seeded.token}")
    await sweep.check(citizen, "citizen transcript")
    await office.goto("/search?q=khieu%20nai")
    await sweep.check(office, "search: results")
    await office.goto("/agenda/walk-in")
    await office.locator(".day-chip").first.click()
    await office.locator("fieldset.slot-day:not([hidden]) label.slot").first.click()
    await office.locator("input[name=channel][value=phone]").check()
    await fill_booking(office, "001 085 012 346")
    await submit(office.locator("form[action='/agenda/walk-in'] button[type=submit].primary"))
    await sweep.check(office, "walk-in registered")

    # The case opened from the reception; its receipt checked, and the case looked up, by the citizen.
    await office.goto(f"/receptions/{booking}")
    await sweep.check(office, "reception")
    office_client = await staff_client(app, "tiepdan")
    opened = await office_client.post(f"/receptions/{booking}/case", form={
        "csrf_token": office_client.csrf,  # type: ignore[attr-defined]
        "kind": "complaint", "summary": "Khiếu nại quyết định thu hồi đất số 12/QĐ-UBND",
        "respondent": "Chủ tịch UBND xã An Bình", "contested_number": "12/QĐ-UBND",
        "contested_issuer": "Chủ tịch UBND xã An Bình"})
    assert opened.status_code == 303, opened.status_code
    case_path = urlsplit(opened.headers["Location"]).path
    case_id = case_path.rsplit("/", 1)[1]
    case_html = await (await office_client.get(opened.headers["Location"])).get_data(as_text=True)
    secret = re.search(r'name="secret" value="([\w-]+)"', case_html).group(1)  # type: ignore[union-attr]
    reference = re.search(r"KN-\d{4}-\d{6}", case_html).group(0)  # type: ignore[union-attr]
    receipt = await office_client.post(f"/cases/{case_id}/receipt", form={
        "csrf_token": office_client.csrf, "secret": secret})  # type: ignore[attr-defined]
    (tmp_path / "bien-nhan.pdf").write_bytes(await receipt.get_data())
    await office.goto(f"/staff/hearings/{hearing}/evidence?start_ms=0&end_ms=6000&case_id={case_id}")
    await sweep.check(office, "evidence from a hearing")
    (tmp_path / "ghi-chu.pdf").write_bytes(b"%PDF-1.4 not really")
    for upload, name in (("ghi-chu.pdf", "verify: refused"), ("bien-nhan.pdf", "verify: a genuine receipt")):
        await citizen.goto("/verify")
        await citizen.locator("input[type=file]").set_input_files(str(tmp_path / upload))
        await submit(citizen.locator("main form button[type=submit]").first)
        if upload == "ghi-chu.pdf":
            await sweep.refused(citizen, name)
        else:
            await sweep.check(citizen, name)
    await citizen.goto("/status")
    await citizen.locator("#reference").fill(reference)
    await citizen.locator("#secret").fill("sai-ma")
    await submit(citizen.locator("main form[action='/status'] button[type=submit]"))
    await sweep.refused(citizen, "status: not found")
    await citizen.locator("#secret").fill(secret)
    await submit(citizen.locator("main form[action='/status'] button[type=submit]"))
    await sweep.check(citizen, "status: a case found")

    # The head: dashboard, the list, a new case refused then registered, both kinds of case page,
    # an action refused.
    head_client = await staff_client(app, "thutruong")
    on = clock.at.astimezone(LOCAL_TZ).date().isoformat()
    for fields in ({"action": "accept", "fact_within_competence": "true", "fact_acceptance_bar": "none"},
                   {"action": "recheck"},
                   {"action": "assign_verification", "verifier_ids": str(people["thanhtra"].id)}):
        done = await head_client.post(f"/cases/{case_id}/actions", form={
            **fields, "on": on, "csrf_token": head_client.csrf})  # type: ignore[attr-defined]
        assert done.status_code == 302, (fields, done.status_code)
    head = await (await sweep.context(browser)).new_page()
    await log_in(head, "thutruong")
    for path, name in (("/staff", "workspace (head)"), ("/dashboard/", "dashboard"),
                       ("/cases/", "cases"), (case_path, "case: complaint"), ("/cases/new", "new case")):
        await head.goto(path)
        await sweep.check(head, name)
    await submit(head.locator("main form button[type=submit]").last)
    await sweep.refused(head, "new case: refused")
    await head.locator("#kind").select_option("denunciation")
    await head.locator("#summary").fill("Tố cáo cán bộ địa chính nhận tiền")
    await head.locator("#full_name").fill("Lê Văn Cường")
    await head.locator("main form button[type=submit]").last.click()
    await head.wait_for_url(re.compile(r"/cases/[0-9a-f-]{36}\?registered=1$"))
    await sweep.check(head, "case: denunciation")
    await head.goto(case_path)  # an action recorded without its answer
    action = head.locator("#action-withdraw_partially")
    await action.locator("summary").click()
    await submit(action.locator("button[type=submit]"))
    await sweep.refused(head, "case: action refused")
    await head.goto("/account/")
    await sweep.check(head, "account")

    # The inspector, and what is not theirs; the administrator.
    inspector = await (await sweep.context(browser)).new_page()
    await log_in(inspector, "thanhtra")
    for path, name in (("/staff", "workspace (inspector)"), ("/cases/?open=1", "cases: open (inspector)"),
                       ("/admin/staff", "error 403")):
        await inspector.goto(path)
        await sweep.check(inspector, name)
    admin = await (await sweep.context(browser)).new_page()
    await log_in(admin, "quantri")
    for path, name in (("/admin/agencies", "admin: agencies"), ("/admin/staff", "admin: staff"),
                       ("/admin/integrity", "admin: integrity")):
        await admin.goto(path)
        await sweep.check(admin, name)

    print(f"{len(sweep.pages)} pages checked; findings by impact and rule:\n{sweep.summary()}")  # noqa: T201
    assert not sweep.failing(), "serious or critical accessibility problems:\n" + sweep.failing()
    assert every_page_template() - rendered == set(), "pages the sweep never showed"
