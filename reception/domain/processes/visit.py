"""Process 1b: a visit (lượt tiếp) at a reception session, docs/law.md §2.1.2-2.1.3;
LTCD Arts. 9, 25-29; ND154 Arts. 4, 12-14, 25."""

from __future__ import annotations

from reception.domain.cases.case import ProcessKind
from reception.domain.law.guards import case_is, fact, fact_given, fact_in
from reception.domain.law.workflow import NEW, SAME, Guard, Process, Role
from reception.domain.law.workflow import StateSpec as S
from reception.domain.law.workflow import Transition as T
from reception.domain.processes.common import HEAD

RO = frozenset({Role.RO})
RO_HEAD = RO | HEAD
STATES = (
    S("V_ARRIVED", "Công dân đến"),
    S("V_IDENTIFIED", "Đã xác định nhân thân"),
    S("V_REFUSED_ORAL", "Từ chối tiếp (giải thích trực tiếp)", terminal=True),
    S("V_REFUSAL_NOTICE_PENDING", "Chờ thông báo từ chối bằng văn bản", note="timer R-6"),
    S("V_REFUSED_WRITTEN", "Đã thông báo từ chối (Mẫu 01/TCD)", terminal=True),
    S("V_HEARING", "Nghe, ghi chép nội dung"),
    S("V_STATEMENT_CONFIRMED", "Đã đọc lại và công dân ký/điểm chỉ"),
    S("V_DOCS_RECEIVED", "Đã nhận tài liệu (Giấy biên nhận Mẫu 02/TCD)"),
    S("V_CLASSIFIED", "Đã phân loại"),
    S("V_GUIDED", "Hướng dẫn công dân", terminal=True),
    S("V_EXPLAINED_RESOLVED", "Giải thích, yêu cầu chấp hành", terminal=True),
    S("V_ANSWERED", "Trả lời ngay", terminal=True),
    S("V_REFERRED", "Chuyển xử lý", note="timer R-3"),
    S("V_NOTIFIED", "Đã thông báo kết quả xử lý", terminal=True),
)
SECURITY_GROUNDS = ("weapons_not_deposited", "refused_security_check")  # ND154 Art. 4(1)(a)-(b)
ORAL_GROUNDS = (  # LTCD Art. 9(1)-(2); ND154 Art. 4(1)(c)-(k) except (h)
    "intoxicated_or_impaired", "threats_or_insults", "unauthorised_recording", "disorder",
    "no_capacity_no_representative", "representative_unproven", "not_kn_tc_knpa",
    "final_judgment", "other_body_handling",
)  # fmt: skip
WRITTEN_GROUNDS = ("repeat_after_correct_resolution", "repeat_knpa_no_new_content")
CONTENTS = ("KN", "TC", "KNPA", "mixed")
HEARD = ("V_HEARING", "V_STATEMENT_CONFIRMED", "V_DOCS_RECEIVED")


def _content(kind: str) -> Guard:
    return case_is(f"content:{kind}", f"the visit content is not classified as {kind}",
                   lambda c: f"content:{kind}" in c.markers)  # fmt: skip


REPRESENTED = case_is(
    "group_represented",
    "a group of 5 or more with the same content must appoint representatives (LTCD Art. 29)",
    lambda c: c.group_size < 5 or "REPRESENTATIVES_APPOINTED" in c.markers,
)

