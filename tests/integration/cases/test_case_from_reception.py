"""Reception → case file: "Open a case file" on a reception registers the case with everything
the reception holds — the citizen, representatives, the content, the attachments (same bytes),
the hearing's transcript quoted as evidence — and its clocks count from the reception day; the
case lists its reception and the reception shows its case and clock. A walk-in or phone
reception works the same way. Nothing is typed again; nothing is opened twice; a reception
that did not take place, or of another agency, opens nothing."""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from quart import Quart

from reception.domain.booking import LOCAL_TZ, Channel, SessionKind
from reception.domain.integrity import Trigger
from reception.domain.organisation import StaffRole
from reception.services.booking.calendar import NewSession
from reception.services.booking.rules import Upload
from tests.integration.booking.conftest import PinnedClock, booking_form
from tests.integration.booking.test_booking_refusals import PDF
from tests.integration.cases.helpers import client_for, detail, staff
from tests.integration.hearings.factory import make_official
from tests.integration.transcript_review.seed import CITIZEN, seed_hearing

OPEN_AS = {"kind": "complaint", "summary": "Khiếu nại quyết định thu hồi đất số 12/QĐ-UBND",
           "respondent": "Chủ tịch UBND xã An Bình", "contested_number": "12/QĐ-UBND",
           "contested_issuer": "Chủ tịch UBND xã An Bình"}


async def _post(client: object, path: str, form: dict[str, str]) -> tuple[int, str, str]:
    response = await client.post(path, form={**form, "csrf_token": client.csrf})  # type: ignore[attr-defined]
    return (response.status_code, await response.get_data(as_text=True),
            response.headers.get("Location", ""))


async def test_a_case_opened_from_a_hearing_holds_the_reception_and_counts_from_its_day(
    app: Quart, tmp_path: Path
) -> None:
    container = app.container  # type: ignore[attr-defined]
    official = await make_official(container.staff, login="tiepdan")
    held = await seed_hearing(container.uow_factory, official, tmp_path / "recordings")
    await container.booking.bookings.add_documents(held.seeded.token, [Upload("qd-12.pdf", PDF)])
    client = await client_for(app, "tiepdan")
    booking = held.seeded.booking.id
    reception_day = held.hearing.opened_at.astimezone(LOCAL_TZ).date()

    page = await (await client.get(f"/receptions/{booking}")).get_data(as_text=True)
    assert "Mở hồ sơ" in page and f"{reception_day:%d/%m/%Y}" in page
    status, _, location = await _post(client, f"/receptions/{booking}/case", OPEN_AS)
    assert status == 303
    case_id = urlsplit(location).path.rsplit("/", 1)[1]
    shown = await detail(client, case_id)
    assert shown["opened_on"] == reception_day.isoformat() and shown["channel"] == "visit"
    assert [(o["rule_id"], o["counted_from"]) for o in shown["obligations"]] == [
        ("P-5", reception_day.isoformat())]  # the acceptance clock runs from the reception
    assert {(p["role"], p["name"]) for p in shown["parties"]} == {
        ("complainant", CITIZEN), ("complainee", "Chủ tịch UBND xã An Bình")}
    [attached] = [d for d in shown["documents"] if d["origin"] == "upload"]
    assert attached["title"] == "qd-12.pdf" and attached["sha256"] == hashlib.sha256(PDF).hexdigest()
    case_page = await (await client.get(location)).get_data(as_text=True)
    assert "Tôi khiếu lại quyết định thu hồi đất." in case_page  # the transcript, quoted
    assert held.seeded.booking.reference in case_page and "12/QĐ-UBND" in case_page
    async with container.uow_factory() as uow:
        [party] = [p for p in await uow.cases.parties(uuid.UUID(case_id)) if p.role.value == "complainant"]
    assert (party.id_number, party.address) == ("001090000001", "Hà Nội")

    page = await (await client.get(f"/receptions/{booking}")).get_data(as_text=True)
    assert re.search(r"KN-\d{4}-\d{6}", page) and "Thời hạn luật định được tính từ" not in page
    assert f"Tiếp nhận {_weekday(reception_day)}, {reception_day:%d/%m/%Y}" in page
    status, page, _ = await _post(client, f"/receptions/{booking}/case", OPEN_AS)
    assert status == 409 and "Buổi tiếp này đã có hồ sơ." in page


