"""The one type for days in requests (reception/web/days.py): the first day is the reception
law's first rules, the last a few years ahead, and both ends of the calendar are refused."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from pydantic import TypeAdapter, ValidationError

from reception.domain.law.rulebook import default_rulebook
from reception.web.days import FIRST_DAY, OUT_OF_RANGE, Day, IssuedDay, Moment, last_day

DAYS = TypeAdapter(Day)


def test_the_first_day_is_when_the_first_reception_rules_took_effect() -> None:
    """No agenda day may ask for a rule with no version in force (RuleNotInForce was a 500)."""
    rules = default_rulebook()
    assert FIRST_DAY == min(q.effective_from for q in rules.quotas)
    assert FIRST_DAY == min(r.effective_from for r in rules.limits if r.id.startswith("R-"))


@pytest.mark.parametrize("text", ["0001-01-01", "0001-01-02", "1900-01-01", "2014-06-30",
                                  "9999-12-31", f"{last_day().year + 1}-01-01"])
def test_a_day_outside_the_range_is_refused_with_its_own_error(text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        DAYS.validate_python(text)
    assert refused.value.errors()[0]["type"] == OUT_OF_RANGE


@pytest.mark.parametrize("text", ["2014-07-01", "2026-12-01", f"{last_day().year}-12-31"])
def test_a_day_within_the_range_is_taken(text: str) -> None:
    assert DAYS.validate_python(text) == date.fromisoformat(text)


def test_a_session_time_and_an_issue_day_have_bounds_too() -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Moment).validate_python("9999-12-31T08:00:00+07:00")
    assert TypeAdapter(Moment).validate_python("2026-12-15T08:00:00+07:00") == datetime.fromisoformat(
        "2026-12-15T08:00:00+07:00")
    assert TypeAdapter(IssuedDay).validate_python("2010-03-15") == date(2010, 3, 15)
    for text in ("1900-01-01", "9999-12-31"):
        with pytest.raises(ValidationError):
            TypeAdapter(IssuedDay).validate_python(text)
