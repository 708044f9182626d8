"""Statutory deadlines (docs/law.md §1 and §4).

BLDS Art. 147: the day of the triggering event is not counted. Art. 148: a period ends at
24:00 on its last day; a calendar-day period whose last day is a weekend or holiday ends on the
next working day. Suspended time is not counted (LKN Art. 11a; ND124 Art. 28b(2); LTC Art. 34).
Where a decree sets working days for a step the law states in plain "ngày", the stricter (earlier)
result is used for alerts and both are kept visible (§4.1 caution). Denunciation extensions add
≤ 30 days each (LTC Art. 30). Every Deadline names its article, confidence and calendar version.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from reception.domain.law.errors import InvalidPeriod
from reception.domain.law.rulebook import (
    AlternativeLimit,
    Confidence,
    Direction,
    Nature,
    PausePolicy,
    RuleBook,
    TimeLimit,
    Unit,
)
from reception.domain.law.workdays import (
    WorkingCalendar,
    add_calendar_days,
    add_months,
    add_working_days,
    subtract_calendar_days,
    subtract_working_days,
)


@dataclass(frozen=True, slots=True)
class Pause:
    """One entry of the suspension ledger: [suspended_on, resumed_on); open while resumed_on
    is None."""

    suspended_on: date
    resumed_on: date | None = None


@dataclass(frozen=True, slots=True)
class Deadline:
    rule_id: str
    obligation: str
    due: date  # the last permissible day (ends 24:00)
    article: str
    confidence: Confidence
    unit: Unit
    direction: Direction
    clock_start: str
    trigger: date
    period: int  # units counted, variants and extensions included
    calendar_version: str
    rules_effective_from: date
    flags: frozenset[str] = frozenset()
    paused: bool = False  # an open suspension: `due` assumes resumption today
    candidates: tuple[Deadline, ...] = ()  # stricter-of: every reading, the earliest is `due`
    note: str = ""
    nature: Nature = Nature.DUTY  # only the office's duties can be overdue

    def days_left(self, today: date) -> int:
        """Calendar days from today to the due day; negative once overdue."""
        return (self.due - today).days

    def is_overdue(self, today: date) -> bool:
        """Computed, never stored: an office's duty past 24:00 of its due day and not paused.
        A party's window or the day something takes effect is never the office's overdue."""
        return self.nature is Nature.DUTY and today > self.due and not self.paused


def paused_days(pauses: Iterable[Pause], policy: PausePolicy, today: date | None = None) -> frozenset[date]:
    """Days that do not count because the case was suspended (§4.4; §5 q9 [L])."""
    days: set[date] = set()
    for pause in pauses:
        end = pause.resumed_on
        if end is None:
            if today is None:
                raise InvalidPeriod("an open suspension needs `today` to be counted")
            end = max(today, pause.suspended_on)
        if end < pause.suspended_on:
            raise InvalidPeriod(f"resumption {end} precedes suspension {pause.suspended_on}")
        last = end if policy is PausePolicy.EXCLUSIVE else end - timedelta(days=1)
        day = pause.suspended_on + timedelta(days=1)
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return frozenset(days)


def _count(
    unit: Unit,
    direction: Direction,
    calendar: WorkingCalendar,
    trigger: date,
    period: int,
    skip: frozenset[date],
) -> date:
    if unit is Unit.HOURS:
        raise InvalidPeriod("hour periods are times of day; see reception.connection_deadline")
    if direction is Direction.BEFORE:
        if unit is Unit.WORKING_DAYS:
            return subtract_working_days(calendar, trigger, period)
        if unit is Unit.CALENDAR_DAYS:
            return subtract_calendar_days(calendar, trigger, period)
        raise InvalidPeriod(f"no backward counting in {unit}")
    if unit is Unit.WORKING_DAYS:
        return add_working_days(calendar, trigger, period, skip=skip)
    if unit is Unit.CALENDAR_DAYS:
        return add_calendar_days(calendar, trigger, period, skip=skip)
    if skip:
        raise InvalidPeriod("suspensions of month periods are not modelled")
    return add_months(calendar, trigger, period)


def compute_deadline(
    rule: TimeLimit,
    trigger: date,
    calendar: WorkingCalendar,
    *,
    flags: frozenset[str] = frozenset(),
    pauses: Sequence[Pause] = (),
    extensions: Sequence[int] = (),
    policy: PausePolicy = PausePolicy.CONSERVATIVE,
    today: date | None = None,
) -> Deadline:
    """The deadline of one rule version. With a `law_variant`, `due` is the stricter of the
    decree's and the law's readings and `candidates` holds both (§4.1)."""
    skip = paused_days(pauses, policy, today)
    is_paused = any(p.resumed_on is None for p in pauses)
    period = rule.period_for(flags) + sum(extensions)
    if rule.extension is not None:
        period = min(period, rule.extension.absolute_max)
    due = _count(rule.unit, rule.direction, calendar, trigger, period, skip)
    main = Deadline(
        rule_id=rule.id,
        obligation=rule.obligation,
        due=due,
        article=rule.article,
        confidence=rule.confidence,
        unit=rule.unit,
        direction=rule.direction,
        clock_start=rule.clock_start,
        trigger=trigger,
        period=period,
        calendar_version=calendar.version,
        rules_effective_from=rule.effective_from,
        flags=flags,
        paused=is_paused,
        note=rule.note,
        nature=rule.nature,
    )
    if rule.law_variant is None:
        return main
    law = _alternative(main, rule.law_variant, calendar, skip)
    stricter = min((main, law), key=lambda d: d.due)
    return replace(stricter, candidates=(main, law))


def _alternative(
    main: Deadline, alt: AlternativeLimit, calendar: WorkingCalendar, skip: frozenset[date]
) -> Deadline:
    due = _count(alt.unit, main.direction, calendar, main.trigger, alt.period, skip)
    return replace(
        main,
        due=due,
        article=alt.article,
        confidence=alt.confidence,
        unit=alt.unit,
        period=alt.period,
        note="the law's own wording (stricter-of rule, docs/law.md §4.1)",
    )


def deadline_for(
    rules: RuleBook,
    rule_id: str,
    trigger: date,
    calendar: WorkingCalendar,
    *,
    relevant_date: date | None = None,
    flags: frozenset[str] = frozenset(),
    pauses: Sequence[Pause] = (),
    extensions: Sequence[int] = (),
    today: date | None = None,
) -> Deadline:
    """Look up the rule version in force on `relevant_date` (default: the trigger day,
    docs/law.md §0.2) and compute its deadline with the rules' pause policy."""
    rule = rules.limit(rule_id, relevant_date or trigger)
    return compute_deadline(
        rule,
        trigger,
        calendar,
        flags=flags,
        pauses=pauses,
        extensions=extensions,
        policy=rules.pause_policy,
        today=today,
    )


def complexity_flags(*, complex: bool = False, remote: bool = False) -> frozenset[str]:
    """Flags choosing C-3/C-9/D-4 variants (LKN Arts. 28, 37, 50; ND124 Art. 3a)."""
    return frozenset(name for name, on in (("complex", complex), ("remote", remote)) if on)
