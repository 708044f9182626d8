"""Process 1a: a reception session (buổi tiếp công dân), docs/law.md §2.1.1; LTCD Art. 24;
online reception ND154 Arts. 16-24 [M]."""

from __future__ import annotations

from datetime import date

from reception.domain.cases.case import Case, ProcessKind
from reception.domain.law.guards import case_and_time, case_is, fact, fact_given
from reception.domain.law.workdays import subtract_working_days
from reception.domain.law.workflow import NEW, Context, Facts, Guard, Process
from reception.domain.law.workflow import StateSpec as S
from reception.domain.law.workflow import Transition as T
from reception.domain.processes.common import HEAD, LAW_136_IN_FORCE, STAFF

STATES = (
    S("RS_PLANNED", "Dự kiến lịch tiếp"),
    S("RS_PUBLISHED", "Đã niêm yết lịch"),
    S("RS_READY_ONLINE", "Đã kết nối thử"),
    S("RS_OPEN", "Đang tiếp"),
    S("RS_CLOSED", "Kết thúc buổi tiếp", terminal=True),
    S("RS_POSTPONED", "Lùi lịch"),
)


def _at_least_wd_before(days: int, rule: str) -> Guard:
    def check(case: Case, facts: Facts, ctx: Context) -> bool:
        day = case.scheduled_on
        return day is not None and ctx.today <= subtract_working_days(ctx.calendar, day, days)

    return Guard(f"{rule}", f"must be done at least {days} working day(s) before the "
                 f"reception day ({rule})", check)  # fmt: skip


ON_THE_DAY = case_and_time("on_reception_day", "the session opens on its reception day",
                           lambda c, ctx: c.scheduled_on == ctx.today)  # fmt: skip
ONLINE = case_is("online", "only an online session is tested", lambda c: c.online)
IN_PERSON = case_is("in_person", "an online session must pass the connection test first",
                    lambda c: not c.online)  # fmt: skip


def _schedule(case: Case, facts: Facts) -> dict[str, object]:
    day = facts.get("reception_day")
    return {"scheduled_on": day if isinstance(day, date) else case.scheduled_on,
            "online": facts.get("online") is True or case.online}  # fmt: skip


ONLINE_LAWFUL = Guard(
    "online_reception_in_force",
    "online reception exists only from 1/7/2026 (LTCD Art. 3a as amended by L136)",
    lambda c, f, ctx: f.get("online") is not True or ctx.today >= LAW_136_IN_FORCE,
)
DAY_GIVEN = Guard("reception_day", "give the reception day", lambda c, f, ctx: isinstance(
    f.get("reception_day"), date), needs=("reception_day",),
    example={"reception_day": date(2099, 1, 5)})  # fmt: skip

TRANSITIONS = (
    T(
        "§2.1.1",
        "publish_schedule",
        ("RS_PLANNED",),
        "RS_PUBLISHED",
        STAFF,
        "LTCD Art. 24(4)",
        guards=(_at_least_wd_before(5, "R-1"),),
    ),
    T(
        "§2.1.1",
        "test_connection",
        ("RS_PUBLISHED",),
        "RS_READY_ONLINE",
        STAFF,
        "ND154 Arts. 18, 23(1), 24",
        guards=(
            ONLINE,
            _at_least_wd_before(1, "R-7b"),
            fact("recording_ready", "audio-video recording and storage must work (ND154 Arts. 18, 24)"),
        ),
    ),
    T(
        "§2.1.1",
        "open_session",
        ("RS_PUBLISHED",),
        "RS_OPEN",
        STAFF,
        "LTCD Art. 24",
        guards=(IN_PERSON, ON_THE_DAY),
    ),
    T(
        "§2.1.1",
        "open_online_session",
        ("RS_READY_ONLINE",),
        "RS_OPEN",
        STAFF,
        "ND154 Art. 23(1)",
        guards=(ON_THE_DAY,),
    ),
    T("§2.1.1", "close_session", ("RS_OPEN",), "RS_CLOSED", STAFF, "LTCD Art. 25"),
    T(
        "§2.1.1",
        "close_head_session",
        ("RS_OPEN",),
        "RS_CLOSED",
        HEAD,
        "ND154 Art. 25(2)",
        forms=("reception.conclusion_notice",),
    ),
    T(
        "§2.1.1",
        "postpone",
        ("RS_PLANNED", "RS_PUBLISHED", "RS_READY_ONLINE"),
        "RS_POSTPONED",
        STAFF,
        "LTCD Art. 24(4)",
        guards=(fact_given("reason", "a postponement needs a valid reason"),),
    ),
    T(
        "§2.1.1",
        "reschedule",
        ("RS_POSTPONED",),
        "RS_PLANNED",
        STAFF,
        "LTCD Art. 24(4)",
        guards=(DAY_GIVEN,),
        update=_schedule,
    ),
)
OPENING = T("§2.1.1", "plan", (NEW,), "RS_PLANNED", STAFF, "LTCD Arts. 11-18, 24",
            guards=(DAY_GIVEN, ONLINE_LAWFUL), update=_schedule)  # fmt: skip

RECEPTION_SESSION = Process(ProcessKind.RECEPTION_SESSION, "Buổi tiếp công dân", STATES,
                            OPENING, TRANSITIONS)  # fmt: skip
