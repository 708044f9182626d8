"""Rate limits of the public edge, counted in PostgreSQL (services/security/limits.py) so that they hold
across every web process. A refusal is cheap: one upsert, a 429 page with Retry-After, no log
line of its own — a counter, and at most one warning a minute summing them up."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import structlog

from reception.services.errors import ServiceError
from reception.services.security.limits import Limit
from reception.web.context import services
from reception.web.security.client import client_address

log = structlog.get_logger(__name__)
WARN_EVERY_SECONDS = 60.0

# Login: a person mistypes a few times; a guesser needs thousands. An office behind one NAT
# address logs in together at 8 o'clock, hence the wider per-address allowance.
LOGIN_PER_ACCOUNT = Limit("login-account", 5, timedelta(minutes=1))
LOGIN_PER_ADDRESS = Limit("login-address", 30, timedelta(minutes=1))
# A case's status by reference + secret code, and a private link's join: against guessing.
STATUS_PER_ADDRESS = Limit("status-address", 20, timedelta(minutes=1))
JOIN_PER_ADDRESS = Limit("join-address", 30, timedelta(minutes=1))
JOIN_PER_TOKEN = Limit("join-token", 10, timedelta(minutes=1))
# The public verification page of signed documents: looking up a code, uploading a file.
VERIFY_PAGE_PER_ADDRESS = Limit("verify-page", 60, timedelta(minutes=1))
VERIFY_CODE_PER_ADDRESS = Limit("verify-code", 30, timedelta(minutes=1))
VERIFY_UPLOAD_PER_ADDRESS = Limit("verify-upload", 10, timedelta(minutes=1))
# Public bookings: nobody needs more than a few receptions a day.
BOOKINGS_PER_ID = Limit("booking-id-number", 3, timedelta(days=1))
BOOKINGS_PER_ADDRESS = Limit("booking-address", 20, timedelta(days=1))
LIMITS = {limit.name: limit for limit in (
    LOGIN_PER_ACCOUNT, LOGIN_PER_ADDRESS, STATUS_PER_ADDRESS, JOIN_PER_ADDRESS, JOIN_PER_TOKEN,
    VERIFY_PAGE_PER_ADDRESS, VERIFY_CODE_PER_ADDRESS, VERIFY_UPLOAD_PER_ADDRESS,
    BOOKINGS_PER_ID, BOOKINGS_PER_ADDRESS)}


class Throttled(Exception):
    """Too many requests: answered 429 with Retry-After by web/errors.py."""

    def __init__(self, retry_after: int, limit: str) -> None:
        super().__init__(limit)
        self.retry_after = retry_after
        self.limit = limit


class _Tally:
    """How many requests were refused since the last warning, per limit."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.total = 0
        self._warned_at = 0.0

    def refused(self, limit: str) -> None:
        self.counts[limit] += 1
        self.total += 1
        now = time.monotonic()
        if now - self._warned_at >= WARN_EVERY_SECONDS:
            log.warning("rate_limited", refused=dict(self.counts))
            self.counts.clear()
            self._warned_at = now


TALLY = _Tally()


async def throttle(*checks: tuple[Limit, str]) -> None:
    """Count this request against each (limit, subject); raise Throttled if any is exceeded."""
    verdict = await services().security.limits.hit(*checks)
    if not verdict.allowed:
        TALLY.refused(verdict.limit)
        raise Throttled(verdict.retry_after, verdict.limit)


def by_address(limit: Limit) -> tuple[Limit, str]:
    return limit, client_address()


@asynccontextmanager
async def booking_quota(id_number: str) -> AsyncIterator[None]:
    """Count a public booking attempt: per address always, per ID number only if it books.

    The address limit counts every attempt that reaches the service, refused or not: it is what
    slows a script walking through ID numbers or flooding the slots. The ID number's limit is
    "3 receptions a day" for one citizen: a typo in the slot, a slot taken a second earlier or
    a denunciation refused online must not burn their quota (nor let someone who knows their
    number burn it for them with bookings the service refuses), so its hit is given back when
    the service refuses the booking, or when the address is over its own limit (no booking was
    tried: a citizen behind a busy shared address keeps their three)."""
    per_id = (BOOKINGS_PER_ID, id_number)
    try:
        await throttle(by_address(BOOKINGS_PER_ADDRESS), per_id)
    except Throttled as refused:
        if refused.limit != BOOKINGS_PER_ID.name:
            await services().security.limits.forgive(*per_id)
        raise
    try:
        yield
    except ServiceError:
        await services().security.limits.forgive(*per_id)
        raise
