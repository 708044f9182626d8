"""Rate limits held in the database, so every web process counts the same hits: a fixed
window per (limit, subject), counted by one atomic upsert. Subjects (an address, a login, an
ID number, a link token) are stored hashed: the counter table holds no personal data."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from reception.services.ports import Clock, UnitOfWorkFactory

PURGE_EVERY = timedelta(minutes=10)


@dataclass(frozen=True)
class Limit:
    name: str  # e.g. "login-account"
    hits: int  # allowed per window
    window: timedelta


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the fullest window closes (0 when allowed)
    limit: str = ""  # the name of the limit that refused


def window_of(limit: Limit, now: datetime) -> datetime:
    seconds = int(limit.window.total_seconds())
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, UTC)


def subject_key(limit: Limit, subject: str) -> str:
    digest = hashlib.sha256(subject.encode("utf-8", "replace")).hexdigest()[:40]
    return f"{limit.name}:{digest}"


class RateLimits:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow, self._clock = uow, clock
        self._purged_at: datetime | None = None

    async def hit(self, *checks: tuple[Limit, str]) -> Verdict:
        """Count one hit against each (limit, subject); refused if any is over its limit."""
        now = self._clock.now()
        refused: Verdict | None = None
        async with self._uow() as uow:
            for limit, subject in checks:
                start = window_of(limit, now)
                end = start + limit.window
                count = await uow.rate_limits.hit(subject_key(limit, subject), start, end)
                if count > limit.hits:
                    wait = max(1, int((end - now).total_seconds()) + 1)
                    if refused is None or wait > refused.retry_after:
                        refused = Verdict(False, wait, limit.name)
            if self._purged_at is None or now - self._purged_at > PURGE_EVERY:
                self._purged_at = now
                await uow.rate_limits.purge(now)
            await uow.commit()
        return refused or Verdict(True, 0)

    async def forgive(self, limit: Limit, subject: str) -> None:
        """Take back the hit just counted for `subject`: the attempt turned out not to be what
        the limit counts (a booking refused is not one of the bookings a day)."""
        async with self._uow() as uow:
            await uow.rate_limits.forgive(subject_key(limit, subject),
                                          window_of(limit, self._clock.now()))
            await uow.commit()
