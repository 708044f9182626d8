"""Case-manager pages: the list with search, registering a petition, the case page with its
deadlines, history, documents and the actions the engine allows now; each form posts to one
service call."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date

from quart import Blueprint, Response, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as Redirect

from reception.domain.access import ObjectType, Permission
from reception.domain.cases.case_file import CaseFilter
from reception.domain.cases.denouncer import DenouncerIdentity
from reception.domain.cases.facts import coerce_fact
from reception.domain.law.events import FactValue
from reception.domain.organisation import StaffId, StaffRole
from reception.services.cases.workflow import ActionRequest
from reception.services.errors import ServiceError
from reception.services.registry import CaseServices
from reception.web.access import current_staff, staff_required
from reception.web.cases import forms as case_forms
from reception.web.cases.access import object_route
from reception.web.cases.labels import Refusal, action_label, refusal_of, state_label
from reception.web.context import services
from reception.web.errors import message_of
from reception.web.i18n import gettext

blueprint = Blueprint("cases", __name__, url_prefix="/cases")
blueprint.add_app_template_filter(action_label, "action_label")
blueprint.add_app_template_filter(state_label, "state_label")
SECRET_KEY = "case_secret:{}"  # the citizen's code, shown once on the new case's page


def _services() -> CaseServices:
    return services().cases


@blueprint.get("/")
@staff_required()
async def index() -> str:
    args = request.args
    f = CaseFilter(text=args.get("q", "")[:64], overdue_only=args.get("overdue") == "1",
                   open_only=args.get("open") == "1")
    found = await _services().reports.search(current_staff(), f)
    return await render_template("cases/list.html", cases=found, f=f,
                                 today=_services().workflow.today())


REGISTRARS = (StaffRole.RECEPTIONIST, StaffRole.CASE_MANAGER)


async def _register_page(form: Mapping[str, str], errors: dict[str, str],
                         status: int = 200) -> tuple[str, int]:
    html = await render_template("cases/register.html", form=form, errors=errors, f=case_forms,
                                 today=_services().workflow.today())
    return html, status


@blueprint.get("/new")
@staff_required(*REGISTRARS)
async def new() -> tuple[str, int]:
    return await _register_page({}, {})


@blueprint.post("/new")
@staff_required(*REGISTRARS)
async def register() -> tuple[str, int] | Redirect:
    form = await request.form
    case, errors = case_forms.parse_registration(form, _services().workflow.today())
    if case is None:
        return await _register_page(form, errors, 422)
    try:
        registered = await _services().workflow.register(current_staff(), case)
    except ServiceError as error:
        return await _register_page(form, {"__all__": message_of(error)},
                                    422)
    # Shown once on the case's page; kept server-side with this staff session, never in a cookie.
    await services().security.sessions.keep_once(g.staff_session.id, SECRET_KEY.format(
        registered.case.id), registered.secret)
    return redirect(url_for("cases.show", case_id=registered.case.id, registered=1), 303)


async def _secret_once(case_id: uuid.UUID) -> str | None:
    if request.method != "GET" or "registered" not in request.args:
        return None
    return await services().security.sessions.take_once(g.staff_session.id,
                                                        SECRET_KEY.format(case_id))


async def _page(case_id: uuid.UUID, error: str | None = None, revealed: DenouncerIdentity | None = None,
                status: int = 200, refusal: Refusal | None = None) -> tuple[str, int]:
    detail = await _services().files.detail(current_staff(), case_id)
    html = await render_template("cases/detail.html", d=detail, error=error, revealed=revealed,
                                 refusal=refusal, f=case_forms, today=_services().workflow.today(),
                                 secret=await _secret_once(case_id))
    return html, status


@blueprint.get("/<uuid:case_id>")
@staff_required()
@object_route(Permission.VIEW, ObjectType.CASE)
async def show(case_id: uuid.UUID) -> tuple[str, int]:
    return await _page(case_id)


@blueprint.post("/<uuid:case_id>/actions")
@staff_required()
@object_route(Permission.ACT, ObjectType.CASE)
async def act(case_id: uuid.UUID) -> tuple[str, int] | Redirect:
    form = await request.form
    action = form.get("action", "")
    detail = await _services().files.detail(current_staff(), case_id)
    option = next((o for o in detail.options if o.allowed.action == action), None)
    facts: dict[str, FactValue] = {}
    try:
        for spec in option.inputs if option else ():
            raw = form.get(f"fact_{spec.name}")
            if raw not in (None, "") or spec.kind == "bool":
                facts[spec.name] = coerce_fact(spec, raw or "")
        on = date.fromisoformat(form["on"]) if form.get("on") else None
        verifiers = [StaffId(uuid.UUID(v)) for v in form.getlist("verifier_ids") if v]
        recipients, medium, document_id = case_forms.dispatch_records(form)
        await _services().workflow.act(current_staff(), case_id, ActionRequest(
            action, facts, on, form.get("note") or None, verifiers, recipients, medium, document_id))
    except ValueError:
        return await _page(case_id, gettext("Check this value."), status=422)
    except ServiceError as error:
        if error.code == "not_found":
            raise
        refusal = refusal_of(error)
        message = None if refusal else message_of(error)
        return await _page(case_id, message, status=409, refusal=refusal)
    return redirect(url_for("cases.show", case_id=case_id))


@blueprint.post("/<uuid:case_id>/dispatches/<uuid:dispatch_id>/delivery")
@staff_required()
@object_route(Permission.ACT, ObjectType.CASE)
async def delivered(case_id: uuid.UUID, dispatch_id: uuid.UUID) -> tuple[str, int] | Redirect:
    """The day a recipient received what was sent (the second-complaint window runs from it)."""
    form = await request.form
    try:
        day = date.fromisoformat(form.get("delivered_on", ""))
        await _services().files.record_delivery(current_staff(), case_id, dispatch_id, day)
    except ValueError:
        return await _page(case_id, gettext("Check this value."), status=422)
    except ServiceError as error:
        if error.code == "not_found":
            raise
        return await _page(case_id, message_of(error), status=422)
    return redirect(url_for("cases.show", case_id=case_id) + "#dispatches")


@blueprint.post("/<uuid:case_id>/forms")
@staff_required()
@object_route(Permission.GENERATE, ObjectType.DOCUMENT)
async def generate(case_id: uuid.UUID) -> Redirect:
    form = await request.form
    await _services().files.generate(current_staff(), case_id, form.get("form_key", "")[:64])
    return redirect(url_for("cases.show", case_id=case_id) + "#documents")


@blueprint.post("/<uuid:case_id>/documents")
@staff_required()
@object_route(Permission.UPLOAD, ObjectType.DOCUMENT)
async def upload(case_id: uuid.UUID) -> tuple[str, int] | Redirect:
    files = await request.files
    form = await request.form
    upload = files.get("file")
    try:
        await _services().files.upload(current_staff(), case_id, form.get("title", ""),
                                       upload.read() if upload else b"")
    except ServiceError as error:
        if error.code == "not_found":
            raise
        return await _page(case_id, message_of(error), status=422)
    return redirect(url_for("cases.show", case_id=case_id) + "#documents")


@blueprint.get("/<uuid:case_id>/documents/<uuid:document_id>")
@staff_required()
@object_route(Permission.DOWNLOAD, ObjectType.DOCUMENT)
async def download(case_id: uuid.UUID, document_id: uuid.UUID) -> Response:
    document, data = await _services().files.download(current_staff(), case_id, document_id)
    response = Response(data, content_type=document.media_type)
    response.headers["Content-Disposition"] = "attachment"
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.post("/<uuid:case_id>/parties/<uuid:party_id>/reveal")
@staff_required()
@object_route(Permission.REVEAL, ObjectType.PARTY)
async def reveal(case_id: uuid.UUID, party_id: uuid.UUID) -> tuple[str, int]:
    form = await request.form
    try:
        identity = await _services().files.reveal(current_staff(), case_id, party_id,
                                                  form.get("reason", ""))
    except ServiceError as error:
        if error.code == "not_found":
            raise
        return await _page(case_id, message_of(error), status=422)
    return await _page(case_id, revealed=identity)
