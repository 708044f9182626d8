"""SQL repositories of the media plane: the registry of media nodes (heartbeats on the
database's clock, so processes with different clocks agree), which node — at which of its
registrations (the generation, a fencing token) — each hearing is pinned to, and single-use
signalling tickets."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from reception.adapters.db.tables.hearings import HearingRecordingRow, HearingRow
from reception.adapters.db.tables.media_nodes import GENERATIONS, HearingTicketRow, MediaNodeRow
from reception.domain.hearings.model import HearingId, HearingStatus, MemberId
from reception.services.hearings.ports import NodeAt, NodeRegistration


class SqlMediaNodes:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def register(self, name: str, url: str, host: str, pid: int) -> NodeRegistration:
        """A new registration under `name`, with a new generation (a previous registration of
        the same name, and with it its generation, is replaced)."""
        fresh = insert(MediaNodeRow).values(name=name, url=url, host=host, pid=pid)
        generation = await self._s.scalar(fresh.on_conflict_do_update(
            index_elements=[MediaNodeRow.name],
            set_={"url": url, "host": host, "pid": pid, "started_at": func.now(),
                  "heartbeat_at": func.now(), "generation": GENERATIONS.next_value()})
            .returning(MediaNodeRow.generation))
        assert generation is not None
        return NodeRegistration(name, int(generation))

    async def beat(self, node: NodeRegistration) -> bool:
        """False when the registration is gone or superseded (another node adopted this one's
        hearings and ended its generation)."""
        done = await self._s.execute(update(MediaNodeRow).where(
            MediaNodeRow.name == node.name, MediaNodeRow.generation == node.generation)
            .values(heartbeat_at=func.now()))
        return bool(done.rowcount)  # type: ignore[attr-defined]

    async def leave(self, node: NodeRegistration) -> None:
        await self._s.execute(delete(MediaNodeRow).where(
            MediaNodeRow.name == node.name, MediaNodeRow.generation == node.generation))

    async def on_host(self, host: str) -> Sequence[tuple[NodeRegistration, int]]:
        rows = await self._s.execute(select(MediaNodeRow.name, MediaNodeRow.generation,
                                            MediaNodeRow.pid).where(MediaNodeRow.host == host))
        return [(NodeRegistration(name, generation), pid) for name, generation, pid in rows]

    async def pin(self, hearing_id: HearingId, dead_after: timedelta) -> NodeAt | None:
        """Pin an unpinned hearing to the live node with the fewest open hearings."""
        load = (select(func.count()).where(HearingRow.media_node == MediaNodeRow.name,
                                           HearingRow.status == HearingStatus.OPEN.value)
                .scalar_subquery())
        chosen = (await self._s.execute(
            select(MediaNodeRow.name, MediaNodeRow.generation)
            .where(MediaNodeRow.heartbeat_at > func.now() - dead_after)
            .order_by(load, MediaNodeRow.name).limit(1))).first()
        if chosen is None:
            return None
        await self._s.execute(update(HearingRow).where(HearingRow.id == hearing_id,
                                                       HearingRow.media_node.is_(None))
                              .values(media_node=chosen.name, media_generation=chosen.generation))
        return await self.of_hearing(hearing_id, dead_after)

    async def of_hearing(self, hearing_id: HearingId, dead_after: timedelta) -> NodeAt | None:
        """The hearing's node (None when unpinned); `alive` is False for a node that stopped,
        whose heartbeat is older than `dead_after`, or whose registration the hearing was
        pinned to has ended (it is adopted at the next heartbeat of a live node)."""
        row = (await self._s.execute(
            select(HearingRow.media_node, MediaNodeRow.url,
                   MediaNodeRow.heartbeat_at > func.now() - dead_after)
            .outerjoin(MediaNodeRow, and_(MediaNodeRow.name == HearingRow.media_node,
                                          MediaNodeRow.generation == HearingRow.media_generation))
            .where(HearingRow.id == hearing_id))).first()
        if row is None or row[0] is None:
            return None
        return NodeAt(row[0], row[1] or "", bool(row[2]))

    async def holds(self, hearing_id: HearingId, node: NodeRegistration, *,
                    lock: bool = False) -> bool:
        """Is the hearing pinned to this registration, and is the registration still there?
        With `lock`, the hearing's row stays locked to the end of the unit of work: an adoption
        (`claim` locks the same row) cannot slip in between this check and the writes it
        allows."""
        query = (select(HearingRow.id)
                 .join(MediaNodeRow, and_(MediaNodeRow.name == HearingRow.media_node,
                                          MediaNodeRow.generation == HearingRow.media_generation))
                 .where(HearingRow.id == hearing_id, HearingRow.media_node == node.name,
                        HearingRow.media_generation == node.generation))
        found = await self._s.scalar(query.with_for_update(of=HearingRow) if lock else query)
        return found is not None

    async def claim(self, node: NodeRegistration, dead_after: timedelta) -> Sequence[HearingId]:
        """Take over the unsettled hearings pinned to a registration that is not alive (a node
        that stopped or died, or this node's own previous run or ended generation): open ones,
        and closed ones whose files were never stored. The registrations they came from are
        ended (their rows deleted): a node that was only stalled finds, at its next heartbeat,
        that it is no longer registered, and stops writing.
        Two live nodes never claim the same hearing (rows locked, skipping locked ones)."""
        alive = select(MediaNodeRow.generation).where(
            MediaNodeRow.heartbeat_at > func.now() - dead_after)
        stored = select(HearingRecordingRow.id).where(HearingRecordingRow.hearing_id == HearingRow.id)
        unsettled = or_(HearingRow.status == HearingStatus.OPEN.value,
                        and_(HearingRow.recording_started_at.is_not(None),
                             HearingRow.transcription.is_(None), ~stored.exists()))
        claimable = (select(HearingRow.id, HearingRow.media_generation).where(
            HearingRow.media_node.is_not(None), unsettled,
            or_(HearingRow.media_generation.is_(None), HearingRow.media_generation.not_in(alive)),
            or_(HearingRow.media_generation.is_(None),
                HearingRow.media_generation != node.generation))
            .with_for_update(skip_locked=True).cte("claimable"))
        claimed = (await self._s.execute(
            update(HearingRow).where(HearingRow.id == claimable.c.id)
            .values(media_node=node.name, media_generation=node.generation)
            .returning(HearingRow.id, claimable.c.media_generation))).all()
        ended = {generation for _, generation in claimed if generation is not None}
        if ended:
            await self._s.execute(delete(MediaNodeRow).where(MediaNodeRow.generation.in_(ended)))
        return [HearingId(hearing_id) for hearing_id, _ in claimed]


class SqlHearingTickets:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def issue(self, ticket: str, hearing_id: HearingId, member_id: MemberId,
                    valid_for: timedelta) -> None:
        await self._s.execute(delete(HearingTicketRow)
                              .where(HearingTicketRow.expires_at < func.now()))
        self._s.add(HearingTicketRow(digest=_digest(ticket), hearing_id=hearing_id,
                                     member_id=member_id,
                                     expires_at=func.now() + valid_for))
        await self._s.flush()

    async def redeem(self, ticket: str, hearing_id: HearingId) -> MemberId | None:
        """The ticket's member, once: the row is deleted whatever the outcome."""
        row = (await self._s.execute(
            delete(HearingTicketRow).where(HearingTicketRow.digest == _digest(ticket))
            .returning(HearingTicketRow.hearing_id, HearingTicketRow.member_id,
                       HearingTicketRow.expires_at > func.now()))).first()
        if row is None or row[0] != hearing_id or not row[2]:
            return None
        return MemberId(uuid.UUID(str(row[1])))


def _digest(ticket: str) -> str:
    return hashlib.sha256(ticket.encode()).hexdigest()
