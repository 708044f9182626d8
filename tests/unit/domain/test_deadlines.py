"""Worked, dated examples of docs/law.md §1 and §4 (BLDS Arts. 147-148; holidays 0.108)."""

from __future__ import annotations

from datetime import date

import pytest

from reception.domain.law.deadlines import Pause, complexity_flags, deadline_for
from reception.domain.law.errors import InvalidPeriod, RuleNotInForce
from reception.domain.law.rulebook import Confidence, PausePolicy, default_rulebook
from reception.domain.law.workdays import (
    CalendarOverrides,
    WorkingCalendar,
    add_calendar_days,
    add_months,
    add_working_days,
    default_calendar,
    subtract_calendar_days,
    subtract_working_days,
)

CAL = default_calendar()
RULES = default_rulebook()
D = date


@pytest.mark.parametrize(
    ("trigger", "n", "due"),
    [
        (D(2026, 8, 21), 7, D(2026, 9, 3)),  # §4.5: Sat 22/8 worked; 31/8, 1/9, 2/9 off
        (D(2026, 2, 12), 7, D(2026, 3, 2)),  # §4.5: Tết 2026 block 16-20/2 skipped
        (D(2026, 11, 20), 5, D(2026, 11, 30)),  # §4.5: 24/11 treated as a holiday
        (D(2027, 2, 3), 7, D(2027, 2, 19)),  # Tết 2027: 4-10/2 off
        (D(2026, 8, 21), 1, D(2026, 8, 22)),  # the make-up Saturday is day 1
        (D(2026, 4, 24), 2, D(2026, 4, 29)),  # Hùng Kings observed Mon 27/4
        (D(2026, 12, 30), 3, D(2027, 1, 5)),  # New Year across the year end
        (D(2026, 7, 3), 0, D(2026, 7, 3)),  # zero days: the trigger itself
    ],
)
def test_working_days_skip_weekends_and_holidays_and_count_make_up_saturdays(
    trigger: date, n: int, due: date
) -> None:
    assert add_working_days(CAL, trigger, n) == due


@pytest.mark.parametrize(
    ("trigger", "n", "due"),
    [
        (D(2026, 7, 1), 45, D(2026, 8, 17)),  # §4.5: Sat 15/8 rolled to Mon 17/8
        (D(2026, 1, 31), 30, D(2026, 3, 2)),  # month end, non-leap February
        (D(2028, 1, 31), 30, D(2028, 3, 1)),  # leap year: 29/2/2028 counts
        (D(2026, 8, 1), 30, D(2026, 9, 3)),  # ends on a day off (31/8) then 1-2/9 holidays
        (D(2026, 1, 17), 30, D(2026, 2, 23)),  # ends Mon 16/2 in Tết: rolled past 16-20/2
    ],
)
def test_calendar_days_roll_forward_to_the_next_working_day(trigger: date, n: int, due: date) -> None:
    assert add_calendar_days(CAL, trigger, n) == due


def test_months_end_on_the_corresponding_day_or_the_month_end_in_a_leap_year() -> None:
    assert add_months(CAL, D(2028, 2, 29), 12) == D(2029, 2, 28)
    assert add_months(CAL, D(2026, 1, 31), 1) == D(2026, 3, 2)  # 28/2/2026 is a Saturday
    assert add_months(CAL, D(2026, 3, 31), 1) == D(2026, 5, 4)  # 30/4, 1/5 holidays, weekend


def test_backward_periods_do_not_count_the_event_day_and_roll_backwards() -> None:
    # reception Mon 7/9/2026, 5 WD before skips 31/8-2/9 and the weekend.
    assert subtract_working_days(CAL, D(2026, 9, 7), 5) == D(2026, 8, 26)
    # C-5: dialogue Thu 10/9/2026, 5 days before is Sat 5/9, rolled back to Fri 4/9.
    assert subtract_calendar_days(CAL, D(2026, 9, 10), 5) == D(2026, 9, 4)


def test_negative_periods_are_refused() -> None:
    with pytest.raises(InvalidPeriod):
        add_working_days(CAL, D(2026, 9, 1), -1)
    with pytest.raises(InvalidPeriod):
        add_calendar_days(CAL, D(2026, 9, 1), -1)


def test_acceptance_before_the_cut_over_uses_ten_days_and_the_stricter_law_reading() -> None:
    old = deadline_for(RULES, "P-5", D(2026, 6, 30), CAL)
    assert old.rules_effective_from < D(2026, 7, 1)
    assert {(c.period, c.unit.value, c.due) for c in old.candidates} == {
        (10, "WD", D(2026, 7, 14)),
        (10, "CD", D(2026, 7, 10)),
    }
    assert old.due == D(2026, 7, 10)