TRANSITIONS = (
    T(
        "§2.1.3 #1",
        "refuse_at_security",
        ("V_ARRIVED",),
        "V_REFUSED_ORAL",
        RO,
        "ND154 Art. 4(1)(a)-(b), (2)",
        guards=(fact_in("ground", SECURITY_GROUNDS, "no security ground named"),),
    ),
    T(
        "§2.1.3 #2",
        "identify",
        ("V_ARRIVED",),
        "V_IDENTIFIED",
        RO,
        "LTCD Arts. 7, 8, 25(1) as amended; ND154 Arts. 12-13",
        guards=(fact_given("id_document", "identification (căn cước, số định danh, hộ chiếu) is required"),),
    ),
    T(
        "§2.1.3 #3",
        "refuse",
        ("V_IDENTIFIED",),
        "V_REFUSED_ORAL",
        RO,
        "LTCD Art. 9; ND154 Art. 4",
        guards=(fact_in("ground", ORAL_GROUNDS, "no LTCD Art. 9 / ND154 Art. 4(1) ground named"),),
    ),
    T(
        "§2.1.3 #4",
        "refuse_in_writing",
        ("V_IDENTIFIED",),
        "V_REFUSAL_NOTICE_PENDING",
        RO_HEAD,
        "LTCD Art. 9(3); ND154 Art. 4(1)(h), (3)",
        guards=(fact_in("ground", WRITTEN_GROUNDS, "no LTCD Art. 9(3) / ND154 Art. 4(1)(h) ground named"),),
        start=("R-6",),
    ),
    T(
        "§2.1.3 #5",
        "sign_refusal_notice",
        ("V_REFUSAL_NOTICE_PENDING",),
        "V_REFUSED_WRITTEN",
        HEAD,
        "ND154 Art. 4(2)-(3)",
        forms=("visit.refusal_notice",),
    ),
    T(
        "§2.1.3 #6",
        "appoint_representatives",
        ("V_IDENTIFIED",),
        SAME,
        RO,
        "LTCD Art. 29",
        guards=(
            fact(
                "representatives_valid",
                "1-2 representatives for 5-10 people, at most 5 "
                "for more, appointed in writing by all (check_group_representatives)",
            ),
        ),
        update=lambda c, f: {
            "group_size": int(f.get("group_size") or c.group_size),  # type: ignore[arg-type]
            "markers": c.markers | {"REPRESENTATIVES_APPOINTED"},
        },
    ),
    T(
        "§2.1.3 #7",
        "start_hearing",
        ("V_IDENTIFIED",),
        "V_HEARING",
        RO_HEAD,
        "ND154 Art. 14",
        guards=(REPRESENTED,),
    ),
    T(
        "§2.1.3 #8",
        "confirm_statement",
        ("V_HEARING",),
        "V_STATEMENT_CONFIRMED",
        RO,
        "ND154 Art. 14(1); LKN Art. 8(3); LTC Art. 23(2)",
        guards=(fact("signed_or_fingerprinted", "the record must be read back and signed or fingerprinted"),),
        forms=("visit.statement_record",),
    ),
    T(
        "§2.1.3 #9",
        "guide_to_competent_body",
        ("V_HEARING",),
        "V_GUIDED",
        RO,
        "ND154 Art. 14(2)",
        guards=(fact("outside_competence", "the content is within competence"),),
    ),
    T(
        "§2.1.3 #10",
        "receive_documents",
        ("V_HEARING", "V_STATEMENT_CONFIRMED"),
        "V_DOCS_RECEIVED",
        RO,
        "ND154 Mẫu 02/TCD",
        guards=(fact("copies_only", "only copies or certified copies are received"),),
        forms=("visit.document_receipt",),
    ),
    T(
        "§2.1.3 #11",
        "classify",
        HEARD,
        "V_CLASSIFIED",
        RO,
        "LTCD Art. 26",
        guards=(fact_in("content", CONTENTS, "name the content type KN / TC / KNPA / mixed"),),
        update=lambda c, f: {"markers": c.markers | {f"content:{f['content']}"}},
    ),
    T(
        "§2.1.3 #12",
        "guide_split",
        ("V_CLASSIFIED",),
        "V_GUIDED",
        RO,
        "ND154 Art. 14(4); LTCD Art. 25(3)",
        guards=(_content("mixed"),),
    ),
    T(
        "§2.1.3 #13-14,16",
        "refer",
        ("V_CLASSIFIED",),
        "V_REFERRED",
        RO_HEAD,
        "LTCD Art. 26(2)",
        guards=(
            fact_in(
                "route",
                ("within_competence", "lower_body", "transfer_knpa"),
                "name the route: within_competence / lower_body / transfer_knpa",
            ),
        ),
        start=("R-3",),
        spawn=ProcessKind.PETITION,
    ),
    T(
        "§2.1.3 #15",
        "explain_already_resolved",
        ("V_CLASSIFIED",),
        "V_EXPLAINED_RESOLVED",
        RO,
        "LTCD Art. 26(1)(c)",
        guards=(fact("resolved_correctly", "the case is not recorded as correctly resolved"),),
    ),
    T(
        "§2.1.3 #17",
        "notify_result",
        ("V_REFERRED",),
        "V_NOTIFIED",
        RO_HEAD,
        "LTCD Art. 28(1)",
        guards=(
            fact_in(
                "outcome",
                ("accepted", "extended", "refused", "transferred"),
                "name outcome (a)-(d) of LTCD Art. 28(1)",
            ),
        ),
        forms=("visit.result_notice",),
    ),
    T(
        "§2.1.3 #19",
        "answer_at_once",
        ("V_HEARING",),
        "V_ANSWERED",
        HEAD,
        "ND154 Art. 25(3)",
        guards=(
            fact("clear_and_within_competence", "only a clear case within competence is answered at once"),
        ),
    ),
)
OPENING = T("§2.1.2", "arrive", (NEW,), "V_ARRIVED", RO, "LTCD Art. 25",
            forms=("visit.register_entry",))  # fmt: skip

VISIT = Process(ProcessKind.VISIT, "Lượt tiếp công dân", STATES, OPENING, TRANSITIONS)
