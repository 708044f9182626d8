"""The days a request may name: one validated type for every date in a query string or a body.

A day outside the range below is a typo or a probe, never a day this application can reason
about: datetime arithmetic overflows at year 1 and 9999, the reception rules have no version in
force before they commenced (RuleNotInForce), and PostgreSQL compares timestamps the Python side
cannot build. So it is refused at the edge with a message a person understands (422), before
any of that code runs.

- FIRST_DAY: the Law on Citizen Reception (LTCD, No. 42/2013/QH13) came into force on 1/7/2014
  (docs/law.md §0.1). Receptions, sessions and agendas are governed by it, and the earliest
  version of its rules in reception/domain/law/rules/time_limits.toml (R-1 to R-5, the R-8
  quotas) takes effect that day. Case clocks start later still (services/cases/workflow.py).
- last_day: the end of the year YEARS_AHEAD years from now: far beyond the 28 days citizens see
  and any plan of sessions, near enough that every day has a working calendar.

The bound of the future uses the wall clock, not the application's Clock: it is coarse (years),
and a pydantic type has no request to ask for the clock.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime
from pydantic_core import PydanticCustomError

from reception.domain.booking import LOCAL_TZ
from reception.i18n_marker import N_
from reception.services.errors import Invalid
from reception.web.i18n import gettext

FIRST_DAY = date(2014, 7, 1)
YEARS_AHEAD = 5
OUT_OF_RANGE = "day_out_of_range"  # the pydantic error type; web/errors.py translates it
DAY_MESSAGE = N_("Enter a day between {first} and {last}.")
NOT_A_DAY = N_("Enter a day as year-month-day, for example {example}.")


def last_day(today: date | None = None) -> date:
    today = today or datetime.now(LOCAL_TZ).date()
    return date(today.year + YEARS_AHEAD, 12, 31)


def bounds() -> dict[str, str]:
    """The range as shown to people: dd/mm/yyyy, the way Vietnamese write days."""
    return {"first": f"{FIRST_DAY:%d/%m/%Y}", "last": f"{last_day():%d/%m/%Y}"}


def in_range(day: date) -> bool:
    return FIRST_DAY <= day <= last_day()


def _checked(day: date) -> date:
    if not in_range(day):
        raise PydanticCustomError(OUT_OF_RANGE, DAY_MESSAGE, bounds())
    return day


# A date field of a query string or a body (pydantic): a valid ISO day within the range.
Day = Annotated[date, AfterValidator(_checked)]


def _moment_checked(moment: datetime) -> datetime:
    _checked(moment.date())
    return moment


# A time with its zone (a session's start and end): its day within the same range.
Moment = Annotated[AwareDatetime, AfterValidator(_moment_checked)]

# The day a contested decision was issued: it may predate the reception law (a decision of
# 2010 contested by someone who learnt of it late), never the state that issues such decisions
# (2/9/1945), never the future.
FIRST_ISSUED_DAY = date(1945, 9, 2)


def _issued_checked(day: date) -> date:
    last = datetime.now(LOCAL_TZ).date()
    if not FIRST_ISSUED_DAY <= day <= last:
        raise PydanticCustomError(OUT_OF_RANGE, DAY_MESSAGE, {
            "first": f"{FIRST_ISSUED_DAY:%d/%m/%Y}", "last": f"{last:%d/%m/%Y}"})
    return day


IssuedDay = Annotated[date, AfterValidator(_issued_checked)]


def out_of_range() -> str:
    """The message for a day outside the range, in the reader's language."""
    return gettext(DAY_MESSAGE).format(**bounds())


def parse_day(text: str, field: str = "day") -> date:
    """A day typed into a page or a link (YYYY-MM-DD), or Invalid (422) saying what to enter."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise Invalid(NOT_A_DAY, field=field,
                      example=f"{datetime.now(LOCAL_TZ).year}-12-31") from None
    if not in_range(day):
        raise Invalid(DAY_MESSAGE, field=field, **bounds())
    return day
