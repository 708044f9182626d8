"""Keeping a hearing recorded: when a member's recorder cannot start or dies, the media side
pauses the whole room (nothing flows while anyone who sends is unrecorded, docs/media.md
pitfall 11) and reports it here. This tells every page, writes it in the audit log, and
starts the recorder again with a bounded back-off until it runs (media flows again) or there
is nothing left to record (the hearing closed, the member left or was removed)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator

import structlog

from reception.domain.hearings import lifecycle
from reception.domain.hearings.model import HearingId, MemberId
from reception.services import audit
from reception.services.errors import ServiceError
from reception.services.hearings.events import RoomEvents
from reception.services.hearings.ports import MediaRooms, NodeRegistration
from reception.services.ports import Clock, UnitOfWorkFactory

log = structlog.get_logger(__name__)
RETRY_FIRST_SECONDS = 0.5
RETRY_MAX_SECONDS = 8.0  # the back-off doubles up to this, and keeps trying at this pace


def retry_delays(first: float = RETRY_FIRST_SECONDS,
                 most: float = RETRY_MAX_SECONDS) -> Iterator[float]:
    """0.5, 1, 2, 4, 8, 8, … seconds."""
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, most)


class RecordingWatch:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, events: RoomEvents,
                 rooms: Callable[[], MediaRooms | None],
                 node: Callable[[], NodeRegistration]) -> None:
        self._uow, self._clock, self._events, self._rooms = uow, clock, events, rooms
        self._node = node  # this node's registration: only its own hearings are written about
        self._retrying: dict[tuple[str, str], asyncio.Task[None]] = {}
        self.first_delay = RETRY_FIRST_SECONDS

    def changed(self, room: str, member: str, state: str, problem: str | None) -> None:
        """The media hub's callback: a recorder started ("recording") or failed."""
        self._events.publish(room, {"type": "recording", "member": member, "state": state})
        key = (room, member)
        if state == "failed" and key not in self._retrying:
            task = asyncio.ensure_future(self._keep_recording(room, member, problem))
            self._retrying[key] = task
            task.add_done_callback(lambda _: self._retrying.pop(key, None))

    def retrying(self, room: str) -> set[str]:
        return {member for (r, member) in self._retrying if r == room}

    async def stop(self) -> None:
        tasks = list(self._retrying.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _keep_recording(self, room: str, member: str, problem: str | None) -> None:
        await self._log(room, "hearing.recording_failed", {"member": member, "problem": problem})
        attempts = 0
        delays = retry_delays(self.first_delay)
        try:
            while True:
                await asyncio.sleep(next(delays))
                attempts += 1
                media = self._rooms()
                if media is None or not await self._still_recordable(room, member):
                    return
                if member not in media.connection_states(room):
                    return  # they left; their next connection starts a recorder again
                try:
                    started = await media.start_recording(room, member)
                except ServiceError:  # the room ended meanwhile
                    return
                if started:
                    await self._log(room, "hearing.recording_resumed",
                                    {"member": member, "attempts": attempts})
                    return
        except Exception:  # never lose this loop silently: the room stays paused otherwise
            log.exception("hearing.recording_retry_failed", room=room, member=member)
            raise

    async def _still_recordable(self, room: str, member: str) -> bool:
        async with self._uow() as uow:
            hearing = await uow.hearings.get(HearingId(uuid.UUID(room)))
            found = await uow.hearings.member(MemberId(uuid.UUID(member)))
            held = hearing is not None and await uow.media_nodes.holds(hearing.id, self._node())
        return (hearing is not None and found is not None and held
                and found in lifecycle.recordable([found], hearing))

    async def _log(self, room: str, action: str, details: dict[str, object]) -> None:
        async with self._uow() as uow:
            hearing = await uow.hearings.get(HearingId(uuid.UUID(room)))
            if hearing is None or not await uow.media_nodes.holds(hearing.id, self._node(),
                                                                  lock=True):
                return  # adopted by another node: what it records is told by that node
            await uow.audit.append(audit.record(
                self._clock.now(), None, action, "hearing", hearing.id,
                agency_id=hearing.agency_id, details=details, actor_label="system"))
            await uow.commit()
        log.warning(action, hearing=room, **{k: str(v) for k, v in details.items()})
