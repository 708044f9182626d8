"""A form is drawn up when the step it records is next or done, never before; the receipt at any
time; the written refusal to receive only from a closed matter (domain/documents/forms.py).
Generated from the process tables, so a renamed statutory form cannot silently switch a form
off."""

from __future__ import annotations

import pytest

from reception.adapters.forms_pdf import BY_KIND, COMMON
from reception.domain.cases.case import ComplaintSubject, ProcessKind
from reception.domain.documents.forms import AFTER_CLOSING, ANY_TIME, STATUTORY, may_draw_up
from reception.domain.law.workflow import Process
from reception.domain.processes.complaint import complaint_process
from reception.domain.processes.registry import SIMPLE

PROCESSES: dict[ProcessKind, tuple[Process, ...]] = {
    ProcessKind.COMPLAINT: tuple(complaint_process(s, i) for s in ComplaintSubject for i in (1, 2)),
    ProcessKind.DENUNCIATION: (SIMPLE[ProcessKind.DENUNCIATION],),
}
CASES = [(kind, process, key) for kind, processes in PROCESSES.items() for process in processes
         for key in BY_KIND[kind]]


def test_every_form_has_a_rule_for_when_it_is_due() -> None:
    every = {*COMMON, *(k for forms in BY_KIND.values() for k in forms)}
    assert every == ANY_TIME | AFTER_CLOSING | set(STATUTORY)


@pytest.mark.parametrize(("kind", "process", "key"), CASES,
                         ids=[f"{p.name_vi}-{k}" for _, p, k in CASES])
def test_a_form_is_due_exactly_where_the_step_it_records_is_next_or_done(
        kind: ProcessKind, process: Process, key: str) -> None:
    acts = [t for t in process.transitions if STATUTORY[key] in t.forms]
    assert acts, f"{key}: no step of {process.name_vi} issues {STATUTORY[key]}"
    sources = {s for t in acts for s in t.sources}
    for spec in process.states:
        due = may_draw_up(key, process, spec.code, spec.terminal, ())
        assert due is (spec.code in sources and not spec.terminal), (key, spec.code)
        assert may_draw_up(key, process, spec.code, spec.terminal, (acts[0].action,))  # once done


def test_nothing_is_due_on_a_new_complaint_but_its_acceptance_notice() -> None:
    first = complaint_process(ComplaintSubject.ADMINISTRATIVE, 1)
    state = first.opening.target
    assert [k for k in BY_KIND[ProcessKind.COMPLAINT] if may_draw_up(k, first, state, False, ())] \
        == ["complaint_acceptance"]
    assert not may_draw_up("first_decision", first, state, False, ("receive",))


def test_the_refusal_to_receive_comes_only_from_a_closed_matter_and_the_receipt_any_time() -> None:
    petition = SIMPLE[ProcessKind.PETITION]
    for spec in petition.states:
        assert may_draw_up("refusal_01", petition, spec.code, spec.terminal, ()) is spec.terminal
        assert may_draw_up("receipt_02", petition, spec.code, spec.terminal, ())
