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
from reception.domain.cases.facts import action_inputs
from reception.domain.organisation import StaffRole
from reception.domain.processes.registry import process_for
from reception.i18n_marker import N_
from reception.services.cases.workflow import ASSIGNS_VERIFIERS, ActionRequest
from reception.services.errors import ServiceError
from reception.services.registry import CaseServices
from reception.web.cases import forms as case_forms
from reception.web.cases import labels
from reception.web.cases.access import object_route
from reception.web.cases.labels import Refusal, refusal_of
from reception.web.context import services
from reception.web.errors import SERVICE_STATUS, message_of
from reception.web.i18n import gettext
from reception.web.security.access import current_staff, staff_required

blueprint = Blueprint("cases", __name__, url_prefix="/cases")
SECRET_KEY = "case_secret:{}"  # the citizen's code, shown once on the new case's page
DATE_OF_ACT = N_("Date of the act")  # the labels of the inputs every action form has
WHO_VERIFIES = N_("Who verifies")


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
    except ServiceError as error:  # shown by the field it is about (received_on), else on top
        field = str(error.params.get("field"))
        key = field if field in case_forms.RegisterForm.model_fields else "__all__"
        return await _register_page(form, {key: message_of(error)}, 422)
    await keep_secret_once(registered.case.id, registered.secret)
    return redirect(url_for("cases.show", case_id=registered.case.id, registered=1), 303)


async def keep_secret_once(case_id: uuid.UUID, secret: str) -> None:
    """The citizen's code, shown once on the new case's page: kept server-side with this staff
    session, never in a cookie."""
    await services().security.sessions.keep_once(g.staff_session.id, SECRET_KEY.format(case_id),
                                                 secret)


async def _secret_once(case_id: uuid.UUID) -> str | None:
    if request.method != "GET" or "registered" not in request.args:
        return None
    return await services().security.sessions.take_once(g.staff_session.id,
                                                        SECRET_KEY.format(case_id))


async def _page(case_id: uuid.UUID, error: str | None = None, revealed: DenouncerIdentity | None = None,
                status: int = 200, refusal: Refusal | None = None,
                errors: dict[str, str] | None = None, posted: Mapping[str, str] | None = None,
                ) -> tuple[str, int]:
    """The case page; after a refused or incomplete action, the error summary comes first and
    the action's form stays open with what was typed."""
    detail = await _services().files.detail(current_staff(), case_id)
    answers = set(errors or ())  # the form's own checks: each named by its question below
    errors = dict(errors or {})
    if error:
        errors["__all__"] = error
    if refusal:
        for reason in refusal.reasons:
            key = (case_forms.field_id(str((posted or {}).get("action", "")), reason.field)
                   if reason.field else f"__reason{len(errors)}")
            errors[key] = reason.text + (f" ({reason.article})" if reason.article else "")
    asked = {o.allowed.action: [labels.asked(o.allowed.action, i) for i in o.inputs]
             for o in detail.options}
    named = {key: label for key, label in _field_labels(asked).items() if key in answers}
    receptions = await _services().intake.receptions_of_case(current_staff(), case_id)
    html = await render_template("cases/detail.html", d=detail, revealed=revealed,
                                 refusal=refusal, errors=errors, named=named,
                                 posted=posted or {},
                                 asked=asked, f=case_forms, today=_services().workflow.today(),
                                 receptions=receptions,
                                 secret=await _secret_once(case_id))
    return html, status


def _field_labels(asked: Mapping[str, list[labels.Asked]]) -> dict[str, str]:
    """{input id: its question} of every action form on the page, so that the error summary
    names the question each message is about (a refusal's reasons already name theirs)."""
    named: dict[str, str] = {}
    for action, questions in asked.items():
        named.update({case_forms.field_id(action, q.spec.name): q.ask for q in questions})
        named[case_forms.field_id(action, "on")] = gettext(DATE_OF_ACT)
        named[case_forms.field_id(action, "verifier_ids")] = gettext(WHO_VERIFIES)
    return named


@blueprint.get("/<uuid:case_id>")
@staff_required()
@object_route(Permission.VIEW, ObjectType.CASE)
async def show(case_id: uuid.UUID) -> tuple[str, int]:
    return await _page(case_id)


@blueprint.post("/<uuid:case_id>/actions")
@staff_required()
@object_route(Permission.ACT, ObjectType.CASE)
async def act(case_id: uuid.UUID) -> tuple[str, int] | Redirect:
    """Record an action: blank answers come back as field errors before the engine is asked;
    the engine's refusal comes back naming what is missing and why, with its article."""
    form = await request.form
    action = form.get("action", "")
    detail = await _services().files.detail(current_staff(), case_id)
    option = next((o for o in detail.options if o.allowed.action == action), None)
    # An action not offered now (a form left open since another day) still sends its answers:
    # the engine then says exactly why it refuses.
    inputs = option.inputs if option else action_inputs(process_for(detail.domain), detail.domain,
                                                        action)
    facts, errors = case_forms.action_facts(action, inputs, form)
    on: date | None = None
    try:
        on = date.fromisoformat(form["on"]) if form.get("on") else None
    except ValueError:
        errors[case_forms.field_id(action, "on")] = gettext("Check this value.")
    try:
        verifiers = case_forms.verifier_ids(form)
        recipients, medium, document_id = case_forms.dispatch_records(form)
    except ValueError:
        return await _page(case_id, gettext("Check this value."), status=422, posted=form)
    if action in ASSIGNS_VERIFIERS and not verifiers:
        errors[case_forms.field_id(action, "verifier_ids")] = gettext(case_forms.CHOOSE_VERIFIER)
    if errors:
        return await _page(case_id, status=422, errors=errors, posted=form)
    try:
        await _services().workflow.act(current_staff(), case_id, ActionRequest(
            action, facts, on, form.get("note") or None, verifiers, recipients, medium, document_id))
    except ServiceError as error:
        if error.code == "not_found":
            raise
        refusal = refusal_of(error)
        if refusal is not None:
            return await _page(case_id, status=409, refusal=refusal, posted=form)
        field = error.params.get("field")
        key = case_forms.field_id(action, str(field)) if field else "__all__"
        return await _page(case_id, status=422, errors={key: message_of(error)}, posted=form)
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
async def generate(case_id: uuid.UUID) -> tuple[str, int] | Redirect:
    """A refusal (the case or the person's roles changed since the page was drawn) comes back
    on the case page, in its error summary: never a dead-end error page."""
    form = await request.form
    try:
        await _services().files.generate(current_staff(), case_id, form.get("form_key", "")[:64])
    except ServiceError as error:
        if error.code == "not_found":
            raise
        return await _page(case_id, message_of(error), status=SERVICE_STATUS.get(type(error), 422))
    return redirect(url_for("cases.show", case_id=case_id) + "#documents")


@blueprint.post("/<uuid:case_id>/receipt")
@staff_required()
@object_route(Permission.GENERATE, ObjectType.DOCUMENT)
async def receipt(case_id: uuid.UUID) -> Response:
    """The citizen's receipt (Mẫu 02/TCD) with the status page's address and secret code."""
    form = await request.form
    secret = (form.get("secret") or "").strip()[:64] or None
    pdf = await _services().files.receipt(current_staff(), case_id, secret)
    response = Response(pdf, content_type="application/pdf")
    response.headers["Content-Disposition"] = 'attachment; filename="bien-nhan-mau-02.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


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
