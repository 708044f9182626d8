"""Who stops hearing a hearing's events: an official who logged out (in another tab, say) —
the next change closes their socket with 4401 instead of pushing the room's state to a
signed-out browser; a removed citizen — their page is shown the removal, then nothing more."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from quart.testing.connections import WebsocketDisconnectError

from tests.integration.hearings.conftest import Room


async def _until_closed(socket: Any, received: list[dict[str, Any]]) -> int:
    """Every state the socket still sends, until the server closes it; its close code."""
    try:
        while True:
            received.append(json.loads(await asyncio.wait_for(socket.receive(), 30)))
    except WebsocketDisconnectError as closed:
        return int(closed.args[0])


# Events travel through PostgreSQL (LISTEN/NOTIFY) and may reach a socket a moment after the
# change that caused them: the tests name the event a state was sent for, not its position.

async def test_after_logout_the_event_socket_sends_no_more_state(room: Room) -> None:
    received: list[dict[str, Any]] = []
    # A socket the server never closes would hang the test at the end of the block: a bound.
    async with asyncio.timeout(90), room.staff.websocket(room.api("/events")) as socket:
        received.append(json.loads(await socket.receive()))
        logged_out = await room.staff.post("/logout", form={"csrf_token": room.csrf})
        assert logged_out.status_code == 302
        # The citizen joins after the logout: a change every page of the hearing hears of.
        joined = await room.post(room.api("/join-by-link"), token=room.seeded.token)
        assert joined.status_code == 200
        code = await _until_closed(socket, received)
    events = [r["event"] for r in received]
    assert code == 4401, events
    assert not [e for e in events if e["type"] == "joined"], events  # nothing after the logout


async def test_a_removed_citizen_s_socket_shows_the_removal_and_then_nothing_more(
        room: Room) -> None:
    joined = await (await room.post(room.api("/join-by-link"), token=room.seeded.token)).get_json()
    citizen = joined["member_id"]
    received: list[dict[str, Any]] = []

    def removed(state: dict[str, Any]) -> bool:
        return bool(next(m for m in state["members"] if m["id"] == citizen)["removed"])

    async with asyncio.timeout(90), room.app.test_client().websocket(
            room.api(f"/events?t={room.seeded.token}")) as socket:
        received.append(json.loads(await socket.receive()))
        assert (await room.post(room.api(f"/members/{citizen}/remove"))).status_code == 204
        while not removed(received[-1]["state"]):
            received.append(json.loads(await asyncio.wait_for(socket.receive(), 30)))
        # A change after the removal, one every page of the hearing hears of: the official joins.
        assert (await room.post(room.api("/join"))).status_code == 200
        await _until_closed(socket, received)
    shown = [removed(r["state"]) for r in received]
    assert shown.count(True) == 1 and shown[-1], [r["event"] for r in received]
