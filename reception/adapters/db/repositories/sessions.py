"""SQL repository of staff sessions: one indexed statement resolves a token per request."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from reception.adapters.db.engine import read_rows
from reception.adapters.db.repositories.organisation import _member
from reception.adapters.db.tables import organisation as o
from reception.adapters.db.tables import security as t
from reception.domain.organisation import StaffId, StaffMember
from reception.domain.sessions import EndReason, SessionId, StaffSession

_SESSION_COLUMNS = ("id", "staff_id", "created_at", "last_seen_at", "expires_at", "user_agent",
                    "address", "ended_at")
_MEMBER_COLUMNS = ("id", "agency_id", "login", "full_name", "roles", "email", "active", "locale")
_S, _U = t.StaffSessionRow.__table__.c, o.StaffUser.__table__.c
_RESOLVE = (select(*[_S[c].label(f"s_{c}") for c in _SESSION_COLUMNS],
                   *[_U[c].label(f"u_{c}") for c in _MEMBER_COLUMNS])
            .join_from(t.StaffSessionRow.__table__, o.StaffUser.__table__, _U.id == _S.staff_id)
            .where(_S.token_hash == bindparam("token_hash"), _S.ended_at.is_(None),
                   _S.expires_at > bindparam("now"), _S.last_seen_at > bindparam("idle_since"),
                   _U.active.is_(True)))


def _session(row: Any) -> StaffSession:
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
        """The live session of this token and its active member, in one indexed query (Core
        columns: it runs on every signed-in request)."""
        rows = await read_rows(self._s, _RESOLVE, {"token_hash": token_hash, "now": now,
                                                   "idle_since": idle_since})
        if not rows:
            return None
        values = rows[0]._mapping
        return (_session(SimpleNamespace(**{c: values[f"s_{c}"] for c in _SESSION_COLUMNS})),
                _member(SimpleNamespace(**{c: values[f"u_{c}"] for c in _MEMBER_COLUMNS})))

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
