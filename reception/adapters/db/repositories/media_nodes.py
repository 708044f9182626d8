"""SQL repositories of the media plane: the registry of media nodes (heartbeats on the
database's clock, so processes with different clocks agree), which node each hearing is pinned
to, and single-use signalling tickets."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from reception.adapters.db.tables.hearings import HearingRecordingRow, HearingRow
from reception.adapters.db.tables.media_nodes import HearingTicketRow, MediaNodeRow
from reception.domain.hearings.model import HearingId, HearingStatus, MemberId
from reception.services.hearings.ports import NodeAt


class SqlMediaNodes:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def register(self, name: str, url: str, host: str, pid: int) -> None:
        fresh = insert(MediaNodeRow).values(name=name, url=url, host=host, pid=pid)
        await self._s.execute(fresh.on_conflict_do_update(
            index_elements=[MediaNodeRow.name],
            set_={"url": url, "host": host, "pid": pid, "started_at": func.now(),
                  "heartbeat_at": func.now()}))

    async def beat(self, name: str) -> bool:
        """False when the row is gone (another node took this one for dead)."""
        done = await self._s.execute(update(MediaNodeRow).where(MediaNodeRow.name == name)
                                     .values(heartbeat_at=func.now()))
        return bool(done.rowcount)  # type: ignore[attr-defined]

    async def leave(self, name: str) -> None:
        await self._s.execute(delete(MediaNodeRow).where(MediaNodeRow.name == name))

    async def on_host(self, host: str) -> Sequence[tuple[str, int]]:
        rows = await self._s.execute(select(MediaNodeRow.name, MediaNodeRow.pid)
                                     .where(MediaNodeRow.host == host))
        return [(name, pid) for name, pid in rows]

    async def pin(self, hearing_id: HearingId, dead_after: timedelta) -> NodeAt | None:
        """Pin an unpinned hearing to the live node with the fewest open hearings."""
        load = (select(func.count()).where(HearingRow.media_node == MediaNodeRow.name,
                                           HearingRow.status == HearingStatus.OPEN.value)
                .scalar_subquery())
        chosen = (await self._s.execute(
            select(MediaNodeRow.name, MediaNodeRow.url)
            .where(MediaNodeRow.heartbeat_at > func.now() - dead_after)
            .order_by(load, MediaNodeRow.name).limit(1))).first()
        if chosen is None:
            return None
        await self._s.execute(update(HearingRow).where(HearingRow.id == hearing_id,
                                                       HearingRow.media_node.is_(None))
                              .values(media_node=chosen.name))
        return await self.of_hearing(hearing_id, dead_after)

    async def of_hearing(self, hearing_id: HearingId, dead_after: timedelta) -> NodeAt | None:
        """The hearing's node (None when unpinned); `alive` is False for a node that stopped
        or whose heartbeat is older than `dead_after`."""
        row = (await self._s.execute(
            select(HearingRow.media_node, MediaNodeRow.url,
                   MediaNodeRow.heartbeat_at > func.now() - dead_after)
            .outerjoin(MediaNodeRow, MediaNodeRow.name == HearingRow.media_node)
            .where(HearingRow.id == hearing_id))).first()
        if row is None or row[0] is None:
            return None
        return NodeAt(row[0], row[1] or "", bool(row[2]))

    async def claim(self, name: str, dead_after: timedelta, *,
                    own: bool = False) -> Sequence[HearingId]:
        """Take over the unsettled hearings of nodes that stopped or died (with `own`, this
        node's too: left by its previous run under the same name): open ones, and closed ones
        whose files were never stored.
        Two live nodes never claim the same hearing (rows locked, skipping locked ones)."""
        alive = select(MediaNodeRow.name).where(MediaNodeRow.heartbeat_at > func.now() - dead_after,
                                                MediaNodeRow.name != name)
        stored = select(HearingRecordingRow.id).where(HearingRecordingRow.hearing_id == HearingRow.id)
        unsettled = or_(HearingRow.status == HearingStatus.OPEN.value,
                        and_(HearingRow.recording_started_at.is_not(None),
                             HearingRow.transcription.is_(None), ~stored.exists()))
        claimable = (select(HearingRow.id).where(
            HearingRow.media_node.is_not(None), HearingRow.media_node.not_in(alive), unsettled,
            *(() if own else (HearingRow.media_node != name,)))
            .with_for_update(skip_locked=True))
        claimed = await self._s.scalars(update(HearingRow).where(HearingRow.id.in_(claimable))
                                        .values(media_node=name).returning(HearingRow.id))
        return [HearingId(i) for i in claimed]


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
