"""Transcript review: the official's editor page and its JSON API, exports (WebVTT,
SRT, text, JSON, the hearing record PDF), recording playback with HTTP ranges, and the
citizen's read-only page with the "I have read it" acknowledgement (secret link, no cookie)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from pydantic import BaseModel, Field
from quart import Blueprint, Response, redirect, render_template, request, send_file, url_for
from quart_schema import validate_request
from werkzeug.wrappers import Response as Redirect

from reception.domain.access import ObjectType, Permission
from reception.domain.booking import LOCAL_TZ
from reception.domain.hearings.model import HearingId, MemberId
from reception.domain.transcripts.transcript import Segment, SegmentId
from reception.i18n_marker import N_
from reception.services.errors import NotFound, ServiceError
from reception.services.transcripts.citizen import CitizenTranscripts
from reception.services.transcripts.review import MAX_LINE, TranscriptReviewService
from reception.services.transcripts.views import Playable, Review
from reception.web.cases.access import object_route
from reception.web.context import services
from reception.web.errors import message_of
from reception.web.i18n import gettext
from reception.web.security.access import current_staff, staff_required
from reception.web.security.csrf import exempt
from reception.web.security.limits import JOIN_PER_ADDRESS, JOIN_PER_TOKEN, by_address, throttle
from reception.web.transcripts.wording import (
    CLIENT_STRINGS,
    DOUBT_REASONS,
    DROP_REASONS,
    MEMBER_ROLES,
    RECORDING_FROM,
    TEMPLATE_GLOBALS,
    language_name,
)

blueprint = Blueprint("transcript_review", __name__)
staff = staff_required()
T, REC = ObjectType.TRANSCRIPT, ObjectType.RECORDING
for _name, _function in TEMPLATE_GLOBALS.items():
    blueprint.add_app_template_global(_function, _name)


def _service() -> TranscriptReviewService:
    return services().transcripts.review


def _citizens() -> CitizenTranscripts:
    return services().transcripts.citizen


def _segment_json(s: Segment) -> dict[str, Any]:
    return {"id": str(s.id), "member_id": str(s.member_id), "speaker": s.speaker, "role": s.role,
            "start_ms": s.start_ms, "end_ms": s.end_ms, "text": s.text,
            "machine_text": s.machine_text, "confidence": s.confidence, "version": s.version,
            "doubts": [d.value for d in s.doubts], "repeats": s.repeats,
            "awaiting_confirmation": s.awaiting_confirmation,
            "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None}


async def _checked_review(hearing_id: uuid.UUID) -> Review:
    """The review with each recording file verified now (pages show the result)."""
    service = _service()
    review = await service.review(current_staff(), HearingId(hearing_id))
    return replace(review, checks=await service.verification(current_staff(),
                                                             HearingId(hearing_id)))


@blueprint.app_template_global("playback_src")
def playback_src(hearing_id: HearingId, p: Playable) -> str:
    """The recording's file to stream (by its name: a member may have several)."""
    return url_for("transcript_review.recording_file", hearing_id=hearing_id,
                   member_id=p.member_id, kind=p.kind, file=p.file)


@blueprint.app_template_global("playback_captions")
def playback_captions(hearing_id: HearingId, p: Playable) -> str:
    """The transcript as WebVTT timed to that file."""
    return url_for("transcript_review.export", hearing_id=hearing_id, fmt="vtt",
                   member=p.member_id, file=p.file)


def player_name(review: Review, p: Playable, names: dict[MemberId, str]) -> str:
    """Whose recording plays; which one, when a recorder restart left them several."""
    name = names.get(p.member_id, "")
    if not review.several(p.member_id):
        return name
    return gettext(RECORDING_FROM).format(name=name, time=hearing_clock(p.offset_seconds))


def hearing_clock(seconds: float) -> str:
    whole = max(0, int(seconds))
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


async def _page(hearing_id: uuid.UUID, error: str | None = None, status: int = 200
                ) -> tuple[str, int]:
    review = await _checked_review(hearing_id)
    names = {m.id: m.display_name for m in review.members}
    hearing = HearingId(hearing_id)
    players = {p.key: {"name": player_name(review, p, names), "member": str(p.member_id),
        "src": playback_src(hearing, p), "captions": playback_captions(hearing, p),
        "offset": p.offset_seconds, "video": p.kind == "evidence"} for p in review.playable.values()}
    config = {"players": players, "strings": {k: gettext(v) for k, v in CLIENT_STRINGS.items()},
              "api": url_for("transcript_review.api_review", hearing_id=hearing_id)}
    config["me"] = current_staff().full_name
    html = await render_template("transcripts/review.html", r=review, config=config, error=error,
                                 roles=MEMBER_ROLES, local_tz=LOCAL_TZ, max_line=MAX_LINE,
                                 speakers=names, language_name=language_name,
                                 doubt_reasons=DOUBT_REASONS, drop_reasons=DROP_REASONS)
    return html, status


