"""Adding an official to a hearing (the booking's official, or the agency's head): only the
booking's official and the officials added here may join the hearing as officials."""

from __future__ import annotations

import uuid

from pydantic import BaseModel
from quart import Blueprint
from quart_schema import validate_request

from reception.domain.hearings.model import HearingId
from reception.domain.organisation import StaffId
from reception.web.context import services
from reception.web.security.access import current_staff, staff_required

blueprint = Blueprint("hearing_officials", __name__)


class OfficialIn(BaseModel):
    staff_id: uuid.UUID


@blueprint.post("/api/v1/hearings/<uuid:hearing_id>/officials")
@staff_required()
@validate_request(OfficialIn)
async def add_official(hearing_id: uuid.UUID, data: OfficialIn) -> tuple[str, int]:
    await services().security.hearing_officials.add(current_staff(), HearingId(hearing_id),
                                                    StaffId(data.staff_id))
    return "", 204
