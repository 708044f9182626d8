"""SQL repository of staff sessions: one indexed statement resolves a token per request."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from reception.adapters.db.repositories.organisation import _member
from reception.adapters.db.tables import organisation as o
from reception.adapters.db.tables import security as t
from reception.domain.organisation import StaffId, StaffMember
from reception.domain.sessions import EndReason, SessionId, StaffSession


def _session(row: t.StaffSessionRow) -> StaffSession:
    return StaffSession(SessionId(row.id), StaffId(row.staff_id), row.created_at, row.last_seen_at,
                        row.expires_at, row.user_agent, row.address, row.ended_at)


class SqlStaffSessions:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, staff_session: StaffSession, token_hash: str) -> None:
        s = staff_session
        self._s.add(t.StaffSessionRow(
            id=s.id, token_hash=token_hash, staff_id=s.staff_id, created_at=s.created_at,
            last_seen_at=s.last_seen_at, expires_at=s.expires_at, user_agent=s.user_agent[:255],
            address=s.address[:64]))
        await self._s.flush()

    async def resolve(self, token_hash: str, now: datetime,
                      idle_since: datetime) -> tuple[StaffSession, StaffMember] | None:
        """The live session of this token and its active member, in one indexed query."""
        row = (await self._s.execute(
            select(t.StaffSessionRow, o.StaffUser)
            .join(o.StaffUser, o.StaffUser.id == t.StaffSessionRow.staff_id)
            .where(t.StaffSessionRow.token_hash == token_hash,
                   t.StaffSessionRow.ended_at.is_(None),
                   t.StaffSessionRow.expires_at > now,
                   t.StaffSessionRow.last_seen_at > idle_since,
                   o.StaffUser.active.is_(True)))).first()
        return (_session(row[0]), _member(row[1])) if row else None

    async def touch(self, session_id: SessionId, now: datetime) -> None:
        await self._s.execute(update(t.StaffSessionRow).where(t.StaffSessionRow.id == session_id)
                              .values(last_seen_at=now))

    async def end(self, session_id: SessionId, staff_id: StaffId, now: datetime,
                  reason: EndReason) -> bool:
        result = await self._s.execute(
            update(t.StaffSessionRow)
            .where(t.StaffSessionRow.id == session_id, t.StaffSessionRow.staff_id == staff_id,
                   t.StaffSessionRow.ended_at.is_(None))
            .values(ended_at=now, end_reason=reason.value))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def end_by_token(self, token_hash: str, now: datetime, reason: EndReason) -> None:
        await self._s.execute(
            update(t.StaffSessionRow)
            .where(t.StaffSessionRow.token_hash == token_hash, t.StaffSessionRow.ended_at.is_(None))
            .values(ended_at=now, end_reason=reason.value))

    async def end_all(self, staff_id: StaffId, now: datetime, reason: EndReason) -> int:
        result = await self._s.execute(
            update(t.StaffSessionRow)
            .where(t.StaffSessionRow.staff_id == staff_id, t.StaffSessionRow.ended_at.is_(None))
            .values(ended_at=now, end_reason=reason.value))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def of_staff(self, staff_id: StaffId, now: datetime,
                       idle_since: datetime) -> Sequence[StaffSession]:
        rows = await self._s.scalars(
            select(t.StaffSessionRow)
            .where(t.StaffSessionRow.staff_id == staff_id, t.StaffSessionRow.ended_at.is_(None),
                   t.StaffSessionRow.expires_at > now, t.StaffSessionRow.last_seen_at > idle_since)
            .order_by(t.StaffSessionRow.last_seen_at.desc()))
        return [_session(r) for r in rows]

    async def keep_once(self, session_id: SessionId, key: str, value: str) -> None:
        await self._s.execute(update(t.StaffSessionRow).where(t.StaffSessionRow.id == session_id)
                              .values(once_key=key, once_value=value))

    async def take_once(self, session_id: SessionId, key: str) -> str | None:
        row = t.StaffSessionRow
        value = await self._s.scalar(select(row.once_value).where(
            row.id == session_id, row.once_key == key).with_for_update())
        if value is not None:
            await self._s.execute(update(row).where(row.id == session_id)
                                  .values(once_key=None, once_value=None))
        return value
