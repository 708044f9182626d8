"""Use cases for agencies and staff accounts: each is one unit of work, audit-logged."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, replace

from reception.domain.organisation import (
    Agency,
    AgencyId,
    AgencyLevel,
    StaffId,
    StaffMember,
    StaffRole,
    may_sit_under,
)
from reception.domain.sessions import EndReason
from reception.i18n_marker import N_
from reception.services import audit
from reception.services.errors import AuthenticationFailed, Conflict, Forbidden, Invalid, NotFound
from reception.services.ports import Clock, PasswordHasher, UnitOfWorkFactory
from reception.services.security.sessions import end_all_in

MIN_PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class NewAgency:
    code: str
    name: str
    level: AgencyLevel
    parent_id: AgencyId | None = None


@dataclass(frozen=True)
class NewStaff:
    agency_id: AgencyId
    login: str
    full_name: str
    password: str
    roles: frozenset[StaffRole]
    email: str | None = None


class StaffService:
    def __init__(self, uow: UnitOfWorkFactory, hasher: PasswordHasher, clock: Clock) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._dummy: str | None = None

    def _dummy_hash(self) -> str:
        """A hash of a random password, made once with the hasher's own parameters: an unknown
        or deactivated login is checked against it, so that it costs what a wrong password does."""
        if self._dummy is None:
            self._dummy = self._hasher.hash(secrets.token_urlsafe(32))
        return self._dummy

    async def create_agency(self, actor: StaffMember | None, new: NewAgency) -> Agency:
        async with self._uow() as uow:
            if await uow.agencies.by_code(new.code):
                raise Conflict(N_("An agency with code {code} already exists."), code=new.code)
            parent = await uow.agencies.get(new.parent_id) if new.parent_id else None
            if new.parent_id and parent is None:
                raise NotFound(N_("The parent agency does not exist."))
            if not may_sit_under(new.level, parent.level if parent else None):
                raise Invalid(N_("An agency of this level cannot sit under that parent."))
            agency = Agency(AgencyId(uuid.uuid4()), new.code, new.name, new.level, new.parent_id)
            await uow.agencies.add(agency)
            await uow.audit.append(
                audit.record(self._clock.now(), actor, "agency.create", "agency", agency.id,
                             agency_id=agency.id, details={"code": agency.code, "name": agency.name})
            )
            await uow.commit()
            return agency

    async def create_staff(self, actor: StaffMember | None, new: NewStaff) -> StaffMember:
        _check_password(new.password)
        if not new.roles:
            raise Invalid(N_("Choose at least one role."))
        _check_separation(new.roles)
        async with self._uow() as uow:
            if await uow.agencies.get(new.agency_id) is None:
                raise NotFound(N_("The agency does not exist."))
            if await uow.staff.by_login(new.login):
                raise Conflict(N_("The login {login} is already taken."), login=new.login)
            member = StaffMember(StaffId(uuid.uuid4()), new.agency_id, new.login.lower(), new.full_name,
                                 new.roles, new.email)
            await uow.staff.add(member, self._hasher.hash(new.password))
            await uow.audit.append(
                audit.record(self._clock.now(), actor, "staff.create", "staff_user", member.id,
                             agency_id=member.agency_id,
                             details={"login": member.login, "roles": sorted(member.roles)})
            )
            await uow.commit()
            return member

    async def update_staff(
        self, actor: StaffMember, staff_id: StaffId, *, roles: frozenset[StaffRole] | None = None,
        active: bool | None = None, full_name: str | None = None,
    ) -> StaffMember:
        """Change an account; a role change or a deactivation ends its sessions in the same
        unit of work, so the old rights do not outlive the change by one request."""
        async with self._uow() as uow:
            member = await uow.staff.get(staff_id)
            if member is None:
                raise NotFound(N_("No such staff account."))
            if roles is not None and not roles:
                raise Invalid(N_("Choose at least one role."))
            if roles is not None:
                _check_separation(roles)
            if member.id == actor.id and (active is False or (
                    member.is_admin and roles is not None and StaffRole.ADMINISTRATOR not in roles)):
                raise Invalid(N_("You cannot deactivate yourself or remove your own administrator role."))
            if member.id == actor.id and roles is not None and roles - member.roles:
                raise Forbidden(N_("Nobody may grant roles to themselves; ask another administrator."))
            changed = replace(
                member,
                roles=roles if roles is not None else member.roles,
                active=active if active is not None else member.active,
                full_name=full_name or member.full_name,
            )
            await uow.staff.update(changed)
            now = self._clock.now()
            ended = 0
            if not changed.active and member.active:
                ended = await end_all_in(uow, member.id, now, EndReason.DEACTIVATED)
            elif changed.roles != member.roles:
                ended = await end_all_in(uow, member.id, now, EndReason.ROLES)
            await uow.audit.append(
                audit.record(now, actor, "staff.update", "staff_user", member.id,
                             agency_id=member.agency_id,
                             details={"roles": sorted(changed.roles), "active": changed.active,
                                      "sessions_ended": ended})
            )
            await uow.commit()
            return changed

    async def change_password(self, actor: StaffMember, current: str, new: str) -> None:
        """The member's own password; every session of theirs ends with the change (the web
        layer then signs this browser in again)."""
        _check_password(new)
        async with self._uow() as uow:
            found = await uow.staff.by_login(actor.login)
            if found is None or not self._hasher.verify(found[1], current):
                raise AuthenticationFailed(N_("The current password is not correct."))
            await uow.staff.set_password_hash(actor.id, self._hasher.hash(new))
            now = self._clock.now()
            ended = await end_all_in(uow, actor.id, now, EndReason.PASSWORD)
            await uow.audit.append(audit.record(
                now, actor, "staff.password_changed", "staff_user", actor.id,
                agency_id=actor.agency_id, details={"sessions_ended": ended}))
            await uow.commit()

    async def authenticate(self, login: str, password: str) -> StaffMember:
        """The active member with these credentials; every attempt is audit-logged."""
        async with self._uow() as uow:
            found = await uow.staff.by_login(login)
            if found is not None and found[0].active:
                ok = self._hasher.verify(found[1], password)
            else:  # as long as a wrong password takes: the time tells no account's existence
                self._hasher.verify(self._dummy_hash(), password)
                ok = False
            member = found[0] if found else None
            await uow.audit.append(
                audit.record(self._clock.now(), member if ok else None,
                             "auth.login" if ok else "auth.login_failed", "staff_user",
                             member.id if member else None,
                             agency_id=member.agency_id if member else None,
                             actor_label=login[:64])
            )
            if ok and found is not None and self._hasher.needs_rehash(found[1]):
                await uow.staff.set_password_hash(found[0].id, self._hasher.hash(password))
            await uow.commit()
        if not ok or member is None:
            raise AuthenticationFailed(N_("Wrong login or password."))
        return member

    async def get_staff(self, staff_id: StaffId) -> StaffMember | None:
        async with self._uow() as uow:
            return await uow.staff.get(staff_id)

    async def list_agencies(self) -> list[Agency]:
        async with self._uow() as uow:
            return list(await uow.agencies.list())

    async def list_staff(self) -> list[StaffMember]:
        async with self._uow() as uow:
            return list(await uow.staff.list())


def _check_separation(roles: frozenset[StaffRole]) -> None:
    """Separation of duties: an administrator account manages accounts and nothing else, so
    no administrator reaches case content, hearings or the denouncer vault."""
    if StaffRole.ADMINISTRATOR in roles and len(roles) > 1:
        raise Invalid(N_("An administrator account manages accounts only; "
                         "give other roles to a separate account."))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(N_("The password must have at least {n} characters."), n=MIN_PASSWORD_LENGTH)