def test_acceptance_from_the_cut_over_uses_seven_working_days_with_both_readings_kept() -> None:
    new = deadline_for(RULES, "P-5", D(2026, 7, 1), CAL)
    assert new.rules_effective_from == D(2026, 7, 1)
    assert new.due == D(2026, 7, 10)
    assert {c.due for c in new.candidates} == {D(2026, 7, 10), D(2026, 7, 13)}
    assert new.confidence is Confidence.M and "ND155" in new.article


def test_online_reception_rules_are_not_in_force_before_the_cut_over() -> None:
    with pytest.raises(RuleNotInForce, match="R-7a"):
        RULES.limit("R-7a", D(2026, 6, 30))


@pytest.mark.parametrize(
    ("rule", "complex_", "remote", "due"),
    [
        ("C-3", False, False, D(2026, 7, 31)),
        ("C-3", True, False, D(2026, 8, 17)),  # 45 days, Sat 15/8 rolled
        ("C-3", False, True, D(2026, 8, 17)),
        ("C-3", True, True, D(2026, 9, 3)),  # 60 days: Sun 30/8, then 31/8-2/9 off
        ("C-9", False, False, D(2026, 8, 17)),
        ("C-9", True, True, D(2026, 9, 9)),  # 70 days
        ("D-4", True, True, D(2026, 8, 17)),  # discipline: no remote variant
    ],
)
def test_complaint_resolution_limits_follow_complexity_and_remoteness(
    rule: str, complex_: bool, remote: bool, due: date
) -> None:
    flags = complexity_flags(complex=complex_, remote=remote)
    deadline = deadline_for(RULES, rule, D(2026, 7, 1), CAL, flags=flags)
    assert deadline.due == due
    assert deadline.calendar_version == CAL.version


def test_a_suspension_spanning_the_national_day_holidays_is_not_counted() -> None:
    pause = (Pause(D(2026, 8, 25), D(2026, 9, 5)),)
    base = deadline_for(RULES, "C-3", D(2026, 8, 1), CAL)
    paused = deadline_for(RULES, "C-3", D(2026, 8, 1), CAL, pauses=pause)
    assert base.due == D(2026, 9, 3)
    # conservative: 25/8 elapsed, 5/9 is day 25 of 30, so day 30 is Thu 10/9
    assert paused.due == D(2026, 9, 10)
    assert RULES.pause_policy is PausePolicy.CONSERVATIVE


def test_an_open_suspension_keeps_the_deadline_moving_and_is_never_overdue() -> None:
    open_pause = (Pause(D(2026, 8, 25)),)
    d = deadline_for(RULES, "C-3", D(2026, 8, 1), CAL, pauses=open_pause, today=D(2026, 12, 1))
    assert d.paused and d.due > D(2026, 12, 1) and not d.is_overdue(D(2026, 12, 1))
    with pytest.raises(InvalidPeriod):
        deadline_for(RULES, "C-3", D(2026, 8, 1), CAL, pauses=open_pause)


def test_denunciation_extensions_add_thirty_days_each_up_to_ninety() -> None:
    start = D(2026, 7, 1)
    assert deadline_for(RULES, "T-5", start, CAL).due == D(2026, 7, 31)
    assert deadline_for(RULES, "T-5", start, CAL, extensions=(30,)).due == D(2026, 9, 3)
    assert deadline_for(RULES, "T-5", start, CAL, extensions=(30, 30)).due == D(2026, 9, 29)
    assert deadline_for(RULES, "T-5", start, CAL, extensions=(30, 30, 30)).period == 90


def test_official_notices_override_the_library_calendar_and_change_its_version() -> None:
    notice = CalendarOverrides(
        label="TB-2027-01",
        days_off=frozenset({D(2027, 2, 3)}),
        make_up_workdays=frozenset({D(2027, 2, 20)}),
        not_holidays=frozenset({D(2026, 11, 24)}),
    )
    cal = WorkingCalendar(notice)
    assert not cal.is_working_day(D(2027, 2, 3)) and cal.is_working_day(D(2027, 2, 20))
    assert add_working_days(cal, D(2026, 11, 20), 5) == D(2026, 11, 27)
    assert "TB-2027-01" in cal.version and cal.version != CAL.version
