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
from reception.domain.integrity import FileProblem
from reception.domain.transcripts.transcript import Segment, SegmentId
from reception.i18n_marker import N_
from reception.services.errors import NotFound, ServiceError
from reception.services.transcripts import transcription
from reception.services.transcripts.citizen import CitizenTranscripts
from reception.services.transcripts.review import MAX_LINE, TranscriptReviewService
from reception.services.transcripts.views import Playable, Review, Untranscribed
from reception.web.cases.access import object_route
from reception.web.context import services
from reception.web.errors import message_of
from reception.web.i18n import current_locale, gettext
from reception.web.security.access import current_staff, staff_required
from reception.web.security.csrf import exempt
from reception.web.security.limits import JOIN_PER_ADDRESS, JOIN_PER_TOKEN, by_address, throttle

blueprint = Blueprint("transcript_review", __name__)
staff = staff_required()
T, REC = ObjectType.TRANSCRIPT, ObjectType.RECORDING
MEMBER_ROLES = {"citizen": N_("Citizen"), "official": N_("Official"),
                "third_party": N_("Third party"), "observer": N_("Observer")}
CLIENT_STRINGS = {"saved": N_("Saved as version {version}."), "saving": N_("Saving…"),
                  "failed": N_("Not saved: {detail}"), "noRecording": N_("No recording of this speaker."),
                  "confirmed": N_("Confirmed."), "checked": N_("Checked by {name}"),
                  "remaining": N_("Highlighted lines to confirm: {count}. The machine was unsure "
                                  "of them: listen to each one, then confirm or correct it. The "
                                  "transcript can be approved once all are done."),
                  "allDone": N_("Every highlighted line has been confirmed or corrected.")}
# Why a line is highlighted (transcripts.Doubt values), in words an official understands.
DOUBT_REASONS = {
    "low_confidence": N_("the words were hard to make out"),
    "possible_no_speech": N_("it may not be speech at all"),
    "possible_repetition": N_("it repeats itself"),
    "language_mismatch": N_("the speaker may have spoken another language"),
}
DROP_REASONS = {"no words": N_("no words"), "known caption": N_("a caption from online videos"),
                "repeated line": N_("a repeated copy of the line before"),
                # transcripts/loops.py: the line's span was decoded again and replaced
                "looped line": N_("a phrase repeated by the machine; the passage was transcribed again")}
LANGUAGES = {"vi": N_("Vietnamese"), "en": N_("English"), "zh": N_("Chinese"),
             "fr": N_("French"), "km": N_("Khmer"), "lo": N_("Lao"), "ko": N_("Korean"),
             "ja": N_("Japanese"), "th": N_("Thai"), "ru": N_("Russian"), "de": N_("German")}
# A member's recordings after a recorder restart: which one plays (time on the hearing's clock).
RECORDING_FROM = N_("{name} (recording from {time})")
# A recording the machine could not read (domain Unreadable values): why, inside a sentence.
UNREADABLE_REASONS = {
    "missing": N_("the file is not in the recordings store"),
    "empty": N_("the file is empty: nothing was recorded in it"),
    "undecodable": N_("the file is damaged or cannot be read"),
}
UNTRANSCRIBED_NOTICE = N_("The words of {name} ({role}) are NOT in this transcript: their "
                          "recording {recording} (started at {time}) could not be transcribed "
                          "because {reason}. What they said must be taken from the recording "
                          "itself, by listening to it.")


@blueprint.app_template_global("untranscribed_notice")
def untranscribed_notice(u: Untranscribed) -> str:
    """Whose words are not in the transcript, from which recording, and why (the review page
    and the console's progress section)."""
    started = u.started_at.astimezone(LOCAL_TZ).strftime("%H:%M:%S %d/%m/%Y") if u.started_at else ""
    return gettext(UNTRANSCRIBED_NOTICE).format(
        name=u.speaker, role=gettext(MEMBER_ROLES.get(u.role, u.role)), recording=u.recording,
        time=started, reason=gettext(UNREADABLE_REASONS[u.reason.value]))


