"""Whole cases walked through their statute, with status read at chosen dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from reception.domain.cases.case import CaseId, ComplaintSubject
from reception.domain.cases.status import case_status
from reception.domain.law.errors import WorkflowRefusal
from reception.domain.law.events import CaseSpawned, EventRecorded, FormIssued
from reception.domain.law.rulebook import Confidence
from reception.domain.law.workflow import Role
from reception.domain.processes.complaint import complaint_process
from reception.domain.processes.denunciation import DENUNCIATION

D = date
FIRST = complaint_process(ComplaintSubject.ADMINISTRATIVE, 1)


ACCEPTED_ON = D(2026, 8, 3)


def _accepted(on: date = ACCEPTED_ON):  # type: ignore[no-untyped-def]
    case, _ = FIRST.open(CaseId("kn-1"), Role.PH, D(2026, 7, 30))
    case, effects = FIRST.apply(case, "accept", Role.HEAD, on, within_competence=True,
                                acceptance_bar="none")  # fmt: skip
    return case, effects


def test_acceptance_issues_form_03_and_starts_the_thirty_day_clock() -> None:
    case, effects = _accepted()
    forms = [e.form for e in effects if isinstance(e, FormIssued)]
    assert [(f.code, f.confidence) for f in forms] == [("Mẫu 03", Confidence.M)]
    status = case_status(case, D(2026, 8, 10))
    (resolution,) = status.obligations
    assert (resolution.deadline.rule_id, resolution.deadline.due) == ("C-3", D(2026, 9, 3))
    assert resolution.days_left == 24 and not resolution.overdue


def test_overdue_is_computed_from_today_and_opens_the_second_complaint() -> None:
    case, _ = _accepted()
    assert not case_status(case, D(2026, 9, 3)).overdue
    late = case_status(case, D(2026, 9, 4))
    assert [o.deadline.rule_id for o in late.overdue] == ["C-3"]
    citizen = [a.action for a in late.actions[Role.CIT]]
    assert "file_second_complaint_overdue" in citizen
    with pytest.raises(WorkflowRefusal, match="has not yet expired"):
        FIRST.apply(case, "file_second_complaint_overdue", Role.CIT, D(2026, 9, 3))
    escalated, effects = FIRST.apply(case, "file_second_complaint_overdue", Role.CIT,
                                     D(2026, 9, 4))  # fmt: skip
    assert escalated.state == "C_ESCALATED"
    assert any(isinstance(e, CaseSpawned) for e in effects)


def test_the_second_complaint_after_an_unresolved_first_has_its_own_window() -> None:
    """LKN Art. 33(1)(b): with no decision by the end of C-3 (3/9/2026), the complainant has 30
    days from its expiry (4/9, not counted: BLDS Art. 147): to 4/10, a Sunday, so 5/10
    (Art. 148). It is theirs: a date on the case, never the office's overdue."""
    case, _ = _accepted()
    assert [o.deadline.rule_id for o in case_status(case, D(2026, 9, 3)).dates] == []
    status = case_status(case, D(2026, 9, 20))
    (window,) = [o for o in status.dates if o.deadline.rule_id == "C-7b"]
    assert (window.deadline.trigger, window.day, window.overdue) == (D(2026, 9, 4), D(2026, 10, 5),
                                                                     False)
    assert window.deadline.article == "LKN Art. 33(1)"
    assert "C-7b" not in [o.deadline.rule_id for o in status.obligations]
    FIRST.apply(case, "file_second_complaint_overdue", Role.CIT, D(2026, 10, 5))
    late = case_status(case, D(2026, 10, 6))
    assert "file_second_complaint_overdue" not in [a.action for a in late.actions.get(Role.CIT, ())]
    with pytest.raises(WorkflowRefusal, match="within C-7b"):
        FIRST.apply(case, "file_second_complaint_overdue", Role.CIT, D(2026, 10, 6))
    # A remote area: C-3 is 45 days (to 17/9), and the window 45 days from 18/9.
    remote = replace(case, remote=True)
    (far,) = [o for o in case_status(remote, D(2026, 9, 20)).dates if o.deadline.rule_id == "C-7b"]
    assert (far.deadline.trigger, far.day) == (D(2026, 9, 18), D(2026, 11, 2))


