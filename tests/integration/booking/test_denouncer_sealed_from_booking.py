"""A citizen who books or walks in to denounce is sealed in the vault from the booking on.

Two canaries denounce — one books online, one walks in — and then every staff role of the
agency opens every page and JSON the app's URL map lets it reach with a booking's id (or with
none: agenda, lists, dashboards) on the reception's day: no canary's name, ID number, address,
phone or e-mail appears; the pages show the pseudonym. The confirmation e-mail reaches the
canary's own address, read from the vault just before sending, and greets no name. A full
dump of the database (job payloads and the outbox included) holds the canaries only in the
vault's ciphertext; the log holds none. Opening the case file from the walk-in carries the
identity from the booking's vault entry into the case's: the head reveals it there."""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import urlsplit

from quart import Quart
from quart.typing import TestClientProtocol as Client
from structlog.testing import capture_logs

from reception.domain.booking import SessionKind
from reception.domain.organisation import StaffRole
from reception.services.booking.calendar import NewSession
from tests.integration.booking.conftest import Inbox, PinnedClock, booking_form
from tests.integration.cases.helpers import client_for, staff
from tests.integration.conftest import form_token
from tests.integration.security.test_denouncer_canary import _dump

ROLES = {"canbo": StaffRole.RECEPTIONIST, "thanhtra": StaffRole.INSPECTOR,
         "theodoi": StaffRole.CASE_MANAGER, "thutruong": StaffRole.HEAD}
PSEUDONYM = "Người tố cáo A"


def canary() -> dict[str, str]:
    tag = uuid.uuid4().hex[:10]
    digits = "".join(random.choices("0123456789", k=6))
    return {"full_name": f"Canary{tag}", "id_number": f"001085{digits}",
            "address": f"{tag} phố Hàng Bạc, Hà Nội", "phone": f"09{digits}77",
            "email": f"canary{tag}@example.vn"}


def denunciation(slot: str, person: dict[str, str], **extra: str) -> dict[str, str]:
    return {**booking_form(slot), **person, "subject": "denunciation",
            "description": "Tố cáo cán bộ địa chính xã nhận tiền để hợp thức hoá đất lấn chiếm",
            "identity_protection_waived": "on", **extra}


def reachable(app: Quart, booking_ids: list[str]) -> Iterator[str]:
    """Every GET route of the URL map that needs nothing or a booking's id."""
    for rule in app.url_map.iter_rules():
        if rule.websocket or "GET" not in (rule.methods or ()) or rule.endpoint.endswith("static"):
            continue
        if not rule.arguments:
            yield rule.rule
        elif rule.arguments == {"booking_id"}:
            for booking_id in booking_ids:
                yield re.sub(r"<[^>]*booking_id>", booking_id, rule.rule)


async def sweep(app: Quart, clients: dict[str, Client], paths: list[str], day: str) -> list[str]:
    texts = []
    for client in clients.values():
        for path in paths:
            response = await client.get(f"{path}?day={day}")
            texts.append((await response.get_data()).decode(errors="replace"))
    return texts


