"""Process 2: petition handling (xử lý đơn), docs/law.md §2.2; TT05/2021 (TT 07/2014 predecessor).

Classification is split into one action per content type because each starts its own clock
(P-5 for complaints, P-2 for denunciations), all counted from receipt (§4.3)."""

from __future__ import annotations

from reception.domain.cases.case import ProcessKind
from reception.domain.law.guards import case_is, fact, fact_in, fact_not
from reception.domain.law.workflow import NEW, SAME, Guard, Process, Role
from reception.domain.law.workflow import StateSpec as S
from reception.domain.law.workflow import Transition as T
from reception.domain.processes.common import HEAD, STAFF

HANDLER = frozenset({Role.PH})
HANDLER_HEAD = HANDLER | HEAD
STATES = (
    S("P_RECEIVED", "Tiếp nhận, vào sổ / cập nhật CSDL", note="timers P-1, R-9"),
    S("P_CLASSIFYING", "Phân loại"),
    S("P_NOT_ELIGIBLE", "Đơn không đủ điều kiện xử lý → lưu đơn", terminal=True),
    S("P_PROPOSED_ACCEPT", "Đề xuất thụ lý (TT05 Mẫu 01)", terminal=True),
    S("P_COMPLAINT_NOT_ACCEPTABLE_REPLY", "Trả lời khiếu nại không đủ điều kiện thụ lý", terminal=True),
    S("P_GUIDED", "Hướng dẫn (khiếu nại không thuộc thẩm quyền)", terminal=True),
    S("P_RETURNED_TO_FORWARDER", "Trả lại đơn cho cơ quan chuyển đơn", terminal=True),
    S("P_TRANSFERRED", "Chuyển đơn (tố cáo / kiến nghị, phản ánh)", terminal=True),
    S("P_URGED_LOWER", "Đôn đốc cấp dưới", terminal=True),
    S("P_SPLIT_GUIDED", "Hướng dẫn tách đơn", terminal=True),
    S("P_PARTY_REFERRAL", "Chuyển cơ quan Đảng", terminal=True),
    S("P_CRIMINAL_REFERRAL", "Chuyển CQĐT / VKS", terminal=True),
    S("P_ANON_INFO", "Thông tin có nội dung tố cáo", terminal=True),
)
# TT 07/2014 Art. 6(2) [H predecessor]; TT05 Art. 6 [M].
NOT_ELIGIBLE_GROUNDS = (
    "E1_language", "E2_identity_or_signature", "E3_content", "E4_already_processed",
    "sent_to_several_including_competent", "already_guided_once", "prohibited_content",
    "illegible",
)  # fmt: skip
KN, TC, KNPA, MIXED = "content:KN", "content:TC", "content:KNPA", "content:mixed"


def _is(marker: str, what: str) -> Guard:
    return case_is(marker, f"the petition is not classified as {what}", lambda c: marker in c.markers)


def _classify(marker: str, ref: str, start: tuple[str, ...]) -> T:
    return T(ref, f"classify_{marker.split(':')[1].lower()}", ("P_RECEIVED",), "P_CLASSIFYING",
             HANDLER, "TT05 Art. 6", start=start,
             update=lambda c, f: {"markers": c.markers | {marker}})  # fmt: skip


WITHIN = fact("within_competence", "the petition is not within competence")
OUTSIDE = fact("outside_competence", "the petition is within competence")

