"""JSON API of reception scheduling (v1). Citizens authenticate with the `X-Join-Token` header
(never a cookie, so no CSRF); staff with their session (X-CSRF-Token on unsafe calls)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, EmailStr, Field
from quart import Blueprint, request
from quart_schema import validate_querystring, validate_request

from reception.domain.booking import (
    LOCAL_TZ,
    Booking,
    BookingId,
    Channel,
    Participant,
    SessionKind,
    Slot,
)
from reception.domain.organisation import AgencyId, StaffId
from reception.i18n_marker import N_
from reception.services.booking.calendar import NewSession
from reception.services.errors import NotFound
from reception.services.registry import BookingServices
from reception.web.booking.forms import BookingForm, slot_value, slot_window, to_new_booking
from reception.web.context import services
from reception.web.days import Day, Moment
from reception.web.hearings.admission import admits
from reception.web.i18n import current_locale
from reception.web.security.access import current_staff, staff_required
from reception.web.security.limits import booking_quota
from reception.web.text import OneLine

blueprint = Blueprint("api_booking", __name__, url_prefix="/api/v1")
staff = staff_required()


def _services() -> BookingServices:
    return services().booking


def _token() -> str:
    return request.headers.get("X-Join-Token", "")


def _slot(s: Slot) -> dict[str, object]:
    return {"slot": slot_value(s), "session_id": str(s.session_id), "kind": s.kind.value,
            "official_id": str(s.official_id), "starts_at": s.starts_at.isoformat(),
            "ends_at": s.ends_at.isoformat()}


def _booking(b: Booking) -> dict[str, object]:
    return {"id": str(b.id), "reference": b.reference, "status": b.status.value,
            "channel": b.channel.value, "subject": b.subject.value,
            "starts_at": b.starts_at.isoformat(), "ends_at": b.ends_at.isoformat(),
            "official_id": str(b.official_id), "agency_id": str(b.agency_id),
            "full_name": b.citizen.full_name}


def _participant(p: Participant) -> dict[str, object]:
    def iso(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment else None
    return {"id": str(p.id), "booking_id": str(p.booking_id), "role": p.role.value,
            "display_name": p.display_name, "consent_given_at": iso(p.consent_given_at),
            "consent_text_version": p.consent_text_version,
            "device_checked_at": iso(p.device_checked_at), "admitted_at": iso(p.admitted_at)}


class BookingIn(BookingForm):
    """Same fields as the page's form; `slot` comes from GET .../slots."""

    email: EmailStr | None = None


class SessionIn(BaseModel):
    kind: SessionKind
    official_id: uuid.UUID
    starts_at: Moment  # a time without its zone is ambiguous: refused
    ends_at: Moment
    slot_minutes: int = Field(default=30, ge=5, le=240)


class ReassignIn(BaseModel):
    official_id: uuid.UUID


class RescheduleIn(BaseModel):
    slot: OneLine


class WalkInIn(BookingForm):
    channel: Channel = Channel.WALK_IN


@blueprint.get("/reception/agencies/<code>/slots")
async def free_slots(code: str) -> dict[str, object]:
    agencies = {a.code: a for a in await services().staff.list_agencies()}
    if code not in agencies:
        raise NotFound(N_("This agency does not exist."))
    start, end = slot_window(services().clock.now())
    slots = await _services().calendar.free_slots(AgencyId(agencies[code].id), start, end)
    return {"agency": code, "items": [_slot(s) for s in slots]}


@blueprint.post("/bookings")
@validate_request(BookingIn)
async def create_booking(data: BookingIn) -> tuple[dict[str, object], int]:
    async with booking_quota(data.id_number):
        receipt = await _services().bookings.book(to_new_booking(data, current_locale()))
    return {**_booking(receipt.booking), "join_link": _services().mail.link(receipt.token),
            "token": receipt.token}, 201


@blueprint.get("/join")
async def join_view() -> dict[str, object]:
    view = await _services().bookings.view(_token())
    return {**_booking(view.booking), "participant": _participant(view.participant),
            "documents": [{"filename": d.filename, "size": d.size, "sha256": d.sha256}
                          for d in view.documents]}


@blueprint.get("/join/status")
async def join_status() -> dict[str, object]:
    joined = await _services().waiting_room.resolve_join_token(_token())
    return {"state": joined.state.value, "booking_status": joined.booking.status.value}


@blueprint.post("/join/device-check")
async def join_device_check() -> dict[str, object]:
    joined = await _services().waiting_room.device_checked(_token())
    return {"state": joined.state.value}


