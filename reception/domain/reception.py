"""Citizen-reception rules the scheduling module calls: lead times (R-1, R-7), heads' minimum
reception days (R-8), online eligibility (ND154 Art. 20) and group representatives (LTCD
Art. 29). Each check returns findings carrying the article and confidence; none raises."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from reception.domain.law.rulebook import Confidence, RuleBook, default_rulebook
from reception.domain.law.workdays import WorkingCalendar, default_calendar, subtract_working_days


class Severity(enum.StrEnum):
    VIOLATION = "violation"  # the law is broken if this goes ahead
    WARNING = "warning"  # lawful, but needs a human decision or evidence


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    message: str
    article: str
    confidence: Confidence


def _rules(rules: RuleBook | None) -> RuleBook:
    return rules or default_rulebook()


def latest_day(rule_id: str, reception_day: date, *, rules: RuleBook | None = None,
               calendar: WorkingCalendar | None = None) -> date:  # fmt: skip
    """Last permissible day for a "≥ N working days before" step (R-1, R-2, R-7a, R-7b)."""
    rule = _rules(rules).limit(rule_id, reception_day)
    return subtract_working_days(calendar or default_calendar(), reception_day, rule.period)


def check_lead_time(rule_id: str, done_on: date | None, reception_day: date, *,
                    rules: RuleBook | None = None,
                    calendar: WorkingCalendar | None = None) -> list[Finding]:  # fmt: skip
    """Was the step of `rule_id` done in time (or, if not yet done, can it still be)?"""
    rule = _rules(rules).limit(rule_id, reception_day)
    latest = latest_day(rule_id, reception_day, rules=rules, calendar=calendar)
    if done_on is not None and done_on <= latest:
        return []
    state = "not done" if done_on is None else f"done on {done_on.isoformat()}"
    return [Finding(rule_id, Severity.VIOLATION if done_on else Severity.WARNING,
                    f"{rule.obligation}: due by {latest.isoformat()} "
                    f"({rule.period} working days before {reception_day.isoformat()}); {state}",
                    rule.article, rule.confidence)]  # fmt: skip


def check_online_session(start: datetime, *, notified_on: date | None,
                         tested_on: date | None, connection_opened_at: datetime | None,
                         rules: RuleBook | None = None,
                         calendar: WorkingCalendar | None = None) -> list[Finding]:  # fmt: skip
    """ND154 Art. 23(1) [M]: notify ≥ 5 WD before, test ≥ 1 WD before, connect ≥ 1 hour
    before the online reception starts."""
    day = start.date()
    findings = check_lead_time("R-7a", notified_on, day, rules=rules, calendar=calendar)
    findings += check_lead_time("R-7b", tested_on, day, rules=rules, calendar=calendar)
    rule = _rules(rules).limit("R-7c", day)
    deadline = start - timedelta(hours=rule.period)
    if connection_opened_at is None or connection_opened_at > deadline:
        findings.append(Finding("R-7c", Severity.VIOLATION if connection_opened_at else
                                Severity.WARNING,
                                f"{rule.obligation}: by {deadline.isoformat(timespec='minutes')}",
                                rule.article, rule.confidence))  # fmt: skip
    return findings


def check_head_reception_days(holder: str, year: int, month: int, held: Iterable[date], *,
                              rules: RuleBook | None = None) -> list[Finding]:  # fmt: skip
    """R-8: minimum periodic reception days of a head in a month (commune chairman ≥ 2/month
    from 1/7/2026, 1/week before; other heads ≥ 1/month)."""
    first = date(year, month, 1)
    quota = _rules(rules).quota(holder, first)
    days = sorted({d for d in held if (d.year, d.month) == (year, month)})
    if quota.per == "month":
        short = len(days) < quota.days
    else:  # per ISO week that starts in the month
        weeks = {(first + timedelta(days=i)).isocalendar()[:2] for i in range(28)}
        short = any(sum(1 for d in days if d.isocalendar()[:2] == w) < quota.days for w in weeks)
    if not short:
        return []
    return [Finding("R-8", Severity.VIOLATION,
                    f"{holder} must receive citizens at least {quota.days} day(s) per {quota.per}; "
                    f"{len(days)} held in {year}-{month:02d}", quota.article, quota.confidence)]  # fmt: skip


class OnlineGround(enum.StrEnum):
    """ND154 Art. 20 [M]: the cases a head may put online."""

    COMPLEX_MULTI_AGENCY = "complex_multi_agency"
    REMOTE_OR_VULNERABLE_REQUEST = "remote_or_vulnerable_request"
    DISASTER_EPIDEMIC_SECURITY = "disaster_epidemic_security"
    COMPLEX_DENUNCIATION = "complex_denunciation"
    OTHER = "other"


def check_online_eligibility(ground: OnlineGround, *, is_denunciation: bool,
                             identity_protection_waived: bool, recording_available: bool,
                             citizen_requested: bool = False) -> list[Finding]:  # fmt: skip
    findings = []
    if not recording_available:
        findings.append(Finding("ONLINE-INFRA", Severity.VIOLATION,
                                "online reception needs audio-video recording and storage of the "
                                "whole session", "ND154 Arts. 18, 24", Confidence.M))  # fmt: skip
    if is_denunciation and not identity_protection_waived:
        findings.append(Finding("ONLINE-TC", Severity.VIOLATION,
                                "a denunciation is received online only if the denouncer does not "
                                "ask for identity protection", "ND154 Art. 20(4)", Confidence.M))  # fmt: skip
    if ground is OnlineGround.REMOTE_OR_VULNERABLE_REQUEST and not citizen_requested:
        findings.append(Finding("ONLINE-REQ", Severity.VIOLATION,
                                "this ground requires the citizen's request", "ND154 Art. 20(2)",
                                Confidence.M))  # fmt: skip
    if ground is OnlineGround.OTHER:
        findings.append(Finding("ONLINE-OTHER", Severity.WARNING,
                                "'other cases': record the head's reasons", "ND154 Art. 20(5)",
                                Confidence.M))  # fmt: skip
    return findings


def check_group_representatives(group_size: int, representatives: int) -> list[Finding]:
    """LTCD Art. 29 [H]: 5 or more people with the same content appoint representatives in
    writing: 1-2 for 5-10 people, at most 5 for more than 10."""
    if group_size < 5:
        return []
    most = 2 if group_size <= 10 else 5
    if 1 <= representatives <= most:
        return []
    return [Finding("GROUP-REPS", Severity.VIOLATION,
                    f"a group of {group_size} appoints 1 to {most} representatives, "
                    f"not {representatives}", "LTCD Art. 29; ND154 Art. 22(4)", Confidence.H)]  # fmt: skip
