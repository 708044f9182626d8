"""A reception as staff see it (the booking, its hearings, documents and cases), and "Open a
case file" from it: the case is registered with everything the reception holds, and its clocks
start on the reception day (services/cases/intake.py)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from pydantic import BaseModel, Field
from quart import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as Redirect

from reception.domain.booking import BookingId
from reception.domain.cases.case import ComplaintSubject, ProcessKind
from reception.domain.cases.case_file import ContestedDecision
from reception.i18n_marker import N_
from reception.services.cases.intake import CaseFromReception, IntakeService
from reception.services.errors import ServiceError
from reception.web.cases import forms as case_forms
from reception.web.cases.pages import keep_secret_once
from reception.web.context import services
from reception.web.days import IssuedDay
from reception.web.errors import message_of
from reception.web.forms import parse_form
from reception.web.i18n import gettext
from reception.web.security.access import current_staff, staff_required
from reception.web.text import OneLine

blueprint = Blueprint("receptions", __name__, url_prefix="/receptions")

MESSAGES = {
    "kind": N_("Choose what kind of petition this is."),
    "summary": N_("Write the content of the petition (at least 3 characters)."),
    "respondent": N_("The name is too long (255 characters at most)."),
    "subject": N_("Choose what the complaint is about."),
    "contested_number": N_("Enter the number of the contested decision."),
    "contested_issued_on": N_("Enter a valid date of issue."),
    "contested_issuer": N_("Enter who issued the contested decision."),
}


class IntakeForm(BaseModel):
    kind: ProcessKind
    summary: str = Field(min_length=3, max_length=10000)
    respondent: OneLine | None = Field(default=None, max_length=255)
    subject: ComplaintSubject = ComplaintSubject.ADMINISTRATIVE
    contested_number: OneLine | None = Field(default=None, max_length=64)
    contested_issued_on: IssuedDay | None = None
    contested_issuer: OneLine | None = Field(default=None, max_length=255)


def _service() -> IntakeService:
    return services().cases.intake


async def _page(booking_id: uuid.UUID, form: Mapping[str, str] | None = None,
                errors: dict[str, str] | None = None, status: int = 200) -> tuple[str, int]:
    view = await _service().reception(current_staff(), BookingId(booking_id))
    html = await render_template("receptions/detail.html", v=view, form=form or {},
                                 errors=errors or {}, f=case_forms)
    return html, status


@blueprint.get("/<uuid:booking_id>")
@staff_required()
async def show(booking_id: uuid.UUID) -> tuple[str, int]:
    return await _page(booking_id)


@blueprint.post("/<uuid:booking_id>/case")
@staff_required()
async def open_case(booking_id: uuid.UUID) -> tuple[str, int] | Redirect:
    form = await request.form
    fields = {k: v.strip() for k, v in form.items() if k != "csrf_token" and v.strip()}
    data, errors = parse_form(IntakeForm, fields, MESSAGES)
    if data is not None and data.kind not in case_forms.KINDS:
        errors["kind"] = gettext(MESSAGES["kind"])
    if data is None or errors:
        return await _page(booking_id, form, errors, 422)
    contested = None
    if data.kind is ProcessKind.COMPLAINT and data.contested_number:
        contested = ContestedDecision(data.contested_number, data.contested_issued_on,
                                      data.contested_issuer or "")
    try:
        registered = await _service().open_case(current_staff(), BookingId(booking_id),
                                                CaseFromReception(data.kind, data.summary,
                                                                  data.subject, data.respondent,
                                                                  contested))
    except ServiceError as error:
        if error.code == "not_found":
            raise
        status = {"forbidden": 403, "invalid": 422}.get(error.code, 409)
        return await _page(booking_id, form, {"__all__": message_of(error)}, status)
    await keep_secret_once(registered.case.id, registered.secret)
    return redirect(url_for("cases.show", case_id=registered.case.id, registered=1), 303)