async def test_a_walk_in_reception_opens_its_case_once_it_has_taken_place(
    booking_app: Quart, clock: PinnedClock
) -> None:
    lan = await staff(booking_app, "canbo", StaffRole.RECEPTIONIST, code="TT")
    start = (clock.at + timedelta(days=1)).replace(hour=8, minute=0)
    calendar = booking_app.container.booking.calendar  # type: ignore[attr-defined]
    session, _ = await calendar.add_session(None, NewSession(
        lan.agency_id, SessionKind.AD_HOC, lan.id, start, start + timedelta(hours=1)))
    client = await client_for(booking_app, "canbo")
    walk_in = {**booking_form(f"{session.id}|{start.isoformat()}"), "channel": "walk_in",
               "csrf_token": client.csrf}  # type: ignore[attr-defined]
    created = await client.post("/agenda/walk-in", form=walk_in)
    page = await created.get_data(as_text=True)
    assert created.status_code == 201 and "In phiếu hẹn cho công dân" in page
    assert "Thư xác nhận kèm đường dẫn riêng của công dân đã được gửi tới an@example.vn" in page
    booking_id = re.search(r'/receptions/([0-9a-f-]{36})', page).group(1)  # type: ignore[union-attr]
    status, page, _ = await _post(client, f"/receptions/{booking_id}/case", OPEN_AS)
    assert status == 409 and "Chỉ mở hồ sơ từ một buổi tiếp đã diễn ra." in page

    clock.at = start + timedelta(minutes=10)
    client = await client_for(booking_app, "canbo")  # the next day: yesterday's sign-in ended
    status, _, location = await _post(client, f"/receptions/{booking_id}/case",
                                      {**OPEN_AS, "kind": "petition"})
    assert status == 303
    shown = await detail(client, urlsplit(location).path.rsplit("/", 1)[1])
    assert shown["kind"] == "petition" and shown["opened_on"] == start.date().isoformat()
    assert sorted(p["role"] for p in shown["parties"]) == ["complainee", "petitioner"]
    async with booking_app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        [link] = await uow.case_receptions.for_booking(uuid.UUID(booking_id))
        booking = await uow.bookings.get(link.booking_id)
    assert booking is not None and booking.channel is Channel.WALK_IN
    assert link.received_on == start.astimezone(LOCAL_TZ).date()


async def test_another_agency_neither_sees_nor_opens_a_reception(app: Quart, tmp_path: Path) -> None:
    container = app.container  # type: ignore[attr-defined]
    official = await make_official(container.staff, login="tiepdan")
    held = await seed_hearing(container.uow_factory, official, tmp_path / "recordings")
    await staff(app, "khac", StaffRole.RECEPTIONIST, StaffRole.CASE_MANAGER, code="XX")
    stranger = await client_for(app, "khac")
    booking = held.seeded.booking.id
    assert (await stranger.get(f"/receptions/{booking}")).status_code == 404
    status, _, _ = await _post(stranger, f"/receptions/{booking}/case", OPEN_AS)
    assert status == 404
    await staff(app, "thanhtra", StaffRole.INSPECTOR, code="TT")
    inspector = await client_for(app, "thanhtra")
    page = await (await inspector.get(f"/receptions/{booking}")).get_data(as_text=True)
    assert "Mở hồ sơ" not in page and "mở hồ sơ từ buổi tiếp này" in page
    status, _, _ = await _post(inspector, f"/receptions/{booking}/case", OPEN_AS)
    assert status == 403


def _weekday(day: object) -> str:
    names = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
    return names[day.weekday()]  # type: ignore[attr-defined]



async def test_a_reception_opened_as_a_denunciation_seals_its_citizen_from_then_on(
    app: Quart, tmp_path: Path
) -> None:
    """Booked as a complaint, heard, and found to denounce: the citizen is a denouncer from the
    day they came (LTC Art. 47), so the reception is sealed as its case is opened."""
    container = app.container  # type: ignore[attr-defined]
    official = await make_official(container.staff, login="tiepdan")
    held = await seed_hearing(container.uow_factory, official, tmp_path / "recordings")
    await container.transcript_review.approve(official, held.hearing.id, checked=True)  # signed, with names
    booking = held.seeded.booking.id
    client = await client_for(app, "tiepdan")
    assert CITIZEN in await (await client.get(f"/receptions/{booking}")).get_data(as_text=True)
    status, _, _ = await _post(client, f"/receptions/{booking}/case", {
        "kind": "denunciation", "summary": "Tố cáo cán bộ địa chính xã nhận tiền",
        "respondent": "Cán bộ địa chính xã An Bình"})
    assert status == 303
    page = await (await client.get(f"/receptions/{booking}")).get_data(as_text=True)
    assert CITIZEN not in page and "001090000001" not in page and "Người tố cáo A" in page
    async with container.uow_factory() as uow:
        sealed = await uow.bookings.get(booking)
        names = [p.display_name for p in await uow.participants.of_booking(booking)]
    assert sealed is not None and sealed.sealed_identity is not None
    assert names == ["Người tố cáo A"]

    # Their hearing and its approved transcript now speak of the pseudonym, and the transcript
    # is still intact: its new fingerprint is in the audit log with the old one.
    await staff(app, "theodoi", StaffRole.CASE_MANAGER, code="TT")
    manager = await client_for(app, "theodoi")
    base = f"/api/v1/hearings/{held.hearing.id}"
    review = await (await manager.get(f"{base}/transcript")).get_json()
    assert CITIZEN not in repr(review) and "Người tố cáo A" in repr(review)
    assert review["intact"] is True
    state = await (await client.get(f"{base}/state")).get_data(as_text=True)
    assert CITIZEN not in state
    async with container.uow_factory() as uow:
        entries = [e async for e in uow.audit.of_actions(["transcript.speaker_sealed"])]
    assert len(entries) == 1 and entries[0].details["to"] == review["approved_hash"]
    # The integrity check takes the sealing's audited fingerprint as the approved one.
    report = await container.integrity.check_all(Trigger.COMMAND)
    assert report.transcripts == 1 and report.ok, report.failures
    assert (await manager.get(f"/staff/hearings/{held.hearing.id}/transcript.txt")
            ).status_code == 200
    # The record signed at approval names them: only who held the hearing (or the head) gets it.
    record = f"/staff/hearings/{held.hearing.id}/transcript.pdf"
    refused = await manager.get(record)
    assert refused.status_code == 403 and "Điều 56" in await refused.get_data(as_text=True)
    assert (await client.get(record)).status_code == 200
