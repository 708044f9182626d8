"""The web side of a hearing's media (node.py is the other end): the hearing's media node,
pinned in the database and pinned at first need when no node was alive at the opening; the
use cases' media effects sent to it after their commit, then the events to every page; offers
and room views forwarded to it. Every use case reaches media through here, whichever web
process serves it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import structlog

from reception.domain.hearings.lifecycle import Effect, Publish, QueueTranscription
from reception.domain.hearings.model import Hearing, HearingId, HearingMember, MemberId
from reception.services.errors import Unavailable
from reception.services.hearings.events import RoomEvents
from reception.services.hearings.node import MEDIA_UNAVAILABLE
from reception.services.hearings.ports import (
    NO_MEDIA,
    Answer,
    MediaFlags,
    MediaNodes,
    NodeAt,
    RoomView,
)
from reception.services.ports import UnitOfWorkFactory

log = structlog.get_logger(__name__)


class HearingMedia:
    def __init__(self, uow: UnitOfWorkFactory, nodes: MediaNodes, events: RoomEvents,
                 dead_after: timedelta) -> None:
        self._uow, self._nodes, self._events = uow, nodes, events
        self._dead_after = dead_after  # a media node silent this long is taken for dead

    async def perform(self, hearing: Hearing, effects: Sequence[Effect]) -> None:
        """Media first (on the hearing's node), then tell the pages, so what they read is
        already true. The transcription job, when there is one, is already committed."""
        media = [e for e in effects if not isinstance(e, Publish | QueueTranscription)]
        node = await self._node(hearing.id) if media else None
        if node is not None:  # None: no node was ever alive for it, so no media exists
            try:
                if not node.alive:
                    raise Unavailable(MEDIA_UNAVAILABLE)
                await self._nodes.perform(node, hearing.id, media)
            except Unavailable:  # the node's catch-up, or its adopter, settles the room
                log.warning("hearing.node_unreachable", hearing=str(hearing.id), node=node.name)
        for effect in effects:
            if isinstance(effect, Publish):
                self._events.publish(str(hearing.id), effect.as_dict())

    async def connect(self, hearing_id: HearingId, member: HearingMember, sdp: str,
                      audio_only: bool) -> Answer:
        """The member's offer answered by the hearing's node (503 while none is alive)."""
        node = await self._node(hearing_id)
        if node is None or not node.alive:
            raise Unavailable(MEDIA_UNAVAILABLE)
        return await self._nodes.connect(node, hearing_id, member.id, sdp, MediaFlags(
            admitted=member.admitted_at is not None, receive_only=member.receive_only,
            audio_only=audio_only), member.muted)

    async def view(self, node: NodeAt | None, hearing_id: HearingId,
                   viewer: MemberId | None) -> RoomView | None:
        """Who is connected, as the node sees it; None without a live node, nobody connected
        when it does not answer (it is adopted soon)."""
        if node is None or not node.alive:
            return None
        try:
            return await self._nodes.view(node, hearing_id, viewer)
        except Unavailable:
            return NO_MEDIA

    async def _node(self, hearing_id: HearingId) -> NodeAt | None:
        """The hearing's media node; an unpinned hearing (no node was alive when it opened) is
        pinned now. None: no media can exist for it yet."""
        async with self._uow() as uow:
            node = await uow.media_nodes.of_hearing(hearing_id, self._dead_after)
            if node is None:
                node = await uow.media_nodes.pin(hearing_id, self._dead_after)
                await uow.commit()
        return node
