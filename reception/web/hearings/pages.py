"""Video hearing: the official's console and the citizen's page, the signalling API (one
offer/answer per connection, non-trickle ICE) and a websocket of room events per hearing.

Staff use their session (X-CSRF-Token on unsafe calls); citizens use their secret link:
`X-Join-Token` on API calls, `?t=` on pages and on the websocket (browsers cannot set its
headers). Each offer also carries a single-use ticket from a join call.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import structlog
from pydantic import BaseModel, ConfigDict, Field
from quart import Blueprint, g, redirect, render_template, request, url_for
from quart import websocket as ws
from quart_schema import validate_request
from werkzeug.wrappers import Response as WerkzeugResponse

from reception.domain.booking import LOCAL_TZ, BookingId, ParticipantId
from reception.domain.hearings.model import HearingId, MemberId
from reception.i18n_marker import N_
from reception.services.errors import ServiceError
from reception.services.hearings.access import Join
from reception.services.hearings.events import Replaced
from reception.services.hearings.hearings import HearingService
from reception.services.hearings.parties import HearingPartiesService, PartyKind
from reception.web.context import services
from reception.web.errors import message_of
from reception.web.forms import parse_form
from reception.web.hearings.admission import admits
from reception.web.hearings.strings import client_strings, party_kind_labels
from reception.web.i18n import gettext
from reception.web.security.access import current_staff, staff_required, still_signed_in
from reception.web.security.limits import JOIN_PER_ADDRESS, JOIN_PER_TOKEN, by_address, throttle
from reception.web.text import OneLine

log = structlog.get_logger(__name__)
blueprint = Blueprint("hearings", __name__)
staff = staff_required()
MAX_SDP = 64 * 1024


def _service() -> HearingService:
    return services().hearings.hearings


def _parties() -> HearingPartiesService:
    return services().hearings.parties


def _page_config(**values: Any) -> dict[str, Any]:
    hearings = services().hearings
    width, height = hearings.video_size
    return {**values, "video": {"width": width, "height": height},
            "strings": client_strings(gettext), "testProbe": hearings.test_probe}


def _join(join: Join) -> dict[str, Any]:
    return {"hearing_id": str(join.hearing_id), "member_id": str(join.member_id),
            "ticket": join.ticket, "ice_servers": join.ice_servers}


class OfferIn(BaseModel):
    ticket: OneLine = Field(min_length=8, max_length=100)
    sdp: str = Field(min_length=10, max_length=MAX_SDP)
    audio_only: bool = False


class StaffJoinIn(BaseModel):
    receive_only: bool = False


class MuteIn(BaseModel):
    muted: bool


class PartyIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: OneLine = Field(min_length=1, max_length=120)
    kind: PartyKind


PARTY_MESSAGES = {"name": N_("Enter the person's full name (at most 120 characters)."),
                  "kind": N_("Choose how the person takes part.")}


# -- pages ------------------------------------------------------------------------------
@blueprint.post("/staff/bookings/<uuid:booking_id>/hearing")
@staff
async def open_hearing(booking_id: uuid.UUID) -> WerkzeugResponse:
    hearing = await _service().open(current_staff(), BookingId(booking_id))
    return redirect(url_for("hearings.console", hearing_id=hearing.id))


@blueprint.get("/staff/hearings/<uuid:hearing_id>")
@staff
async def console(hearing_id: uuid.UUID) -> str:
    service = _service()
    view = await service.console(current_staff(), HearingId(hearing_id))
    you = view.you if view.you and view.you.removed_at is None else None
    config = _page_config(hearingId=str(view.hearing.id), role="official",
                          state=await service.state(view.hearing.id, you.id if you else None,
                                                    staff=True),
                          returning={"observer": you.receive_only} if you else None)
    return await render_template("hearing/console.html", view=view, config=config,
                                 local_tz=LOCAL_TZ, party_kinds=list(party_kind_labels().items()))


@blueprint.get("/my-booking/hearing")
async def citizen_page() -> str:
    token = request.args.get("t", "")
    service = _service()
    booking, hearing = await service.current_for_link(token)
    state = None
    if hearing is not None:  # what is recorded so far (and after the end, what was)
        viewer = await service.authorise_listener(hearing.id, None, token)
        state = await service.state(hearing.id, viewer)
    config = _page_config(hearingId=str(hearing.id) if hearing else None, role="citizen",
                          token=token, state=state)
    return await render_template("hearing/citizen.html", booking=booking, hearing=hearing,
                                 config=config, token=token)


@blueprint.get("/staff/bookings/<uuid:booking_id>/parties")
@staff
async def party_form(booking_id: uuid.UUID) -> str:
    return await _party_page(booking_id, {}, {})


@blueprint.post("/staff/bookings/<uuid:booking_id>/parties")
@staff
async def add_party(booking_id: uuid.UUID) -> str | tuple[str, int]:
    """An interpreter, lawyer or representative gets a link of their own (shown once)."""
    form = await request.form
    data, errors = parse_form(PartyIn, form, PARTY_MESSAGES)
    if data is None:
        return await _party_page(booking_id, form, errors), 400
    added = await _parties().add(current_staff(), BookingId(booking_id), data.name, data.kind)
    link = url_for("booking.waiting_room", t=added.token, _external=True)
    return await render_template("hearing/party.html", added=added, link=link,
                                 kind_label=party_kind_labels()[added.kind.value],
                                 local_tz=LOCAL_TZ)


async def _party_page(booking_id: uuid.UUID, form: Any, errors: dict[str, str]) -> str:
    """The form, to the booking's officials only (whoever may not add a party reads no form)."""
    await _parties().of_booking(current_staff(), BookingId(booking_id))
    return await render_template("hearing/party.html", added=None, booking_id=booking_id,
                                 form=form, errors=errors,
                                 kinds=list(party_kind_labels().items()))


