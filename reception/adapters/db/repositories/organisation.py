"""SQL implementations of the organisation repositories and the HMAC-chained audit log."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import Select, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from reception.adapters.db.engine import read_rows
from reception.adapters.db.tables import organisation as t
from reception.domain.audit import GENESIS, AuditRecord, AuditRow, authentic, entry_mac
from reception.domain.organisation import (
    Agency,
    AgencyId,
    AgencyLevel,
    StaffId,
    StaffMember,
    StaffRole,
)

# Any constant: serialises appends so the chain never forks under concurrent transactions.
AUDIT_LOCK_KEY = 0x7D_A0D1


_ALL_AGENCIES = select(*t.Agency.__table__.c).order_by(t.Agency.level, t.Agency.name)


def _agency(row: Any) -> Agency:
    return Agency(AgencyId(row.id), row.code, row.name, AgencyLevel(row.level),
                  AgencyId(row.parent_id) if row.parent_id else None, row.transcription_language)


def _member(row: Any) -> StaffMember:
    return StaffMember(StaffId(row.id), AgencyId(row.agency_id), row.login, row.full_name,
                       frozenset(StaffRole(r) for r in row.roles), row.email, row.active, row.locale)


class SqlAgencies:
    """Agencies, read once per unit of work: scoping a case reads the whole (small) tree, and
    the same unit of work then asks for one of them again (the case page)."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session
        self._all: dict[AgencyId, Agency] | None = None

    async def get(self, agency_id: AgencyId) -> Agency | None:
        if self._all is not None:
            return self._all.get(agency_id)
        row = await self._s.get(t.Agency, agency_id)
        return _agency(row) if row else None

    async def by_code(self, code: str) -> Agency | None:
        row = await self._s.scalar(select(t.Agency).where(t.Agency.code == code))
        return _agency(row) if row else None

    async def list(self) -> Sequence[Agency]:
        # Core columns: scoping a case list or page reads the tree on every request.
        rows = await read_rows(self._s, _ALL_AGENCIES)
        agencies = [_agency(r) for r in rows]
        self._all = {a.id: a for a in agencies}
        return agencies

    async def add(self, agency: Agency) -> None:
        self._all = None
        self._s.add(t.Agency(id=agency.id, code=agency.code, name=agency.name,
                             level=agency.level.value, parent_id=agency.parent_id,
                             transcription_language=agency.transcription_language))
        await self._s.flush()

    async def update(self, agency: Agency) -> None:
        self._all = None
        await self._s.execute(update(t.Agency).where(t.Agency.id == agency.id).values(
            code=agency.code, name=agency.name, level=agency.level.value,
            parent_id=agency.parent_id, transcription_language=agency.transcription_language))


class SqlStaff:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, staff_id: StaffId) -> StaffMember | None:
        row = await self._s.get(t.StaffUser, staff_id)
        return _member(row) if row else None

    async def by_login(self, login: str) -> tuple[StaffMember, str] | None:
        row = await self._s.scalar(
            select(t.StaffUser).where(t.StaffUser.login == login.lower()))
        return (_member(row), row.password_hash) if row else None

    async def list(self, agency_id: AgencyId | None = None) -> Sequence[StaffMember]:
        query = select(t.StaffUser).order_by(t.StaffUser.login)
        if agency_id is not None:
            query = query.where(t.StaffUser.agency_id == agency_id)
        return [_member(r) for r in await self._s.scalars(query)]

    async def add(self, member: StaffMember, password_hash: str) -> None:
        self._s.add(t.StaffUser(
            id=member.id, agency_id=member.agency_id, login=member.login.lower(),
            full_name=member.full_name, email=member.email, password_hash=password_hash,
            roles=sorted(r.value for r in member.roles), active=member.active,
            locale=member.locale))
        await self._s.flush()

    async def update(self, member: StaffMember) -> None:
        await self._s.execute(update(t.StaffUser).where(t.StaffUser.id == member.id).values(
            full_name=member.full_name, email=member.email, active=member.active,
            roles=sorted(r.value for r in member.roles), locale=member.locale))

    async def set_password_hash(self, staff_id: StaffId, password_hash: str) -> None:
        await self._s.execute(update(t.StaffUser).where(t.StaffUser.id == staff_id)
                              .values(password_hash=password_hash))


class SqlAuditLog:
    def __init__(self, session: AsyncSession, key: bytes) -> None:
        self._s = session
        self._key = key  # AUDIT_KEY: never stored in the database
        self.head: tuple[int, str] | None = None  # the last row this unit of work appended

    async def append(self, record: AuditRecord) -> None:
        await self._s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_LOCK_KEY})
        prev = await self._s.scalar(
            select(t.AuditEntry.hash).order_by(t.AuditEntry.id.desc()).limit(1)) or GENESIS
        row = t.AuditEntry(
            at=record.at, actor_id=record.actor_id, actor_label=record.actor_label,
            action=record.action, object_type=record.object_type, object_id=record.object_id,
            agency_id=record.agency_id, details=dict(record.details), prev_hash=prev,
            hash=entry_mac(self._key, prev, record), keyed=True)
        self._s.add(row)
        await self._s.flush()
        self.head = (row.id, row.hash)

    async def entries(self) -> AsyncIterator[tuple[int, AuditRecord, str, str]]:
        async for row in self.rows():
            yield row.id, row.record, row.prev_hash, row.hash

    async def of_actions(self, actions: Sequence[str]) -> AsyncIterator[AuditRecord]:
        query = select(t.AuditEntry).where(t.AuditEntry.action.in_(actions))
        async for row in self.rows(query):
            yield row.record

    async def of_object(self, object_type: str, object_id: str,
                        actions: Sequence[str]) -> AsyncIterator[AuditRecord]:
        query = select(t.AuditEntry).where(t.AuditEntry.action.in_(actions),
                                           t.AuditEntry.object_type == object_type,
                                           t.AuditEntry.object_id == object_id)
        async for row in self.rows(query):
            if authentic(self._key, row):
                yield row.record

    async def rows(self, query: Select[t.AuditEntry] | None = None
                   ) -> AsyncIterator[AuditRow]:
        rows = await self._s.stream_scalars((query if query is not None else select(t.AuditEntry))
                                            .order_by(t.AuditEntry.id))
        async for row in rows:
            record = AuditRecord(
                at=row.at, actor_id=str(row.actor_id) if row.actor_id else None,
                actor_label=row.actor_label, action=row.action, object_type=row.object_type,
                object_id=row.object_id, agency_id=str(row.agency_id) if row.agency_id else None,
                details=row.details)
            yield AuditRow(row.id, record, row.prev_hash, row.hash, row.keyed)
