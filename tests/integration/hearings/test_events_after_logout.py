"""Who stops hearing a hearing's events: an official who logged out (in another tab, say) —
the next change closes their socket with 4401 instead of pushing the room's state to a
signed-out browser; a removed citizen — their page is shown the removal, then nothing more."""

from __future__ import annotations

import asyncio
import json

import pytest
from quart.testing.connections import WebsocketDisconnectError

from tests.integration.hearings.conftest import Room


async def test_after_logout_the_event_socket_sends_no_more_state(room: Room) -> None:
    # A socket the server never closes would hang the test at the end of the block: a bound.
    async with asyncio.timeout(90), room.staff.websocket(room.api("/events")) as socket:
        hello = json.loads(await socket.receive())
        assert hello["state"]["hearing"]["status"] == "open"
        logged_out = await room.staff.post("/logout", form={"csrf_token": room.csrf})
        assert logged_out.status_code == 302
        # The citizen joins after the logout: a change every page of the hearing hears of.
        joined = await room.post(room.api("/join-by-link"), token=room.seeded.token)
        assert joined.status_code == 200
        with pytest.raises(WebsocketDisconnectError) as closed:
            leaked = await asyncio.wait_for(socket.receive(), 30)
            pytest.fail(f"state sent after the logout: {str(leaked)[:200]}")
    assert closed.value.args[0] == 4401


async def test_a_removed_citizen_s_socket_shows_the_removal_and_then_nothing_more(
        room: Room) -> None:
    joined = await (await room.post(room.api("/join-by-link"), token=room.seeded.token)).get_json()
    citizen = joined["member_id"]
    received = []
    async with asyncio.timeout(90), room.app.test_client().websocket(
            room.api(f"/events?t={room.seeded.token}")) as socket:
        received.append(json.loads(await socket.receive()))
        assert (await room.post(room.api(f"/members/{citizen}/remove"))).status_code == 204
        received.append(json.loads(await asyncio.wait_for(socket.receive(), 30)))
        # A change after the removal, one every page of the hearing hears of: the official joins.
        assert (await room.post(room.api("/join"))).status_code == 200
        try:
            while True:
                received.append(json.loads(await asyncio.wait_for(socket.receive(), 30)))
        except WebsocketDisconnectError:
            pass
    you = [next(m for m in r["state"]["members"] if m["id"] == citizen) for r in received]
    assert [m["removed"] for m in you] == [False, True], [r["event"] for r in received]
