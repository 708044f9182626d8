"""Keeping a hearing recorded: when a member's recorder cannot start or dies, the media side
pauses the whole room (nothing flows while anyone who sends is unrecorded, docs/media.md
pitfall 11) and reports it here. This tells every page, writes it in the audit log, and
starts the recorder again with a bounded back-off until it runs (media flows again) or there
is nothing left to record (the hearing closed, the member left or was removed): no error ends
the retries, and when they end without a recorder running every page and the audit log hear
why. A recorder that cannot close its files at the end is reported (audited), never raised."""

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
        self._reports: set[asyncio.Task[None]] = set()
        self.first_delay, self.most_delay = RETRY_FIRST_SECONDS, RETRY_MAX_SECONDS

    def changed(self, room: str, member: str, state: str, problem: str | None) -> None:
        """The media hub's callback: a recorder started ("recording"), failed, or could not
        close its files when it was stopped ("close_failed": they were salvaged)."""
        self._events.publish(room, {"type": "recording", "member": member, "state": state})
        key = (room, member)
        if state == "failed" and key not in self._retrying:
            task = asyncio.ensure_future(self._keep_recording(room, member, problem))
            self._retrying[key] = task
            task.add_done_callback(lambda _: self._retrying.pop(key, None))
        elif state == "close_failed":  # reported, never raised: the room closes regardless
            self._report(room, [("hearing.recording_close_failed",
                                 {"member": member, "problem": problem})])

    def retrying(self, room: str) -> set[str]:
        return {member for (r, member) in self._retrying if r == room}

    async def stop(self) -> None:
        tasks = [*self._retrying.values(), *self._reports]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _keep_recording(self, room: str, member: str, problem: str | None) -> None:
        """Start the member's recorder again, with a bounded back-off, until it runs or there
        is nothing left to record. No error ends this loop (a full disk, the database away for
        a while): the room stays paused and the alarm says the system keeps trying, which must
        stay true. The audit entries wait for the database like the restarts do."""
        pending = await self._write(room, [
            ("hearing.recording_failed", {"member": member, "problem": problem})])
        attempts = 0
        for delay in retry_delays(self.first_delay, self.most_delay):
            await asyncio.sleep(delay)
            attempts += 1
            try:
                outcome = await self._attempt(room, member)
            except Exception:
                log.exception("hearing.recording_retry_error", hearing=room, member=member,
                              attempts=attempts)
                outcome = None
            if outcome is not None:  # what the database could not take yet is written later
                self._report(room, [*pending, self._ended(room, member, outcome, attempts)])
                return
            pending = await self._write(room, pending)

    async def _attempt(self, room: str, member: str) -> str | None:
        """One restart: "resumed", why there is nothing left to record, or None (try again)."""
        media = self._rooms()
        if media is None:
            return "node stopping"
        if not await self._still_recordable(room, member):
            return "not recordable"  # the hearing closed, the member was removed, or adopted
        if member not in media.connection_states(room):
            return "left"  # their next connection starts a recorder again
        try:
            started = await media.start_recording(room, member)
        except ServiceError:
            return "room ended"
        return "resumed" if started else None

    def _ended(self, room: str, member: str, outcome: str,
               attempts: int) -> tuple[str, dict[str, object]]:
        if outcome == "resumed":
            return "hearing.recording_resumed", {"member": member, "attempts": attempts}
        # Every page hears that the retries stopped (the event the alarm is drawn on): the
        # state it then reads has nobody paused for this member any more.
        self._events.publish(room, {"type": "recording", "member": member,
                                    "state": "retry_ended", "reason": outcome})
        return "hearing.recording_retry_ended", {"member": member, "attempts": attempts,
                                                 "reason": outcome}

    async def _still_recordable(self, room: str, member: str) -> bool:
        async with self._uow() as uow:
            hearing = await uow.hearings.get(HearingId(uuid.UUID(room)))
            found = await uow.hearings.member(MemberId(uuid.UUID(member)))
            held = hearing is not None and await uow.media_nodes.holds(hearing.id, self._node())
        return (hearing is not None and found is not None and held
                and found in lifecycle.recordable([found], hearing))

    def _report(self, room: str, entries: list[tuple[str, dict[str, object]]]) -> None:
        """Write the audit entries, trying again with the back-off while the database is away."""
        async def report() -> None:
            remaining = await self._write(room, entries)
            delays = retry_delays(self.first_delay, self.most_delay)
            while remaining:
                await asyncio.sleep(next(delays))
                remaining = await self._write(room, remaining)

        task = asyncio.ensure_future(report())
        self._reports.add(task)
        task.add_done_callback(self._reports.discard)

    async def _write(self, room: str,
                     entries: list[tuple[str, dict[str, object]]]) -> list[tuple[str, dict[str, object]]]:
        """Write the audit entries in order; those the database could not take yet are
        returned (and logged), for a later try."""
        for index, (action, details) in enumerate(entries):
            try:
                await self._log(room, action, details)
            except Exception:
                log.exception("hearing.recording_audit_delayed", hearing=room, action=action)
                return entries[index:]
        return []

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
