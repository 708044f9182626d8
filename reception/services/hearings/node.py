"""A media node: the process that holds the rooms of the hearings pinned to it (docs/deployment.md
"Media nodes"). Web processes decide (one unit of work per use case, hearings.py) and send the
media effects here; this applies them to the rooms, stores and verifies what the rooms recorded,
keeps recorders running (recording.py), and tells every page through the room events.

A node registers in the database and keeps a heartbeat on the database's clock. When a node
stops or dies, a live node (or its own next run) adopts its unsettled hearings: open ones are
interrupted, and every file the crash left is repaired and stored with its hashes. The
transcription job is added in the same unit of work as the state that needs it.

Fencing. Each registration has a generation from the database, and a hearing is pinned to a
generation; adoption moves the hearing and ends the old generation. A node that was only
stalled (taken for dead) learns it at its next heartbeat: it drops the rooms of hearings no
longer pinned to it without touching their files (`MediaRooms.abandon`), then registers again.
Every write it makes about a hearing checks, in the same unit of work and under the hearing's
row lock, that the hearing is still pinned to its live generation (`_held`), so a stalled node
never stores a second version. Its open file handles were cut off by the adopter's repair,
which copies the files aside and unlinks the originals (recording/repair.py).

A node cut off from the database (its heartbeats fail) cannot learn that it was taken for
dead, so it does not wait to be told: once its last successful heartbeat is older than
`cut_off_after(dead_after)` — before any node may adopt its hearings — it drops every room the
fenced way (`check_heartbeat`): nothing is forwarded or written any more. Its next successful
heartbeat registers it again, and its hearings, pinned to the ended generation, are adopted
(interrupted, files repaired and stored) by it or by any node.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from datetime import timedelta

import structlog

from reception.domain.hearings import lifecycle
from reception.domain.hearings.lifecycle import (
    AdmitMedia,
    Change,
    CloseRoom,
    Disconnect,
    Effect,
    Publish,
    QueueTranscription,
    RecordMembers,
    SetMuted,
)
from reception.domain.hearings.model import Hearing, HearingId, HearingStatus, MemberId
from reception.i18n_marker import N_
from reception.services import audit
from reception.services.errors import Unavailable
from reception.services.hearings.access import recordings_of
from reception.services.hearings.events import RoomEvents
from reception.services.hearings.ports import (
    Answer,
    ClosedFile,
    MediaFlags,
    MediaRooms,
    NodeRegistration,
    RoomView,
)
from reception.services.hearings.recording import RecordingWatch
from reception.services.integrity.attestation import add_recordings
from reception.services.integrity.ports import RecordingVerifier
from reception.services.ports import Clock, UnitOfWork, UnitOfWorkFactory

log = structlog.get_logger(__name__)
MEDIA_UNAVAILABLE = N_("Video hearings are not available right now. Please try again.")
# A node whose heartbeat is older than this is taken for dead and its hearings are adopted.
# Heartbeats come every BEAT_SECONDS; the margin covers a busy event loop.
DEAD_AFTER = timedelta(seconds=15)
BEAT_SECONDS = 2.0
CATCH_UP_AFTER = timedelta(seconds=5)
# A node whose heartbeats fail drops its rooms this long before it may be taken for dead: the
# watchdog's own delay (it looks every WATCH_SECONDS) and clocks that run at slightly
# different rates fit in it.
CUT_OFF_MARGIN = timedelta(seconds=3)
WATCH_SECONDS = 0.25


def cut_off_after(dead_after: timedelta) -> timedelta:
    """How long a node with rooms may go without a successful heartbeat: 12 s of 15 s.
    Measured from before that heartbeat was sent; the database stamped it later, so to the
    database it is younger, and nobody may adopt the node's hearings yet."""
    return dead_after - min(CUT_OFF_MARGIN, dead_after / 4)


