"""Citizen pages: book a reception without an account, then manage it with the private link
(`?t=`: a query string, so it never appears in the request log, which records paths only)."""

from __future__ import annotations

from collections.abc import Mapping

from quart import Blueprint, Response, redirect, render_template, request, url_for
from quart.typing import ResponseTypes
from werkzeug.exceptions import RequestEntityTooLarge

from reception.domain.cases.intake import took_place
from reception.domain.organisation import AgencyId
from reception.i18n_marker import N_
from reception.services.booking.bookings import PARTY_LINK
from reception.services.booking.rules import CONSENT_TEXT_VERSION, WAITING_ROOM_OPENS
from reception.services.errors import Conflict, Forbidden, ServiceError
from reception.services.registry import BookingServices
from reception.web.booking.forms import (
    MESSAGES,
    TOO_LARGE,
    BookingForm,
    form_fields,
    group_by_day,
    parse_slot,
    pick_day,
    slot_value,
    slot_window,
    to_new_booking,
    uploads_of,
)
from reception.web.context import services
from reception.web.errors import HTTP_MESSAGES, message_of, respond
from reception.web.forms import parse_form
from reception.web.i18n import current_locale, gettext
from reception.web.rendering.labels import megabytes
from reception.web.security.limits import booking_quota

blueprint = Blueprint("booking", __name__)


def _services() -> BookingServices:
    return services().booking


def _token() -> str:
    return request.args.get("t", "")


def _message(error: ServiceError) -> str:
    return message_of(error)


async def _booking_page(agency_code: str, form: Mapping[str, object] | None = None,
                        errors: dict[str, str] | None = None, status: int = 200,
                        restore: bool = False) -> tuple[str, int]:
    """The booking form: only agencies with a time a citizen can book, and the free times of
    one day at a time. `restore`: the browser puts back what was typed (a body too large for
    the server to read, forms.js)."""
    start, end = slot_window(services().clock.now())
    offering = await _services().calendar.agencies_offering(start, end)
    agencies = await services().staff.list_agencies()
    agency = next((a for a in agencies if a.code == agency_code), None)
    if agency is None and "agency" in request.args and not errors:
        # "Show free times" with no agency chosen (or a mistyped one) said nothing at all.
        errors, status = {"agency": gettext(N_("Choose the agency."))}, 422
    days = []
    if agency is not None:
        days = group_by_day(await _services().calendar.free_slots(AgencyId(agency.id), start, end))
    form = form or {}
    html = await render_template(
        "citizen/book.html", agencies=[a for a in agencies if a.id in offering], agency=agency,
        days=days, selected=pick_day(days, request.args.get("day"), form.get("slot")),
        slot_value=slot_value, form=form, errors=errors or {}, limits=_services().bookings.limits,
        restore=restore)
    return html, status


@blueprint.get("/booking")
async def book_form() -> tuple[str, int]:
    return await _booking_page(request.args.get("agency", ""))


@blueprint.post("/booking")
async def book() -> tuple[str, int] | str:
    form = await request.form
    fields = form_fields(form)
    agency_code = form.get("agency", "")
    data, errors = parse_form(BookingForm, fields, MESSAGES)
    if data is None:
        return await _booking_page(agency_code, fields, errors, 422)
    try:
        async with booking_quota(data.id_number):
            receipt = await _services().bookings.book(to_new_booking(data, current_locale()),
                                                      uploads_of(await request.files))
    except ServiceError as error:
        field = str(error.params.get("field", "__all__"))
        status = 409 if error.code == "conflict" else 422
        return await _booking_page(agency_code, fields, {field: _message(error)}, status)
    link = _services().mail.link(receipt.token)
    return await render_template("citizen/booked.html", booking=receipt.booking, link=link,
                                 token=receipt.token, mail_logged=_services().mail_is_logged,
                                 mailed=receipt.mailed, status_url=_services().mail.status_url())


@blueprint.errorhandler(RequestEntityTooLarge)
async def too_large(error: RequestEntityTooLarge) -> tuple[str, int]:
    """A body too large to read (a huge attachment): the form comes back with the reason where
    the eye is, and the browser puts back what was typed (the server never saw it)."""
    if request.endpoint == "booking.book":
        limits = _services().bookings.limits
        message = gettext(TOO_LARGE).format(mb=megabytes(limits.max_bytes),
                                            n=limits.max_count)
        return await _booking_page(request.args.get("agency", ""), {}, {"documents": message},
                                   413, restore=True)
    return await _manage_page(error=gettext(TOO_LARGE).format(
        mb=megabytes(_services().bookings.limits.max_bytes),
        n=_services().bookings.limits.max_count), status=413)