# -- signalling API ---------------------------------------------------------------------
@blueprint.post("/api/v1/hearings/<uuid:hearing_id>/join")
@staff
@validate_request(StaffJoinIn)
async def join_staff(hearing_id: uuid.UUID, data: StaffJoinIn) -> dict[str, Any]:
    return _join(await _service().join_as_staff(current_staff(), HearingId(hearing_id),
                                                data.receive_only))


@blueprint.post("/api/v1/hearings/<uuid:hearing_id>/join-by-link")
async def join_by_link(hearing_id: uuid.UUID) -> dict[str, Any]:
    token = request.headers.get("X-Join-Token", "")
    await throttle(by_address(JOIN_PER_ADDRESS), (JOIN_PER_TOKEN, token))
    return _join(await _service().join_by_link(token, HearingId(hearing_id)))


@blueprint.post("/api/v1/hearings/<uuid:hearing_id>/offer")
@validate_request(OfferIn)
async def offer(hearing_id: uuid.UUID, data: OfferIn) -> dict[str, str]:
    answer = await _service().offer(HearingId(hearing_id), data.ticket, data.sdp, data.audio_only)
    return {"sdp": answer.sdp, "type": answer.type}


@blueprint.get("/api/v1/hearings/<uuid:hearing_id>/state")
async def state(hearing_id: uuid.UUID) -> dict[str, Any]:
    service = _service()
    viewer = await service.authorise_listener(HearingId(hearing_id), g.get("staff"),
                                              request.headers.get("X-Join-Token"))
    return await service.state(HearingId(hearing_id), viewer, staff=g.get("staff") is not None)


@blueprint.post("/api/v1/hearings/<uuid:hearing_id>/members/<uuid:member_id>/admit")
@admits("console member list")
@staff
async def admit(hearing_id: uuid.UUID, member_id: uuid.UUID) -> tuple[str, int]:
    await _service().admit(current_staff(), HearingId(hearing_id), MemberId(member_id))
    return "", 204


@blueprint.post("/api/v1/hearings/<uuid:hearing_id>/participants/<uuid:participant_id>/admit")
@admits("console waiting list")
@staff
async def admit_waiting(hearing_id: uuid.UUID, participant_id: uuid.UUID) -> tuple[str, int]:
    """Admit someone still on the waiting-room page (the console's waiting list)."""
    await _service().admit_participant(current_staff(), HearingId(hearing_id),
                                       ParticipantId(participant_id))
    return "", 204


@blueprint.post("/api/v1/hearings/<uuid:hearing_id>/members/<uuid:member_id>/mute")
@staff
@validate_request(MuteIn)
async def mute(hearing_id: uuid.UUID, member_id: uuid.UUID, data: MuteIn) -> tuple[str, int]:
    await _service().mute(current_staff(), HearingId(hearing_id), MemberId(member_id), data.muted)
    return "", 204