class MediaNodeService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, events: RoomEvents, name: str,
                 verifier: RecordingVerifier | None = None,
                 process_alive: Callable[[int], bool] = lambda _: True,
                 dead_after: timedelta = DEAD_AFTER,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._uow, self._clock, self.events, self.name = uow, clock, events, name
        self._dead_after = dead_after
        self._monotonic = monotonic
        self._last_beat: float | None = None  # when the last successful heartbeat was sent
        self._cut_off = False  # rooms dropped for want of a heartbeat: register again next
        self._me = NodeRegistration(name, 0)  # this node's registration (set at start)
        self._verifier = verifier  # stored files are checked against their chains at once
        self._process_alive = process_alive  # for nodes of this host: is their pid running?
        self._media: MediaRooms | None = None
        self._address: tuple[str, str, int] = ("", "", 0)
        self.recording = RecordingWatch(uow, clock, events, lambda: self._media, lambda: self._me)

    # -- this node's life -----------------------------------------------------------------
    async def start(self, media: MediaRooms, url: str, host: str, pid: int) -> list[HearingId]:
        """Register, then adopt what a previous run (or a dead node) left: returns the
        hearings recovered."""
        self._media, self._address = media, (url, host, pid)
        await self._register()
        return await self._adopt()

    async def beat(self) -> list[HearingId]:
        """The heartbeat, then the sweep."""
        await self.heartbeat()
        return await self.sweep()

    async def sweep(self) -> list[HearingId]:
        """Rooms brought in line with their hearings; the hearings of nodes that died since
        (run every BEAT_SECONDS, beside the heartbeat: a long adoption never delays it)."""
        if self._cut_off:
            return []
        await self._reconcile()
        return await self._adopt()

    async def heartbeat(self) -> None:
        """This node is alive (run every BEAT_SECONDS); after a cut-off, registered again."""
        sent = self._monotonic()
        if self._cut_off:  # rooms dropped: a new generation; the next sweep adopts the old one's
            await self._register()
            self._cut_off = False
            log.warning("media_node.registered_again", node=self.name,
                        generation=self._me.generation)
        else:
            async with self._uow() as uow:
                registered = await uow.media_nodes.beat(self._me)
                await uow.commit()
            if self._cut_off:  # cut off while this heartbeat waited: the next one registers
                return
            if not registered:  # taken for dead while we stalled: another node may own our rooms
                await self._fenced()
            self._last_beat = sent

    async def check_heartbeat(self) -> bool:
        """Drop every room, the fenced way, when the last successful heartbeat is older than
        `cut_off_after`: this node may soon be taken for dead, and whoever adopts its hearings
        must find nobody forwarding or writing. True when it did (run every WATCH_SECONDS)."""
        media = self._media
        if self._cut_off or self._last_beat is None or media is None or not media.rooms():
            return False
        silent = self._monotonic() - self._last_beat
        if silent < cut_off_after(self._dead_after).total_seconds():
            return False
        self._cut_off = True
        dropped = media.rooms()
        log.warning("media_node.cut_off", node=self.name, generation=self._me.generation,
                    seconds_without_heartbeat=round(silent, 1), rooms_dropped=dropped)
        await self.recording.stop()
        for room in dropped:
            await self._abandon(room)
        return True

    def _heartbeat_stale(self) -> bool:
        return self._cut_off or (self._last_beat is not None and self._monotonic() - self._last_beat
                                 >= cut_off_after(self._dead_after).total_seconds())

    async def _register(self) -> None:
        sent = self._monotonic()
        async with self._uow() as uow:
            self._me = await uow.media_nodes.register(self.name, *self._address)
            await uow.commit()
        self._last_beat = sent

    async def _fenced(self) -> None:
        """This registration was ended (its hearings adopted): stop writing at once. Every room
        is dropped without storing or touching its files (no hearing can be pinned to the
        registration that follows); then the node registers again, with a new generation.
        A hearing that nobody adopted yet is adopted at the next heartbeat (by any node)."""
        media = self._media
        dropped = media.rooms() if media is not None else []
        log.warning("media_node.fenced", node=self.name, generation=self._me.generation,
                    rooms_dropped=dropped)
        for room in dropped:
            await self._abandon(room)
        await self._register()
        log.info("media_node.registered_again", node=self.name, generation=self._me.generation)

    async def _abandon(self, room: str) -> None:
        if self._media is not None:
            await self._media.abandon(room)

    async def _drop_adopted(self, room: str) -> None:
        """A room whose hearing another node adopted: its files are the adopter's now."""
        log.warning("hearing.room_dropped", hearing=room, node=self.name,
                    generation=self._me.generation)
        await self._abandon(room)

    async def _reconcile(self) -> None:
        """A use case's effects normally arrive at once; if its web process could not reach
        this node (a timeout, a restart), the room catches up here: a hearing that is no longer
        open has its room closed and stored, a removed member is disconnected."""
        media = self._media
        if media is None:
            return
        settled_before = self._clock.now() - CATCH_UP_AFTER  # younger: its call is on its way
        for room in media.rooms():
            hearing_id = HearingId(uuid.UUID(room))
            async with self._uow() as uow:
                hearing = await uow.hearings.get(hearing_id)
                members = await uow.hearings.members(hearing_id) if hearing else []
                held = await uow.media_nodes.holds(hearing_id, self._me)
            if hearing is not None and not held:
                await self._drop_adopted(room)
                continue
            closed_at = hearing and (hearing.ended_at or hearing.interrupted_at)
            if hearing is None or (closed_at and closed_at < settled_before):
                log.warning("hearing.room_closed_late", hearing=room, node=self.name)
                await self.perform(hearing_id, (CloseRoom(),))
                continue
            connected = media.connection_states(room)
            await self.perform(hearing_id, [
                Disconnect(m.id) for m in members if m.removed_at is not None
                and m.removed_at < settled_before and str(m.id) in connected])

    async def stop(self) -> None:
        """Stop serving: every room ends (its files closed); a live node, or the next run,
        adopts the hearings and stores their files."""
        media, self._media = self._media, None
        await self.recording.stop()
        if media is not None:
            await media.close()
        async with self._uow() as uow:
            await uow.media_nodes.leave(self._me)
            await uow.commit()

    async def _adopt(self) -> list[HearingId]:
        async with self._uow() as uow:
            for node, pid in await uow.media_nodes.on_host(self._address[1]):
                if node.name != self.name and not self._process_alive(pid):
                    await uow.media_nodes.leave(node)  # a sibling process died: no need to wait
            adopted = list(await uow.media_nodes.claim(self._me, self._dead_after))
            await uow.commit()
        for hearing_id in adopted:
            await self._recover(hearing_id)
        return adopted

    async def _recover(self, hearing_id: HearingId) -> None:
        """An adopted hearing: interrupted if open, and every file repaired and stored."""
        media = self._rooms()
        files = await media.recover(str(hearing_id))
        async with self._uow() as uow:
            hearing = await self._held(uow, hearing_id)
            if hearing is None:
                return
            now = self._clock.now()
            if hearing.status is HearingStatus.OPEN:
                hearing = lifecycle.interrupt(hearing, now)
                await uow.hearings.update(hearing)
                await uow.audit.append(audit.record(
                    now, None, "hearing.interrupted", "hearing", hearing.id,
                    agency_id=hearing.agency_id, details={"files": len(files), "node": self.name}))
            change = await self._store_recordings(uow, hearing, files)
            await uow.commit()
        log.warning("hearing.adopted", hearing=str(hearing_id), node=self.name, files=len(files))
        await self._verify(hearing_id, files)
        self._publish(change.hearing, (*change.effects, Publish.of("ended")))

    # -- what web processes ask -----------------------------------------------------------
    async def perform(self, hearing_id: HearingId, effects: Sequence[Effect]) -> None:
        """Apply a use case's media effects (after its commit) to the hearing's room. Effects
        that close or open files wait until the hearing is known to be pinned here: a room
        of a hearing another node adopted is dropped instead (its files are the adopter's)."""
        room, media = str(hearing_id), self._serving()
        if any(isinstance(e, RecordMembers | Disconnect | CloseRoom) for e in effects) \
                and not await self._holds(hearing_id):
            await self._drop_adopted(room)
            return
        for effect in effects:
            connected = media.connection_states(room)
            if isinstance(effect, AdmitMedia) and str(effect.member) in connected:
                media.admit(room, str(effect.member))
            elif isinstance(effect, SetMuted) and str(effect.member) in connected:
                media.set_muted(room, str(effect.member), effect.muted)
            elif isinstance(effect, RecordMembers):
                await self._record_members(hearing_id)
            elif isinstance(effect, Disconnect):
                files = (await media.remove(room, str(effect.member))
                         if str(effect.member) in connected else [])
                await self._stored(hearing_id, files)
            elif isinstance(effect, CloseRoom):
                await self._stored(hearing_id, await media.end(room))

    async def connect(self, hearing_id: HearingId, member_id: MemberId, sdp: str,
                      flags: MediaFlags, muted: bool) -> Answer:
        """A member's offer: the answer, their mute state, and their recorder if they must be
        recorded."""
        media, room, who = self._serving(), str(hearing_id), str(member_id)
        if not await self._holds(hearing_id):  # adopted meanwhile: the web process asks again
            raise Unavailable(MEDIA_UNAVAILABLE)
        answer = await media.answer(room, who, sdp, flags)
        media.set_muted(room, who, muted)
        await self._record_members(hearing_id)
        return answer

    def view(self, hearing_id: HearingId, viewer: MemberId | None) -> RoomView:
        media, room = self._rooms(), str(hearing_id)
        connections = media.connection_states(room)
        shown = str(viewer) if viewer else None
        return RoomView(connections, media.recorders(room), media.media_flowing(room),
                        media.slots(room, shown) if shown and shown in connections else [])

    # -- the rooms' callbacks -------------------------------------------------------------
    def connection_changed(self, room: str, member: str, state: str) -> None:
        self.events.publish(room, {"type": "left" if state in ("failed", "closed") else
                                   "connection", "member": member, "connection": state})

    def recorder_changed(self, room: str, member: str, state: str, problem: str | None) -> None:
        self.recording.changed(room, member, state, problem)

    # -- storing what was recorded ---------------------------------------------------------
    async def _holds(self, hearing_id: HearingId) -> bool:
        async with self._uow() as uow:
            return await uow.media_nodes.holds(hearing_id, self._me)

    async def _held(self, uow: UnitOfWork, hearing_id: HearingId) -> Hearing | None:
        """The hearing, locked, if it is pinned to this node's live registration: every write
        this node makes about a hearing starts here (the fence). None otherwise: the write is
        refused, and nothing of it is stored."""
        if not await uow.media_nodes.holds(hearing_id, self._me, lock=True):
            log.warning("hearing.write_refused", hearing=str(hearing_id), node=self.name,
                        generation=self._me.generation)
            return None
        return await uow.hearings.get(hearing_id, lock=True)

    async def _record_members(self, hearing_id: HearingId) -> None:
        async with self._uow() as uow:
            hearing = await uow.hearings.get(hearing_id)
            members = await uow.hearings.members(hearing_id) if hearing else []
        if hearing is None:
            return
        media, room = self._rooms(), str(hearing_id)
        connected = media.connection_states(room)
        for member in lifecycle.recordable(members, hearing):
            if str(member.id) in connected:
                await media.start_recording(room, str(member.id))

    async def _stored(self, hearing_id: HearingId, files: list[ClosedFile]) -> None:
        """Closed files become recordings (one unit of work); a closed hearing with audio then
        waits for transcription."""
        async with self._uow() as uow:
            hearing = await self._held(uow, hearing_id)
            if hearing is None:
                return
            change = await self._store_recordings(uow, hearing, files)
            await uow.commit()
        await self._verify(hearing_id, files)
        self._publish(change.hearing, change.effects)

    async def _verify(self, hearing_id: HearingId, files: Sequence[ClosedFile]) -> None:
        if files and self._verifier is not None:
            await self._verifier.verify_hearing(hearing_id)

    async def _store_recordings(self, uow: UnitOfWork, hearing: Hearing,
                                files: Sequence[ClosedFile]) -> Change:
        """Every way a hearing ends (an end, an interruption found by adoption, a crash repair)
        stores its recordings here; its transcription job is added in the same unit of work,
        so it commits with the state and no worker's start is needed to find it. Files stored
        before (a removed member's, closed at once) are not stored twice — an adopter finds them
        in the hearing's directory with the rest — and they count towards "anything recorded"."""
        stored = {r.path for r in await uow.hearings.recordings(hearing.id)}
        files = [f for f in files if str(f.path) not in stored]
        await add_recordings(uow, self._clock.now(), hearing, recordings_of(hearing.id, files))
        change = lifecycle.recorded(hearing, len(stored) + len(files))
        if change.hearing != hearing:
            await uow.hearings.update(change.hearing)
        if any(isinstance(effect, QueueTranscription) for effect in change.effects):
            await uow.jobs.transcribe(hearing.id)
        if files:
            await uow.audit.append(audit.record(
                self._clock.now(), None, "hearing.recordings_stored", "hearing", hearing.id,
                agency_id=hearing.agency_id, actor_label="system", details={
                    "files": len(files),  # the keyed audit chain holds each file's hash too
                    "sha256": {str(f.path): f.sha256 for f in files}}))
        return change

    def _publish(self, hearing: Hearing, effects: Sequence[Effect]) -> None:
        for effect in effects:
            if isinstance(effect, Publish):
                self.events.publish(str(hearing.id), effect.as_dict())

    def _rooms(self) -> MediaRooms:
        if self._media is None:
            raise Unavailable(MEDIA_UNAVAILABLE)
        return self._media

    def _serving(self) -> MediaRooms:
        """The rooms, for what web processes ask; Unavailable while this node stops or its
        heartbeat is too old to hold a hearing (its adopter, or its own next heartbeat, then
        settles the room)."""
        if self._heartbeat_stale():
            raise Unavailable(MEDIA_UNAVAILABLE)
        return self._rooms()
