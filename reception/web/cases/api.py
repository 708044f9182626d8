"""JSON API (v1) for case files: register, act, read, documents, forms, identity reveal,
dashboard data and CSV export. Thin: validate → one service call → JSON."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from pydantic import BaseModel, Field
from quart import Blueprint, Response, request
from quart_schema import validate_querystring, validate_request

from reception.domain.access import ObjectType, Permission
from reception.domain.cases.case import ComplaintSubject, ProcessKind
from reception.domain.cases.case_file import CaseFilter, Channel, ContestedDecision, PartyRole
from reception.domain.organisation import StaffId
from reception.i18n_marker import N_
from reception.services.cases.workflow import ActionRequest, NewCase, NewParty
from reception.services.errors import Invalid
from reception.services.registry import CaseServices
from reception.web.cases.access import object_route
from reception.web.cases.shapes import case_json, detail_json, document_json, plain_facts
from reception.web.context import services
from reception.web.days import IssuedDay
from reception.web.security.access import current_staff, staff_required
from reception.web.text import OneLine

blueprint = Blueprint("api_cases", __name__, url_prefix="/api/v1")


class PartyIn(BaseModel):
    role: PartyRole
    full_name: OneLine = Field(min_length=2, max_length=255)
    address: OneLine | None = Field(default=None, max_length=500)
    id_type: OneLine | None = Field(default=None, max_length=16)
    id_number: str | None = Field(default=None, pattern=r"^[0-9A-Za-z]{6,16}$")
    contact: OneLine | None = Field(default=None, max_length=255)
    organisation: OneLine | None = Field(default=None, max_length=255)


class ContestedIn(BaseModel):
    number: OneLine = Field(max_length=64)
    issued_on: IssuedDay | None = None
    issuer: OneLine = Field(max_length=255)


class CaseIn(BaseModel):
    kind: ProcessKind
    channel: Channel
    summary: str = Field(min_length=3, max_length=10000)
    parties: list[PartyIn] = Field(min_length=1, max_length=200)
    subject: ComplaintSubject = ComplaintSubject.ADMINISTRATIVE
    contested: ContestedIn | None = None
    received_on: date | None = None
    facts: dict[str, Any] = Field(default_factory=dict)


class RecipientIn(BaseModel):
    recipient: OneLine = Field(min_length=2, max_length=255)
    channel: str = Field(pattern=r"^(post|hand|email|online)$")


class ActionIn(BaseModel):
    action: str = Field(pattern=r"^[a-z_]{2,64}$")
    facts: dict[str, Any] = Field(default_factory=dict)
    on: date | None = None
    note: str | None = Field(default=None, max_length=4000)
    verifier_ids: list[uuid.UUID] = Field(default_factory=list)
    recipients: list[RecipientIn] = Field(default_factory=list)
    publication_medium: str | None = Field(default=None, pattern=r"^(posted|website|meeting|press)$")
    document_id: uuid.UUID | None = None


class RevealIn(BaseModel):
    reason: str = Field(min_length=5, max_length=500)


class DeliveryIn(BaseModel):
    delivered_on: date


def _services() -> CaseServices:
    return services().cases


@blueprint.post("/cases")
@staff_required()
@validate_request(CaseIn)
async def register(data: CaseIn) -> tuple[dict[str, object], int]:
    contested = (ContestedDecision(data.contested.number, data.contested.issued_on, data.contested.issuer)
                 if data.contested else None)
    registered = await _services().workflow.register(current_staff(), NewCase(
        data.kind, data.channel, data.summary, [NewParty(**p.model_dump()) for p in data.parties],
        data.subject, contested, data.received_on, plain_facts(data.facts)))
    return {**case_json(registered.case), "secret": registered.secret}, 201


class CaseQuery(BaseModel):
    """Filters of the case list, the dashboard and the CSV export."""

    q: OneLine = Field(default="", max_length=64)
    state: OneLine | None = Field(default=None, max_length=64)
    kind: OneLine | None = Field(default=None, max_length=32)
    overdue: bool = False
    open: bool = False


class CasePage(CaseQuery):
    offset: int = Field(default=0, ge=0, le=1_000_000)


def _filter(args: CaseQuery) -> CaseFilter:
    return CaseFilter(text=args.q, state=args.state or None, kind=args.kind or None,
                      overdue_only=args.overdue, open_only=args.open)


@blueprint.get("/cases")
@staff_required()
@validate_querystring(CasePage)
async def search(query_args: CasePage) -> dict[str, object]:
    found = await _services().reports.search(current_staff(), _filter(query_args),
                                             offset=query_args.offset)
    return {"items": [case_json(c) for c in found]}


@blueprint.get("/cases/<uuid:case_id>")
@staff_required()
@object_route(Permission.VIEW, ObjectType.CASE)
async def show(case_id: uuid.UUID) -> dict[str, object]:
    return detail_json(await _services().files.detail(current_staff(), case_id))


@blueprint.post("/cases/<uuid:case_id>/actions")
@staff_required()
@object_route(Permission.ACT, ObjectType.CASE)
@validate_request(ActionIn)
async def act(case_id: uuid.UUID, data: ActionIn) -> dict[str, object]:
    case = await _services().workflow.act(current_staff(), case_id, ActionRequest(
        data.action, plain_facts(data.facts), data.on, data.note,
        [StaffId(v) for v in data.verifier_ids], [(r.recipient, r.channel) for r in data.recipients],
        data.publication_medium, data.document_id))
    return case_json(case)


@blueprint.post("/cases/<uuid:case_id>/documents")
@staff_required()
@object_route(Permission.UPLOAD, ObjectType.DOCUMENT)
async def upload(case_id: uuid.UUID) -> tuple[dict[str, object], int]:
    files = await request.files
    form = await request.form
    upload = files.get("file")
    if upload is None:
        raise Invalid(N_("Only PDF files and images (JPEG, PNG, WebP) are accepted."))
    document = await _services().files.upload(current_staff(), case_id, form.get("title", ""),
                                              upload.read())
    return document_json(document), 201


@blueprint.get("/cases/<uuid:case_id>/documents/<uuid:document_id>")
@staff_required()
@object_route(Permission.DOWNLOAD, ObjectType.DOCUMENT)
async def download(case_id: uuid.UUID, document_id: uuid.UUID) -> Response:
    document, data = await _services().files.download(current_staff(), case_id, document_id)
    return _file_response(document.media_type, document.title, data)


@blueprint.post("/cases/<uuid:case_id>/forms/<form_key>")
@staff_required()
@object_route(Permission.GENERATE, ObjectType.DOCUMENT)
async def generate(case_id: uuid.UUID, form_key: str) -> tuple[dict[str, object], int]:
    document = await _services().files.generate(current_staff(), case_id, form_key[:64])
    return document_json(document), 201


@blueprint.post("/cases/<uuid:case_id>/parties/<uuid:party_id>/reveal")
@staff_required()
@object_route(Permission.REVEAL, ObjectType.PARTY)
@validate_request(RevealIn)
async def reveal(case_id: uuid.UUID, party_id: uuid.UUID, data: RevealIn) -> dict[str, str | None]:
    identity = await _services().files.reveal(current_staff(), case_id, party_id, data.reason)
    return identity.as_dict()


@blueprint.post("/cases/<uuid:case_id>/dispatches/<uuid:dispatch_id>/delivery")
@staff_required()
@object_route(Permission.ACT, ObjectType.CASE)
@validate_request(DeliveryIn)
async def delivered(case_id: uuid.UUID, dispatch_id: uuid.UUID, data: DeliveryIn) -> tuple[str, int]:
    await _services().files.record_delivery(current_staff(), case_id, dispatch_id, data.delivered_on)
    return "", 204


def _file_response(media_type: str, title: str, data: bytes) -> Response:
    response = Response(data, content_type=media_type)
    response.headers["Content-Disposition"] = "attachment"  # never rendered inline: no stored XSS
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/cases/export.csv")
@staff_required()
@validate_querystring(CaseQuery)
async def export_csv(query_args: CaseQuery) -> Response:
    lines = _services().reports.export_csv(current_staff(), _filter(query_args))
    response = Response(lines, content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="cases.csv"'
    return response


@blueprint.get("/dashboard")
@staff_required()
@validate_querystring(CaseQuery)
async def dashboard(query_args: CaseQuery) -> dict[str, object]:
    board = await _services().reports.dashboard(current_staff(), _filter(query_args))
    return {"today": board.today.isoformat(),
            "by_state": [{"kind": k, "state": s, "count": n} for k, s, n in board.by_state],
            "due_this_week": [case_json(c) for c in board.due_this_week],
            "overdue": [{**case_json(c), "days_overdue": (board.today - c.next_due).days}
                        for c in board.overdue if c.next_due],
            "by_official": [{"name": n, "open": o, "overdue": late} for n, o, late in board.by_official],
            "by_agency": [{"name": n, "open": o, "overdue": late} for n, o, late in board.by_agency],
            "intake": [{"month": m.isoformat(), "count": n} for m, n in board.intake],
            "resolution": [{"month": m.isoformat(), "on_time": g, "resolved": t}
                           for m, g, t in board.resolution]}
