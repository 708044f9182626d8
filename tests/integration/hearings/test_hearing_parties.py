"""Third parties: the official adds an interpreter to the booking from the console's form; the
interpreter consents and joins with their own link and is recorded in files of their own,
while an official joining as a receive-only observer is never recorded."""

from __future__ import annotations

import asyncio
import html
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from reception.domain.hearings.model import HearingId
from tests.integration.conftest import form_token, log_in
from tests.integration.hearings.conftest import Room
from tests.integration.hearings.factory import make_official
from tests.integration.hearings.media_checks import (
    SPEAKING,
    audio_levels,
    join_and_offer,
    stored_recordings,
)
from tests.integration.media.media_peers import Client, wait_until

pytestmark = pytest.mark.slow


async def add_interpreter(room: Room, name: str) -> str:
    """Fill the console's form; returns the token of the link the official is shown."""
    console = f"/staff/hearings/{room.hearing_id}"
    csrf = await form_token(room.staff, console)
    response = await room.staff.post(f"/staff/bookings/{room.seeded.booking.id}/parties",
                                     form={"name": name, "kind": "interpreter", "csrf_token": csrf})
    page = await response.get_data(as_text=True)
    assert response.status_code == 200, page
    link = re.search(r'id="party-link" type="text" readonly value="([^"]+)"', page)
    assert link, page
    return parse_qs(urlsplit(html.unescape(link.group(1))).query)["t"][0]


async def test_an_added_interpreter_joins_with_their_own_link_and_is_recorded_on_their_own(
    room: Room, tmp_path: Path
) -> None:
    container = room.app.container  # type: ignore[attr-defined]
    refused = await room.staff.post(f"/staff/bookings/{room.seeded.booking.id}/parties", form={
        "name": " ", "kind": "interpreter",
        "csrf_token": await form_token(room.staff, f"/staff/hearings/{room.hearing_id}")})
    token = await add_interpreter(room, "Lê Thị Phiên Dịch")
    await container.booking.waiting_room.consent(token, True)  # reads the notice in the waiting room
    observer_staff = await make_official(container.staff, login="quansat")
    # Only the hearing's officials join it: the receiving official adds the observer first.
    added = await room.post(room.api("/officials"), {"staff_id": str(observer_staff.id)})
    assert added.status_code == 204, await added.get_data(as_text=True)
    watcher = room.app.test_client()
    assert await log_in(watcher, observer_staff.login) == 302
    page = await (await watcher.get(f"/staff/hearings/{room.hearing_id}")).get_data(as_text=True)
    watcher_csrf = re.search(r'name="csrf-token" content="([0-9a-f]+)"', page)
    assert watcher_csrf

    official = Client(speech="official.wav", luma=190, extra_receive_slots=1)
    citizen = Client(speech="citizen.wav", luma=60, extra_receive_slots=1)
    interpreter = Client(speech="official.wav", luma=120, extra_receive_slots=1)
    observer = Client(speech=None, luma=None, observer=True, extra_receive_slots=2)
    await join_and_offer(room, official)
    citizen_id = (await join_and_offer(room, citizen, room.seeded.token))["member_id"]
    interpreter_id = (await join_and_offer(room, interpreter, token))["member_id"]
    observer_id = (await join_and_offer(room, observer, staff=watcher, csrf=watcher_csrf.group(1),
                                        receive_only=True))["member_id"]
    for member in (citizen_id, interpreter_id):
        admitted = await room.post(room.api(f"/members/{member}/admit"))
        assert admitted.status_code == 204, await admitted.get_data(as_text=True)
    await wait_until(lambda: len(official.video_lumas) > 40 and interpreter.audio_frames > 100
                     and len(observer.video_lumas) > 40, 15, "media among all four")
    await asyncio.sleep(1)
    state = await (await room.staff.get(room.api("/state"))).get_json()
    await room.post(room.api("/end"))
    for client in (official, citizen, interpreter, observer):
        await client.close()

    assert refused.status_code == 400
    members = {m["id"]: m for m in state["members"]}
    assert members[interpreter_id]["role"] == "third_party"
    assert members[interpreter_id]["name"] == "Lê Thị Phiên Dịch"
    assert members[interpreter_id]["recording"] and not members[observer_id]["recording"]
    assert any(abs(luma - 120) < 20 for luma in official.video_lumas)  # the interpreter is seen
    recordings = await stored_recordings(room)
    by_member: dict[str, set[str]] = {}
    for recording in recordings:
        by_member.setdefault(str(recording.member_id), set()).add(recording.kind)
    assert len(by_member) == 3 and observer_id not in by_member
    assert by_member[interpreter_id] == {"audio", "evidence"}
    (interpreter_audio,) = [r for r in recordings
                            if str(r.member_id) == interpreter_id and r.kind == "audio"]
    assert max(audio_levels(tmp_path / "recordings" / interpreter_audio.path)) > SPEAKING
    room_dir = tmp_path / "recordings" / str(HearingId(recordings[0].hearing_id))
    assert not list(room_dir.glob(f"{observer_id}*"))  # not a byte of the observer on disk
    async with container.uow_factory() as uow:
        trail = [record async for _, record, _, _ in uow.audit.entries()
                 if record.action == "booking.party_added"]
    assert len(trail) == 1 and trail[0].details["kind"] == "interpreter"
