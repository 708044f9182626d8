"""Evidence links: the form that quotes a passage of a hearing in a case file, its JSON twin,
the list of a case's quotes (JSON), and `case_evidence(case_id)` for the case page's include
(templates/search/_case_evidence.html), each quote with a player for exactly its time range."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, Field
from quart import Blueprint, redirect, render_template, request, url_for
from quart_schema import validate_request
from werkzeug.wrappers import Response as Redirect

from reception.domain.access import ObjectType, Permission
from reception.domain.booking import LOCAL_TZ
from reception.domain.hearings.model import HearingId, MemberId
from reception.domain.transcripts.transcript import EvidenceItem, EvidenceLink
from reception.i18n_marker import N_
from reception.services.errors import ServiceError
from reception.services.transcripts.evidence import EvidenceQuote, EvidenceService, NewEvidence, Passage
from reception.web.cases.access import object_route
from reception.web.context import services
from reception.web.errors import message_of
from reception.web.forms import parse_form
from reception.web.i18n import gettext
from reception.web.security.access import current_staff, staff_required
from reception.web.text import OneLine
from reception.web.transcripts.search import moment_url
from reception.web.transcripts.wording import MEMBER_ROLES

blueprint = Blueprint("evidence", __name__)
# The form's labels (templates/search/evidence_new.html), to name a refused field.
FIELD_LABELS = {"case_reference": N_("Case file reference"),
                "start_ms": N_("From (milliseconds into the hearing)"),
                "end_ms": N_("To (milliseconds into the hearing)"), "item": N_("What it supports"),
                "item_ref": N_("Which item (e.g. claim 2, finding 1)"), "note": N_("Note")}
ITEM_LABELS = {EvidenceItem.CLAIM: N_("Claim"), EvidenceItem.FINDING: N_("Verification finding"),
               EvidenceItem.DIALOGUE_POINT: N_("Dialogue point")}


def _service() -> EvidenceService:
    return services().transcripts.evidence


@blueprint.app_template_global("evidence_play_src")
def play_src(hearing_id: HearingId, p: Passage) -> str | None:
    """The speaker's recording with a media fragment: the browser plays just the range."""
    if p.recording_member is None or p.recording_kind is None:
        return None
    start = max(0.0, p.start_ms / 1000 - p.recording_offset_s)
    end = max(start + 0.1, p.end_ms / 1000 - p.recording_offset_s)
    return url_for("transcript_review.recording_file", hearing_id=hearing_id,
                   member_id=p.recording_member, kind=p.recording_kind,
                   file=p.recording_file) + f"#t={start:.1f},{end:.1f}"


@blueprint.app_template_global("evidence_item_label")
def item_label(item: EvidenceItem) -> str:
    return ITEM_LABELS[item]


blueprint.app_template_global("evidence_moment_url")(moment_url)


@blueprint.app_template_global()
async def case_evidence(case_id: uuid.UUID) -> list[EvidenceQuote]:
    """For the case page: its quotes, or none for a reader the matrix gives no evidence view."""
    try:
        return list(await _service().for_case(current_staff(), case_id))
    except ServiceError:
        return []


def _int(raw: object) -> int:
    """-1 for anything that is not a whole number (the service then refuses the range)."""
    try:
        return int(str(raw))
    except ValueError:
        return -1


def _member(raw: object) -> MemberId | None:
    try:
        return MemberId(uuid.UUID(str(raw))) if raw else None
    except ValueError:
        return None


async def _form(hearing_id: uuid.UUID, values: dict[str, Any], error: str | None = None,
                status: int = 200) -> tuple[str, int]:
    passage = await _service().passage(current_staff(), HearingId(hearing_id),
                                       _int(values.get("start_ms")), _int(values.get("end_ms")),
                                       _member(values.get("member_id")))
    html = await render_template("search/evidence_new.html", p=passage, v=values, error=error,
                                 items=ITEM_LABELS, roles=MEMBER_ROLES, local_tz=LOCAL_TZ,
                                 moment_url=moment_url)
    return html, status


