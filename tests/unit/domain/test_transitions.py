"""Table tests: every transition of every docs/law.md §2 process is taken once with facts that
satisfy its guards, and refused for each missing fact, the wrong role and the wrong state."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from reception.domain.cases.case import Case, CaseId, Timer
from reception.domain.law.deadlines import Pause
from reception.domain.law.errors import WorkflowRefusal
from reception.domain.law.workflow import NEW, PREVIOUS, SAME, Process, Role, Transition
from reception.domain.processes.registry import all_processes

TODAY = date(2026, 9, 1)
LONG_AGO = TODAY - timedelta(days=200)


def _timer(rule: str, started: date):
    return lambda c: replace(c, timers=(*c.timers, Timer(rule, started)))


def _marker(name: str):
    return lambda c: replace(c, markers=c.markers | {name})


# Case-only guards, by name: how to put a case in the situation the guard requires.
PREPARE = {
    "C-8 expired": _timer("C-8", LONG_AGO),
    "C-11 expired": _timer("C-11", LONG_AGO),
    "D-6 expired": _timer("D-6", LONG_AGO),
    "C-3 expired": _timer("C-3", LONG_AGO),
    "D-4 expired": _timer("D-4", LONG_AGO),
    "T-5 expired": _timer("T-5", LONG_AGO),
    "within C-7": _timer("C-7", TODAY),
    # C-3 ended a few days ago: the window after it (30 days from its expiry) is open.
    "within C-7b": lambda c: replace(c, timers=(*(t for t in c.timers if t.rule_id != "C-3"),
                                                Timer("C-3", TODAY - timedelta(days=35)))),
    "within D-2": _timer("D-2", TODAY),
    "notice_pending": _timer("C-13", TODAY),
    "T-4 running": _timer("T-4", TODAY),
    "T-6 running": _timer("T-6", TODAY),
    "T-12b running": _timer("T-12b", TODAY),
    "EMERGENCY_SUSPENSION": _marker("EMERGENCY_SUSPENSION"),
    "verification reported": _marker("VERIFICATION_REPORTED"),
    "content:KN": _marker("content:KN"),
    "content:TC": _marker("content:TC"),
    "content:KNPA": _marker("content:KNPA"),
    "content:mixed": _marker("content:mixed"),
    "group": lambda c: replace(c, group_size=3),
    "extension_allowed": lambda c: replace(c, complex=True),
    "R-1": lambda c: replace(c, scheduled_on=TODAY + timedelta(days=30)),
    "R-7b": lambda c: replace(c, scheduled_on=TODAY + timedelta(days=30)),
    "online": lambda c: replace(c, online=True),
    "on_reception_day": lambda c: replace(c, scheduled_on=TODAY),
}


def _rows() -> list[tuple[Process, Transition, str]]:
    return [(p, t, source) for p in all_processes() for t in p.transitions for source in t.sources]


def _id(row: tuple[Process, Transition, str]) -> str:
    p, t, source = row
    return f"{p.name_vi}:{t.action}:{source}"


ROWS = _rows()


def _ready(process: Process, t: Transition, source: str) -> tuple[Case, dict[str, object]]:
    case = Case(CaseId("case-1"), process.kind, source, opened_on=TODAY - timedelta(days=3))
    if process.kind.value == "complaint":
        opened, _ = process.open(CaseId("case-1"), Role.PH, TODAY - timedelta(days=3))
        case = replace(opened, state=source)
    if t.resume:
        case = replace(case, pauses=(Pause(TODAY - timedelta(days=5)),), previous_state="C_ACCEPTED"
                       if process.kind.value == "complaint" else "T_VERIFYING")  # fmt: skip
    facts: dict[str, object] = {}
    for guard in t.guards:
        facts.update(guard.example)
        if guard.name in PREPARE:
            case = PREPARE[guard.name](case)
    return case, facts


@pytest.mark.parametrize("row", ROWS, ids=[_id(r) for r in ROWS])
def test_each_transition_reaches_its_target_state_when_its_guards_hold(row) -> None:
    process, t, source = row
    case, facts = _ready(process, t, source)
    role = sorted(t.roles)[0]
    new, effects = process.apply(case, t.action, role, TODAY, **facts)
    expected = {SAME: source, PREVIOUS: case.previous_state}.get(t.target, t.target)
    assert new.state == expected
    event = effects[0].event  # type: ignore[union-attr]
    assert (event.action, event.from_state, event.to_state) == (t.action, source, expected)
    assert event.seq == case.version + 1
    started = {e.deadline.rule_id for e in effects if type(e).__name__ == "TimerStarted"}
    assert started == {r for r in t.start}
    issued = [e.form.id for e in effects if type(e).__name__ == "FormIssued"]
    assert issued == list(t.forms)


@pytest.mark.parametrize("row", ROWS, ids=[_id(r) for r in ROWS])
def test_each_transition_is_refused_for_every_missing_fact_with_the_action_and_state_named(
    row,
) -> None:
    process, t, source = row
    case, facts = _ready(process, t, source)
    role = sorted(t.roles)[0]
    for guard in t.guards:
        if not guard.needs:
            continue
        partial = {k: v for k, v in facts.items() if k not in guard.needs}
        with pytest.raises(WorkflowRefusal) as refused:
            process.apply(case, t.action, role, TODAY, **partial)
        assert refused.value.action == t.action and refused.value.state == source
        assert guard.name in refused.value.reason


@pytest.mark.parametrize("row", ROWS, ids=[_id(r) for r in ROWS])
def test_each_transition_is_refused_to_a_role_the_statute_does_not_name(row) -> None:
    process, t, source = row
    case, facts = _ready(process, t, source)
    others = [r for r in Role if all(r not in x.roles for x in process.transitions
                                     if x.action == t.action and source in x.sources)]  # fmt: skip
    with pytest.raises(WorkflowRefusal, match=f"cannot {t.action} while {source}: role"):
        process.apply(case, t.action, others[0], TODAY, **facts)


@pytest.mark.parametrize("process", all_processes(), ids=lambda p: p.name_vi)
def test_every_action_is_refused_in_every_state_it_does_not_start_from(process) -> None:
    for action in process.actions():
        sources = {s for t in process.transitions if t.action == action for s in t.sources}
        for spec in process.states:
            if spec.code in sources:
                continue
            case = Case(CaseId("c"), process.kind, spec.code, opened_on=TODAY)
            with pytest.raises(WorkflowRefusal) as refused:
                process.apply(case, action, Role.HEAD, TODAY)
            expected = "terminal" if spec.terminal else "not permitted in this state"
            assert expected in refused.value.reason
            assert str(refused.value).startswith(f"cannot {action} while {spec.code}")


@pytest.mark.parametrize("process", all_processes(), ids=lambda p: p.name_vi)
def test_an_unknown_action_is_refused_never_ignored(process) -> None:
    state = process.opening.target
    case = Case(CaseId("c"), process.kind, state, opened_on=TODAY)
    with pytest.raises(WorkflowRefusal, match="no such action"):
        process.apply(case, "teleport", Role.HEAD, TODAY)


@pytest.mark.parametrize("process", all_processes(), ids=lambda p: p.name_vi)
def test_every_state_is_reachable_and_every_transition_names_known_states(process) -> None:
    codes = {s.code for s in process.states}
    reached = {process.opening.target}
    for t in process.transitions:
        assert set(t.sources) <= codes, t.action
        assert t.target in codes | {SAME, PREVIOUS}, t.action
        if t.target in codes:
            reached.add(t.target)
    assert reached == codes
    assert process.opening.sources == (NEW,)


@pytest.mark.parametrize("process", all_processes(), ids=lambda p: p.name_vi)
def test_every_form_and_timer_in_the_tables_exists_in_the_rules(process) -> None:
    from reception.domain.law.rulebook import default_rulebook

    rules = default_rulebook()
    for t in (process.opening, *process.transitions):
        assert set(t.forms) <= set(rules.form_ids()), t.action
        assert set(t.start) | set(t.stop) <= set(rules.limit_ids()), t.action