@blueprint.post("/join/consent/<answer>")
async def join_consent(answer: str) -> dict[str, object]:
    joined = await _services().waiting_room.consent(_token(), answer == "yes")
    return {"state": joined.state.value, "participant": _participant(joined.participant)}


@blueprint.post("/join/reschedule")
@validate_request(RescheduleIn)
async def join_reschedule(data: RescheduleIn) -> dict[str, object]:
    from reception.web.booking.forms import parse_slot

    session_id, starts_at = parse_slot(data.slot)
    return _booking(await _services().bookings.reschedule(_token(), session_id, starts_at))


@blueprint.post("/join/cancel")
async def join_cancel() -> dict[str, object]:
    return _booking(await _services().bookings.cancel(_token()))


@blueprint.post("/join/documents")
async def join_documents() -> tuple[dict[str, object], int]:
    from reception.web.booking.forms import uploads_of

    await _services().bookings.add_documents(_token(), uploads_of(await request.files))
    return {"status": "stored"}, 201


@blueprint.post("/sessions")
@staff
@validate_request(SessionIn)
async def create_session(data: SessionIn) -> tuple[dict[str, object], int]:
    actor = current_staff()
    session, findings = await _services().calendar.add_session(actor, NewSession(
        actor.agency_id, data.kind, StaffId(data.official_id), data.starts_at, data.ends_at,
        data.slot_minutes))
    return {"id": str(session.id), "findings": [
        {"code": f.code, "severity": f.severity.value, "article": f.article, "message": f.message}
        for f in findings]}, 201


class AgendaQuery(BaseModel):
    official_id: uuid.UUID | None = None  # default: the caller
    day: Day | None = None  # default: today (Vietnam time)


@blueprint.get("/agenda")
@staff
@validate_querystring(AgendaQuery)
async def agenda(query_args: AgendaQuery) -> dict[str, object]:
    actor = current_staff()
    official = StaffId(query_args.official_id or actor.id)
    day = query_args.day or services().clock.now().astimezone(LOCAL_TZ).date()
    items = await _services().agenda.day(actor, official, day)
    return {"day": day.isoformat(), "items": [
        {**_booking(i.booking), "findings": [{"code": f.code, "severity": f.severity.value,
                                               "article": f.article} for f in i.findings]}
        for i in items]}


@blueprint.get("/agenda/waiting")
@staff
@validate_querystring(AgendaQuery)
async def waiting(query_args: AgendaQuery) -> dict[str, object]:
    actor = current_staff()
    official = StaffId(query_args.official_id or actor.id)
    found = await _services().waiting_room.waiting_for(actor, official)
    return {"items": [{**_booking(w.booking), "participant": _participant(w.participant)}
                      for w in found]}


@blueprint.post("/bookings/<uuid:booking_id>/reassign")
@staff
@validate_request(ReassignIn)
async def reassign(booking_id: uuid.UUID, data: ReassignIn) -> dict[str, object]:
    """Give the booking to another official of the agency (409 if they are busy then)."""
    moved = await _services().agenda.reassign(current_staff(), BookingId(booking_id),
                                              StaffId(data.official_id))
    return _booking(moved)


@blueprint.post("/bookings/<uuid:booking_id>/<action>")
@admits("bookings API")  # action "admit"
@staff
async def booking_action(booking_id: uuid.UUID, action: str) -> dict[str, object]:
    actor, target = current_staff(), BookingId(booking_id)
    booking, hearings = _services(), services().hearings.hearings
    if action == "admit":  # the one admission path, through the hearing and its recording
        return _participant(await hearings.admit_booking(actor, target))
    if action == "wait":
        return _participant(await booking.waiting_room.ask_to_wait(actor, target))
    if action == "open":
        await hearings.open(actor, target)
        return _booking(await hearings.booking(actor, target))
    handlers = {"no-show": booking.agenda.mark_no_show, "complete": hearings.finish}
    if action not in handlers:
        raise NotFound(N_("There is nothing at this address. Check the link."))
    return _booking(await handlers[action](actor, target))


@blueprint.post("/walk-ins")
@staff
@validate_request(WalkInIn)
async def walk_in(data: WalkInIn) -> tuple[dict[str, object], int]:
    receipt = await _services().agenda.register_on_behalf(
        current_staff(), to_new_booking(data, current_locale(), data.channel))
    return {**_booking(receipt.booking), "join_link": _services().mail.link(receipt.token)}, 201


