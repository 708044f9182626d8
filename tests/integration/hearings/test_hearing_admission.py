"""One admission path: whether the official admits from the agenda, the console's waiting list
or the member list, the citizen and their hearing member are admitted together and the
hearing's recording clock starts. Opening a hearing twice, even at once, gives one hearing."""

from __future__ import annotations

import asyncio
import re

from quart import Quart

from reception.domain.hearings.model import HearingStatus
from tests.integration.conftest import log_in
from tests.integration.hearings.conftest import Room
from tests.integration.hearings.factory import make_official, seed_booking


async def _hearing(room: Room):  # type: ignore[no-untyped-def]
    async with room.app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        return await uow.hearings.get(room.hearing_id)


async def test_a_citizen_on_the_waiting_room_page_is_listed_and_admitted_from_the_console(
    room: Room,
) -> None:
    official = await room.post(room.api("/join"), {"receive_only": False})
    state = await (await room.staff.get(room.api("/state"))).get_json()
    assert official.status_code == 200
    waiting = state["waiting"]
    assert [w["id"] for w in waiting] == [str(room.seeded.citizen.id)]
    assert (await _hearing(room)).recording_started_at is None

    admitted = await room.post(room.api(f"/participants/{room.seeded.citizen.id}/admit"))
    assert admitted.status_code == 204
    assert (await _hearing(room)).recording_started_at is not None
    state = await (await room.staff.get(room.api("/state"))).get_json()
    assert state["waiting"] == []

    joined = await room.post(room.api("/join-by-link"), token=room.seeded.token)
    assert joined.status_code == 200
    state = await (await room.staff.get(room.api("/state"))).get_json()
    citizen = next(m for m in state["members"] if m["role"] == "citizen")
    assert citizen["admitted"]  # comes in admitted: recorded as soon as their media connects


async def test_admitting_from_the_agenda_goes_through_the_hearing_and_starts_its_recording(
    room: Room,
) -> None:
    response = await room.post(f"/api/v1/bookings/{room.seeded.booking.id}/admit")
    assert response.status_code == 200, await response.get_data(as_text=True)
    hearing = await _hearing(room)
    assert hearing.recording_started_at is not None
    joined = await room.post(room.api("/join-by-link"), token=room.seeded.token)
    member_id = (await joined.get_json())["member_id"]
    async with room.app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        member = await uow.hearings.member(member_id)
    assert member is not None and member.may_be_recorded


async def test_an_agenda_admission_with_no_hearing_open_opens_one(hearing_app: Quart) -> None:
    container = hearing_app.container  # type: ignore[attr-defined]
    official = await make_official(container.staff)
    seeded = await seed_booking(container.uow_factory, official)
    staff = hearing_app.test_client()
    assert await log_in(staff, official.login) == 302
    page = await (await staff.get("/agenda/")).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page)
    assert token
    response = await staff.post(f"/api/v1/bookings/{seeded.booking.id}/admit",
                                headers={"X-CSRF-Token": token.group(1)})
    assert response.status_code == 200
    async with container.uow_factory() as uow:
        hearing = await uow.hearings.open_for_booking(seeded.booking.id)
    assert hearing is not None and hearing.recording_started_at is not None


async def test_opening_a_hearing_twice_at_once_gives_one_hearing_and_no_error(
    hearing_app: Quart,
) -> None:
    container = hearing_app.container  # type: ignore[attr-defined]
    official = await make_official(container.staff)
    seeded = await seed_booking(container.uow_factory, official)
    opened = await asyncio.gather(*(container.hearings.open(official, seeded.booking.id)
                                    for _ in range(4)))
    assert len({h.id for h in opened}) == 1
    async with container.uow_factory() as uow:
        hearings = await uow.hearings.of_booking(seeded.booking.id)
    assert [h.status for h in hearings] == [HearingStatus.OPEN]