@blueprint.errorhandler(Forbidden)
async def refused(error: Forbidden) -> Response:
    """An interpreter's, lawyer's or representative's link on the citizen's booking pages: the
    page says what the link is for and leads on to the waiting room (their way in is not a dead
    end); any other refusal (a forged or expired link) reads as everywhere."""
    detail = message_of(error)
    onward = None
    if error.message == PARTY_LINK:
        onward = (url_for("booking.waiting_room", t=_token()),
                  gettext(N_("Go to the waiting room")))
    return await respond(403, error.code, gettext(HTTP_MESSAGES[403][0]), detail, onward=onward)


async def _manage_page(notice: str | None = None, error: str | None = None,
                       status: int = 200) -> tuple[str, int]:
    view = await _services().bookings.view(_token())
    now = services().clock.now()
    opens = view.booking.starts_at - WAITING_ROOM_OPENS
    html = await render_template("citizen/manage.html", view=view, token=_token(), notice=notice,
                                 error=error, limits=_services().bookings.limits,
                                 opens_at=opens if opens > now else None,
                                 held=took_place(view.booking, now),
                                 status_url=_services().mail.status_url())
    return html, status


@blueprint.get("/my-booking")
async def manage() -> tuple[str, int]:
    return await _manage_page()


@blueprint.post("/my-booking/cancel")
async def cancel() -> tuple[str, int] | ResponseTypes:
    try:
        await _services().bookings.cancel(_token())
    except Conflict as error:  # already cancelled or started: say so on the booking's page
        return await _manage_page(error=_message(error), status=409)
    return redirect(url_for("booking.manage", t=_token(), done="cancelled"))


@blueprint.post("/my-booking/documents")
async def add_documents() -> tuple[str, int] | ResponseTypes:
    try:
        await _services().bookings.add_documents(_token(), uploads_of(await request.files))
    except ServiceError as error:
        if error.code == "forbidden":
            raise
        return await _manage_page(error=_message(error), status=422)
    return redirect(url_for("booking.manage", t=_token(), done="documents"))


@blueprint.route("/my-booking/reschedule", methods=["GET", "POST"])
async def reschedule() -> tuple[str, int] | ResponseTypes:
    view = await _services().bookings.view(_token())
    error, status = None, 200
    if request.method == "POST":
        try:
            session_id, starts_at = parse_slot((await request.form).get("slot", ""))
            await _services().bookings.reschedule(_token(), session_id, starts_at)
            return redirect(url_for("booking.manage", t=_token(), done="moved"))
        except ServiceError as failure:
            if failure.code == "forbidden":
                raise
            error, status = _message(failure), 409 if failure.code == "conflict" else 422
    start, end = slot_window(services().clock.now())
    days = group_by_day(await _services().calendar.free_slots(view.booking.agency_id, start, end,
                                                              view.booking.channel))
    html = await render_template("citizen/reschedule.html", view=view, token=_token(), days=days,
                                 selected=pick_day(days, request.args.get("day")),
                                 slot_value=slot_value, error=error)
    return html, status


@blueprint.get("/my-booking/invitation.ics")
async def invitation() -> Response:
    view = await _services().bookings.view(_token())
    ics = _services().mail.invitation_file(view.booking, _token(),
                                           services().clock.now())
    return Response(ics, content_type="text/calendar; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{view.booking.reference}.ics"'})


def consent_edition(version: str) -> str:
    """The stored version of the consent wording ("2026-11-v1") as people read it: the month of
    the wording and its revision. The record keeps the code itself."""
    year, month, revision = version.split("-")
    return gettext(N_("Consent wording of %(month)s/%(year)s, revision %(n)s")) % {
        "month": month, "year": year, "n": revision.removeprefix("v")}


@blueprint.get("/my-booking/waiting-room")
async def waiting_room() -> str:
    joined = await _services().waiting_room.resolve_join_token(_token())
    return await render_template("citizen/waiting_room.html", joined=joined, token=_token(),
                                 consent_edition=consent_edition(CONSENT_TEXT_VERSION),
                                 opens_at=joined.booking.starts_at - WAITING_ROOM_OPENS)


@blueprint.post("/my-booking/consent")
async def consent() -> ResponseTypes:
    given = (await request.form).get("answer") == "yes"
    await _services().waiting_room.consent(_token(), given)
    return redirect(url_for("booking.waiting_room", t=_token()))
