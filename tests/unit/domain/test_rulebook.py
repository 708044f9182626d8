"""The rules table is data: versions by effective date, validation naming the bad entry."""

from __future__ import annotations

from datetime import date

import pytest

from reception.domain.law.errors import InvalidRules, RuleNotInForce
from reception.domain.law.rulebook import Confidence, default_rulebook, load_rulebook

RULES = default_rulebook()


def test_every_time_limit_of_statutes_section_1_is_in_the_table() -> None:
    expected = {"R-1", "R-3", "R-6", "R-7a", "R-7b", "R-7c", "R-9", "P-1", "P-2", "P-3", "P-5",
                "C-1", "C-3", "C-5", "C-6", "C-7", "C-8", "C-9", "C-10", "C-11", "C-12",
                "C-13", "C-14", "C-16", "D-1", "D-2", "D-3", "D-4", "D-5", "D-6", "T-1", "T-2",
                "T-4", "T-5", "T-6", "T-7", "T-8", "T-9", "T-10", "T-11", "T-12"}  # fmt: skip
    assert expected <= set(RULES.limit_ids())
    assert all(r.article and r.confidence in Confidence for r in RULES.limits)


def test_uncertain_rules_carry_their_confidence() -> None:
    assert RULES.limit("P-1", date(2026, 9, 1)).confidence is Confidence.L
    assert RULES.limit("C-3", date(2026, 9, 1)).confidence is Confidence.H
    assert RULES.pause_policy_confidence is Confidence.L


def test_forms_are_chosen_by_the_date_of_issue() -> None:
    assert RULES.form("complaint.acceptance_notice", date(2026, 7, 1)).confidence is Confidence.M
    assert RULES.form("complaint.acceptance_notice", date(2026, 6, 30)).confidence is Confidence.L
    with pytest.raises(RuleNotInForce):
        RULES.form("visit.refusal_notice", date(2026, 6, 30))


def test_a_legal_unit_can_correct_a_number_without_a_code_change() -> None:
    text = """
[[limit]]
id = "P-5"
obligation = "x"
effective_from = 2026-07-01
period = 5
unit = "WD"
direction = "within"
clock_start = "receipt"
article = "corrected"
confidence = "H"
"""
    assert load_rulebook(text, "").limit("P-5", date(2026, 8, 1)).period == 5


def test_a_malformed_entry_is_refused_naming_it() -> None:
    bad = '[[limit]]\nid = "X-1"\nunit = "fortnights"\n'
    with pytest.raises(InvalidRules, match="X-1"):
        load_rulebook(bad, "")


def test_each_limit_says_whose_it_is() -> None:
    """Only the office's duties can be overdue (docs/law.md §1 "Whose"): the complainant's
    windows and the days decisions take effect are not (LKN Arts. 33(1), 44, 48, 57(1))."""
    from reception.domain.law.rulebook import Nature

    on = date(2026, 9, 1)
    nature = {r: RULES.limit(r, on).nature for r in ("C-3", "C-6", "C-12", "C-7", "D-2", "C-1",
                                                     "C-4", "C-8", "C-11", "D-6", "P-7")}
    assert {r for r, n in nature.items() if n is Nature.DUTY} == {"C-3", "C-6", "C-12"}
    assert {r for r, n in nature.items() if n is Nature.PARTY} == {"C-7", "D-2", "C-1", "C-4"}
    assert {r for r, n in nature.items() if n is Nature.EFFECT} == {"C-8", "C-11", "D-6", "P-7"}
    with pytest.raises(InvalidRules, match="Y-1"):
        load_rulebook('[[limit]]\nid = "Y-1"\nobligation = "x"\neffective_from = 2026-07-01\n'
                      'period = 1\nunit = "WD"\ndirection = "within"\nclock_start = "receipt"\n'
                      'article = "a"\nconfidence = "H"\nnature = "someone"\n', "")
