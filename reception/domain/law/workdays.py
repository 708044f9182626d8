"""Working-day calendar of Vietnamese state bodies (docs/law.md §4.1, §4.5).

"Ngày làm việc" excludes Saturdays, Sundays, the 11 statutory public holidays (Labour Code 2019
Art. 112) and announced days off, and includes Saturdays officially swapped into working days
[H meaning / M citation]. The `holidays` package (pinned) supplies the public holidays and the
make-up Saturdays it knows; each year's Prime Minister / Ministry of Home Affairs notice may come
after a library release, so an override table (rules/calendar_overrides.toml) wins over it.
The calendar's `version` is recorded in every deadline for audit (§4.5 requirement 3).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

import holidays

from reception.domain.law.errors import InvalidPeriod, InvalidRules

ONE_DAY = timedelta(days=1)
_LIBRARY_VERSION = str(getattr(holidays, "__version__", "unknown"))


@dataclass(frozen=True, slots=True)
class CalendarOverrides:
    """Official notices the library may not know yet, and library days the law may not back."""

    label: str = "none"
    days_off: frozenset[date] = frozenset()  # extra announced days off (nghỉ bù, nghỉ Tết)
    make_up_workdays: frozenset[date] = frozenset()  # Saturdays swapped into working days
    not_holidays: frozenset[date] = frozenset()  # library holidays to ignore (e.g. §5 q13)


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    """Vietnamese state working days: the pinned `holidays` VN calendar plus overrides."""

    overrides: CalendarOverrides = field(default_factory=CalendarOverrides)

    @property
    def version(self) -> str:
        return f"holidays-{_LIBRARY_VERSION}/VN+overrides:{self.overrides.label}"

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides.days_off:
            return False
        if day in self.overrides.make_up_workdays:
            return True
        if day in self.overrides.not_holidays:
            return day.weekday() < 5
        return _library_is_working_day(day)

    def next_working_day_on_or_after(self, day: date) -> date:
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def previous_working_day_on_or_before(self, day: date) -> date:
        while not self.is_working_day(day):
            day -= ONE_DAY
        return day


@lru_cache(maxsize=4096)
def _library_is_working_day(day: date) -> bool:
    return bool(_vn_calendar(day.year).is_working_day(day))


@lru_cache(maxsize=64)
def _vn_calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year)


def _skipped(day: date, skip: frozenset[date]) -> bool:
    return day in skip


def add_working_days(
    calendar: WorkingCalendar, trigger: date, n: int, *, skip: frozenset[date] = frozenset()
) -> date:
    """Day n of "n ngày làm việc kể từ <trigger>": the trigger day is not counted (BLDS
    Art. 147), day 1 is the first working day after it. Days in `skip` (suspensions) do not
    count. Lands on a working day by construction."""
    if n < 0:
        raise InvalidPeriod(f"working-day period must not be negative, got {n}")
    day = trigger
    while n:
        day += ONE_DAY
        if calendar.is_working_day(day) and not _skipped(day, skip):
            n -= 1
    return day


def subtract_working_days(calendar: WorkingCalendar, target: date, n: int) -> date:
    """Last permissible day for "at least n working days before <target>" (R-1, R-7): count
    back n working days, not counting the target day itself (docs/law.md §4.2, [L])."""
    if n < 0:
        raise InvalidPeriod(f"working-day period must not be negative, got {n}")
    day = target
    while n:
        day -= ONE_DAY
        if calendar.is_working_day(day):
            n -= 1
    return day


def add_calendar_days(
    calendar: WorkingCalendar, trigger: date, n: int, *, skip: frozenset[date] = frozenset()
) -> date:
    """End of "n ngày kể từ <trigger>": trigger not counted; days in `skip` not counted; a last
    day that is not a working day rolls forward to the next working day (BLDS Art. 148(5))."""
    if n < 0:
        raise InvalidPeriod(f"calendar-day period must not be negative, got {n}")
    day = trigger
    while n:
        day += ONE_DAY
        if not _skipped(day, skip):
            n -= 1
    return calendar.next_working_day_on_or_after(day)


def subtract_calendar_days(calendar: WorkingCalendar, target: date, n: int) -> date:
    """Last permissible day for "at least n days before <target>" (C-5): target minus n, rolled
    backwards to a working day because the office is closed otherwise (docs/law.md §4.2, [L])."""
    if n < 0:
        raise InvalidPeriod(f"calendar-day period must not be negative, got {n}")
    return calendar.previous_working_day_on_or_before(target - timedelta(days=n))


def add_months(calendar: WorkingCalendar, trigger: date, months: int) -> date:
    """End of a period in months/years: the corresponding day of the last month, or that
    month's last day when it has no such day (BLDS Art. 148(3)-(4)); then roll forward."""
    if months < 0:
        raise InvalidPeriod(f"month period must not be negative, got {months}")
    index = trigger.year * 12 + trigger.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    day = min(trigger.day, _days_in_month(year, month))
    return calendar.next_working_day_on_or_after(date(year, month, day))


def _days_in_month(year: int, month: int) -> int:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return (first_next - ONE_DAY).day


def days_between(start: date, end: date) -> Iterable[date]:
    """Days strictly after `start` up to and including `end`."""
    day = start
    while day < end:
        day += ONE_DAY
        yield day


def load_overrides(text: str) -> CalendarOverrides:
    """Parse an override table (TOML) — the yearly official day-off notices."""
    data = tomllib.loads(text)
    try:
        return CalendarOverrides(
            label=str(data.get("label", "unnamed")),
            days_off=frozenset(e["date"] for e in data.get("day_off", [])),
            make_up_workdays=frozenset(e["date"] for e in data.get("make_up_workday", [])),
            not_holidays=frozenset(e["date"] for e in data.get("not_a_holiday", [])),
        )
    except (KeyError, TypeError) as exc:
        raise InvalidRules(f"calendar override entry lacks a date: {exc}") from exc


def default_calendar() -> WorkingCalendar:
    """The calendar with the checked-in override table."""
    text = resources.files("reception.domain.law.rules").joinpath("calendar_overrides.toml")
    return WorkingCalendar(load_overrides(text.read_text(encoding="utf-8")))
