"""A media node's internal API is not a way in: without the node key every call is refused,
malformed work is refused with a message, and the public address does not serve it."""

from __future__ import annotations

import aiohttp
from sqlalchemy import text

from tests.integration.hearings.conftest import Room


async def _node_url(room: Room) -> str:
    async with room.app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        return str((await uow.session.execute(text(
            "SELECT url FROM media_node JOIN hearing ON hearing.media_node = media_node.name "
            "WHERE hearing.id = :id"), {"id": room.hearing_id})).scalar_one())


async def test_the_node_api_refuses_callers_without_the_key_and_malformed_work(room: Room) -> None:
    url = await _node_url(room)
    key = room.app.container.settings.media_node_key()  # type: ignore[attr-defined]
    rooms = f"{url}/rooms/{room.hearing_id}"
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {"Authorization": "Bearer " + "0" * 64},
                        {"Authorization": key}):  # not a bearer
            for method, path, body in (("POST", "/effects", {"effects": [{"effect": "CloseRoom"}]}),
                                       ("GET", "/view", None)):
                async with http.request(method, rooms + path, json=body, headers=headers) as r:
                    assert r.status == 401, (headers, path)
        async with http.get(f"{rooms}/view") as r:
            assert r.status == 401
        signed = {"Authorization": f"Bearer {key}"}
        for body in ({}, [], "CloseRoom", [{"effect": "CloseRoom"}], {"effects": "CloseRoom"},
                     {"effects": [{"effect": "DropTables"}]},
                     {"effects": [{"effect": "SetMuted", "member": "not-a-uuid", "muted": 1}]}):
            async with http.post(f"{rooms}/effects", json=body, headers=signed) as r:
                assert r.status == 400, body
                assert (await r.json())["message"]
        connect = f"{rooms}/members/{room.hearing_id}/connect"
        for body in ({"sdp": 5}, [], "v=0", [{"sdp": "v=0", "muted": False}]):
            async with http.post(connect, json=body, headers=signed) as r:
                assert r.status == 400, body
        async with http.post(connect, data=b"\xff\xfe{", headers={
                **signed, "Content-Type": "application/json"}) as r:
            assert r.status == 400
        async with http.get(f"{rooms}/view?viewer=not-a-uuid", headers=signed) as r:
            assert r.status in (200, 400)  # an unreadable viewer is no viewer, never a 500
        async with http.get(f"{rooms}/view", headers=signed) as r:
            assert r.status == 200 and (await r.json())["connections"] == {}
    public = await room.app.test_client().get(f"/rooms/{room.hearing_id}/view")
    assert public.status_code == 404  # the public app does not serve the node's API
    # The hearing still works after all that: its room was never closed by a refused call.
    state = await (await room.staff.get(room.api("/state"))).get_json()
    assert state["hearing"]["status"] == "open"