@blueprint.get("/staff/hearings/<uuid:hearing_id>/evidence")
@staff_required()
@object_route(Permission.VIEW, ObjectType.TRANSCRIPT)
async def new(hearing_id: uuid.UUID) -> tuple[str, int]:
    keys = ("start_ms", "end_ms", "member_id", "case_id", "case_reference")
    return await _form(hearing_id, {k: request.args.get(k, "") for k in keys})


@blueprint.post("/staff/hearings/<uuid:hearing_id>/evidence")
@staff_required()
@object_route(Permission.REGISTER, ObjectType.EVIDENCE)
async def create(hearing_id: uuid.UUID) -> tuple[str, int] | Redirect:
    form = dict((await request.form).items())
    # The same model as the JSON twin: one-line references, lengths, a known item.
    data, errors = parse_form(EvidenceIn, {k: v for k, v in form.items() if v != ""}, {})
    if data is None:
        return await _form(hearing_id, form, " ".join(
            f"{gettext(FIELD_LABELS[field])}: {message}" if field in FIELD_LABELS else message
            for field, message in errors.items()), 422)
    try:
        new_link = _new_evidence(HearingId(hearing_id), data)
        link = await _service().link(current_staff(), new_link)
    except ValueError:
        return await _form(hearing_id, form, gettext("Check this value."), 422)
    except ServiceError as error:
        if error.code == "not_found" and form.get("case_id"):
            raise
        message = message_of(error)
        return await _form(hearing_id, form, message, 404 if error.code == "not_found" else 422)
    return redirect(url_for("cases.show", case_id=link.case_id, _anchor="evidence"))


class EvidenceIn(BaseModel):
    case_id: uuid.UUID | None = None
    case_reference: OneLine | None = Field(default=None, max_length=64)
    start_ms: int = Field(ge=0)
    end_ms: int = Field(gt=0)
    member_id: uuid.UUID | None = None
    item: EvidenceItem
    item_ref: OneLine = Field(min_length=1, max_length=255)
    note: str = Field(default="", max_length=4000)


def link_json(link: EvidenceLink) -> dict[str, Any]:
    return {"id": str(link.id), "case_id": str(link.case_id), "hearing_id": str(link.hearing_id),
            "start_ms": link.start_ms, "end_ms": link.end_ms,
            "member_id": str(link.member_id) if link.member_id else None,
            "item": link.item.value, "item_ref": link.item_ref, "note": link.note,
            "created_by": str(link.created_by), "created_at": link.created_at.isoformat()}


@blueprint.post("/api/v1/hearings/<uuid:hearing_id>/evidence")
@staff_required()
@object_route(Permission.REGISTER, ObjectType.EVIDENCE)
@validate_request(EvidenceIn)
async def api_create(hearing_id: uuid.UUID, data: EvidenceIn) -> tuple[dict[str, Any], int]:
    link = await _service().link(current_staff(), _new_evidence(HearingId(hearing_id), data))
    return link_json(link), 201


def _new_evidence(hearing_id: HearingId, data: EvidenceIn) -> NewEvidence:
    return NewEvidence(hearing_id, data.start_ms, data.end_ms, data.item, data.item_ref,
                       data.note, MemberId(data.member_id) if data.member_id else None,
                       data.case_id, data.case_reference)


@blueprint.get("/api/v1/cases/<uuid:case_id>/evidence")
@staff_required()
@object_route(Permission.VIEW, ObjectType.EVIDENCE)
async def api_list(case_id: uuid.UUID) -> dict[str, Any]:
    quotes = await _service().for_case(current_staff(), case_id)
    return {"evidence": [{**link_json(q.link), "booking_reference": q.passage.hearing.booking_reference,
                          "hearing_at": q.passage.hearing.hearing_at.isoformat(),
                          "quote": [{"speaker": line.speaker, "role": line.role,
                                     "start_ms": line.start_ms, "end_ms": line.end_ms,
                                     "text": line.text} for line in q.passage.lines],
                          "altered": q.passage.altered,  # not the approved record
                          "play": play_src(q.link.hearing_id, q.passage),
                          "url": moment_url(q.link.hearing_id, q.link.start_ms)}
                         for q in quotes]}