async def test_a_denouncer_is_only_in_the_vault_from_the_booking_on(
        booking_app: Quart, clock: PinnedClock, smtp: tuple[Inbox, int], clean_db: str) -> None:
    inbox, _ = smtp
    members = {login: await staff(booking_app, login, role, code="TT")
               for login, role in ROLES.items()}
    start = (clock.at + timedelta(days=14)).replace(hour=8, minute=0)
    calendar = booking_app.container.booking.calendar  # type: ignore[attr-defined]
    session, _ = await calendar.add_session(None, NewSession(
        members["canbo"].agency_id, SessionKind.REGULAR, members["canbo"].id, start,
        start + timedelta(hours=2), 30))
    online, walk_in = canary(), canary()

    with capture_logs() as logs:
        citizen = booking_app.test_client()
        token = await form_token(citizen, "/booking?agency=TT")
        booked = await citizen.post("/booking", form={
            **denunciation(f"{session.id}|{start.isoformat()}", online), "agency": "TT",
            "csrf_token": token})
        page = await booked.get_data(as_text=True)
        assert booked.status_code == 200, page
        assert "Chúng tôi cũng đã gửi thông tin này đến thư điện tử của bạn." in page

        clients = {login: await client_for(booking_app, login) for login in ROLES}
        receptionist = clients["canbo"]
        second = start + timedelta(minutes=30)
        created = await receptionist.post("/agenda/walk-in", form={
            **denunciation(f"{session.id}|{second.isoformat()}", walk_in, channel="walk_in"),
            "csrf_token": receptionist.csrf})  # type: ignore[attr-defined]
        page = await created.get_data(as_text=True)
        assert created.status_code == 201, page
        assert "niêm phong trong kho bảo mật" in page and walk_in["full_name"] not in page
        walk_in_id = re.search(r"/receptions/([0-9a-f-]{36})", page).group(1)  # type: ignore[union-attr]

        async with booking_app.container.uow_factory() as uow:  # type: ignore[attr-defined]
            bookings = await uow.bookings.for_agency(members["canbo"].agency_id, start,
                                                     start + timedelta(hours=2))
        assert [b.citizen.full_name for b in bookings] == [PSEUDONYM, PSEUDONYM]
        paths = list(reachable(booking_app, [str(b.id) for b in bookings]))
        texts = await sweep(booking_app, clients, paths, f"{start:%Y-%m-%d}")

        assert await booking_app.container.booking.outbox.deliver_due() == 2  # type: ignore[attr-defined]

    # The pages were really about these bookings: they show the references and the pseudonym.
    references = [b.reference for b in bookings]
    # (each role opens each reception; the official's agenda lists both)
    assert sum(any(r in t for r in references) for t in texts) >= 2 * len(ROLES) + 2, paths
    assert sum(PSEUDONYM in t for t in texts) >= 2 * len(ROLES)
    for person in (online, walk_in):
        for field, value in person.items():
            leaks = [p for p, t in zip(paths * len(ROLES), texts, strict=True) if value in t]
            assert not leaks, f"{field} {value!r} shown on {leaks}"
    # Each canary gets their own confirmation, greeted without a name.
    assert sorted(m["To"] for m in inbox.messages) == sorted([online["email"], walk_in["email"]])
    for message in inbox.messages:
        body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert body.startswith("Kính gửi Ông/Bà") and "Canary" not in body, body
    logged = repr(logs)
    dump, vault = await _dump(clean_db)
    for person in (online, walk_in):
        for value in person.values():
            assert value not in logged and value not in dump, value
    assert vault and online["full_name"].encode() not in vault  # sealed, not just stored apart

    # The walk-in took place; its case file seals the denouncer again, from the same identity.
    clock.at = second + timedelta(minutes=10)
    receptionist = await client_for(booking_app, "canbo")
    # Not as a complaint: its complainant would be named in clear in the case file.
    for kind in ("complaint", "petition", "recommendation"):
        refused = await receptionist.post(f"/receptions/{walk_in_id}/case", form={
            "kind": kind, "summary": "Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất",
            "respondent": "UBND xã An Bình", "csrf_token": receptionist.csrf})  # type: ignore[attr-defined]
        page = await refused.get_data(as_text=True)
        assert refused.status_code == 409 and "mở hồ sơ tố cáo" in page, (kind, page)
        assert walk_in["full_name"] not in page
    page = await (await receptionist.get(f"/receptions/{walk_in_id}")).get_data(as_text=True)
    assert 'value="complaint"' not in page and 'value="denunciation" checked' in page
    opened = await receptionist.post(f"/receptions/{walk_in_id}/case", form={
        "kind": "denunciation", "summary": "Tố cáo cán bộ địa chính xã",
        "respondent": "Cán bộ địa chính xã An Bình", "csrf_token": receptionist.csrf})  # type: ignore[attr-defined]
    assert opened.status_code == 303, await opened.get_data(as_text=True)
    case_id = urlsplit(opened.headers["Location"]).path.rsplit("/", 1)[1]
    head = await client_for(booking_app, "thutruong")
    detail = await (await head.get(f"/api/v1/cases/{case_id}")).get_json()
    [denouncer] = [p for p in detail["parties"] if p["role"] == "denouncer"]
    assert denouncer["sealed"] and denouncer["name"] == PSEUDONYM
    revealed = await head.post(f"/api/v1/cases/{case_id}/parties/{denouncer['id']}/reveal",
                               headers={"X-CSRF-Token": head.csrf},  # type: ignore[attr-defined]
                               json={"reason": "Xác minh nhân thân người tố cáo"})
    identity = await revealed.get_json()
    assert revealed.status_code == 200, identity
    assert (identity["full_name"], identity["id_number"]) == (walk_in["full_name"],
                                                              walk_in["id_number"])
