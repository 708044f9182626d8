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
from reception.services.transcripts.transcription import Progress, TranscriptionService
from reception.web.access import current_staff, staff_required
from reception.web.cases.access import object_route
from reception.web.context import services
from reception.web.i18n import gettext

blueprint = Blueprint("transcript_status", __name__, url_prefix="/api/v1")
LABELS = {
    "none": N_("Transcription starts when the hearing ends."),
    "queued": N_("Waiting for a transcription worker."),
    "running": N_("Transcribing: {percent}% of the audio done."),
    "done": N_("The transcript is ready for review."),
    "failed": N_("Transcription failed."),
}
DONE_WITH_PROBLEMS = N_("The transcript is ready, but some recordings could not be read.")


def _label(progress: Progress) -> str:
    if progress.state == "done" and progress.error:
        return gettext(DONE_WITH_PROBLEMS)
    return gettext(LABELS[progress.state]).format(percent=round(progress.share * 100))


@blueprint.get("/hearings/<uuid:hearing_id>/transcript/status")
@staff_required()
@object_route(Permission.VIEW, ObjectType.TRANSCRIPT)
async def status(hearing_id: uuid.UUID) -> dict[str, object]:
    service: TranscriptionService = services().transcripts.transcription
    progress = await service.status(current_staff(), HearingId(hearing_id))
    return {"state": progress.state, "progress": round(progress.share, 3),
            "finished": progress.state in ("done", "failed"), "label": _label(progress),
            "detail": progress.error}


class LanguageIn(BaseModel):
    language: str  # "vi", "en" or "auto"


@blueprint.put("/agencies/<uuid:agency_id>/transcription-language")
@staff_required(StaffRole.ADMINISTRATOR)
@validate_request(LanguageIn)
async def set_language(agency_id: uuid.UUID, data: LanguageIn) -> dict[str, object]:
    """the language an agency's hearings are transcribed in."""
    agency = await services().transcripts.language.set(
        current_staff(), AgencyId(agency_id), data.language)
    return {"id": str(agency.id), "transcription_language": agency.transcription_language}
