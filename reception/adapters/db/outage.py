"""Telling a database that cannot be reached from a query that failed: the first is the
service being unavailable for a moment (503 with Retry-After), the second a bug (500)."""

from __future__ import annotations

import asyncpg
from sqlalchemy import exc as sa

from reception.i18n_marker import N_
from reception.services.errors import Unavailable

UNAVAILABLE = N_("The service is unavailable for a moment. Please try again in a minute.")


def is_outage(error: BaseException) -> bool:
    if isinstance(error, sa.DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, sa.OperationalError | sa.InterfaceError | sa.TimeoutError):
        return True
    cause = getattr(error, "orig", None) or error.__cause__
    candidates = (error, cause) if cause is not None else (error,)
    return any(isinstance(e, OSError | asyncpg.PostgresConnectionError
                          | asyncpg.CannotConnectNowError | asyncpg.InterfaceError)
               for e in candidates)


def unavailable() -> Unavailable:
    return Unavailable(UNAVAILABLE)
