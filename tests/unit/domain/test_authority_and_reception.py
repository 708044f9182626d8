"""Who resolves (docs/law.md §2.3.1, §2.4.1) and the reception checks scheduling calls (§1.1)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest

from reception.domain.cases.authority import (
    AgencyKind,
    AgencyNode,
    AgencyTree,
    DenouncedPosition,
    complaint_resolvers,
    denunciation_resolver,
)
from reception.domain.law.errors import AuthorityNotFound
from reception.domain.law.rulebook import Confidence
from reception.domain.organisation import AgencyId, AgencyLevel
from reception.domain.reception import (
    OnlineGround,
    Severity,
    check_group_representatives,
    check_head_reception_days,
    check_lead_time,
    check_online_eligibility,
    check_online_session,
    latest_day,
)


def _id(name: str) -> AgencyId:
    return AgencyId(uuid.uuid5(uuid.NAMESPACE_DNS, name))


K = AgencyKind
NODES = [
    AgencyNode(_id("gov"), None, AgencyLevel.CENTRAL, K.GOVERNMENT),
    AgencyNode(_id("moc"), _id("gov"), AgencyLevel.CENTRAL, K.MINISTRY, "Bộ Xây dựng"),
    AgencyNode(_id("moha"), _id("gov"), AgencyLevel.CENTRAL, K.MINISTRY, "Bộ Nội vụ"),
    AgencyNode(_id("moc-unit"), _id("moc"), AgencyLevel.DEPARTMENT, K.MINISTRY_UNIT),
    AgencyNode(_id("prov"), None, AgencyLevel.PROVINCE, K.PROVINCIAL_PC),
    AgencyNode(_id("so"), _id("prov"), AgencyLevel.DEPARTMENT, K.PROVINCIAL_DEPARTMENT),
    AgencyNode(_id("chi-cuc"), _id("so"), AgencyLevel.DEPARTMENT, K.DEPARTMENT_UNIT),
    AgencyNode(_id("xa"), _id("prov"), AgencyLevel.COMMUNE, K.COMMUNE_PC),
    AgencyNode(_id("xa-unit"), _id("xa"), AgencyLevel.COMMUNE, K.COMMUNE_UNIT),
]
TREE = AgencyTree(NODES)


@pytest.mark.parametrize(
    ("issuer", "first", "second", "confidence"),
    [
        ("xa", "xa", "prov", Confidence.M),
        ("xa-unit", "xa-unit", "xa", Confidence.L),
        ("chi-cuc", "chi-cuc", "so", Confidence.H),
        ("so", "so", "prov", Confidence.H),
        ("moc-unit", "moc-unit", "moc", Confidence.H),
    ],
)
def test_complaint_resolvers_follow_the_two_tier_model(
    issuer: str, first: str, second: str, confidence: Confidence
) -> None:
    r = complaint_resolvers(TREE, _id(issuer))
    assert (r.first.agency_id, r.second.agency_id) == (_id(first), _id(second))
    assert r.first.confidence is confidence
    assert r.overdue_takeover() == r.second


def test_a_provincial_chairman_decision_goes_to_the_sector_minister_then_a_minister_to_court() -> None:
    with pytest.raises(AuthorityNotFound, match="ministry of the sector"):
        complaint_resolvers(TREE, _id("prov"))
    r = complaint_resolvers(TREE, _id("prov"), sector_ministry_id=_id("moc"))
    assert r.second.agency_id == _id("moc") and r.second.article == "LKN Art. 23(3)"
    assert complaint_resolvers(TREE, _id("moc")).second.agency_id is None


def test_disciplinary_decisions_of_a_provincial_chairman_go_to_home_affairs() -> None:
    r = complaint_resolvers(TREE, _id("prov"), disciplinary=True,
                            home_affairs_ministry_id=_id("moha"))  # fmt: skip
    assert r.second.agency_id == _id("moha")
    assert complaint_resolvers(TREE, _id("chi-cuc"), disciplinary=True).second.agency_id == _id("so")


@pytest.mark.parametrize(
    ("employer", "position", "resolver", "confidence"),
    [
        ("xa-unit", DenouncedPosition.COMMUNE_OFFICIAL, "xa", Confidence.H),
        ("xa", DenouncedPosition.COMMUNE_LEADER, "prov", Confidence.L),
        ("chi-cuc", DenouncedPosition.DEPARTMENT_UNIT_LEADER, "so", Confidence.H),
        ("so", DenouncedPosition.DEPARTMENT_LEADER, "prov", Confidence.H),
        ("prov", DenouncedPosition.MINISTER_OR_PROVINCIAL_LEADER, "gov", Confidence.M),
    ],
)
def test_denunciation_resolvers_follow_ltc_article_13(
    employer: str, position: DenouncedPosition, resolver: str, confidence: Confidence
) -> None:
    r = denunciation_resolver(TREE, _id(employer), position)
    assert r.agency_id == _id(resolver) and r.confidence is confidence


def test_the_schedule_is_posted_five_working_days_ahead_skipping_holidays() -> None:
    assert latest_day("R-1", date(2026, 9, 7)) == date(2026, 8, 26)
    assert check_lead_time("R-1", date(2026, 8, 26), date(2026, 9, 7)) == []
    (late,) = check_lead_time("R-1", date(2026, 8, 27), date(2026, 9, 7))
    assert late.severity is Severity.VIOLATION and late.article == "LTCD Art. 24(4)"


def test_online_sessions_check_notice_test_and_connection_lead_times() -> None:
    start = datetime(2026, 9, 7, 8, 0)
    ok = check_online_session(start, notified_on=date(2026, 8, 26), tested_on=date(2026, 9, 4),
                              connection_opened_at=datetime(2026, 9, 7, 7, 0))  # fmt: skip
    assert ok == []
    bad = check_online_session(start, notified_on=None, tested_on=date(2026, 9, 7),
                               connection_opened_at=datetime(2026, 9, 7, 7, 30))  # fmt: skip
    assert [(f.code, f.severity) for f in bad] == [
        ("R-7a", Severity.WARNING),
        ("R-7b", Severity.VIOLATION),
        ("R-7c", Severity.VIOLATION),
    ]
    assert all(f.confidence is Confidence.M for f in bad)


def test_commune_chairmen_receive_twice_a_month_from_july_2026_and_weekly_before() -> None:
    assert check_head_reception_days("commune_chairman", 2026, 9, [date(2026, 9, 8)]) != []
    assert check_head_reception_days("commune_chairman", 2026, 9,
                                     [date(2026, 9, 8), date(2026, 9, 22)]) == []  # fmt: skip
    (weekly,) = check_head_reception_days("commune_chairman", 2026, 6,
                                          [date(2026, 6, 2), date(2026, 6, 9)])  # fmt: skip
    assert "per week" in weekly.message


def test_a_denunciation_goes_online_only_if_the_denouncer_waives_identity_protection() -> None:
    findings = check_online_eligibility(OnlineGround.COMPLEX_DENUNCIATION, is_denunciation=True,
                                        identity_protection_waived=False,
                                        recording_available=True)  # fmt: skip
    assert [f.code for f in findings] == ["ONLINE-TC"]
    assert check_online_eligibility(OnlineGround.COMPLEX_DENUNCIATION, is_denunciation=True,
                                    identity_protection_waived=True,
                                    recording_available=True) == []  # fmt: skip


@pytest.mark.parametrize(
    ("size", "reps", "ok"),
    [(4, 0, True), (5, 0, False), (5, 2, True), (10, 3, False), (11, 5, True), (30, 6, False)],
)
def test_groups_of_five_or_more_appoint_the_lawful_number_of_representatives(
    size: int, reps: int, ok: bool
) -> None:
    assert (check_group_representatives(size, reps) == []) is ok
