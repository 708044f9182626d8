"""Process 3: complaint resolution (giải quyết khiếu nại), docs/law.md §2.3.

Four tables from one declaration: instance 1 or 2 (lần đầu, lần hai) × administrative decision
or act (QĐHC, HVHC) or disciplinary decision (kỷ luật cán bộ, công chức, §1.4). The variants
differ in the timers (C-3/C-9 vs D-4, C-7 vs D-2, ...) and in dialogue (mandatory at instance 2
and for discipline, LKN Arts. 30, 39, 53, 55) — the rule ids below are data, not branches.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from reception.domain.cases.case import Case, ComplaintSubject, ProcessKind
from reception.domain.law.guards import case_is, fact, fact_given, fact_in
from reception.domain.law.workflow import NEW, PREVIOUS, SAME, Facts, Guard, Process
from reception.domain.law.workflow import Transition as T
from reception.domain.processes.common import (
    CITIZEN,
    HEAD,
    STAFF,
    SYSTEM,
    VERIFIER,
    expiry_window_open,
    has_marker,
    law_136_in_force,
    timer_expired,
    timer_open,
)
from reception.domain.processes.complaint_parts import (
    ACCEPTANCE_BARS,
    COMPLEXITY_CRITERIA,
    OPEN,
    PRE_DECISION,
    S_CHAIR,
    S_GROUP,
    S_NOTICE,
    S_NOTICE_DUE,
    S_ON_NOTICED_DAY,
    STATES,
    SUSPENSION_GROUNDS,
    TERMINATION_GROUNDS,
    clocks,
)


def _noticed_day(case: Case, facts: Facts) -> dict[str, object]:
    """The notice sets the dialogue's day; the dialogue is then held on it (S_ON_NOTICED_DAY)."""
    return {"dialogue_on": facts.get("dialogue_date")}


