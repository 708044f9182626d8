"""The deadline of a case's running timer: the rule version in force on the timer's start
(the transitional rules of docs/law.md §0.2 select by the date of the step), the case's
complexity flags, its suspension ledger (only for rules marked pausable) and extensions."""

from __future__ import annotations

from datetime import date

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
