"""Staff use cases against hand-written fakes of our own ports (no database)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from reception.domain.audit import AuditRecord
from reception.domain.organisation import (
    Agency,
    AgencyId,
    AgencyLevel,
    StaffId,
    StaffMember,
    StaffRole,
)
from reception.services.errors import AuthenticationFailed, Conflict, Invalid
from reception.services.staff import NewAgency, NewStaff, StaffService


class FakeAgencies:
    def __init__(self) -> None:
        self.rows: dict[AgencyId, Agency] = {}

    async def get(self, agency_id: AgencyId) -> Agency | None:
        return self.rows.get(agency_id)

    async def by_code(self, code: str) -> Agency | None:
        return next((a for a in self.rows.values() if a.code == code), None)

    async def list(self) -> Sequence[Agency]:
        return list(self.rows.values())

    async def add(self, agency: Agency) -> None:
        self.rows[agency.id] = agency

    async def update(self, agency: Agency) -> None:
        self.rows[agency.id] = agency


class FakeStaff:
    def __init__(self) -> None:
        self.rows: dict[StaffId, tuple[StaffMember, str]] = {}

    async def get(self, staff_id: StaffId) -> StaffMember | None:
        return self.rows[staff_id][0] if staff_id in self.rows else None

    async def by_login(self, login: str) -> tuple[StaffMember, str] | None:
        return next((r for r in self.rows.values() if r[0].login == login.lower()), None)

    async def list(self, agency_id: AgencyId | None = None) -> Sequence[StaffMember]:
        return [m for m, _ in self.rows.values()]

    async def add(self, member: StaffMember, password_hash: str) -> None:
        self.rows[member.id] = (member, password_hash)

    async def update(self, member: StaffMember) -> None:
        self.rows[member.id] = (member, self.rows[member.id][1])

    async def set_password_hash(self, staff_id: StaffId, password_hash: str) -> None:
        self.rows[staff_id] = (self.rows[staff_id][0], password_hash)


class FakeAudit:
    def __init__(self) -> None:
        self.records: list[AuditRecord] = []

    async def append(self, record: AuditRecord) -> None:
        self.records.append(record)

    async def entries(self) -> AsyncIterator[tuple[int, AuditRecord, str, str]]:
        for i, r in enumerate(self.records):
            yield i, r, "", ""


class FakeUnitOfWork:
    """Commits are counted; state is shared, so a test sees what was committed."""

    def __init__(self) -> None:
        self.agencies, self.staff, self.audit = FakeAgencies(), FakeStaff(), FakeAudit()
        self.commits = 0

    async def __aenter__(self) -> FakeUnitOfWork:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def commit(self) -> None:
        self.commits += 1


class PlainHasher:
    def hash(self, password: str) -> str:
        return "h:" + password

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == "h:" + password

    def needs_rehash(self, password_hash: str) -> bool:
        return False


class FixedClock:
    def now(self) -> datetime:
        return datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def service(uow: FakeUnitOfWork) -> StaffService:
    return StaffService(lambda: uow, PlainHasher(), FixedClock())  # type: ignore[arg-type,return-value]


async def _province(service: StaffService) -> Agency:
    return await service.create_agency(None, NewAgency("HN", "UBND Hà Nội", AgencyLevel.PROVINCE))


async def test_a_commune_sits_under_a_province_and_is_audited(
    service: StaffService, uow: FakeUnitOfWork
) -> None:
    province = await _province(service)
    commune = await service.create_agency(None, NewAgency("HN-1", "UBND phường Ba Đình",
                                                          AgencyLevel.COMMUNE, province.id))
    assert commune.parent_id == province.id
    assert [r.action for r in uow.audit.records] == ["agency.create", "agency.create"]
    assert uow.commits == 2


@pytest.mark.parametrize(("level", "parent_level"), [
    (AgencyLevel.COMMUNE, None),
    (AgencyLevel.PROVINCE, AgencyLevel.CENTRAL),
    (AgencyLevel.COMMUNE, AgencyLevel.CENTRAL),
    (AgencyLevel.CENTRAL, AgencyLevel.PROVINCE),
])
async def test_an_impossible_hierarchy_is_refused(
    service: StaffService, level: AgencyLevel, parent_level: AgencyLevel | None
) -> None:
    parent = (await service.create_agency(None, NewAgency("P", "Parent", parent_level))
              if parent_level else None)
    with pytest.raises(Invalid):
        await service.create_agency(None, NewAgency("C", "Child", level,
                                                    parent.id if parent else None))


async def test_duplicate_codes_and_logins_conflict(service: StaffService) -> None:
    province = await _province(service)
    with pytest.raises(Conflict):
        await _province(service)
    new = NewStaff(province.id, "Lan", "Nguyễn Thị Lan", "long-enough-1", frozenset({StaffRole.HEAD}))
    await service.create_staff(None, new)
    with pytest.raises(Conflict):
        await service.create_staff(None, replace(new, login="LAN"))


async def test_short_passwords_and_empty_roles_are_refused(service: StaffService) -> None:
    province = await _province(service)
    with pytest.raises(Invalid, match="at least"):
        await service.create_staff(None, NewStaff(province.id, "a", "A", "short",
                                                  frozenset({StaffRole.HEAD})))
    with pytest.raises(Invalid, match="role"):
        await service.create_staff(None, NewStaff(province.id, "a", "A", "long-enough-1",
                                                  frozenset()))


async def test_authentication_logs_failures_without_naming_a_member(
    service: StaffService, uow: FakeUnitOfWork
) -> None:
    province = await _province(service)
    await service.create_staff(None, NewStaff(province.id, "lan", "Lan", "long-enough-1",
                                              frozenset({StaffRole.RECEPTIONIST})))
    with pytest.raises(AuthenticationFailed):
        await service.authenticate("lan", "wrong-password")
    member = await service.authenticate("Lan", "long-enough-1")
    failed, ok = uow.audit.records[-2:]
    assert (failed.action, failed.actor_id) == ("auth.login_failed", None)
    assert (ok.action, ok.actor_id) == ("auth.login", str(member.id))


async def test_an_administrator_cannot_lock_themselves_out(service: StaffService) -> None:
    province = await _province(service)
    admin = await service.create_staff(None, NewStaff(province.id, "root", "Root", "long-enough-1",
                                                      frozenset({StaffRole.ADMINISTRATOR})))
    with pytest.raises(Invalid):
        await service.update_staff(admin, admin.id, active=False)
    with pytest.raises(Invalid):
        await service.update_staff(admin, admin.id, roles=frozenset({StaffRole.HEAD}))
