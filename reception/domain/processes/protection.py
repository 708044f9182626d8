"""Denouncer protection (bảo vệ người tố cáo), docs/law.md §2.4.4; LTC Arts. 47-56.

Confidentiality of the denouncer's identity applies by default (LTC Art. 47(2)); this machine
covers the further measures (job, life, health, property, honour) requested and decided."""

from __future__ import annotations

from reception.domain.cases.case import ProcessKind
from reception.domain.law.guards import fact_given, fact_in
from reception.domain.law.workflow import NEW, SAME, Process, Role
from reception.domain.law.workflow import StateSpec as S
from reception.domain.law.workflow import Transition as T
from reception.domain.processes.common import CITIZEN, HEAD

DECIDERS = HEAD | {Role.POL}
STATES = (
    S("PR_REQUESTED", "Đề nghị bảo vệ"),
    S("PR_DECIDED", "Quyết định áp dụng biện pháp bảo vệ"),
    S("PR_REFUSED", "Không áp dụng biện pháp bảo vệ", terminal=True),
    S("PR_ACTIVE", "Đang bảo vệ"),
    S("PR_ENDED", "Chấm dứt bảo vệ", terminal=True),
)
# LTC Art. 54(2); the last ground added by L136 [M].
END_GROUNDS = ("conclusion_or_termination", "grounds_ceased", "protected_person_request",
               "deliberate_failure_of_obligations")  # fmt: skip

TRANSITIONS = (
    T(
        "§2.4.4",
        "decide",
        ("PR_REQUESTED",),
        "PR_DECIDED",
        DECIDERS,
        "LTC Arts. 47(3), 52",
        guards=(
            fact_in(
                "grounds",
                ("threatened_harm", "actual_harm", "retaliation"),
                "no LTC Art. 47(3) ground (threatened or actual harm, retaliation)",
            ),
        ),
        forms=("protection.decision",),
    ),
    T(
        "§2.4.4",
        "refuse",
        ("PR_REQUESTED",),
        "PR_REFUSED",
        DECIDERS,
        "LTC Art. 52",
        guards=(fact_given("reason", "a refusal states its reason"),),
    ),
    T("§2.4.4", "carry_out", ("PR_DECIDED",), "PR_ACTIVE", DECIDERS, "LTC Arts. 52, 55"),
    T(
        "§2.4.4",
        "modify",
        ("PR_ACTIVE",),
        SAME,
        DECIDERS,
        "LTC Art. 53",
        forms=("protection.change_decision",),
    ),
    T(
        "§2.4.4",
        "end",
        ("PR_DECIDED", "PR_ACTIVE"),
        "PR_ENDED",
        DECIDERS,
        "LTC Art. 54(2); L136",
        guards=(fact_in("ground", END_GROUNDS, "no LTC Art. 54(2) ground named"),),
        forms=("protection.end_decision",),
    ),
)
OPENING = T("§2.4.4", "request", (NEW,), "PR_REQUESTED", CITIZEN | HEAD, "LTC Art. 50",
            guards=(fact_given("request_ref", "a written request (or an emergency request "
                               "confirmed in writing later)"),))  # fmt: skip

PROTECTION = Process(ProcessKind.PROTECTION, "Bảo vệ người tố cáo", STATES, OPENING, TRANSITIONS)
