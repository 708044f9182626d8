"""Administrator pages: agencies, staff accounts, and the integrity of the evidence (the
latest check of every recording, document and the audit log; run one now)."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field
from quart import Blueprint, redirect, render_template, request, url_for
from quart.typing import ResponseTypes

from reception.domain.booking import LOCAL_TZ
from reception.domain.integrity import Trigger
from reception.domain.organisation import AgencyId, AgencyLevel, StaffId, StaffRole
from reception.i18n_marker import N_
from reception.services.errors import ServiceError
from reception.services.staff import NewAgency, NewStaff
from reception.web.admin.schemas import AgencyForm, StaffForm
from reception.web.context import services
from reception.web.errors import message_of
from reception.web.forms import parse_form
from reception.web.security.access import current_staff, staff_required

blueprint = Blueprint("admin", __name__, url_prefix="/admin")
admin_only = staff_required(StaffRole.ADMINISTRATOR)


AGENCY_MESSAGES = {
    "code": N_("A code of 2 to 32 letters, digits, dots, dashes or underscores."),
    "name": N_("Enter the agency's full name."),
    "level": N_("Choose the level."),
    "parent_id": N_("Choose a parent agency from the list."),
}
LANGUAGE_LABELS = {  # transcription language of an agency's hearings
    "vi": N_("Vietnamese"), "en": N_("English"), "auto": N_("Detect automatically")}
STAFF_MESSAGES = {
    "agency_id": N_("Choose the agency."),
    "login": N_("A login of 3 to 64 letters, digits or . _ @ -"),
    "full_name": N_("Enter the full name."),
    "email": N_("Enter a valid e-mail address or leave it empty."),
    "password": N_("The password must have at least 10 characters."),
    "roles": N_("Choose at least one role."),
}


async def _agencies_page(form: object = None, errors: dict[str, str] | None = None,
                         status: int = 200) -> tuple[str, int]:
    agencies = await services().staff.list_agencies()
    names = {a.id: a.name for a in agencies}
    html = await render_template("admin/agencies.html", agencies=agencies, names=names,
                                 levels=list(AgencyLevel), languages=LANGUAGE_LABELS,
                                 form=form or {}, errors=errors or {})
    return html, status


@blueprint.get("/integrity")
@admin_only
async def integrity() -> str:
    latest = await services().integrity.latest()
    return await render_template("admin/integrity.html", report=latest, local_tz=LOCAL_TZ)


@blueprint.post("/integrity")
@admin_only
async def check_integrity() -> ResponseTypes:
    await services().integrity.check_all(Trigger.MANUAL)
    return redirect(url_for("admin.integrity"))


@blueprint.get("/")
@admin_only
async def index() -> ResponseTypes:
    return redirect(url_for("admin.agencies"))


@blueprint.route("/agencies", methods=["GET", "POST"])
@admin_only
async def agencies() -> tuple[str, int] | ResponseTypes:
    if request.method == "GET":
        return await _agencies_page()
    form = await request.form
    data, errors = parse_form(AgencyForm, form, AGENCY_MESSAGES)
    if data is None:
        return await _agencies_page(form, errors, 422)
    try:
        await services().staff.create_agency(
            current_staff(), NewAgency(data.code, data.name, data.level,
                                       AgencyId(data.parent_id) if data.parent_id else None))
    except ServiceError as error:
        return await _agencies_page(form, {"__all__": message_of(error)},
                                    409)
    return redirect(url_for("admin.agencies"))


@blueprint.post("/agencies/<uuid:agency_id>/transcription-language")
@admin_only
async def transcription_language(agency_id: uuid.UUID) -> ResponseTypes:
    """the language an agency's hearings are transcribed in (errors: web/errors.py)."""
    form = await request.form
    await services().transcripts.language.set(
        current_staff(), AgencyId(agency_id), form.get("language", ""))
    return redirect(url_for("admin.agencies"))


async def _staff_page(form: object = None, errors: dict[str, str] | None = None,
                      status: int = 200) -> tuple[str, int]:
    service = services().staff
    agencies = {a.id: a for a in await service.list_agencies()}
    html = await render_template("admin/staff.html", staff=await service.list_staff(),
                                 agencies=agencies, roles=list(StaffRole), form=form or {},
                                 errors=errors or {})
    return html, status


@blueprint.route("/staff", methods=["GET", "POST"])
@admin_only
async def staff() -> tuple[str, int] | ResponseTypes:
    if request.method == "GET":
        return await _staff_page()
    form = await request.form
    fields = {**form.to_dict(), "roles": form.getlist("roles")}
    data, errors = parse_form(StaffForm, fields, STAFF_MESSAGES)
    if data is None:
        return await _staff_page(fields, errors, 422)
    try:
        await services().staff.create_staff(current_staff(), NewStaff(
            AgencyId(data.agency_id), data.login, data.full_name, data.password,
            frozenset(data.roles), data.email))
    except ServiceError as error:
        return await _staff_page(fields, {"__all__": message_of(error)},
                                 409)
    return redirect(url_for("admin.staff"))


class StaffUpdateForm(BaseModel):
    roles: list[StaffRole] = Field(min_length=1)
    active: bool = False


@blueprint.post("/staff/<uuid:staff_id>")
@admin_only
async def update_staff(staff_id: uuid.UUID) -> tuple[str, int] | ResponseTypes:
    form = await request.form
    fields = {"roles": form.getlist("roles"), "active": form.get("active") == "on"}
    data, errors = parse_form(StaffUpdateForm, fields, STAFF_MESSAGES)
    if data is None:
        return await _staff_page(None, errors, 422)
    try:
        await services().staff.update_staff(
            current_staff(), StaffId(staff_id), roles=frozenset(data.roles), active=data.active)
    except ServiceError as error:
        return await _staff_page(None, {"__all__": message_of(error)},
                                 409 if error.code != "not_found" else 404)
    return redirect(url_for("admin.staff"))


@blueprint.post("/staff/<uuid:staff_id>/sessions/end")
@admin_only
async def end_sessions(staff_id: uuid.UUID) -> ResponseTypes:
    """End every session of an account at once (a lost laptop, someone leaving)."""
    await services().security.sessions.end_all_of(current_staff(), StaffId(staff_id))
    return redirect(url_for("admin.staff"))
