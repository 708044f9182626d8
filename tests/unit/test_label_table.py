"""The one label table names every value the product shows to people, in both languages:
every state and action of the engine, every role, party role, session kind, booking status,
subject, channel, process kind and unit, the title of every statutory time limit; every fact a
case-file action asks for is a question with its article, every listed choice has a name, and
every guard that can refuse says why. Citations and dates read naturally in Vietnamese."""

from __future__ import annotations

import enum
from datetime import date

import pytest
from quart import Quart

from reception.domain import labels
from reception.domain.booking import BookingStatus, SessionKind, Subject
from reception.domain.booking import Channel as BookingChannel
from reception.domain.cases.case import ComplaintSubject, ProcessKind
from reception.domain.cases.case_file import Channel as CaseChannel
from reception.domain.cases.case_file import PartyRole
from reception.domain.cases.questions import CHOICES, GUARDS, QUESTIONS, question
from reception.domain.law.rulebook import Unit, default_rulebook
from reception.domain.law.workflow import Role
from reception.domain.organisation import AgencyLevel, StaffRole
from reception.domain.processes.registry import all_processes
from reception.i18n import translations
from reception.web.cases.labels import guard_reason
from reception.web.rendering.labels import citation, day_label

ENUMS: dict[str, type[enum.Enum]] = {
    "party_role": PartyRole, "workflow_role": Role, "staff_role": StaffRole,
    "agency_level": AgencyLevel, "session_kind": SessionKind, "booking_status": BookingStatus,
    "subject": Subject, "booking_channel": BookingChannel, "case_channel": CaseChannel,
    "process_kind": ProcessKind, "complaint_subject": ComplaintSubject, "unit": Unit,
}
CASE_PROCESSES = (ProcessKind.PETITION, ProcessKind.COMPLAINT, ProcessKind.DENUNCIATION,
                  ProcessKind.RECOMMENDATION, ProcessKind.PROTECTION)
VI = translations("vi").gettext


@pytest.mark.parametrize("kind", sorted(ENUMS))
def test_every_value_of_every_enum_shown_has_a_label_in_both_languages(kind: str) -> None:
    for value in ENUMS[kind]:
        msgid = labels.msgid(kind, value.value)
        assert msgid, f"{kind}: {value.value} has no label"
        assert VI(msgid) != msgid, f"{kind}: {msgid!r} has no Vietnamese"


def test_every_statutory_time_limit_has_a_title() -> None:
    rules = {limit.id for limit in default_rulebook().limits}
    assert rules - labels.RULE_TITLES.keys() == set()
    assert VI(labels.RULE_TITLES["C-3"]) == "Giải quyết khiếu nại lần đầu"


def _guards() -> list[tuple[str, object]]:
    return [(t.action, g) for p in all_processes() if p.kind in CASE_PROCESSES
            for t in (p.opening, *p.transitions) for g in t.guards]


def test_every_fact_a_case_action_asks_for_is_a_question_with_its_article() -> None:
    for action, guard in _guards():
        for name in guard.needs:  # type: ignore[attr-defined]
            q = question(action, name)
            assert q is not None and q.article, f"{action}: {name} is asked without a question"
            assert VI(q.ask) != q.ask and (not q.confirm or VI(q.confirm) != q.confirm)
        for value in guard.choices:  # type: ignore[attr-defined]
            assert value in CHOICES and VI(CHOICES[value]) != CHOICES[value], value


async def test_every_guard_that_can_refuse_says_why_in_vietnamese() -> None:
    app = Quart(__name__)
    app.config["DEFAULT_LOCALE"] = "vi"
    async with app.test_request_context("/"):
        for action, guard in _guards():
            reason = guard_reason(action, guard.name)  # type: ignore[attr-defined]
            assert reason.text and "_" not in reason.text and " Art." not in reason.text, reason
            assert guard.needs or guard.name in GUARDS or " " in guard.name  # type: ignore[attr-defined]
        refused = guard_reason("accept", "within_competence")
        assert refused.text == "Chưa xác nhận: Việc thuộc thẩm quyền giải quyết của cơ quan"
        assert refused.article == "Điều 17-26 LKN" and refused.field == "within_competence"


async def test_citations_and_days_read_in_vietnamese_order() -> None:
    app = Quart(__name__)
    app.config["DEFAULT_LOCALE"] = "vi"
    async with app.test_request_context("/"):
        assert citation("LKN Arts. 27, 36; ND124 Art. 16(1)") == "Điều 27, 36 LKN; Điều 16(1) NĐ124"
        assert citation("ND124 Art. 28(1) as amended by ND155") == \
            "Điều 28(1) NĐ124 được sửa đổi bởi NĐ155"
        assert citation("LKN Arts. 27, 36 (2011 text)") == "Điều 27, 36 LKN (bản năm 2011)"
        assert citation("ND124 Art. 28(2) (G-DLG)") == "Điều 28(2) NĐ124"
        assert day_label(date(2026, 12, 14)) == "Thứ Hai, 14/12/2026"
    async with app.test_request_context("/?lang=en"):
        from quart import g
        g.locale = "en"
        assert citation("LKN Art. 11") == "LKN Art. 11"
        assert day_label(date(2026, 12, 14)) == "Monday, 14/12/2026"


async def test_every_citation_the_product_shows_reads_without_english_words() -> None:
    from tests.integration.labels.checker import foreign_words

    rules = default_rulebook()
    articles = {limit.article for limit in rules.limits}
    articles |= {limit.law_variant.article for limit in rules.limits if limit.law_variant}
    articles |= {quota.article for quota in rules.quotas}
    articles |= {t.legal_basis for p in all_processes() for t in (p.opening, *p.transitions)}
    articles |= {q.article for q in (*QUESTIONS.values(), *GUARDS.values())}
    app = Quart(__name__)
    app.config["DEFAULT_LOCALE"] = "vi"
    async with app.test_request_context("/"):
        unread = {a: citation(a) for a in articles if foreign_words(citation(a))}
        # the citizen's pages name each instrument in full (K-1 read "thời hạn xử lý như P-1";
        # P-7 "(Thông tư 05/2021/TT-TTCP equivalent unverified)")
        unread |= {a: citation(a, full=True) for a in articles
                   if foreign_words(citation(a, full=True))}
        assert citation("TT 07/2014 Art. 28(2) (TT05 equivalent unverified)", full=True) == (
            "khoản 2 Điều 28 Thông tư 07/2014/TT-TTCP (chưa xác minh quy định tương ứng của "
            "Thông tư 05/2021/TT-TTCP)")
    assert unread == {}


def test_every_reason_a_recognised_line_is_left_out_is_named_in_vietnamese() -> None:
    """The review page lists the lines left out of a transcript with their reason: each reason
    the transcription can record (transcripts/values.py) has a label, translated."""
    from reception.web.transcripts.review import DROP_REASONS as LABELS
    from transcripts.values import DROP_REASONS

    assert set(LABELS) == set(DROP_REASONS)
    for reason in DROP_REASONS:
        assert VI(LABELS[reason]) not in ("", LABELS[reason]), reason
