"""A staff member's signed-in session: server-side, revocable, with an idle timeout and an
absolute lifetime. The browser holds only a random token; its hash is what is stored."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NewType

from reception.domain.organisation import StaffId

SessionId = NewType("SessionId", uuid.UUID)


class EndReason(enum.StrEnum):
    LOGOUT = "logout"
    ENDED = "ended"  # the member ended it from their list of sessions
    ENDED_BY_ADMIN = "ended_by_admin"
    PASSWORD = "password_changed"
    ROLES = "roles_changed"
    DEACTIVATED = "deactivated"


@dataclass(frozen=True, slots=True)
class StaffSession:
    id: SessionId
    staff_id: StaffId
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime  # absolute: no activity keeps a session past it
    user_agent: str
    address: str
    ended_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    """Idle timeout and absolute lifetime; `last_seen_at` is written at most every `touch`."""

    idle: timedelta = timedelta(minutes=15)
    lifetime: timedelta = timedelta(hours=12)
    touch: timedelta = timedelta(minutes=1)

    def alive(self, session: StaffSession, now: datetime) -> bool:
        return (session.ended_at is None and now < session.expires_at
                and now - session.last_seen_at < self.idle)

    def idle_since(self, now: datetime) -> datetime:
        """Sessions last seen before this instant have timed out."""
        return now - self.idle

    def stale(self, session: StaffSession, now: datetime) -> bool:
        return now - session.last_seen_at >= self.touch