def test_a_suspension_pauses_the_clock_and_resumption_restarts_it() -> None:
    case, _ = _accepted(D(2026, 8, 1))
    case, _ = FIRST.apply(case, "suspend", Role.HEAD, D(2026, 8, 25), ground="awaiting_other_body")
    paused = case_status(case, D(2026, 9, 30))
    assert paused.suspended
    by_rule = {o.deadline.rule_id: o for o in paused.obligations}
    assert by_rule["C-3"].paused and not by_rule["C-3"].overdue
    assert [o.deadline.rule_id for o in paused.overdue] == ["C-13"]  # Mẫu 14a never sent
    case, _ = FIRST.apply(case, "resume", Role.HEAD, D(2026, 9, 5))
    assert case.state == "C_ACCEPTED" and case.previous_state is None
    due = {o.deadline.rule_id: o.deadline.due for o in case_status(case, D(2026, 9, 5)).obligations}
    assert due["C-3"] == D(2026, 9, 10)


def test_suspension_did_not_exist_before_law_136() -> None:
    case, _ = _accepted(D(2026, 6, 1))
    with pytest.raises(WorkflowRefusal, match="only from 1/7/2026"):
        FIRST.apply(case, "suspend", Role.HEAD, D(2026, 6, 20), ground="awaiting_other_body")


def test_a_complexity_finding_after_acceptance_recomputes_from_the_acceptance_date() -> None:
    case, _ = _accepted(D(2026, 7, 1))
    case, _ = FIRST.apply(case, "find_complex", Role.HEAD, D(2026, 7, 20), finding_ref="BB-1",
                          criterion="b")  # fmt: skip
    (o,) = case_status(case, D(2026, 7, 20)).obligations
    assert o.deadline.due == D(2026, 8, 17) and o.deadline.period == 45


def test_a_case_is_rebuilt_identically_from_its_event_history() -> None:
    case, effects = FIRST.open(CaseId("kn-2"), Role.PH, D(2026, 7, 30), group_size=6)
    events = [effects[0].event]  # type: ignore[union-attr]
    steps = [
        ("accept", Role.HEAD, D(2026, 8, 3),
         {"within_competence": True, "acceptance_bar": "none", "representatives_appointed": True}),
        ("recheck", Role.HEAD, D(2026, 8, 4), {}),
        ("assign_verification", Role.HEAD, D(2026, 8, 5), {}),
        ("member_withdraws", Role.CIT, D(2026, 8, 6), {}),
        ("report_verification", Role.VER, D(2026, 8, 20), {}),
        ("notify_dialogue", Role.HEAD, D(2026, 8, 21),
         {"request_differs_from_verification": True, "dialogue_date": D(2026, 8, 28)}),
    ]  # fmt: skip
    for action, role, on, facts in steps:
        case, effects = FIRST.apply(case, action, role, on, **facts)
        assert isinstance(effects[0], EventRecorded)
        events.append(effects[0].event)
    assert FIRST.replay(CaseId("kn-2"), events) == case
    assert case.group_size == 5 and case.version == len(events)