async def _or_page(hearing_id: uuid.UUID, error: ServiceError) -> tuple[str, int]:
    if error.code == "not_found":
        raise error
    status = {"conflict": 409, "invalid": 422, "forbidden": 403}.get(error.code, 400)
    return await _page(hearing_id, message_of(error), status)


# -- official's pages ---------------------------------------------------------------------
@blueprint.get("/staff/hearings/<uuid:hearing_id>/transcript")
@staff
@object_route(Permission.VIEW, T)
async def review(hearing_id: uuid.UUID) -> tuple[str, int]:
    return await _page(hearing_id)


@blueprint.post("/staff/hearings/<uuid:hearing_id>/transcript/segments/<uuid:segment_id>")
@staff
@object_route(Permission.ACT, T)
async def edit(hearing_id: uuid.UUID, segment_id: uuid.UUID) -> tuple[str, int] | Redirect:
    form = await request.form
    try:
        await _service().edit(current_staff(), HearingId(hearing_id), SegmentId(segment_id),
                              form.get("text", ""), int(form.get("version", "0") or 0))
    except ServiceError as error:
        return await _or_page(hearing_id, error)
    except ValueError:
        return await _page(hearing_id, gettext("Check this value."), 422)
    return redirect(url_for(".review", hearing_id=hearing_id, _anchor=f"seg-{segment_id}"))


@blueprint.post("/staff/hearings/<uuid:hearing_id>/transcript/segments/<uuid:segment_id>/confirm")
@staff
@object_route(Permission.ACT, T)
async def confirm(hearing_id: uuid.UUID, segment_id: uuid.UUID) -> tuple[str, int] | Redirect:
    form = await request.form
    try:
        await _service().confirm(current_staff(), HearingId(hearing_id), SegmentId(segment_id),
                                 int(form.get("version", "0") or 0))
    except ServiceError as error:
        return await _or_page(hearing_id, error)
    except ValueError:
        return await _page(hearing_id, gettext("Check this value."), 422)
    return redirect(url_for(".review", hearing_id=hearing_id, _anchor=f"seg-{segment_id}"))


@blueprint.post("/staff/hearings/<uuid:hearing_id>/transcript/approve")
@staff
@object_route(Permission.APPROVE, T)
async def approve(hearing_id: uuid.UUID) -> tuple[str, int] | Redirect:
    form = await request.form
    try:  # the official's declaration(s): the service refuses without them (422)
        await _service().approve(current_staff(), HearingId(hearing_id),
                                 checked=form.get("checked") == "on",
                                 untranscribed_acknowledged=form.get("untranscribed") == "on")
    except ServiceError as error:
        return await _or_page(hearing_id, error)
    return redirect(url_for(".review", hearing_id=hearing_id, _anchor="approval"))


