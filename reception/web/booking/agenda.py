"""Staff pages: the reception calendar and each official's day — waiting citizens, admitting,
opening hearings, no-shows, reassigning — and walk-in or phone bookings."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any

from quart import Blueprint, redirect, render_template, request, url_for
from quart.typing import ResponseTypes

from reception.domain.booking import LOCAL_TZ, BookingId, Channel, SessionKind
from reception.domain.organisation import AgencyId, StaffId
from reception.i18n_marker import N_
from reception.services.booking.calendar import NewSession, local_day_bounds
from reception.services.booking.rules import WAITING_ROOM_OPENS
from reception.services.errors import Forbidden, Invalid, NotFound, ServiceError
from reception.services.registry import BookingServices
from reception.web.booking.forms import (
    MESSAGES,
    BookingForm,
    form_fields,
    group_by_day,
    pick_day,
    slot_value,
    slot_window,
    to_new_booking,
    uploads_of,
)
from reception.web.context import services
from reception.web.days import parse_day
from reception.web.errors import message_of
from reception.web.forms import parse_form
from reception.web.hearings.admission import admits
from reception.web.i18n import current_locale, gettext
from reception.web.rendering.labels import citation, label
from reception.web.security.access import current_staff, staff_required

blueprint = Blueprint("agenda", __name__, url_prefix="/agenda")
staff = staff_required()
# The staff actions on one booking, here and in the API (the security tests try each of them).
ACTIONS = ("admit", "wait", "open", "no-show", "complete", "reassign")


def _services() -> BookingServices:
    return services().booking


@blueprint.app_context_processor
async def _booking_globals() -> dict[str, object]:
    return {"local_tz": LOCAL_TZ}


def _today() -> date:
    return services().clock.now().astimezone(LOCAL_TZ).date()


def _selection() -> tuple[StaffId, date]:
    actor = current_staff()
    try:
        official = StaffId(uuid.UUID(request.args.get("official") or str(actor.id)))
    except ValueError:
        raise Invalid(N_("Check the official and the day.")) from None
    return official, parse_day(request.args.get("day") or _today().isoformat())


@blueprint.get("/")
@staff
async def day_view() -> str:
    actor = current_staff()
    official, day = _selection()
    booking = _services()
    colleagues = await services().staff.list_staff()
    colleagues = [m for m in colleagues if m.agency_id == actor.agency_id and m.active]
    return await render_template(
        "agenda/day.html", official=official, day=day, colleagues=colleagues,
        items=await booking.agenda.day(actor, official, day),
        waiting=await booking.waiting_room.waiting_for(actor, official),
        head_findings=await booking.calendar.head_days_findings(
            AgencyId(actor.agency_id), day.year, day.month),
        sessions=await booking.calendar.sessions(AgencyId(actor.agency_id),
                                                  *_day_bounds(day)),
        kinds=list(SessionKind), notice=request.args.get("notice"), now=services().clock.now(),
        opens_before=WAITING_ROOM_OPENS)


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    return local_day_bounds(day)


@blueprint.get("/waiting")
@staff
async def waiting_fragment() -> str:
    official, _ = _selection()
    found = await _services().waiting_room.waiting_for(current_staff(), official)
    return await render_template("agenda/_waiting.html", waiting=found)


def _back(notice: str | None = None) -> ResponseTypes:
    # Any, as url_for types its **values: a dict[str, str] would also match its bool options.
    values: dict[str, Any] = {k: v for k, v in request.args.items() if k in ("official", "day")}
    if notice:
        values["notice"] = notice
    return redirect(url_for("agenda.day_view", **values))


@blueprint.post("/bookings/<uuid:booking_id>/<action>")
@admits("agenda")  # action "admit"
@staff
async def booking_action(booking_id: uuid.UUID, action: str) -> ResponseTypes:
    actor, target, booking = current_staff(), BookingId(booking_id), _services()
    try:
        if action == "admit":
            await services().hearings.hearings.admit_booking(actor, target)
        elif action == "wait":
            await booking.waiting_room.ask_to_wait(actor, target)
        elif action == "open":
            await services().hearings.hearings.open(actor, target)
        elif action == "no-show":
            await booking.agenda.mark_no_show(actor, target)
        elif action == "complete":
            await services().hearings.hearings.finish(actor, target)
        elif action == "reassign":
            official = StaffId(uuid.UUID((await request.form).get("official_id", "")))
            await booking.agenda.reassign(actor, target, official)
        else:
            raise Invalid(N_("Check the official and the day."))
    except (NotFound, Forbidden):
        raise  # another agency's booking or official: 404 / 403, never a hint on the agenda
    except (ServiceError, ValueError) as error:
        message = (message_of(error)
                   if isinstance(error, ServiceError) else gettext(N_("Check this value.")))
        return _back(message)
    return _back()


@blueprint.post("/sessions")
@staff
async def add_session() -> ResponseTypes:
    actor = current_staff()
    form = await request.form
    try:
        day = parse_day(form.get("date", ""), "date")
        starts = datetime.combine(day, time.fromisoformat(form.get("start", "")), LOCAL_TZ)
        ends = datetime.combine(day, time.fromisoformat(form.get("end", "")), LOCAL_TZ)
        new = NewSession(AgencyId(actor.agency_id), SessionKind(form.get("kind", "")),
                         StaffId(uuid.UUID(form.get("official_id", ""))), starts, ends,
                         int(form.get("slot_minutes") or 30))
        _, findings = await _services().calendar.add_session(actor, new)
    except ServiceError as error:
        return _back(message_of(error))
    except ValueError:
        return _back(gettext(N_("Check the date, the times and the official.")))
    warning = "; ".join(f"{label('rule', f.code)} ({citation(f.article)})" for f in findings)
    return _back(gettext(N_("Session added.")) + (f" ⚠ {warning}" if warning else ""))


async def _walk_in_page(form: dict[str, object] | None = None,
                        errors: dict[str, str] | None = None, status: int = 200) -> tuple[str, int]:
    """Staff book walk-ins and phone calls in any session, today's and ad-hoc ones included."""
    actor = current_staff()
    start, end = slot_window(services().clock.now())
    slots = await _services().calendar.free_slots(AgencyId(actor.agency_id), start, end,
                                                  Channel.WALK_IN)
    days = group_by_day(slots)
    form = form or {}
    html = await render_template("agenda/walk_in.html", days=days,
                                 selected=pick_day(days, request.args.get("day"), form.get("slot")),
                                 slot_value=slot_value, form=form, errors=errors or {},
                                 limits=_services().bookings.limits)
    return html, status


@blueprint.route("/walk-in", methods=["GET", "POST"])
@staff
async def walk_in() -> tuple[str, int]:
    if request.method == "GET":
        return await _walk_in_page()
    form = await request.form
    fields = form_fields(form)
    data, errors = parse_form(BookingForm, fields, MESSAGES)
    if data is None:
        return await _walk_in_page(fields, errors, 422)
    channel = Channel.PHONE if form.get("channel") == "phone" else Channel.WALK_IN
    try:
        receipt = await _services().agenda.register_on_behalf(
            current_staff(), to_new_booking(data, current_locale(), channel),
            uploads_of(await request.files))
    except NotFound:
        raise  # a forged slot of another agency's session
    except ServiceError as error:
        field = str(error.params.get("field", "__all__"))
        return await _walk_in_page(fields, {field: message_of(error)},
                                   409 if error.code == "conflict" else 422)
    # Spoken to the official, who hands the citizen a printed slip (the private link is long).
    html = await render_template("agenda/walk_in_done.html", booking=receipt.booking,
                                 link=_services().mail.link(receipt.token), token=receipt.token,
                                 mail_logged=_services().mail_is_logged, mailed=receipt.mailed,
                                 status_url=_services().mail.status_url())
    return html, 201

