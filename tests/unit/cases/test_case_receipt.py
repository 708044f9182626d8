"""The second-complaint window (C-7, LKN Art. 33(1)) runs from the complainant's receipt of the
first-time decision, not from its dispatch: a dated worked example, and the guard that reads it."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from reception.domain.cases.case import Case, CaseId, ComplaintSubject, ProcessKind, Timer
from reception.domain.cases.case_file import Dispatch, Party, PartyRole
from reception.domain.cases.receipt import complainant_receipt, counted_from_receipt, receipt_rules
from reception.domain.cases.status import case_status
from reception.domain.law.errors import WorkflowRefusal
from reception.domain.law.workflow import Role
from reception.domain.processes.complaint import complaint_process

DISPATCHED = date(2026, 10, 9)  # a Friday
RECEIVED = date(2026, 10, 14)  # the next Wednesday
CASE_ID = uuid.uuid4()


def _awaiting_effect() -> Case:
    """A first-time complaint decided and dispatched on the Friday, as the engine leaves it."""
    return Case(CaseId(str(CASE_ID)), ProcessKind.COMPLAINT, "C_AWAITING_EFFECT", date(2026, 9, 1),
                timers=(Timer("C-8", date(2026, 10, 5)), Timer("C-7", DISPATCHED)), version=12)


def _c7(case: Case, today: date) -> object:
    return next(o for o in case_status(case, today, roles=()).dates
                if o.deadline.rule_id == "C-7").deadline


def test_the_worked_example_counts_thirty_days_from_the_wednesday_of_receipt() -> None:
    assert DISPATCHED.weekday() == 4 and RECEIVED.weekday() == 2
    engine = _c7(_awaiting_effect(), RECEIVED)
    # From the dispatch: 30 days end on Sunday 8 November, rolled to Monday 9 November.
    assert engine.due == date(2026, 11, 9)  # type: ignore[attr-defined]
    shown = _c7(counted_from_receipt(_awaiting_effect(), RECEIVED), RECEIVED)
    assert shown.trigger == RECEIVED  # type: ignore[attr-defined]
    assert shown.due == date(2026, 11, 13)  # type: ignore[attr-defined]  # Friday, 30 days after
    assert shown.article == "LKN Art. 33(1)"  # type: ignore[attr-defined]


def test_a_second_complaint_after_the_dispatch_window_is_accepted_within_the_receipt_window() -> None:
    process = complaint_process(ComplaintSubject.ADMINISTRATIVE, 1)
    filed = date(2026, 11, 12)
    with pytest.raises(WorkflowRefusal, match="second-complaint window"):
        process.apply(_awaiting_effect(), "file_second_complaint", Role.CIT, filed,
                      first_decision_attached=True)
    after, _ = process.apply(counted_from_receipt(_awaiting_effect(), RECEIVED),
                             "file_second_complaint", Role.CIT, filed, first_decision_attached=True)
    assert after.state == "C_ESCALATED"


def test_a_receipt_dated_before_the_dispatch_does_not_shorten_the_window() -> None:
    case = _awaiting_effect()
    assert counted_from_receipt(case, date(2026, 10, 1)) == case
    assert counted_from_receipt(case, None) == case


def test_only_clocks_counted_from_receipt_move() -> None:
    moved = counted_from_receipt(_awaiting_effect(), RECEIVED)
    assert {t.rule_id: t.started_on for t in moved.timers} == {"C-8": date(2026, 10, 5), "C-7": RECEIVED}
    assert {"C-7", "D-2"} <= receipt_rules() and "C-8" not in receipt_rules()


def _dispatch(recipient: str, delivered: date | None) -> Dispatch:
    return Dispatch(uuid.uuid4(), CASE_ID, recipient, "post", DISPATCHED, delivered)


def test_the_complainants_receipt_is_found_by_name_and_other_recipients_are_ignored() -> None:
    parties = [Party(uuid.uuid4(), PartyRole.COMPLAINANT, 0, "Trần Thị Bình"),
               Party(uuid.uuid4(), PartyRole.COMPLAINEE, 0, "UBND xã An Bình")]
    dispatches = [_dispatch("UBND xã An Bình", date(2026, 10, 10)),
                  _dispatch("tran thi binh", RECEIVED),
                  _dispatch("Trần Thị Bình", None)]
    assert complainant_receipt(dispatches, parties) == RECEIVED
    assert complainant_receipt(dispatches[:1], parties) is None
