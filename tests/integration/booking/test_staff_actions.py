"""Staff side: reassigning (the exclusion constraint refuses a double booking in words), marking
a no-show, registering walk-in and phone bookings — each audit-logged, each a 404 for a
receptionist of another agency; the head's R-8 days on the agenda; the API's documented body."""

from __future__ import annotations

from datetime import datetime, timedelta

import asyncpg
from quart import Quart

from reception.domain.booking import LOCAL_TZ, SessionKind
from reception.domain.organisation import StaffMember, StaffRole
from reception.services.booking.calendar import NewSession
from tests.conftest import asyncpg_dsn
from tests.integration.booking.conftest import PinnedClock, booking_form, official_with_session
from tests.integration.conftest import form_token, log_in, make_staff


async def audit_actions(url: str, object_id: str) -> list[tuple[str, str]]:
    conn = await asyncpg.connect(dsn=asyncpg_dsn(url))
    try:
        rows = await conn.fetch("SELECT action, actor_label FROM audit_log WHERE object_id = $1 "
                                "ORDER BY id", object_id)
    finally:
        await conn.close()
    return [(r["action"], r["actor_label"]) for r in rows]


async def add_session(app: Quart, member: StaffMember, start: datetime,
                      kind: SessionKind = SessionKind.REGULAR) -> str:
    session, _ = await app.container.booking.calendar.add_session(None, NewSession(  # type: ignore[attr-defined]
        member.agency_id, kind, member.id, start, start + timedelta(hours=3), 30))
    return str(session.id)


async def book(client: object, session: str, start: datetime, email: str) -> str:
    response = await client.post("/api/v1/bookings", json=booking_form(  # type: ignore[attr-defined]
        f"{session}|{start.isoformat()}", email=email))
    assert response.status_code == 201
    return str((await response.get_json())["id"])


async def staff_post(client: object, path: str, form: dict[str, str] | None = None) -> object:
    token = await form_token(client, "/agenda/")  # type: ignore[arg-type]
    return await client.post(path, form={**(form or {}), "csrf_token": token})  # type: ignore[attr-defined]


async def test_reassigning_refuses_a_busy_official_in_words_and_moves_to_a_free_one(
    booking_app: Quart, clean_db: str
) -> None:
    lan, start = await official_with_session(booking_app)
    session = await add_session(booking_app, busy := await make_staff(
        booking_app, "busy", StaffRole.INSPECTOR), start)
    free = await make_staff(booking_app, "free", StaffRole.INSPECTOR)
    citizen = booking_app.test_client()
    lan_session = (await booking_app.container.booking.calendar.sessions(  # type: ignore[attr-defined]
        lan.agency_id, start, start + timedelta(hours=1)))
    mine = await book(citizen, str(next(s.id for s in lan_session if s.official_id == lan.id)),
                      start, "an@example.vn")
    await book(citizen, session, start, "binh@example.vn")

    staff = booking_app.test_client()
    assert await log_in(staff, "canbo") == 302
    response = await staff_post(staff, f"/agenda/bookings/{mine}/reassign",
                                {"official_id": str(busy.id)})
    notice = await (await staff.get(response.headers["Location"])).get_data(as_text=True)  # type: ignore[attr-defined]
    assert "Cán bộ này đã có lịch hẹn vào giờ đó." in notice
    api = await staff.post(f"/api/v1/bookings/{mine}/reassign", json={"official_id": str(busy.id)},
                           headers={"X-CSRF-Token": await form_token(staff, "/agenda/")})
    assert api.status_code == 409 and (await api.get_json())["code"] == "conflict"

    api = await staff.post(f"/api/v1/bookings/{mine}/reassign", json={"official_id": str(free.id)},
                           headers={"X-CSRF-Token": await form_token(staff, "/agenda/")})
    assert api.status_code == 200 and (await api.get_json())["official_id"] == str(free.id)
    assert await audit_actions(clean_db, mine) == [("booking.created", "citizen"),
                                                  ("booking.reassigned", "canbo")]
    bad = await staff.post(f"/api/v1/bookings/{mine}/reassign", json={"official_id": "nobody"},
                           headers={"X-CSRF-Token": await form_token(staff, "/agenda/")})
    assert bad.status_code == 400 and (await bad.get_json())["code"] == "validation_failed"


