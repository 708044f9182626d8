"""Progress of a hearing's transcription, polled by the console's progress bar."""

from __future__ import annotations

import uuid

from pydantic import BaseModel
from quart import Blueprint
from quart_schema import validate_request

from reception.domain.access import ObjectType, Permission
from reception.domain.hearings.model import HearingId
from reception.domain.organisation import AgencyId, StaffRole
from reception.i18n_marker import N_
from reception.services.transcripts.progress import Progress, Stage
from reception.services.transcripts.transcription import TranscriptionService
from reception.web.cases.access import object_route
from reception.web.context import services
from reception.web.i18n import gettext
from reception.web.security.access import current_staff, staff_required
from reception.web.text import OneLine
from reception.web.transcripts.wording import failure_text, untranscribed_notice

blueprint = Blueprint("transcript_status", __name__, url_prefix="/api/v1")
# The truth, not the last percentage written: a job no worker holds is waiting, a stopped
# attempt is retrying (services/transcripts/progress.py).
LABELS = {
    Stage.NONE: N_("Transcription starts when the hearing ends."),
    Stage.WAITING: N_("Waiting for a transcription worker."),
    Stage.RETRYING: N_("Attempt {previous} stopped; waiting to try again (attempt {attempt})."),
    Stage.RUNNING: N_("Transcribing: {percent}% of the audio done."),
    Stage.DONE: N_("The transcript is ready for review."),
    Stage.FAILED: N_("Transcription failed."),
}
RUNNING_AGAIN = N_("Transcribing (attempt {attempt}): {percent}% of the audio done.")
WORKER_LOST = N_("The worker transcribing this hearing stopped; waiting for another one to "
                 "take over (attempt {attempt}).")
KEPT = N_("{percent}% of the audio was already transcribed and is kept.")
DONE_WITH_PROBLEMS = N_("The transcript is ready, but some recordings could not be read: their "
                        "speakers' words are not in it.")


def _label(progress: Progress) -> str:
    values = {"percent": round(progress.share * 100), "attempt": progress.attempt,
              "previous": progress.attempt - 1}
    if progress.state is Stage.DONE and (progress.error or progress.untranscribed):
        return gettext(DONE_WITH_PROBLEMS)
    if progress.state is Stage.RUNNING and progress.attempt > 1:
        return gettext(RUNNING_AGAIN).format(**values)
    label = gettext(WORKER_LOST if progress.worker_lost else LABELS[progress.state])
    label = label.format(**values)
    if progress.state in (Stage.WAITING, Stage.RETRYING) and progress.share > 0:
        label += " " + gettext(KEPT).format(**values)
    return label


@blueprint.get("/hearings/<uuid:hearing_id>/transcript/status")
@staff_required()
@object_route(Permission.VIEW, ObjectType.TRANSCRIPT)
async def status(hearing_id: uuid.UUID) -> dict[str, object]:
    service: TranscriptionService = services().transcripts.transcription
    progress = await service.status(current_staff(), HearingId(hearing_id))
    return {"state": progress.state.value, "progress": round(progress.share, 3),
            "attempt": progress.attempt, "finished": progress.finished,
            "label": _label(progress),
            # Whose words are not in the transcript and why, or why it stopped, in the
            # reader's language (the pipeline's own text is for the log).
            "detail": (" ".join(untranscribed_notice(u) for u in progress.untranscribed)
                       or (failure_text(progress.error)
                           if progress.state is not Stage.RUNNING else None)),
            "untranscribed": len(progress.untranscribed)}


class LanguageIn(BaseModel):
    language: OneLine  # "vi", "en" or "auto"


@blueprint.put("/agencies/<uuid:agency_id>/transcription-language")
@staff_required(StaffRole.ADMINISTRATOR)
@validate_request(LanguageIn)
async def set_language(agency_id: uuid.UUID, data: LanguageIn) -> dict[str, object]:
    """the language an agency's hearings are transcribed in."""
    agency = await services().transcripts.language.set(
        current_staff(), AgencyId(agency_id), data.language)
    return {"id": str(agency.id), "transcription_language": agency.transcription_language}