def test_replay_re_performs_recorded_steps_without_judging_them_again() -> None:
    """A second complaint filed inside the window counted from the complainant's receipt (LKN
    Art. 33(1)) stays in the history even though, counted from the dispatch the engine knows,
    that window had closed: the recorded step is a fact (Process.replay)."""

    from reception.domain.cases.receipt import counted_from_receipt

    case, effects = FIRST.open(CaseId("kn-r"), Role.PH, D(2026, 8, 3))
    events = [effects[0].event]  # type: ignore[union-attr]
    for action, on, facts in (
        ("accept", D(2026, 8, 5), {"within_competence": True, "acceptance_bar": "none"}),
        ("recheck", D(2026, 8, 5), {}),
        ("decide_at_once", D(2026, 8, 6), {"clearly_correct": True}),
        ("sign_decision", D(2026, 8, 10), {}),
        ("dispatch_decision", D(2026, 8, 10), {}),
        ("await_effect", D(2026, 9, 20), {}),
    ):
        case, effects = FIRST.apply(case, action, Role.SYS if action == "await_effect" else Role.HEAD,
                                    on, **facts)
        events.append(effects[0].event)  # type: ignore[union-attr]
    with pytest.raises(WorkflowRefusal, match="second-complaint window"):
        FIRST.apply(case, "file_second_complaint", Role.CIT, D(2026, 9, 20), first_decision_attached=True)
    received = counted_from_receipt(case, D(2026, 8, 25))  # as services rebuild it
    escalated, effects = FIRST.apply(received, "file_second_complaint", Role.CIT, D(2026, 9, 20),
                                     first_decision_attached=True)
    events.append(effects[0].event)  # type: ignore[union-attr]
    replayed = FIRST.replay(CaseId("kn-r"), events)
    assert replayed.state == "C_ESCALATED" and not replayed.running_timers
    forged = replace(events[-1], from_state="C_NOTIFIED")
    with pytest.raises(WorkflowRefusal, match="history says"):
        FIRST.replay(CaseId("kn-r"), [*events[:-1], forged])


def test_the_complainant_s_window_and_the_effect_day_are_dates_not_obligations() -> None:
    """After the decision is sent, C-7 (the complainant's, LKN Art. 33(1)) and C-8 (the day the
    decision takes effect, LKN Art. 44(1)) run, but neither is the office's overdue."""
    case, _ = _accepted(D(2026, 8, 5))
    for action in ("recheck", "decide_at_once", "sign_decision", "dispatch_decision", "publish_decision"):
        case, _ = FIRST.apply(case, action, Role.HEAD, D(2026, 8, 10), clearly_correct=True)
    status = case_status(case, D(2026, 12, 1))
    assert status.obligations == () and status.overdue == ()
    dates = {o.deadline.rule_id: o for o in status.dates}
    assert set(dates) == {"C-7", "C-8"} and not any(o.overdue for o in dates.values())
    assert dates["C-7"].day == D(2026, 9, 9)  # counted from the dispatch until a receipt is recorded
    assert (dates["C-8"].deadline.due, dates["C-8"].day) == (D(2026, 9, 9), D(2026, 9, 10))


def test_only_the_resolution_decision_resolves_the_case() -> None:
    """Reaching a terminal state stops every clock, but a lawsuit resolves nothing (LKN
    Art. 7); the signed decision does (LKN Arts. 28, 31), naming the clock it is measured by."""
    from reception.domain.law.events import CaseResolved

    case, _ = _accepted()
    _, sued = FIRST.apply(case, "file_lawsuit", Role.CIT, D(2026, 8, 10))
    assert not any(isinstance(e, CaseResolved) for e in sued)
    for action in ("recheck", "decide_at_once"):
        case, _ = FIRST.apply(case, action, Role.HEAD, D(2026, 8, 10), clearly_correct=True)
    _, signed = FIRST.apply(case, "sign_decision", Role.HEAD, D(2026, 8, 20))
    assert [e for e in signed if isinstance(e, CaseResolved)] == [CaseResolved(("C-3",))]


def test_a_group_of_five_is_not_accepted_without_appointed_representatives() -> None:
    case, _ = FIRST.open(CaseId("kn-3"), Role.PH, D(2026, 7, 30), group_size=5)
    with pytest.raises(WorkflowRefusal, match="group_representatives"):
        FIRST.apply(case, "accept", Role.HEAD, D(2026, 8, 3), within_competence=True,
                    acceptance_bar="none")  # fmt: skip


