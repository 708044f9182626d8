"""Web processes reach a hearing's media node through its internal API (web/media_node.py):
the `MediaNodes` port over HTTP, with the node key. A node that does not answer in time is
`Unavailable` (the caller decides: the page retries, or a live node adopts the hearing); a
refusal comes back as the service error the node raised."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import aiohttp

from reception.domain.hearings.lifecycle import Effect
from reception.domain.hearings.model import HearingId, MemberId
from reception.i18n_marker import N_
from reception.services.errors import Conflict, Invalid, ServiceError, Unavailable
from reception.services.hearings.ports import Answer, MediaFlags, NodeAt, RoomView
from reception.services.hearings.wire import ANSWER, FLAGS, VIEW, effects_out

UNREACHABLE = N_("Video hearings are not available right now. Please try again.")
ERRORS: dict[str, type[ServiceError]] = {
    "conflict": Conflict, "unavailable": Unavailable, "unauthorised": Unavailable}
# Ending a room closes, stores and verifies its files: give it time. Views are quick.
SLOW, QUICK = aiohttp.ClientTimeout(total=120, connect=3), aiohttp.ClientTimeout(total=10, connect=3)


class NodeClient:
    def __init__(self, key: str) -> None:
        self._headers = {"Authorization": f"Bearer {key}"}
        self._session: aiohttp.ClientSession | None = None

    async def perform(self, node: NodeAt, hearing_id: HearingId,
                      effects: Sequence[Effect]) -> None:
        await self._call(node, "POST", f"/rooms/{hearing_id}/effects",
                         {"effects": effects_out(effects)}, SLOW)

    async def connect(self, node: NodeAt, hearing_id: HearingId, member_id: MemberId, sdp: str,
                      flags: MediaFlags, muted: bool) -> Answer:
        body = await self._call(node, "POST", f"/rooms/{hearing_id}/members/{member_id}/connect",
                                {"sdp": sdp, "flags": FLAGS.dump_python(flags), "muted": muted},
                                SLOW)
        return ANSWER.validate_json(body)

    async def view(self, node: NodeAt, hearing_id: HearingId,
                   viewer: MemberId | None) -> RoomView:
        query = f"?viewer={viewer}" if viewer else ""
        return VIEW.validate_json(await self._call(node, "GET", f"/rooms/{hearing_id}/view{query}",
                                                   None, QUICK))

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _call(self, node: NodeAt, method: str, path: str, body: dict[str, Any] | None,
                    limits: aiohttp.ClientTimeout) -> bytes:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(headers=self._headers)
        try:
            async with self._session.request(method, node.url + path, json=body,
                                             timeout=limits) as response:
                content = await response.read()
                if response.status < 400:
                    return content
                error = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as problem:
            raise Unavailable(UNREACHABLE, reason=f"{node.name}: {type(problem).__name__}") from None
        kind = ERRORS.get(str(error.get("code")), Invalid)
        raise kind(str(error.get("message")), **dict(error.get("params") or {}))
