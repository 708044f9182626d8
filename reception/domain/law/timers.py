"""The deadline of a case's running timer: the rule version in force on the timer's start
(the transitional rules of docs/law.md §0.2 select by the date of the step), the case's
complexity flags, its suspension ledger (only for rules marked pausable) and extensions; and
the windows that open when a period ends with nothing done (`expiry_windows`)."""

from __future__ import annotations

from datetime import date, timedelta

from reception.domain.cases.case import Case, Timer
from reception.domain.law.deadlines import Deadline, compute_deadline
from reception.domain.law.rulebook import RuleBook
from reception.domain.law.workdays import WorkingCalendar


def case_flags(case: Case) -> frozenset[str]:
    """Variant conditions of the rules table that hold for this case."""
    named = {
        "complex": case.complex or case.especially_complex,
        "remote": case.remote,
        "forced_dismissal": case.forced_dismissal,
    }
    return frozenset(k for k, on in named.items() if on) | case.markers


def timer_deadline(
    case: Case, timer: Timer, rules: RuleBook, calendar: WorkingCalendar, today: date
) -> Deadline:
    rule = rules.limit(timer.rule_id, timer.started_on)
    pauses = tuple(p for p in case.pauses if p.suspended_on >= timer.started_on)
    return compute_deadline(
        rule,
        timer.started_on,
        calendar,
        flags=case_flags(case),
        pauses=pauses if rule.pausable else (),
        extensions=case.extensions if rule.extension is not None else (),
        policy=rules.pause_policy,
        today=today,
    )


# A party's window that opens when an office's period ends without its act: the first-time
# resolution period C-3 ends with no decision -> the complainant may file a second-time
# complaint within C-7b, counted from that expiry (LKN Art. 33(1)(b); docs/law.md §4.3).
EXPIRY_WINDOWS = {"C-3": "C-7b"}


def expiry_windows(case: Case, rules: RuleBook, calendar: WorkingCalendar, today: date
                   ) -> tuple[Deadline, ...]:
    """The windows opened by a running period that has expired: the day after its last day is
    the expiry (the trigger, not itself counted, BLDS Art. 147)."""
    windows = []
    for timer in case.running_timers:
        window = EXPIRY_WINDOWS.get(timer.rule_id)
        if window is None:
            continue
        expired = timer_deadline(case, timer, rules, calendar, today)
        if today <= expired.due or expired.paused:
            continue
        trigger = expired.due + timedelta(days=1)
        windows.append(compute_deadline(rules.limit(window, trigger), trigger, calendar,
                                        flags=case_flags(case), policy=rules.pause_policy,
                                        today=today))
    return tuple(windows)
