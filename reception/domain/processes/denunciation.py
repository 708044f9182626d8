"""Process 4: denunciation resolution (giải quyết tố cáo), docs/law.md §2.4; LTC Art. 28:
acceptance → verification → conclusion → handling. The denouncer-protection sub-machine is
in protection.py and runs in parallel as its own case."""

from __future__ import annotations

from reception.domain.cases.case import Case, ProcessKind
from reception.domain.law.guards import case_is, fact, fact_given, fact_in
from reception.domain.law.workflow import NEW, PREVIOUS, SAME, Facts, Guard, Process
from reception.domain.law.workflow import StateSpec as S
from reception.domain.law.workflow import Transition as T
from reception.domain.processes.common import (
    CITIZEN,
    HEAD,
    STAFF,
    SUPERIOR,
    VERIFIER,
    timer_expired,
    timer_running,
)

STATES = (
    S("T_RECEIVED", "Tiếp nhận, vào sổ", note="timer T-1"),
    S("T_INITIAL_CHECK", "Xử lý ban đầu; xác minh thông tin người tố cáo, điều kiện thụ lý"),
    S("T_NOT_PROCESSED", "Không xử lý theo Luật Tố cáo", terminal=True),
    S("T_TRANSFERRED", "Chuyển đơn", terminal=True),
    S("T_NOT_ACCEPTED", "Không thụ lý", terminal=True),
    S("T_CRIMINAL", "Chuyển CQĐT / VKS", terminal=True),
    S("T_ACCEPTED", "Quyết định thụ lý (Mẫu 04)", note="timer T-5"),
    S("T_VERIFYING", "Xác minh (Tổ xác minh, Mẫu 07)"),
    S("T_SUSPENDED", "Tạm đình chỉ", note="resolution clock paused"),
    S("T_TERMINATED", "Đình chỉ", terminal=True),
    S("T_CONCLUDED", "Kết luận nội dung tố cáo (Mẫu 12)"),
    S("T_HANDLING", "Xử lý kết luận"),
    S("T_PUBLICIZED", "Công khai"),
    S("T_MONITORING", "Theo dõi, đôn đốc thực hiện kết luận"),
    S("T_CLOSED", "Kết thúc", terminal=True),
    S("T_FURTHER", "Tố cáo tiếp (tại cấp trên)", terminal=True),
)
RESOLVING = ("T_ACCEPTED", "T_VERIFYING")
OPEN = ("T_RECEIVED", "T_INITIAL_CHECK", *RESOLVING, "T_SUSPENDED")
NOT_PROCESSED_GROUNDS = (  # LTC Arts. 24(3), 25
    "anonymous", "unidentifiable", "uses_another_name", "wrong_form",
    "sent_to_many_including_competent", "already_guided",
)  # fmt: skip
NOT_ACCEPTED_GROUNDS = ("form", "capacity", "competence", "no_basis", "resolver_of_own_complaint")
SUSPENSION_GROUNDS = ("awaiting_other_body", "awaiting_expert_examination")  # LTC Art. 34(1)
TERMINATION_GROUNDS = ("total_withdrawal", "denounced_died", "already_settled")  # LTC Art. 34(2)
FURTHER_OUTCOMES = ("wrong_authority", "re_resolve")  # LTC Art. 37(3)


def _extensions_left(case: Case) -> bool:
    allowed = 2 if case.especially_complex else 1 if case.complex else 0
    return len(case.extensions) < allowed


EXTENSIBLE = case_is(
    "extension_allowed",
    "extensions allowed: 1 if complex, 2 if especially complex (LTC Art. 30; ND31 Art. 3)",
    _extensions_left,
)


EXTENSION_DAYS = Guard(
    "extension_days",
    "an extension adds 1 to 30 days (LTC Art. 30)",
    lambda c, f, x: isinstance(f.get("days"), int) and 1 <= f["days"] <= 30,  # type: ignore[operator]
    needs=("days",),
    example={"days": 30},
)