@blueprint.get("/staff/hearings/<uuid:hearing_id>/transcript.<fmt>")
@staff
@object_route(Permission.EXPORT, T)
async def export(hearing_id: uuid.UUID, fmt: str) -> Response:
    member = request.args.get("member")
    try:
        member_id = MemberId(uuid.UUID(member)) if member else None
    except ValueError:
        raise NotFound(N_("This person has no recording in this hearing.")) from None
    found = await _service().export(current_staff(), HearingId(hearing_id), fmt, member_id,
                                    request.args.get("file") or None)
    response = Response(found.body, content_type=found.media_type)
    if "download" in request.args or fmt == "pdf":
        response.headers["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blueprint.get("/staff/hearings/<uuid:hearing_id>/recording")
@staff
@object_route(Permission.VIEW, REC)
async def recording_page(hearing_id: uuid.UUID) -> str:
    review = await _checked_review(hearing_id)
    names = {m.id: m.display_name for m in review.members}
    return await render_template("transcripts/recording.html", r=review, roles=MEMBER_ROLES,
                                 local_tz=LOCAL_TZ, player_name=player_name, names=names)


@blueprint.get("/staff/hearings/<uuid:hearing_id>/recordings/<uuid:member_id>/<kind>.webm")
@staff
@object_route(Permission.VIEW, REC)
async def recording_file(hearing_id: uuid.UUID, member_id: uuid.UUID, kind: str) -> Response:
    if kind not in ("audio", "evidence"):
        raise NotFound(N_("This person has no recording in this hearing."))
    found = await _service().recording_file(current_staff(), HearingId(hearing_id),
                                            MemberId(member_id), kind, request.headers.get("Range"),
                                            request.args.get("file") or None)
    response = await send_file(found.path, mimetype=found.media_type, conditional=True)
    response.headers["Cache-Control"] = "private, no-store"  # a hearing is personal data
    response.headers.pop("Expires", None)
    return response


# -- JSON API (the editor's script) -------------------------------------------------------
class EditIn(BaseModel):
    text: str = Field(max_length=MAX_LINE)
    version: int = Field(ge=1)


@blueprint.get("/api/v1/hearings/<uuid:hearing_id>/transcript")
@staff
@object_route(Permission.VIEW, T)
async def api_review(hearing_id: uuid.UUID) -> dict[str, Any]:
    r = await _service().review_intact(current_staff(), HearingId(hearing_id))
    t = r.transcript
    return {"hearing_id": str(hearing_id), "status": t.status.value if t else None,
            "approved_at": t.approved_at.isoformat() if t and t.approved_at else None,
            "approved_hash": t.approved_hash if t else None, "intact": r.intact,
            "segments": [{**_segment_json(line.segment), "history": [
                {"version": v.number, "text": v.text, "author": v.author,
                 "at": v.at.isoformat() if v.at else None} for v in line.history]}
                for line in r.lines]}


@blueprint.post("/api/v1/hearings/<uuid:hearing_id>/transcript/segments/<uuid:segment_id>")
@staff
@object_route(Permission.ACT, T)
@validate_request(EditIn)
async def api_edit(hearing_id: uuid.UUID, segment_id: uuid.UUID, data: EditIn) -> dict[str, Any]:
    return _segment_json(await _service().edit(current_staff(), HearingId(hearing_id),
                                               SegmentId(segment_id), data.text, data.version))


class ConfirmIn(BaseModel):
    version: int = Field(ge=1)


@blueprint.post("/api/v1/hearings/<uuid:hearing_id>/transcript/segments/<uuid:segment_id>/confirm")
@staff
@object_route(Permission.ACT, T)
@validate_request(ConfirmIn)
async def api_confirm(hearing_id: uuid.UUID, segment_id: uuid.UUID,
                      data: ConfirmIn) -> dict[str, Any]:
    return _segment_json(await _service().confirm(current_staff(), HearingId(hearing_id),
                                                  SegmentId(segment_id), data.version))


@blueprint.post("/api/v1/hearings/<uuid:hearing_id>/transcript/approve")
@staff
@object_route(Permission.APPROVE, T)
async def api_approve(hearing_id: uuid.UUID) -> dict[str, Any]:
    # {"checked_against_recording": true, "untranscribed_acknowledged": true}: the same
    # declarations as the page's tick boxes; only a JSON true counts.
    body = await request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    t = await _service().approve(
        current_staff(), HearingId(hearing_id),
        checked=body.get("checked_against_recording") is True,
        untranscribed_acknowledged=body.get("untranscribed_acknowledged") is True)
    return {"approved_at": t.approved_at.isoformat() if t.approved_at else None,
            "approved_hash": t.approved_hash}


# -- the citizen's page (secret link) -----------------------------------------------------
@blueprint.get("/my-booking/transcript")
async def citizen_page() -> str:
    token = request.args.get("t", "")
    view = await _citizens().view(token)
    return await render_template("transcripts/citizen.html", view=view, token=token,
                                 roles=MEMBER_ROLES, local_tz=LOCAL_TZ)


@blueprint.post("/my-booking/transcript/acknowledge")
@exempt  # authenticated by the link's token in the body, never by a cookie
async def citizen_acknowledge() -> Redirect:
    form = await request.form
    token = form.get("t", "")
    await throttle(by_address(JOIN_PER_ADDRESS), (JOIN_PER_TOKEN, token))
    try:
        hearing_id = HearingId(uuid.UUID(form.get("hearing_id", "")))
    except ValueError:
        raise NotFound(N_("This hearing does not exist.")) from None
    await _citizens().acknowledge(token, hearing_id)
    return redirect(url_for(".citizen_page", t=token, _anchor=f"hearing-{hearing_id}"))