TRANSITIONS = (
    _classify(KN, "§2.2.3 #2", ("P-5",)),
    _classify(TC, "§2.2.3 #2", ("P-2",)),
    _classify(KNPA, "§2.2.3 #2", ()),
    _classify(MIXED, "§2.2.3 #2", ()),
    T(
        "§2.2.3 #3",
        "file_not_eligible",
        ("P_CLASSIFYING",),
        "P_NOT_ELIGIBLE",
        HANDLER,
        "TT05 Art. 6; TT 07/2014 Art. 6(2)",
        guards=(fact_in("ground", NOT_ELIGIBLE_GROUNDS, "no eligibility failure (E1-E4) named"),),
        start=("P-7",),
    ),
    T(
        "§2.2.3 #4",
        "propose_complaint_acceptance",
        ("P_CLASSIFYING",),
        "P_PROPOSED_ACCEPT",
        HANDLER_HEAD,
        "LKN Art. 27; TT05",
        guards=(_is(KN, "a complaint"), WITHIN),
        forms=("petition.acceptance_proposal",),
        spawn=ProcessKind.COMPLAINT,
    ),
    T(
        "§2.2.3 #5",
        "reply_not_acceptable",
        ("P_CLASSIFYING",),
        "P_COMPLAINT_NOT_ACCEPTABLE_REPLY",
        HANDLER_HEAD,
        "LKN Art. 11; ND124 Art. 16",
        guards=(_is(KN, "a complaint"), WITHIN, fact("art11_bar", "no LKN Art. 11 bar applies")),
        forms=("complaint.non_acceptance_notice",),
    ),
    T(
        "§2.2.3 #6-7",
        "guide_complainant",
        ("P_CLASSIFYING",),
        "P_GUIDED",
        HANDLER,
        "TT 07/2014 Art. 8",
        guards=(
            _is(KN, "a complaint"),
            OUTSIDE,
            fact_not("already_guided", "guidance is given once only"),
            fact_not("forwarded", "a forwarded complaint is returned to the forwarder"),
        ),
        forms=("petition.guidance",),
    ),
    T(
        "§2.2.3 #6",
        "return_to_forwarder",
        ("P_CLASSIFYING",),
        "P_RETURNED_TO_FORWARDER",
        HANDLER,
        "TT 07/2014 Art. 8",
        guards=(_is(KN, "a complaint"), OUTSIDE, fact("forwarded", "only a forwarded complaint is returned")),
        forms=("petition.return_to_forwarder",),
    ),
    T(
        "§2.2.3 #10",
        "propose_denunciation_acceptance",
        ("P_CLASSIFYING",),
        "P_PROPOSED_ACCEPT",
        HANDLER_HEAD,
        "LTC Art. 29(1); TT05",
        guards=(_is(TC, "a denunciation"), WITHIN),
        forms=("petition.acceptance_proposal",),
        spawn=ProcessKind.DENUNCIATION,
    ),
    T(
        "§2.2.3 #11",
        "transfer_denunciation",
        ("P_CLASSIFYING",),
        "P_TRANSFERRED",
        HANDLER_HEAD,
        "LTC Arts. 24(2), 56; TT05 Art. 14",
        guards=(
            _is(TC, "a denunciation"),
            OUTSIDE,
            fact_not("already_transferred", "a denunciation is transferred only once"),
            fact("denouncer_identity_redacted", "redact the denouncer's identity (LTC Art. 56)"),
        ),
        forms=("petition.denunciation_transfer",),
        start=("P-3",),
    ),
    T(
        "§2.2.3 #12",
        "urge_lower_body",
        ("P_CLASSIFYING",),
        "P_URGED_LOWER",
        HANDLER_HEAD,
        "LTC Art. 38; TT05 Art. 14(2)",
        guards=(_is(TC, "a denunciation"), fact("lower_body_overdue", "the lower body is not overdue")),
        forms=("petition.urge_lower",),
    ),
    T(
        "§2.2.3 #13",
        "report_urgent",
        ("P_RECEIVED", "P_CLASSIFYING"),
        SAME,
        HANDLER_HEAD,
        "TT05 Art. 16; LTC Art. 27(2)",
        guards=(fact("serious_harm", "no serious or irreparable harm recorded"),),
        update=lambda c, f: {"markers": c.markers | {"URGENT_REPORTED"}},
    ),
    T(
        "§2.2.3 #14",
        "refer_criminal",
        ("P_CLASSIFYING",),
        "P_CRIMINAL_REFERRAL",
        HANDLER_HEAD,
        "LTC Art. 27(1)",
        guards=(fact("crime_signs", "no signs of a crime recorded"),),
        forms=("denunciation.criminal_referral",),
    ),
    T(
        "§2.2.3 (TT05 Art. 15)",
        "refer_party",
        ("P_CLASSIFYING",),
        "P_PARTY_REFERRAL",
        HANDLER_HEAD,
        "TT05 Art. 15",
        guards=(_is(TC, "a denunciation"), fact("party_rules_breach", "not a Party-rule breach")),
    ),
    T(
        "§2.2.2",
        "record_anonymous_information",
        ("P_CLASSIFYING",),
        "P_ANON_INFO",
        HANDLER,
        "LTC Art. 25; TT05 Art. 6",
        guards=(
            _is(TC, "a denunciation"),
            fact("anonymous_or_unidentifiable", "the denouncer is identified"),
        ),
    ),
    T(
        "§2.2.3 #15",
        "guide_split",
        ("P_CLASSIFYING",),
        "P_SPLIT_GUIDED",
        HANDLER,
        "ND154 Art. 14(4); TT 07/2014",
        guards=(_is(MIXED, "multi-content"),),
        forms=("petition.split_guidance",),
    ),
    T(
        "§2.2.3 #16",
        "propose_recommendation_resolution",
        ("P_CLASSIFYING",),
        "P_PROPOSED_ACCEPT",
        HANDLER_HEAD,
        "TT05",
        guards=(_is(KNPA, "kiến nghị, phản ánh"), WITHIN),
        spawn=ProcessKind.RECOMMENDATION,
    ),
    T(
        "§2.2.3 #17",
        "transfer_recommendation",
        ("P_CLASSIFYING",),
        "P_TRANSFERRED",
        HANDLER,
        "TT05",
        guards=(_is(KNPA, "kiến nghị, phản ánh"), OUTSIDE),
        forms=("petition.forwarding_slip",),
    ),
)
OPENING = T("§2.2.3 #1", "receive", (NEW,), "P_RECEIVED", STAFF, "TT05; LTCD Art. 26",
            start=("P-1", "R-9"))  # fmt: skip

PETITION = Process(ProcessKind.PETITION, "Xử lý đơn", STATES, OPENING, TRANSITIONS)