def _extend(case: Case, facts: Facts) -> dict[str, object]:
    return {"extensions": (*case.extensions, facts["days"])}


def _complexity(case: Case, facts: Facts) -> dict[str, object]:
    """One criterion makes the case complex, two especially complex (ND31 Art. 3(2)). A later
    finding adds to the earlier ones, it does not withdraw them: complexity only goes up, so an
    extension already granted keeps its ground and the second one stays open."""
    criteria = facts.get("criteria") or ()
    count = len(criteria) if isinstance(criteria, tuple) else 0
    return {"complex": count >= 1 or case.complex,
            "especially_complex": count >= 2 or case.especially_complex}


TRANSITIONS = (
    T(
        "§2.4.3 #2",
        "start_initial_check",
        ("T_RECEIVED",),
        "T_INITIAL_CHECK",
        HEAD | VERIFIER,
        "LTC Arts. 24(1), 29(1)",
    ),
    T(
        "§2.4.3 #2",
        "checks_needed_elsewhere",
        ("T_RECEIVED", "T_INITIAL_CHECK"),
        SAME,
        HEAD,
        "LTC Art. 24(1); ND31 Art. 9(1)",
        guards=(case_is("first_time", "already marked", lambda c: "checks_elsewhere" not in c.markers),),
        update=lambda c, f: {"markers": c.markers | {"checks_elsewhere"}},
    ),
    T(
        "§2.4.3 #3-4",
        "not_process",
        ("T_INITIAL_CHECK",),
        "T_NOT_PROCESSED",
        HEAD,
        "LTC Arts. 24(3), 25; ND31 Art. 20",
        guards=(fact_in("ground", NOT_PROCESSED_GROUNDS, "no LTC Art. 24(3)/25 ground named"),),
    ),
    T(
        "§2.4.3 #5",
        "transfer",
        ("T_INITIAL_CHECK",),
        "T_TRANSFERRED",
        HEAD,
        "LTC Art. 24(2)",
        guards=(
            fact("outside_competence", "the denunciation is within competence"),
            case_is(
                "transferred_once",
                "a denunciation is transferred only once (TT05 Art. 14(1))",
                lambda c: c.transfers == 0,
            ),
        ),
        forms=("denunciation.transfer",),
        start=("T-2",),
        update=lambda c, f: {"transfers": c.transfers + 1},
    ),
    T(
        "§2.4.3 #6",
        "refer_criminal",
        ("T_INITIAL_CHECK", *RESOLVING),
        "T_CRIMINAL",
        HEAD,
        "LTC Art. 27(1)",
        guards=(fact("crime_signs", "no signs of a crime recorded"),),
        forms=("denunciation.criminal_referral",),
    ),
    T(
        "§2.4.3 #7",
        "apply_preventive_measures",
        OPEN,
        SAME,
        HEAD | SUPERIOR,
        "LTC Art. 27(2)",
        guards=(fact("ongoing_harm", "no ongoing harm recorded"),),
        update=lambda c, f: {"markers": c.markers | {"PREVENTIVE_MEASURES"}},
    ),
    T(
        "§2.4.3 #8",
        "not_accept",
        ("T_INITIAL_CHECK",),
        "T_NOT_ACCEPTED",
        HEAD,
        "LTC Arts. 24(1), 29(1)",
        guards=(fact_in("ground", NOT_ACCEPTED_GROUNDS, "no LTC Art. 29(1) failure named"),),
        forms=("denunciation.non_acceptance_notice",),
    ),
    T(
        "§2.4.3 #9",
        "accept",
        ("T_INITIAL_CHECK",),
        "T_ACCEPTED",
        HEAD,
        "LTC Art. 29",
        guards=(fact("conditions_met", "the conditions of LTC Art. 29(1)(a)-(d) are not met"),),
        forms=(
            "denunciation.acceptance_decision",
            "denunciation.acceptance_notice_denouncer",
            "denunciation.content_notice_denounced",
        ),
        start=("T-5", "T-4"),
        stop=("T-1",),
    ),
    T(
        "§2.4.3 #9",
        "send_acceptance_notices",
        RESOLVING,
        SAME,
        HEAD,
        "LTC Art. 29(3)",
        guards=(
            timer_running("T-4", "the notices were already sent"),
        ),
        stop=("T-4",),
    ),
    T(
        "§2.4.3 #10",
        "assign_verification",
        ("T_ACCEPTED",),
        "T_VERIFYING",
        HEAD,
        "LTC Art. 31(2); ND31 Art. 10(3)",
        guards=(
            fact(
                "no_conflict_of_interest",
                "a verifier is related to or has an interest with the denounced person",
            ),
        ),
        forms=("denunciation.verification_team",),
    ),
    T(
        "§2.4.3 #11",
        "request_expert_examination",
        ("T_VERIFYING",),
        SAME,
        HEAD | VERIFIER,
        "ND31 Art. 15 as amended",
        forms=("denunciation.expert_request",),
    ),
    T(
        "§2.4.3 #12",
        "report_verification",
        ("T_VERIFYING",),
        SAME,
        VERIFIER,
        "LTC Art. 31(4), (6)",
        guards=(
            fact(
                "denounced_heard", "the denounced person must be given the chance to explain (LTC Art. 31(4))"
            ),
        ),
        forms=("denunciation.verification_report",),
        update=lambda c, f: {"markers": c.markers | {"VERIFICATION_REPORTED"}},
    ),
    T(
        "§2.4.3 #13",
        "extend",
        RESOLVING,
        SAME,
        HEAD,
        "LTC Art. 30; ND31 Art. 3",
        guards=(EXTENSIBLE, EXTENSION_DAYS),
        forms=("denunciation.extension_decision",),
        update=_extend,
    ),
    T(
        "§2.3.3",
        "find_complex",
        RESOLVING,
        SAME,
        HEAD,
        "ND31 Art. 3(2)",
        guards=(fact_given("finding_ref", "the complexity finding must be in writing"),),
        update=_complexity,
    ),
    T(
        "§2.4.3 #14",
        "suspend",
        RESOLVING,
        "T_SUSPENDED",
        HEAD,
        "LTC Art. 34(1)",
        guards=(fact_in("ground", SUSPENSION_GROUNDS, "no LTC Art. 34(1) ground named"),),
        forms=("denunciation.suspension_decision",),
        start=("T-6",),
        pause=True,
    ),
    T(
        "§2.4.3 #15",
        "resume",
        ("T_SUSPENDED",),
        PREVIOUS,
        HEAD,
        "LTC Art. 34",
        forms=("denunciation.resumption_decision",),
        resume=True,
    ),
    T(
        "§2.4.3 #14-16",
        "send_suspension_notice",
        (*RESOLVING, "T_SUSPENDED"),
        SAME,
        HEAD,
        "LTC Art. 34",
        guards=(
            timer_running("T-6", "no suspension or termination decision awaits sending"),
        ),
        stop=("T-6",),
    ),
    T(
        "§2.4.3 #16",
        "terminate",
        (*RESOLVING, "T_SUSPENDED"),
        "T_TERMINATED",
        HEAD,
        "LTC Arts. 34(2), 54(2)(a)",
        guards=(fact_in("ground", TERMINATION_GROUNDS, "no LTC Art. 34(2) ground named"),),
        forms=("denunciation.termination_decision",),
        start=("T-6",),
    ),
    T(
        "§2.4.3 #17",
        "withdraw",
        OPEN,
        SAME,
        CITIZEN,
        "LTC Art. 33; ND31 Art. 4 as amended",
        guards=(fact_given("withdrawal_ref", "withdrawal by letter (Mẫu 02) or minutes (Mẫu 03)"),),
        forms=("denunciation.withdrawal_letter",),
        update=lambda c, f: {"withdrawn_items": (*c.withdrawn_items, str(f["withdrawal_ref"]))},
    ),
    T(
        "§2.4.3 #19",
        "conclude",
        ("T_VERIFYING",),
        "T_CONCLUDED",
        HEAD,
        "LTC Art. 35",
        guards=(
            case_is(
                "verification reported",
                "no verification report filed",
                lambda c: "VERIFICATION_REPORTED" in c.markers,
            ),
        ),
        forms=("denunciation.conclusion",),
        stop=("T-5",),
        start=("T-7", "T-8", "T-10"),
        resolves=True,  # the conclusion resolves the denunciation (LTC Art. 35)
    ),
    T(
        "§2.4.3 #19",
        "send_conclusion",
        ("T_CONCLUDED", "T_HANDLING"),
        SAME,
        HEAD,
        "LTC Art. 35(3)",
        stop=("T-7",),
    ),
    T("§2.4.3 #20", "handle_conclusion", ("T_CONCLUDED",), "T_HANDLING", HEAD, "LTC Art. 36", stop=("T-8",)),
    T(
        "§2.4.3 #21",
        "publicize",
        ("T_HANDLING",),
        "T_PUBLICIZED",
        HEAD,
        "LTC Art. 40",
        guards=(
            fact("denouncer_redacted", "publication must not reveal the denouncer (LTC Arts. 8(3), 40)"),
        ),
        stop=("T-10",),
    ),
    T("§2.4.3 #22", "monitor", ("T_PUBLICIZED",), "T_MONITORING", HEAD, "LTC Art. 36(3)", start=("T-9",)),
    T("§2.4.3 #22", "close", ("T_MONITORING",), "T_CLOSED", HEAD, "LTC Art. 36"),
    T(
        "§2.4.3 #23a",
        "receive_report_request",
        (*RESOLVING, "T_SUSPENDED"),
        SAME,
        STAFF,
        "LTC Art. 38; ND31 Art. 5",
        guards=(
            # The superior asks for a report on an overdue denunciation only (LTC Art. 38).
            timer_expired(("T-5",), "the denunciation's resolution period"),
            case_is(
                "no report pending",
                "a report request already awaits its report",
                lambda c: not any(t.rule_id == "T-12b" for t in c.running_timers),
            ),
        ),
        start=("T-12b",),  # the resolver reports within 5 working days of the request
    ),
    T(
        "§2.4.3 #23a",
        "report_to_superior",
        (*RESOLVING, "T_SUSPENDED"),
        SAME,
        HEAD,
        "LTC Art. 38; ND31 Art. 5",
        guards=(
            timer_running("T-12b", "no superior's request awaits a report"),
        ),
        stop=("T-12b",),  # and goes on resolving: the report does not end the case
    ),
    T(
        "§2.4.3 #23/25",
        "overdue_further_denunciation",
        (*RESOLVING, "T_SUSPENDED"),
        "T_FURTHER",
        SUPERIOR,
        "LTC Art. 38; ND31 Art. 5",
        guards=(
            # Only an overdue denunciation: the resolution period T-5 (extensions included,
            # suspension not counted) has passed (LTC Art. 38; docs/law.md §2.4.3 #23/#25).
            timer_expired(("T-5",), "the denunciation's resolution period"),
            fact(
                "takeover_grounds",
                "takeover needs serious violations or a resolver lacking objectivity (ND31 Art. 5(2))",
            ),
        ),
        spawn=ProcessKind.DENUNCIATION,
    ),
)

OPENING = T("§2.4.3 #1", "receive", (NEW,), "T_RECEIVED", STAFF, "LTC Arts. 23, 24",
            start=("T-1",),
            update=lambda c, f: {"complex": f.get("complex") is True,
                                 "especially_complex": f.get("especially_complex") is True,
                                 "identity_protection_waived":
                                     f.get("identity_protection_waived") is True})  # fmt: skip

DENUNCIATION = Process(ProcessKind.DENUNCIATION, "Giải quyết tố cáo", STATES, OPENING,
                       TRANSITIONS)  # fmt: skip