def test_the_dialogue_notice_must_precede_the_dialogue_by_five_days() -> None:
    second = complaint_process(ComplaintSubject.ADMINISTRATIVE, 2)
    case, _ = second.open(CaseId("kn-4"), Role.PH, D(2026, 8, 1))
    case, _ = second.apply(case, "accept", Role.HEAD, D(2026, 8, 3), within_competence=True,
                           acceptance_bar="none")  # fmt: skip
    case, _ = second.apply(case, "assign_verification", Role.HEAD, D(2026, 8, 4))
    case, _ = second.apply(case, "report_verification", Role.VER, D(2026, 8, 20))
    with pytest.raises(WorkflowRefusal, match="dialogue_notice_5_days"):
        second.apply(
            case, "notify_dialogue", Role.HEAD, D(2026, 9, 7), dialogue_date=D(2026, 9, 10)
        )  # 5/9 is Sat: latest notice day Fri 4/9
    case, _ = second.apply(case, "notify_dialogue", Role.HEAD, D(2026, 9, 4),
                           dialogue_date=D(2026, 9, 10))  # fmt: skip
    assert "skip_dialogue" not in [a.action for a in second.allowed_actions(case, Role.HEAD, D(2026, 9, 4))]


def test_denunciation_extensions_are_limited_by_complexity() -> None:
    case, _ = DENUNCIATION.open(CaseId("tc-1"), Role.PH, D(2026, 7, 1), complex=True)
    case, _ = DENUNCIATION.apply(case, "start_initial_check", Role.HEAD, D(2026, 7, 2))
    case, _ = DENUNCIATION.apply(case, "accept", Role.HEAD, D(2026, 7, 1 + 2),
                                 conditions_met=True)  # fmt: skip
    case, _ = DENUNCIATION.apply(case, "extend", Role.HEAD, D(2026, 7, 30), days=30)
    with pytest.raises(WorkflowRefusal, match="extension_allowed"):
        DENUNCIATION.apply(case, "extend", Role.HEAD, D(2026, 8, 30), days=30)
    case, _ = DENUNCIATION.apply(case, "find_complex", Role.HEAD, D(2026, 8, 1),
                                 finding_ref="BB-2", criteria=("a", "b"))  # fmt: skip
    case, _ = DENUNCIATION.apply(case, "extend", Role.HEAD, D(2026, 8, 30), days=30)
    due = {o.deadline.rule_id: o.deadline.due for o in case_status(case, D(2026, 9, 1)).obligations}
    assert due["T-5"] == D(2026, 10, 1)  # accepted Fri 3/7 + 30 + 30 + 30 days = Thu 1/10


def test_a_later_complexity_finding_does_not_downgrade_an_especially_complex_case() -> None:
    """Two criteria (ND31 Art. 3(2)) allow two extensions; a later finding naming one more
    criterion adds to them instead of withdrawing the second extension."""
    case, _ = DENUNCIATION.open(CaseId("tc-2"), Role.PH, D(2026, 10, 1))
    case, _ = DENUNCIATION.apply(case, "start_initial_check", Role.HEAD, D(2026, 10, 2))
    case, _ = DENUNCIATION.apply(case, "accept", Role.HEAD, D(2026, 10, 12), conditions_met=True)
    case, _ = DENUNCIATION.apply(case, "find_complex", Role.HEAD, D(2026, 10, 13),
                                 finding_ref="BB-01", criteria=("a", "b"))
    assert case.especially_complex
    case, _ = DENUNCIATION.apply(case, "extend", Role.HEAD, D(2026, 11, 5), days=30)
    case, _ = DENUNCIATION.apply(case, "find_complex", Role.HEAD, D(2026, 11, 6),
                                 finding_ref="BB-02", criteria=("c",))
    assert case.complex and case.especially_complex
    case, _ = DENUNCIATION.apply(case, "extend", Role.HEAD, D(2026, 11, 7), days=30)
    assert case.extensions == (30, 30)