async def test_no_show_and_walk_in_are_audit_logged_and_hidden_from_other_agencies(
    booking_app: Quart, clean_db: str, clock: PinnedClock
) -> None:
    lan, start = await official_with_session(booking_app, days_ahead=1)  # tomorrow 08:00
    await make_staff(booking_app, "khac", StaffRole.RECEPTIONIST, agency_code="XX")
    session = str((await booking_app.container.booking.calendar.sessions(  # type: ignore[attr-defined]
        lan.agency_id, start, start + timedelta(hours=1)))[0].id)
    ours, theirs = booking_app.test_client(), booking_app.test_client()
    assert await log_in(ours, "canbo") == 302 and await log_in(theirs, "khac") == 302

    walk_in = {**booking_form(f"{session}|{start.isoformat()}"), "channel": "phone"}
    refused = await staff_post(theirs, "/agenda/walk-in", walk_in)
    assert refused.status_code == 404  # another agency's session, even with a forged slot
    created = await staff_post(ours, "/agenda/walk-in", walk_in)
    assert created.status_code == 201  # tomorrow: lead times do not apply to staff bookings
    booking_id = (await (await ours.get(  # type: ignore[attr-defined]
        f"/api/v1/agenda?day={start.date().isoformat()}")).get_json())["items"][0]["id"]

    clock.at = start + timedelta(minutes=20)
    # A day later: sessions idle for more than 15 minutes have ended; both sign in again.
    assert await log_in(ours, "canbo") == 302 and await log_in(theirs, "khac") == 302
    other = await make_staff(booking_app, "khac2", StaffRole.RECEPTIONIST, agency_code="XX")
    for action, form in (("no-show", {}), ("reassign", {"official_id": str(other.id)}),
                         ("open", {})):
        response = await staff_post(theirs, f"/agenda/bookings/{booking_id}/{action}", form)
        assert response.status_code == 404, action
        api = await theirs.post(f"/api/v1/bookings/{booking_id}/{action}", json=form or None,  # type: ignore[attr-defined]
                                headers={"X-CSRF-Token": await form_token(theirs, "/agenda/")})
        assert api.status_code == 404, action
    response = await staff_post(ours, f"/agenda/bookings/{booking_id}/no-show")
    assert response.status_code == 302
    agenda = await (await ours.get(f"/api/v1/agenda?day={start.date().isoformat()}")).get_json()  # type: ignore[attr-defined]
    assert agenda["items"][0]["status"] == "no_show" and agenda["items"][0]["channel"] == "phone"
    assert await audit_actions(clean_db, booking_id) == [("booking.created", "canbo"),
                                                        ("booking.no_show", "canbo")]


async def test_the_agenda_warns_while_the_head_has_too_few_periodic_days_r8(
    booking_app: Quart
) -> None:
    lan, start = await official_with_session(booking_app)  # 15/12/2026
    head = await make_staff(booking_app, "thutruong", StaffRole.HEAD)
    client = booking_app.test_client()
    assert await log_in(client, "canbo") == 302
    warning = "Số ngày thủ trưởng tiếp định kỳ trong tháng này ít hơn mức luật yêu cầu. (Điều 18(2) LTCD)"

    async def agenda() -> str:
        return await (await client.get("/agenda/?day=2026-12-15")).get_data(as_text=True)  # type: ignore[attr-defined]

    assert warning in await agenda()
    # A periodic session held by someone else is not the head's day.
    await add_session(booking_app, lan, datetime(2026, 12, 17, 8, tzinfo=LOCAL_TZ),
                      SessionKind.PERIODIC)
    assert warning in await agenda()
    await add_session(booking_app, head, datetime(2026, 12, 18, 8, tzinfo=LOCAL_TZ),
                      SessionKind.PERIODIC)
    assert warning not in await agenda()
    january = await (await client.get("/agenda/?day=2027-01-12")).get_data(as_text=True)  # type: ignore[attr-defined]
    assert warning in january  # December's day does not count for January


async def test_the_reassign_body_is_documented_in_the_openapi_document(app: Quart) -> None:
    document = await (await app.test_client().get("/api/openapi.json")).get_json()
    [path] = [p for p in document["paths"] if p.startswith("/api/v1/bookings/") and
              p.endswith("/reassign")]
    body = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    schema = document["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]] if "$ref" in body \
        else body
    assert schema["required"] == ["official_id"]
    assert schema["properties"]["official_id"]["format"] == "uuid"
