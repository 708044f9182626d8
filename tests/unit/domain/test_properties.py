"""Hypothesis properties of the deadline engine (modest example counts: the suite stays fast)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from reception.domain.law.deadlines import Pause, compute_deadline
from reception.domain.law.rulebook import PausePolicy, default_rulebook
from reception.domain.law.workdays import (
    add_calendar_days,
    add_working_days,
    default_calendar,
    subtract_working_days,
)

CAL = default_calendar()
RULES = default_rulebook()
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2029, 12, 31))
periods = st.integers(min_value=1, max_value=70)
FAST = settings(max_examples=60, deadline=None)


@FAST
@given(days, periods)
def test_a_working_day_deadline_never_lands_on_a_non_working_day(trigger: date, n: int) -> None:
    assert CAL.is_working_day(add_working_days(CAL, trigger, n))


@FAST
@given(days, st.integers(min_value=0, max_value=120))
def test_a_calendar_day_deadline_never_lands_on_a_non_working_day(trigger: date, n: int) -> None:
    due = add_calendar_days(CAL, trigger, n)
    assert CAL.is_working_day(due) and due >= trigger + timedelta(days=n)


@FAST
@given(days, periods)
def test_a_backward_period_lands_on_a_working_day_before_the_event(target: date, n: int) -> None:
    latest = subtract_working_days(CAL, target, n)
    assert CAL.is_working_day(latest) and latest < target
    assert add_working_days(CAL, latest, n) <= CAL.next_working_day_on_or_after(target)


@FAST
@given(days, periods, periods)
def test_adding_working_days_is_monotonic(trigger: date, a: int, b: int) -> None:
    small, large = sorted((a, b))
    assert add_working_days(CAL, trigger, small) <= add_working_days(CAL, trigger, large)
    later = trigger + timedelta(days=small)
    assert add_working_days(CAL, trigger, a) <= add_working_days(CAL, later, a)


@FAST
@given(
    days,
    st.sampled_from(["C-3", "C-9", "T-5", "P-5", "T-4"]),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=30),
    st.sampled_from(list(PausePolicy)),
)
def test_pausing_and_resuming_never_shortens_a_deadline(
    trigger: date, rule_id: str, offset: int, length: int, policy: PausePolicy
) -> None:
    rule = RULES.limit(rule_id, max(trigger, date(2026, 7, 1)))
    suspended = trigger + timedelta(days=offset)
    pause = Pause(suspended, suspended + timedelta(days=length))
    plain = compute_deadline(rule, trigger, CAL, policy=policy)
    paused = compute_deadline(rule, trigger, CAL, pauses=(pause,), policy=policy)
    assert paused.due >= plain.due
    assert CAL.is_working_day(paused.due)