# The same notice in the citizen's words, on their own transcript page.
CITIZEN_UNTRANSCRIBED_NOTICE = N_("The words of {name} ({role}) are not in this transcript: the "
                                  "recording of their voice could not be turned into text. What "
                                  "they said must be taken from the recording itself; the "
                                  "reception office keeps it, ask them if you need it.")


@blueprint.app_template_global("citizen_untranscribed_notice")
def citizen_untranscribed_notice(u: Untranscribed) -> str:
    """Whose words are not in the transcript, for the citizen's page."""
    return gettext(CITIZEN_UNTRANSCRIBED_NOTICE).format(
        name=u.speaker, role=gettext(MEMBER_ROLES.get(u.role, u.role)))


# Why a transcription stopped, in the reader's words, by how transcript.error begins (its text,
# in English with the error's name, is for the log: services/transcripts/transcription.py).
FAILURES = {
    transcription.MODEL_UNUSABLE: N_("The speech recognition model set for this server cannot "
                                     "be used. Report it to the administrator: the server's log "
                                     "says why."),
    transcription.ABANDONED: N_("Transcription was stopped several times before it could finish "
                                "(the recording may be too long for this machine's memory). It "
                                "will not be retried automatically; report it to the "
                                "administrator."),
    transcription.STOPPED: N_("Transcription stopped on an unexpected error and will not be "
                              "retried automatically. Report it to the administrator: the "
                              "server's log says why."),
    transcription.RETRIED: N_("The previous attempt stopped on an unexpected error; what it had "
                              "transcribed is kept."),
}
FAILED_OTHERWISE = N_("The recordings could not be transcribed. Report it to the administrator: "
                      "the server's log says why.")


@blueprint.app_template_global("transcription_failure")
def failure_text(error: str | None) -> str | None:
    """transcript.error as a person reads it (None: no error)."""
    if not error:
        return None
    for start, message in FAILURES.items():
        if error.startswith(start):
            return gettext(message)
    return gettext(FAILED_OTHERWISE)


def language_name(code: str | None) -> str:
    """The language's name inside a sentence (Vietnamese writes "tiếng Anh" there)."""
    if code not in LANGUAGES:
        return gettext(N_("another language"))
    name = gettext(LANGUAGES[code])
    return name[:1].lower() + name[1:] if current_locale() == "vi" else name


# What is wrong with a recording file, in the reader's language (the technical text, in
# English, goes to the command line and the audit log).
FILE_PROBLEMS = {
    "altered": N_("Part {chunk} of the file (bytes {start} to {end}) is not what was recorded."),
    "truncated": N_("The file is cut short: {length} bytes of part {chunk} are missing from "
                    "byte {offset}."),
    "size": N_("The file is shorter than when it was closed: its last {length} bytes are "
               "missing."),
    "unchained": N_("{length} bytes from byte {offset} were added after the recording."),
    "gap": N_("Part {chunk} of the file is not where it was recorded (byte {offset})."),
    "order": N_("Parts of the file are missing or out of order (from part {chunk})."),
    "chain_differs": N_("The fingerprints kept beside the file were changed: they differ from "
                        "the copy in the database."),
    "no_chain": N_("The file has no fingerprints to be checked against."),
    "malformed": N_("The fingerprints kept beside the file are damaged."),
    "unreadable": N_("The file cannot be read."),
    "missing": N_("The file is missing from the recordings store."),
    "hash": N_("Its SHA-256 is not the one stored when it was closed."),
    "more": N_("… and {length} more problems."),
}
CLOSING_ALTERED = N_("The end of the file is not what was recorded.")
ORIGINAL = N_("The original as recorded, kept beside the repaired file: {problem}")


@blueprint.app_template_global("file_problem")
def file_problem(problem: FileProblem) -> str:
    """One problem of a recording file, for the verification section of the pages."""
    if problem.kind == "altered" and problem.offset is None:
        text = gettext(CLOSING_ALTERED)
    else:
        length = problem.length or 0
        start = problem.offset or 0
        text = gettext(FILE_PROBLEMS.get(problem.kind, FILE_PROBLEMS["altered"])).format(
            chunk=problem.chunk if problem.chunk is not None else "?", offset=start,
            start=start, end=start + max(length, 1) - 1, length=length)
    return gettext(ORIGINAL).format(problem=text) if problem.original else text


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
