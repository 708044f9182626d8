"""No case is left without a way forward: from every state that is not terminal some step of
the law leaves it; and a dated act is checked against the case's own dates — the dialogue is
held on the day its notice set, not before (the engine once accepted it nine days early)."""

from __future__ import annotations

from datetime import date as D

import pytest

from reception.domain.cases.case import CaseId, ComplaintSubject
from reception.domain.law.errors import WorkflowRefusal
from reception.domain.law.workflow import SAME, Role
from reception.domain.processes.complaint import complaint_process
from reception.domain.processes.registry import all_processes


@pytest.mark.parametrize("process", all_processes(), ids=lambda p: p.name_vi)
def test_every_open_state_has_a_step_that_leaves_it(process: object) -> None:
    stuck = []
    for spec in process.states:  # type: ignore[attr-defined]
        if spec.terminal:
            continue
        leaving = [t for t in process.transitions  # type: ignore[attr-defined]
                   if spec.code in t.sources and t.target not in (SAME, spec.code)]
        if not leaving:
            stuck.append(spec.code)
    assert stuck == []


def _noticed() -> tuple[object, object]:
    first = complaint_process(ComplaintSubject.ADMINISTRATIVE, 1)
    case, _ = first.open(CaseId("kn-dl"), Role.PH, D(2026, 11, 16))
    steps = (("accept", D(2026, 11, 17), {"within_competence": True, "acceptance_bar": "none"}),
             ("recheck", D(2026, 11, 17), {}), ("assign_verification", D(2026, 11, 18), {}),
             ("report_verification", D(2026, 11, 25), {}),
             ("notify_dialogue", D(2026, 12, 1),
              {"request_differs_from_verification": True, "dialogue_date": D(2026, 12, 14)}))
    for action, on, facts in steps:
        role = Role.VER if action == "report_verification" else Role.HEAD
        case, _ = first.apply(case, action, role, on, **facts)
    return first, case


def test_the_dialogue_is_held_on_the_day_its_notice_set() -> None:
    first, case = _noticed()
    assert case.dialogue_on == D(2026, 12, 14)  # type: ignore[attr-defined]
    for early in (D(2026, 12, 5), D(2026, 12, 13)):
        with pytest.raises(WorkflowRefusal) as refused:
            first.apply(case, "hold_dialogue", Role.HEAD, early, chaired_by="resolver")  # type: ignore[attr-defined]
        assert refused.value.failed == ("dialogue_on_noticed_day",)
        actions = [a.action for a in first.allowed_actions(case, Role.HEAD, early)]  # type: ignore[attr-defined]
        assert "hold_dialogue" not in actions and "reschedule_dialogue" in actions
    held, _ = first.apply(case, "hold_dialogue", Role.HEAD, D(2026, 12, 14), chaired_by="resolver")  # type: ignore[attr-defined]
    assert held.state == "C_DIALOGUE_DONE"


def test_a_rescheduled_dialogue_is_held_on_its_new_day() -> None:
    first, case = _noticed()
    moved, _ = first.apply(case, "reschedule_dialogue", Role.HEAD, D(2026, 12, 10),  # type: ignore[attr-defined]
                           valid_reason_evidence="CV 12/UBND", dialogue_date=D(2026, 12, 21))
    with pytest.raises(WorkflowRefusal):
        first.apply(moved, "hold_dialogue", Role.HEAD, D(2026, 12, 14), chaired_by="resolver")  # type: ignore[attr-defined]
    assert first.apply(moved, "hold_dialogue", Role.HEAD, D(2026, 12, 21),  # type: ignore[attr-defined]
                       chaired_by="resolver")[0].state == "C_DIALOGUE_DONE"
