"""States, grounds, clocks and guards of the complaint tables (docs/law.md §2.3), kept apart from
the transition table in complaint.py so each stays readable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reception.domain.cases.case import Case, ComplaintSubject
from reception.domain.law.guards import case_and_time, case_is
from reception.domain.law.workdays import subtract_calendar_days
from reception.domain.law.workflow import Context, Facts, Guard
from reception.domain.law.workflow import StateSpec as S

STATES = (
    S("C_RECEIVED", "Nhận khiếu nại", note="timer P-5 / D-3"),
    S("C_NOT_ACCEPTED", "Không thụ lý (Mẫu 04)", terminal=True),
    S("C_ACCEPTED", "Đã thụ lý (Mẫu 03)", note="timer C-3 / C-9 / D-4"),
    S("C_RECHECK", "Kiểm tra lại QĐHC, HVHC"),
    S("C_VERIFYING", "Đang xác minh"),
    S("C_VERIFIED", "Có báo cáo kết quả xác minh"),
    S("C_DIALOGUE_NOTIFIED", "Đã thông báo đối thoại"),
    S("C_DIALOGUE_DONE", "Đã đối thoại (biên bản Mẫu 14)"),
    S("C_DRAFTING", "Dự thảo quyết định"),
    S("C_DECIDED", "Đã ban hành quyết định giải quyết"),
    S("C_NOTIFIED", "Đã gửi quyết định"),
    S("C_PUBLISHED", "Đã công khai"),
    S("C_AWAITING_EFFECT", "Chờ hiệu lực"),
    S("C_EFFECTIVE", "Có hiệu lực pháp luật"),
    S("C_ENFORCING", "Tổ chức thi hành"),
    S("C_CLOSED", "Kết thúc", terminal=True),
    S("C_SUSPENDED", "Tạm đình chỉ (Mẫu 14a)", note="resolution clock paused"),
    S("C_TERMINATED", "Đình chỉ (Mẫu 14a)", terminal=True),
    S("C_ESCALATED", "Đã khiếu nại lần hai", terminal=True),
    S("C_IN_COURT", "Đã khởi kiện / Tòa án thụ lý", terminal=True),
)

PRE_DECISION = (
    "C_ACCEPTED", "C_RECHECK", "C_VERIFYING", "C_VERIFIED",
    "C_DIALOGUE_NOTIFIED", "C_DIALOGUE_DONE", "C_DRAFTING",
)  # fmt: skip
OPEN = ("C_RECEIVED", *PRE_DECISION, "C_DECIDED", "C_NOTIFIED", "C_PUBLISHED",
        "C_AWAITING_EFFECT", "C_EFFECTIVE", "C_ENFORCING", "C_SUSPENDED")  # fmt: skip

# LKN Art. 11 (2011 text) acceptance bars [H]; 8 is uncertain after L136 (§5 q1(b)).
ACCEPTANCE_BARS = (
    "internal_or_normative_decision", "not_directly_affected", "no_capacity_no_representative",
    "unlawful_representative", "unsigned", "time_barred", "second_decision_exists",
    "terminated_not_continued", "court_seized",
)  # fmt: skip
SUSPENSION_GROUNDS = ("force_majeure_or_obstacle", "awaiting_other_body")  # LKN Art. 11a(1)
TERMINATION_GROUNDS = (  # LKN Art. 11a(2), partly known; ND124 Art. 7a(2)
    "whole_withdrawal", "complainant_died_rights_not_inherited",
    "organisation_dissolved_rights_not_inherited", "all_group_members_withdrew",
)  # fmt: skip
COMPLEXITY_CRITERIA = ("a", "b", "c", "d", "dd", "e", "g")  # ND124 Art. 3a(1)


@dataclass(frozen=True, slots=True)
class Clocks:
    acceptance: str
    resolution: str
    dispatch: str | None
    second_window: str | None
    effect: str
    publication: str | None


def clocks(subject: ComplaintSubject, instance: int) -> Clocks:
    if subject is ComplaintSubject.DISCIPLINARY:
        return Clocks("D-3", "D-4", "D-5" if instance == 2 else None,
                      "D-2" if instance == 1 else None, "D-6", None)  # fmt: skip
    if instance == 1:
        return Clocks("P-5", "C-3", "C-6", "C-7", "C-8", "C-12")
    return Clocks("P-5", "C-9", "C-10", None, "C-11", "C-12")


def _dialogue_notice_in_time(case: Case, facts: Facts, ctx: Context) -> bool:
    day = facts.get("dialogue_date")
    return isinstance(day, date) and ctx.today <= subtract_calendar_days(ctx.calendar, day, 5)


def _chair_allowed(case: Case, facts: Facts, ctx: Context) -> bool:
    chair = facts.get("chaired_by")
    return chair == "resolver" or (chair == "delegate" and facts.get("personal_chair_required") is not True)


S_GROUP = Guard(
    "group_representatives",
    "a group of 5 or more must sign and appoint representatives in writing (ND124 Art. 16(1))",
    lambda c, f, x: c.group_size < 5 or f.get("representatives_appointed") is True,
)
S_NOTICE = Guard(
    "dialogue_notice_5_days",
    "the dialogue notice must go out at least 5 days before the dialogue (C-5)",
    _dialogue_notice_in_time,
    needs=("dialogue_date",),
    example={"dialogue_date": date(2099, 1, 5)},
)
S_ON_NOTICED_DAY = case_and_time(
    "dialogue_on_noticed_day",
    "the dialogue is held on the day its notice set; another day needs a new notice (ND124 Art. 28(1))",
    lambda c, x: c.dialogue_on is None or x.today == c.dialogue_on,
)
S_CHAIR = Guard(
    "G-DLG",
    "the resolver must chair personally in the cases of ND124 Art. 28(2)",
    _chair_allowed,
    needs=("chaired_by",),
    example={"chaired_by": "resolver"},
)
S_NOTICE_DUE = case_is(
    "notice_pending",
    "no suspension, termination or resumption decision awaits sending",
    lambda c: any(t.rule_id in ("C-13", "C-14") for t in c.running_timers),
)