def test_a_superior_takes_over_a_denunciation_only_once_it_is_overdue() -> None:
    """LTC Art. 38: "quá thời hạn quy định mà chưa được giải quyết". Accepted 5/10, T-5 due 4/11."""
    case, _ = DENUNCIATION.open(CaseId("tc-3"), Role.PH, D(2026, 10, 1))
    case, _ = DENUNCIATION.apply(case, "start_initial_check", Role.HEAD, D(2026, 10, 2))
    case, _ = DENUNCIATION.apply(case, "accept", Role.HEAD, D(2026, 10, 5), conditions_met=True)
    (t5,) = [o for o in case_status(case, D(2026, 10, 6)).obligations if o.deadline.rule_id == "T-5"]
    assert t5.deadline.due == D(2026, 11, 4)
    assert "overdue_further_denunciation" not in [
        a.action for a in DENUNCIATION.allowed_actions(case, Role.SUP, D(2026, 10, 6))]
    with pytest.raises(WorkflowRefusal, match="T-5 expired"):
        DENUNCIATION.apply(case, "overdue_further_denunciation", Role.SUP, D(2026, 11, 4),
                           takeover_grounds=True)
    taken, _ = DENUNCIATION.apply(case, "overdue_further_denunciation", Role.SUP, D(2026, 11, 5),
                                  takeover_grounds=True)
    assert taken.state == "T_FURTHER"


def test_the_resolver_of_an_overdue_denunciation_reports_to_the_superior_within_five_working_days(
) -> None:
    """LTC Art. 38, ND31 Art. 5 (T-12, its second step): the superior asks the resolver of an
    overdue denunciation for a report; the resolver reports within 5 working days of the
    request and goes on resolving. Accepted 5/10, T-5 due 4/11; the request arrives Fri 6/11:
    the report is due Fri 13/11 (Sat and Sun not counted)."""
    case, _ = DENUNCIATION.open(CaseId("tc-4"), Role.PH, D(2026, 10, 1))
    case, _ = DENUNCIATION.apply(case, "start_initial_check", Role.HEAD, D(2026, 10, 2))
    case, _ = DENUNCIATION.apply(case, "accept", Role.HEAD, D(2026, 10, 5), conditions_met=True)
    with pytest.raises(WorkflowRefusal, match="T-5 expired"):  # asked of an overdue one only
        DENUNCIATION.apply(case, "receive_report_request", Role.PH, D(2026, 11, 4))
    with pytest.raises(WorkflowRefusal, match="T-12b running"):  # nothing asked, nothing due
        DENUNCIATION.apply(case, "report_to_superior", Role.HEAD, D(2026, 11, 5))
    asked, _ = DENUNCIATION.apply(case, "receive_report_request", Role.PH, D(2026, 11, 6))
    with pytest.raises(WorkflowRefusal, match="no report pending"):
        DENUNCIATION.apply(asked, "receive_report_request", Role.PH, D(2026, 11, 9))
    report = {o.deadline.rule_id: o for o in case_status(asked, D(2026, 11, 16)).obligations}
    assert report["T-12b"].deadline.due == D(2026, 11, 13) and report["T-12b"].overdue
    assert report["T-12b"].deadline.article == "LTC Art. 38; ND31 Art. 5"
    reported, _ = DENUNCIATION.apply(asked, "report_to_superior", Role.HEAD, D(2026, 11, 12))
    assert reported.state == asked.state == "T_ACCEPTED"  # the report ends nothing
    assert "T-12b" not in [t.rule_id for t in reported.running_timers]
    assert "T-5" in [t.rule_id for t in reported.running_timers]


def test_a_terminal_case_offers_no_actions_and_refuses_all() -> None:
    case, _ = FIRST.open(CaseId("kn-5"), Role.PH, D(2026, 7, 30))
    case, _ = FIRST.apply(case, "reject", Role.HEAD, D(2026, 8, 3), acceptance_bar="time_barred")
    status = case_status(case, D(2026, 8, 4))
    assert status.closed and status.actions == {} and status.obligations == ()
