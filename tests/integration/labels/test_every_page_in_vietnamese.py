"""Every page template and every PDF form, rendered in Vietnamese with real data, holds no English
word and no raw domain code (labels/checker.py says exactly what counts). The walk goes the way
the product is used — a booking, a walk-in, a hearing with its approved transcript, a case
opened from the reception and taken through acceptance, verification, dialogue and decision, a
denunciation — and fails if any template of reception/templates was not rendered."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader
from quart import Quart
from quart.signals import template_rendered
from quart.typing import TestClientProtocol as Client
from werkzeug.datastructures import FileStorage

from reception.domain.booking import LOCAL_TZ, SessionKind
from reception.domain.law.workdays import add_working_days, default_calendar
from reception.domain.organisation import AgencyLevel, StaffRole
from reception.services.booking.calendar import NewSession
from reception.services.staff import NewAgency, NewStaff
from tests.integration.booking.conftest import PinnedClock, booking_form
from tests.integration.conftest import PASSWORD, log_in
from tests.integration.labels.checker import foreign_words, visible_text
from tests.integration.transcript_review.seed import seed_hearing

TEMPLATES = Path(__file__).resolve().parents[3] / "reception" / "templates"
# The test data's own words: logins, an e-mail's domain, a file name.
DATA = {"tiepdan", "thutruong", "thanhtra", "quantri", "example", "vn", "quyet", "dinh", "webm"}


def every_page_template() -> set[str]:
    """Templates rendered as pages; partials (_name.html) are included by them."""
    return {str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html")
            if not p.name.startswith("_") and p.name != "base.html"}


@pytest.fixture
def rendered(booking_app: Quart) -> Iterator[set[str]]:
    names: set[str] = set()

    async def record(app: Quart, template: Any, context: Any) -> None:
        names.add(template.name)

    template_rendered.connect(record, booking_app)
    yield names
    template_rendered.disconnect(record, booking_app)


class Walk:
    def __init__(self, app: Quart) -> None:
        self.app, self.problems, self.pages, self.pdfs = app, {}, 0, 0
        self.secrets: list[str] = []  # codes and links shown to people, not words
        self.last_pdf = b""

    def check(self, where: str, text: str) -> None:
        for secret in self.secrets:
            text = text.replace(secret, " ")
        found = foreign_words(text, DATA)
        if found:
            self.problems[where] = sorted(set(found))

    async def page(self, client: Client, path: str, status: int = 200, **kwargs: Any) -> str:
        method = "POST" if ("form" in kwargs or "files" in kwargs) else "GET"
        if method == "POST":
            kwargs.setdefault("form", {})["csrf_token"] = client.csrf  # type: ignore[attr-defined]
        response = await client.open(path, method=method, **kwargs)
        html = await response.get_data(as_text=True)
        assert response.status_code == status, (path, response.status_code, html[:2000])
        # A secret code the page shows (and its receipt form carries) is a code, not words.
        self.secrets += re.findall(r'name="secret" value="([\w-]+)"', html)
        if response.status_code < 300 or response.status_code >= 400:
            self.pages += 1
            self.check(f"{method} {path.split('?')[0]}", visible_text(html))
        return html if response.status_code != 302 and response.status_code != 303 else \
            response.headers["Location"]

    async def pdf(self, client: Client, path: str, name: str, **kwargs: Any) -> str:
        if "form" in kwargs:
            kwargs["form"]["csrf_token"] = client.csrf  # type: ignore[attr-defined]
            response = await client.post(path, **kwargs)
        else:
            response = await client.get(path)
        assert response.status_code == 200 and response.content_type == "application/pdf", path
        self.last_pdf = await response.get_data()
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(self.last_pdf)).pages)
        # A hash the PDF wraps over several lines is one machine string.
        text = re.sub(r"(?<![0-9A-Za-z])[0-9a-f]+(?:\n[0-9a-f]+)+(?![0-9A-Za-z])", lambda m: " " if len(
            m.group().replace("\n", "")) >= 32 else m.group(), text)
        self.pdfs += 1
        self.check(f"PDF {name}", text)
        return text


async def staff_client(app: Quart, login: str) -> Client:
    client = app.test_client()
    assert await log_in(client, login) == 302
    page = await (await client.get("/staff")).get_data(as_text=True)
    client.csrf = re.search(r'name="csrf-token" content="([0-9a-f]+)"', page).group(1)  # type: ignore[attr-defined,union-attr]
    return client


async def citizen_client(app: Quart) -> Client:
    client = app.test_client()
    page = await (await client.get("/")).get_data(as_text=True)
    client.csrf = re.search(r'name="csrf-token" content="([0-9a-f]+)"', page).group(1)  # type: ignore[attr-defined,union-attr]
    return client


@pytest.fixture
async def walk(booking_app: Quart, clock: PinnedClock) -> AsyncIterator[Walk]:
    clock.at = datetime.now(LOCAL_TZ).replace(microsecond=0)
    yield Walk(booking_app)


async def test_every_page_and_pdf_reads_in_vietnamese_without_english_or_raw_codes(
    booking_app: Quart, walk: Walk, rendered: set[str], clock: PinnedClock, tmp_path: Path
) -> None:
    app = booking_app
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
    services = app.container.booking  # type: ignore[attr-defined]
    session, _ = await services.calendar.add_session(None, NewSession(
        receptionist.agency_id, SessionKind.REGULAR, receptionist.id, start, start.replace(hour=10)))
    slot = f"{session.id}|{start.isoformat()}"

    # The citizen: home, booking (refused, then booked), the booking's pages, the status page.
    citizen = await citizen_client(app)
    await walk.page(citizen, "/")
    await walk.page(citizen, "/login")
    await walk.page(citizen, "/booking")
    await walk.page(citizen, "/booking?agency=TT")
    await walk.page(citizen, "/booking", 422, form={**booking_form(slot), "agency": "TT",
                                                   "id_number": "001 085"})
    booked = await walk.page(citizen, "/booking", form={**booking_form(slot), "agency": "TT",
                                                        "id_number": "001 085 012 345"})
    token = re.search(r"/my-booking\?t=([\w-]+)", booked).group(1)  # type: ignore[union-attr]
    walk.secrets.append(token)
    for path in ("/my-booking", "/my-booking/reschedule", "/my-booking/waiting-room",
                 "/my-booking/hearing"):
        await walk.page(citizen, f"{path}?t={token}")
    await walk.page(citizen, "/status")
    await walk.page(citizen, "/no-such-page", 404)

    # The reception office: workspace, agenda, a walk-in, an ended hearing with its transcript.
    office = await staff_client(app, "tiepdan")
    await walk.page(office, "/staff")
    await walk.page(office, "/agenda/")
    await walk.page(office, f"/agenda/?day={day.isoformat()}")
    await walk.page(office, "/agenda/waiting")
    await walk.page(office, "/agenda/walk-in")
    walk_in = {**booking_form(slot.replace("T08:00", "T08:30")), "channel": "phone", "email": ""}
    await walk.page(office, "/agenda/walk-in", 201, form=walk_in)
    held = await seed_hearing(app.container.uow_factory, receptionist, tmp_path / "recordings")  # type: ignore[attr-defined]
    clock.at = held.seeded.booking.starts_at + timedelta(minutes=30)
    office = await staff_client(app, "tiepdan")  # half an hour idle: signed in again
    hearing, booking = held.hearing.id, held.seeded.booking.id
    await walk.page(office, f"/staff/hearings/{hearing}")
    await walk.page(office, f"/staff/bookings/{booking}/parties")
    await walk.page(office, f"/staff/hearings/{hearing}/transcript")
    await walk.page(office, f"/staff/hearings/{hearing}/transcript/approve", 302, form={"checked": "on"})
    await walk.page(office, f"/staff/hearings/{hearing}/transcript")
    await walk.page(office, f"/staff/hearings/{hearing}/recording")
    await walk.pdf(office, f"/staff/hearings/{hearing}/transcript.pdf", "hearing record")
    await walk.page(citizen, f"/my-booking/transcript?t={held.seeded.token}")
    await walk.page(office, "/search?q=khieu%20nai")

    # The case file opened from the reception, the receipt with its secret, the status page.
    await walk.page(office, f"/receptions/{booking}")
    await walk.page(office, f"/receptions/{booking}/case", 422, form={"kind": "complaint"})
    location = await walk.page(office, f"/receptions/{booking}/case", 303, form={
        "kind": "complaint", "summary": "Khiếu nại quyết định thu hồi đất số 12/QĐ-UBND",
        "respondent": "Chủ tịch UBND xã An Bình", "contested_number": "12/QĐ-UBND",
        "contested_issuer": "Chủ tịch UBND xã An Bình"})
    case_page = await walk.page(office, location)
    case_id = urlsplit(location).path.rsplit("/", 1)[1]
    secret = re.search(r'name="secret" value="([\w-]+)"', case_page).group(1)  # type: ignore[union-attr]
    walk.secrets.append(secret)
    receipt = await walk.pdf(office, f"/cases/{case_id}/receipt", "receipt", form={"secret": secret})
    assert secret in receipt
    await walk.page(citizen, "/verify")  # the receipt's signature, checked by anyone
    await walk.page(citizen, "/verify", files={
        "file": FileStorage(io.BytesIO(walk.last_pdf), "bien-nhan.pdf", content_type="application/pdf")})
    await walk.page(office, f"/receptions/{booking}")
    await walk.page(office, f"/staff/hearings/{hearing}/evidence?start_ms=0&end_ms=6000&case_id={case_id}")
    reference = re.search(r"KN-\d{4}-\d{6}", case_page).group(0)  # type: ignore[union-attr]
    await walk.page(citizen, "/status", form={"reference": reference, "secret": secret})
    await walk.page(citizen, "/status", 404, form={"reference": reference, "secret": "sai-ma"})

    # The head works the case: refused, then accepted, assigned, verified, dialogue, decision.
    head = await staff_client(app, "thutruong")
    await walk.page(head, "/dashboard/")
    await walk.page(head, "/cases/")
    await walk.page(head, "/cases/new")
    await walk.page(head, "/cases/new", 422, form={"kind": "complaint", "channel": "post"})
    actions = f"/cases/{case_id}/actions"
    on = clock.at.astimezone(LOCAL_TZ).date()
    await walk.page(head, actions, 409, form={"action": "accept", "on": on.isoformat()})
    await walk.page(head, actions, 422, form={"action": "assign_verification"})
    for fields in ({"action": "accept", "fact_within_competence": "true", "fact_acceptance_bar": "none"},
                   {"action": "recheck"}):
        await walk.page(head, actions, 302, form={**fields, "on": on.isoformat()})
    inspector_id = next(m.id for m in await app.container.staff.list_staff()  # type: ignore[attr-defined]
                        if m.login == "thanhtra")
    await walk.page(head, actions, 302, form={"action": "assign_verification",
                                              "verifier_ids": str(inspector_id), "on": on.isoformat()})
    inspector = await staff_client(app, "thanhtra")
    await walk.page(inspector, "/staff")
    await walk.page(inspector, "/cases/?open=1")
    await walk.page(inspector, f"/cases/{case_id}")
    await walk.page(inspector, actions, 302, form={"action": "report_verification", "on": on.isoformat(),
                                                   "note": "Quyết định đúng thẩm quyền."})
    dialogue = on + timedelta(days=8)
    await walk.page(head, actions, 302, form={
        "action": "notify_dialogue", "on": on.isoformat(), "fact_dialogue_date": dialogue.isoformat(),
        "fact_request_differs_from_verification": "true"})
    await walk.page(head, f"/cases/{case_id}")
    clock.at += timedelta(days=8)
    head = await staff_client(app, "thutruong")  # a week later: signed in again
    for fields in ({"action": "hold_dialogue", "fact_chaired_by": "resolver", "note": "Đã đối thoại."},
                   {"action": "draft_decision", "note": "Khiếu nại đúng một phần."},
                   {"action": "sign_decision"}):
        await walk.page(head, actions, 302, form={**fields, "on": dialogue.isoformat()})
    # The written refusal to receive is issued from a closed matter only: said in Vietnamese.
    await walk.page(head, f"/cases/{case_id}/forms", 409, form={"form_key": "refusal_01"})
    for key in ("complaint_acceptance", "dialogue_minutes", "first_decision"):
        await walk.page(head, f"/cases/{case_id}/forms", 302, form={"form_key": key})
    documents = await (await head.get(f"/api/v1/cases/{case_id}")).get_json()
    for document in documents["documents"]:
        if document["origin"] == "generated":
            await walk.pdf(head, f"/cases/{case_id}/documents/{document['id']}", document["form_key"])
    await walk.page(head, f"/cases/{case_id}")

    # A denunciation, whose forms never name the denouncer.
    location = await walk.page(head, "/cases/new", 303, form={
        "kind": "denunciation", "channel": "post", "full_name": "Lê Văn Cường",
        "summary": "Tố cáo cán bộ địa chính nhận tiền", "respondent": "Ông Nguyễn Văn X"})
    denunciation = urlsplit(location).path.rsplit("/", 1)[1]
    shown = await head.get(location)
    walk.secrets.append(re.search(r'name="secret" value="([\w-]+)"',  # type: ignore[union-attr]
                                  await shown.get_data(as_text=True)).group(1))
    await walk.page(head, location)
    today = clock.at.astimezone(LOCAL_TZ).date()
    for fields in ({"action": "start_initial_check"},
                   {"action": "accept", "fact_conditions_met": "true"}):
        await walk.page(head, f"/cases/{denunciation}/actions", 302, form={**fields, "on": today.isoformat()})
    for key in ("denunciation_acceptance", "denounced_notice"):
        await walk.page(head, f"/cases/{denunciation}/forms", 302, form={"form_key": key})

    # A complaint not accepted (time-barred) and so closed: the refusal to receive comes from it.
    location = await walk.page(head, "/cases/new", 303, form={
        "kind": "complaint", "channel": "post", "full_name": "Đỗ Thị Hoa",
        "summary": "Khiếu nại lại quyết định thu hồi đất đã được giải quyết đúng pháp luật"})
    repeated = urlsplit(location).path.rsplit("/", 1)[1]
    await walk.page(head, f"/cases/{repeated}/actions", 302, form={
        "action": "reject", "fact_acceptance_bar": "time_barred", "on": today.isoformat()})
    await walk.page(head, f"/cases/{repeated}/forms", 302, form={"form_key": "refusal_01"})
    for document in (await (await head.get(f"/api/v1/cases/{repeated}")).get_json())["documents"]:
        await walk.pdf(head, f"/cases/{repeated}/documents/{document['id']}", document["form_key"])
    for document in (await (await head.get(f"/api/v1/cases/{denunciation}")).get_json())["documents"]:
        await walk.pdf(head, f"/cases/{denunciation}/documents/{document['id']}", document["form_key"])

    # The administrator's pages.
    admin = await staff_client(app, "quantri")
    await walk.page(admin, "/admin/agencies")
    await walk.page(admin, "/admin/staff")
    await walk.page(admin, "/admin/integrity")  # the latest check of recordings and documents
    await walk.page(head, "/account/")  # one's own sign-ins, with the other devices

    assert walk.problems == {}, "\n".join(f"{k}: {v}" for k, v in walk.problems.items())
    assert every_page_template() - rendered == set(), "pages the walk never rendered"
    assert walk.pdfs >= 9
    print(f"{walk.pages} pages from {len(rendered)} templates and {walk.pdfs} PDFs checked")  # noqa: T201
