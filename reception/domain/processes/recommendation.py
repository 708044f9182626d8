"""The recommendation / reflection track (kiến nghị, phản ánh). docs/law.md gives no dedicated
procedure (§2.2.3 #16 "KN-PA track"), so this table is minimal and marked [L]: consider within
competence, reply or transfer; the P-1 processing limit serves as an alert (rule K-1)."""

from __future__ import annotations

from reception.domain.cases.case import ProcessKind
from reception.domain.law.guards import fact, fact_given
from reception.domain.law.workflow import NEW, Process
from reception.domain.law.workflow import StateSpec as S
from reception.domain.law.workflow import Transition as T
from reception.domain.processes.common import HEAD, STAFF

STATES = (
    S("K_RECEIVED", "Tiếp nhận kiến nghị, phản ánh", note="timer K-1 [L]"),
    S("K_CONSIDERING", "Xem xét, giải quyết"),
    S("K_ANSWERED", "Đã trả lời", terminal=True),
    S("K_TRANSFERRED", "Chuyển cơ quan có thẩm quyền", terminal=True),
)
TRANSITIONS = (
    T(
        "[L] KN-PA",
        "consider",
        ("K_RECEIVED",),
        "K_CONSIDERING",
        HEAD,
        "TT05 (presumed) [L]",
        guards=(fact("within_competence", "the content is not within competence"),),
    ),
    T(
        "[L] KN-PA",
        "transfer",
        ("K_RECEIVED",),
        "K_TRANSFERRED",
        STAFF,
        "LTCD Art. 26(2)(b)",
        guards=(fact("outside_competence", "the content is within competence"),),
        forms=("petition.forwarding_slip",),
    ),
    T(
        "[L] KN-PA",
        "answer",
        ("K_CONSIDERING",),
        "K_ANSWERED",
        HEAD,
        "TT05 (presumed) [L]",
        guards=(fact_given("answer_ref", "the written answer's reference"),),
        forms=("recommendation.reply",),
    ),
)
OPENING = T("[L] KN-PA", "receive", (NEW,), "K_RECEIVED", STAFF, "TT05 (presumed) [L]",
            start=("K-1",))  # fmt: skip

RECOMMENDATION = Process(ProcessKind.RECOMMENDATION, "Kiến nghị, phản ánh", STATES, OPENING,
                         TRANSITIONS)  # fmt: skip