@blueprint.post("/api/v1/hearings/<uuid:hearing_id>/members/<uuid:member_id>/remove")
@staff
async def remove(hearing_id: uuid.UUID, member_id: uuid.UUID) -> tuple[str, int]:
    await _service().remove(current_staff(), HearingId(hearing_id), MemberId(member_id))
    return "", 204


@blueprint.post("/api/v1/hearings/<uuid:hearing_id>/end")
@staff
async def end(hearing_id: uuid.UUID) -> dict[str, Any]:
    ended = await _service().end(current_staff(), HearingId(hearing_id))
    return {"id": str(ended.id), "status": ended.status.value}


# -- room events ------------------------------------------------------------------------
def _holder() -> str:
    """Whose socket this is: the staff member, or the citizen's link (events.py keeps one
    socket per holder and hearing)."""
    staff_member = g.get("staff")
    if staff_member is not None:
        return f"staff:{staff_member.id}"
    return "link:" + hashlib.sha256((ws.args.get("t") or "").encode()).hexdigest()


# The state commits "ended" before the media node closes and stores the files, so the first
# events after an end (members leaving) show no recordings yet; the "ended" announcement comes
# once they are stored. The socket waits for it, this long at most.
SETTLE_SECONDS = 30.0


def _long_over(ended_at: str | None) -> bool:
    """The hearing ended before anything could still be on its way (a page opened later)."""
    return ended_at is not None and datetime.now(UTC) - datetime.fromisoformat(ended_at) > \
        timedelta(seconds=SETTLE_SECONDS)


def _nothing_more(event: dict[str, Any], state: dict[str, Any]) -> bool:
    """This state is the last the page needs: it shows the viewer removed (the hearing's changes
    are no longer theirs), or the hearing over with its files stored (the "ended"
    announcement, or an end long past)."""
    if any(m["id"] == state["you"] and m["removed"] for m in state["members"]):
        return True
    return state["hearing"]["status"] != "open" and (
        event["type"] == "ended" or _long_over(state["hearing"]["ended_at"]))


@blueprint.websocket("/api/v1/hearings/<uuid:hearing_id>/events")
async def events(hearing_id: uuid.UUID) -> None:
    """Pushes {"event", "state"} on every change; the first message is the current state."""
    origin = ws.headers.get("Origin")
    if origin and urlsplit(origin).netloc != ws.host:
        await ws.close(4403)  # a page of another site using the staff cookie
        return
    service, room = _service(), HearingId(hearing_id)
    try:
        viewer = await service.authorise_listener(room, g.get("staff"), ws.args.get("t"))
        await ws.accept()
        async with service.events.listen(str(room), _holder()) as queue:
            event: dict[str, Any] = {"type": "hello"}
            staff = g.get("staff")
            settle_by: float | None = None  # once over: until when the stored files may come
            while True:
                # Each state is sent only while the staff member is still signed in (the first
                # was just checked by load_staff): after a logout nothing more is sent.
                if staff is not None and event["type"] != "hello" and not await still_signed_in():
                    await ws.close(4401)
                    return
                if viewer is None:
                    viewer = await service.authorise_listener(room, staff, ws.args.get("t"))
                current = await service.state(room, viewer, staff=staff is not None)
                await ws.send(json.dumps({"event": event, "state": current}))
                if _nothing_more(event, current):
                    break
                if current["hearing"]["status"] != "open" and settle_by is None:
                    settle_by = time.monotonic() + SETTLE_SECONDS
                wait = 15.0 if settle_by is None else settle_by - time.monotonic()
                try:
                    event = await asyncio.wait_for(queue.get(), timeout=max(wait, 0.0))
                except TimeoutError:
                    if settle_by is not None:
                        break  # no announcement (an unreachable node): the page has the end
                    event = {"type": "tick"}  # keeps proxies from closing an idle socket
    except Replaced as error:  # the same person connected again: the page does not retry
        await ws.close(4409, message_of(error))
    except ServiceError as error:
        await ws.close(4403, message_of(error)[:120])
    except Exception:  # web/errors.py handlers need a request; a websocket has none
        log.exception("hearing events failed", hearing=str(hearing_id))
        await ws.close(1011)