@cache
def complaint_process(subject: ComplaintSubject, instance: int) -> Process:
    k = clocks(subject, instance)
    admin_first = subject is ComplaintSubject.ADMINISTRATIVE and instance == 1
    dialogue_guard: tuple[Guard, ...] = (
        (fact("request_differs_from_verification",
              "instance 1: dialogue is held when the request and the verification differ"),)
        if admin_first else ()
    )  # fmt: skip
    timers_after_decision = tuple(x for x in (k.dispatch, k.effect, k.publication) if x)
    published_first = subject is ComplaintSubject.ADMINISTRATIVE and instance == 2
    rows = [
        T(
            "§2.3.5 #1",
            "accept",
            ("C_RECEIVED",),
            "C_ACCEPTED",
            HEAD,
            "LKN Arts. 27, 36; ND124 Art. 16(1)",
            guards=(
                fact("within_competence", "the complaint is not within competence"),
                fact_in(
                    "acceptance_bar",
                    ("none",),
                    "an LKN Art. 11 bar applies (state acceptance_bar='none' once checked)",
                ),
                S_GROUP,
            ),
            forms=("complaint.acceptance_notice",),
            start=(k.resolution,),
            stop=(k.acceptance,),
            update=lambda c, f: {
                "complex": c.complex or f.get("complex") is True,
                "remote": c.remote or f.get("remote") is True,
            },
        ),
        T(
            "§2.3.5 #2",
            "reject",
            ("C_RECEIVED",),
            "C_NOT_ACCEPTED",
            HEAD,
            "LKN Art. 11",
            guards=(fact_in("acceptance_bar", ACCEPTANCE_BARS, "no LKN Art. 11 bar named"),),
            forms=("complaint.non_acceptance_notice",),
        ),
        T(
            "§2.3.5 #6",
            "assign_verification",
            ("C_RECHECK",) if instance == 1 else ("C_ACCEPTED",),
            "C_VERIFYING",
            HEAD,
            "LKN Arts. 29(1)(b), 38",
            forms=("complaint.verification_assignment",),
        ),
        T(
            "§2.3.5 #7",
            "request_information",
            ("C_VERIFYING",),
            SAME,
            VERIFIER,
            "LKN Arts. 12(1)(đ), 13(2)(c)",
            start=("C-4",),
        ),
        T(
            "§2.3.5 #8",
            "report_verification",
            ("C_VERIFYING",),
            "C_VERIFIED",
            VERIFIER,
            "LKN Art. 29(4)",
            forms=("complaint.verification_report",),
            stop=("C-4",),
        ),
        T(
            "§2.3.5 #9",
            "notify_dialogue",
            ("C_VERIFIED",),
            "C_DIALOGUE_NOTIFIED",
            HEAD,
            "LKN Arts. 30, 39, 53, 55; ND124 Art. 28(1)",
            guards=(*dialogue_guard, S_NOTICE),
            forms=("complaint.dialogue_notice",),
            update=_noticed_day,
        ),
        T(
            "§2.3.5 #11",
            "hold_dialogue",
            ("C_DIALOGUE_NOTIFIED",),
            "C_DIALOGUE_DONE",
            HEAD,
            "ND124 Art. 28(2) (G-DLG)",
            guards=(S_ON_NOTICED_DAY, S_CHAIR),
            forms=("complaint.dialogue_minutes",),
        ),
        T(
            "§2.3.5 #12",
            "record_absence_without_reason",
            ("C_DIALOGUE_NOTIFIED",),
            "C_DIALOGUE_DONE",
            HEAD,
            "LKN Art. 30(6) as amended; ND124 Art. 28(5)",
            guards=(law_136_in_force("Continuing without the absent complainant"), S_ON_NOTICED_DAY),
            forms=("complaint.dialogue_minutes",),
        ),
        T(
            "§2.3.5 #13",
            "reschedule_dialogue",
            ("C_DIALOGUE_NOTIFIED",),
            SAME,
            HEAD,
            "ND124 Art. 28a",
            guards=(fact_given("valid_reason_evidence", "the valid reason must be evidenced"), S_NOTICE),
            forms=("complaint.dialogue_notice",),
            update=_noticed_day,
        ),
        T("§2.3.5 #14", "draft_decision", ("C_DIALOGUE_DONE",), "C_DRAFTING", HEAD, "LKN Art. 30(5)"),
        T(
            "§2.3.5 #15",
            "sign_decision",
            ("C_DRAFTING",),
            "C_DECIDED",
            HEAD,
            "LKN Arts. 6(3), 31, 40",
            forms=("complaint.decision",),
            stop=(k.resolution,),
            start=timers_after_decision,
            resolves=True,  # the resolution decision (LKN Arts. 28, 31, 37, 40)
        ),
        T(
            "§2.3.5 #16",
            "dispatch_decision",
            ("C_DECIDED",),
            "C_NOTIFIED",
            HEAD,
            "LKN Arts. 32, 41(1)",
            stop=tuple(x for x in (k.dispatch,) if x),
            start=tuple(x for x in (k.second_window,) if x),
        ),
        T(
            "§2.3.5 #17",
            "publish_decision",
            ("C_NOTIFIED",),
            "C_PUBLISHED",
            HEAD,
            "LKN Art. 41(2)-(3)",
            stop=tuple(x for x in (k.publication,) if x),
        ),
        T(
            "§2.3.5 #18",
            "await_effect",
            ("C_PUBLISHED",) if published_first else ("C_NOTIFIED", "C_PUBLISHED"),
            "C_AWAITING_EFFECT",
            SYSTEM,
            "LKN Art. 44",
        ),
        T(
            "§2.3.5 #21",
            "take_effect",
            ("C_AWAITING_EFFECT",),
            "C_EFFECTIVE",
            SYSTEM,
            "LKN Arts. 44, 57(1)",
            guards=(timer_expired((k.effect,), "the period before legal effect"),),
            stop=tuple(x for x in (k.effect, k.second_window) if x),
        ),
        T("§2.3.5 #22", "enforce", ("C_EFFECTIVE",), "C_ENFORCING", HEAD, "LKN Arts. 45-46"),
        T("§2.3.5 #22", "close", ("C_ENFORCING",), "C_CLOSED", HEAD, "LKN Arts. 45-46"),
        T("§2.3.5 #20", "file_lawsuit", OPEN, "C_IN_COURT", CITIZEN, "LKN Arts. 7, 11(9)"),
        T(
            "§2.3.5 #24",
            "suspend",
            PRE_DECISION,
            "C_SUSPENDED",
            HEAD,
            "LKN Art. 11a(1)",
            guards=(
                law_136_in_force("Suspension (tạm đình chỉ)"),
                fact_in("ground", SUSPENSION_GROUNDS, "no LKN Art. 11a(1) ground named"),
            ),
            forms=("complaint.suspension_decision",),
            start=("C-13",),
            pause=True,
        ),
        T(
            "§2.3.5 #25",
            "resume",
            ("C_SUSPENDED",),
            PREVIOUS,
            HEAD,
            "ND124 Art. 28b(2)",
            forms=("complaint.resumption_decision",),
            start=("C-14",),
            resume=True,
        ),
        T(
            "§2.3.5 #24-25",
            "send_suspension_notice",
            PRE_DECISION + ("C_SUSPENDED",),
            SAME,
            HEAD,
            "ND124 Art. 28b",
            guards=(S_NOTICE_DUE,),
            stop=("C-13", "C-14"),
        ),
        T(
            "§2.3.5 #26",
            "terminate",
            (*PRE_DECISION, "C_RECEIVED", "C_SUSPENDED"),
            "C_TERMINATED",
            HEAD,
            "LKN Art. 11a(2); ND124 Art. 7a(2)",
            guards=(
                law_136_in_force("Termination (đình chỉ)"),
                fact_in("ground", TERMINATION_GROUNDS, "no LKN Art. 11a(2) ground named"),
            ),
            forms=("complaint.termination_decision",),
            start=("C-13",),
        ),
        T(
            "§2.3.5 #27",
            "withdraw_partially",
            ("C_RECEIVED", *PRE_DECISION, "C_SUSPENDED"),
            SAME,
            CITIZEN,
            "LKN Arts. 2(3), 10 as amended",
            guards=(law_136_in_force("Partial withdrawal"), fact_given("item", "name the withdrawn item")),
            forms=("complaint.withdrawal_record",),
            update=lambda c, f: {"withdrawn_items": (*c.withdrawn_items, str(f["item"]))},
        ),
        T(
            "§2.3.5 #28",
            "member_withdraws",
            ("C_RECEIVED", *PRE_DECISION, "C_SUSPENDED"),
            SAME,
            CITIZEN,
            "ND124 Art. 7a(1)",
            guards=(case_is("group", "only a group complaint has members", lambda c: c.group_size > 1),),
            update=lambda c, f: {"group_size": c.group_size - 1},
        ),
        T(
            "§2.3.5 #30",
            "suspend_execution",
            PRE_DECISION,
            SAME,
            HEAD,
            "LKN Art. 35",
            guards=(fact("irreparable_harm", "executing the decision would not cause irreparable harm"),),
            forms=("complaint.emergency_suspension",),
            update=lambda c, f: {"markers": c.markers | {"EMERGENCY_SUSPENSION"}},
        ),
        T(
            "§2.3.5 #30",
            "lift_execution_suspension",
            OPEN,
            SAME,
            HEAD,
            "LKN Art. 35",
            guards=(has_marker("EMERGENCY_SUSPENSION"),),
            update=lambda c, f: {"markers": c.markers - {"EMERGENCY_SUSPENSION"}},
        ),
        T(
            "§2.3.3",
            "find_complex",
            PRE_DECISION + ("C_SUSPENDED",),
            SAME,
            HEAD,
            "ND124 Art. 3a",
            guards=(
                fact_given("finding_ref", "the complexity finding must be in writing"),
                fact_in("criterion", COMPLEXITY_CRITERIA, "no ND124 Art. 3a criterion named"),
            ),
            update=lambda c, f: {"complex": True},
        ),
    ]
    if instance == 1:
        rows += [
            T("§2.3.5 #4", "recheck", ("C_ACCEPTED",), "C_RECHECK", HEAD, "LKN Art. 29(1)"),
            T(
                "§2.3.5 #5",
                "decide_at_once",
                ("C_RECHECK",),
                "C_DRAFTING",
                HEAD,
                "LKN Art. 29(1)(a)",
                guards=(fact("clearly_correct", "the complaint is not clearly correct"),),
            ),
            T(
                "§2.3.5 #19",
                "file_second_complaint",
                ("C_AWAITING_EFFECT",),
                "C_ESCALATED",
                CITIZEN,
                "LKN Art. 33(1)",
                guards=(
                    timer_open(tuple(x for x in (k.second_window,) if x), "the second-complaint window"),
                    fact("first_decision_attached", "attach the first-time decision"),
                ),
                spawn=ProcessKind.COMPLAINT,
            ),
            T(
                "§2.3.5 #23",
                "file_second_complaint_overdue",
                PRE_DECISION + ("C_SUSPENDED",),
                "C_ESCALATED",
                CITIZEN,
                "LKN Arts. 33(1)(b), 20(2), 21(2), 23(2)-(3)",
                guards=(timer_expired((k.resolution,), "the first-time resolution period"),)
                # C-7b: 30 days (45 remote) from that expiry, as from a decision (LKN Art. 33(1))
                + ((expiry_window_open("C-7b", "the second-complaint window after the "
                                       "first-time period ended"),)
                   if k.second_window == "C-7" else ()),
                spawn=ProcessKind.COMPLAINT,
            ),
        ]
    if admin_first:
        rows.append(
            T(
                "§2.3.5 #10",
                "skip_dialogue",
                ("C_VERIFIED",),
                "C_DRAFTING",
                HEAD,
                "LKN Art. 30(1)",
                guards=(
                    fact(
                        "request_matches_verification",
                        "the request and the verification result differ: dialogue needed",
                    ),
                ),
            )
        )
    opening = T("§2.2.3 #4", "receive", (NEW,), "C_RECEIVED", STAFF,
                "LKN Arts. 8, 27, 36", start=(k.acceptance,),
                update=lambda c, f: {
                    "instance": instance, "subject": subject,
                    "group_size": int(f.get("group_size") or 1),  # type: ignore[arg-type]
                    "remote": f.get("remote") is True,
                    "forced_dismissal": f.get("forced_dismissal") is True})  # fmt: skip
    # Re-checking one's own decision and escalating exist only at the first instance.
    first_only = {"C_RECHECK", "C_ESCALATED"}
    states = STATES if instance == 1 else tuple(s for s in STATES if s.code not in first_only)
    codes = {s.code for s in states}
    rows = [replace(t, sources=tuple(x for x in t.sources if x in codes)) for t in rows]
    return Process(ProcessKind.COMPLAINT, f"Giải quyết khiếu nại lần {instance} ({subject})",
                   states, opening, tuple(rows))  # fmt: skip
