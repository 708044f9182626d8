"""A session ends when its person logs out, open sockets included: the hearing's event socket
of an official who logged out (in another tab, say) sends nothing more — the next change in
the hearing closes it with 4401 instead of pushing the room's state to a signed-out browser."""

from __future__ import annotations

import asyncio
import json

import pytest
from quart.testing.connections import WebsocketDisconnectError

from tests.integration.hearings.conftest import Room


async def test_after_logout_the_event_socket_sends_no_more_state(room: Room) -> None:
    async with room.staff.websocket(room.api("/events")) as socket:
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
