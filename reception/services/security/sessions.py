"""Staff sessions: opened at login, resolved on every request, ended by logout, by the member
from their list, by an administrator, and — in the same unit of work as the change — by a
password change, a role change or a deactivation (services/staff.py)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from reception.domain.organisation import StaffId, StaffMember, StaffRole
from reception.domain.sessions import EndReason, SessionId, SessionPolicy, StaffSession
from reception.i18n_marker import N_
from reception.services import audit
from reception.services.errors import Forbidden, NotFound
from reception.services.ports import Clock, UnitOfWork, UnitOfWorkFactory

TOKEN_BYTES = 32  # 256 bits


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SignedIn:
    member: StaffMember
    session: StaffSession


async def end_all_in(uow: UnitOfWork, staff_id: StaffId, now: datetime, reason: EndReason) -> int:
    """End every session of a member inside the caller's unit of work (the change commits it)."""
    return await uow.staff_sessions.end_all(staff_id, now, reason)


class SessionService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock,
                 policy: SessionPolicy | None = None) -> None:
        self._uow, self._clock, self.policy = uow, clock, policy or SessionPolicy()

    async def open(self, member: StaffMember, user_agent: str, address: str) -> str:
        """A new session for a member who just proved who they are; the token for the cookie."""
        now = self._clock.now()
        token = secrets.token_urlsafe(TOKEN_BYTES)
        opened = StaffSession(SessionId(uuid.uuid4()), member.id, now, now,
                              now + self.policy.lifetime, user_agent, address)
        async with self._uow() as uow:
            await uow.staff_sessions.add(opened, token_hash(token))
            await uow.commit()
        return token

    async def resolve(self, token: str) -> SignedIn | None:
        """The live session of `token` and its active member; one query, plus a write of
        last-seen at most once a minute (the idle clock)."""
        if not token:
            return None
        now = self._clock.now()
        async with self._uow.reading() as uow:  # every signed-in request: no transaction
            found = await uow.staff_sessions.resolve(token_hash(token), now,
                                                     self.policy.idle_since(now))
        if found is None:
            return None
        staff_session, member = found
        if self.policy.stale(staff_session, now):
            async with self._uow() as uow:
                await uow.staff_sessions.touch(staff_session.id, now)
                await uow.commit()
        return SignedIn(member, staff_session)

    async def logout(self, token: str) -> None:
        async with self._uow() as uow:
            await uow.staff_sessions.end_by_token(token_hash(token), self._clock.now(),
                                                  EndReason.LOGOUT)
            await uow.commit()

    async def keep_once(self, session_id: SessionId, key: str, value: str) -> None:
        """Keep `value` for this session's next page only (server-side, erased when read)."""
        async with self._uow() as uow:
            await uow.staff_sessions.keep_once(session_id, key, value)
            await uow.commit()

    async def take_once(self, session_id: SessionId, key: str) -> str | None:
        async with self._uow() as uow:
            value = await uow.staff_sessions.take_once(session_id, key)
            await uow.commit()
            return value

    async def list_own(self, actor: StaffMember) -> Sequence[StaffSession]:
        now = self._clock.now()
        async with self._uow() as uow:
            return await uow.staff_sessions.of_staff(actor.id, now, self.policy.idle_since(now))

    async def end_own(self, actor: StaffMember, session_id: SessionId) -> None:
        async with self._uow() as uow:
            if not await uow.staff_sessions.end(session_id, actor.id, self._clock.now(),
                                                EndReason.ENDED):
                raise NotFound(N_("No such session."))
            await uow.commit()

    async def end_all_of(self, actor: StaffMember, staff_id: StaffId) -> int:
        """An administrator ends every session of an account (a lost laptop, a leaver)."""
        if StaffRole.ADMINISTRATOR not in actor.roles:
            raise Forbidden(N_("Only administrators may end another person's sessions."))
        now = self._clock.now()
        async with self._uow() as uow:
            member = await uow.staff.get(staff_id)
            if member is None:
                raise NotFound(N_("No such staff account."))
            ended = await end_all_in(uow, staff_id, now, EndReason.ENDED_BY_ADMIN)
            await uow.audit.append(audit.record(
                now, actor, "staff.sessions_ended", "staff_user", staff_id,
                agency_id=member.agency_id, details={"sessions": ended}))
            await uow.commit()
            return ended
