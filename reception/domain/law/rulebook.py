"""The rules table: statutory time limits, forms and reception quotas as data, each version
keyed by its effective date (docs/law.md preamble and §0.2: cases straddling 1 July 2026 need both
versions). Read from rules/*.toml with tomllib; nothing here is a legal number."""

from __future__ import annotations

import enum
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, TypeVar

from reception.domain.law.errors import InvalidRules, RuleNotInForce


class Unit(enum.StrEnum):
    WORKING_DAYS = "WD"  # ngày làm việc
    CALENDAR_DAYS = "CD"  # ngày
    MONTHS = "MONTHS"  # tháng (a year is 12)
    HOURS = "HOURS"  # giờ


class Direction(enum.StrEnum):
    WITHIN = "within"  # "trong thời hạn ... kể từ": due on or before
    BEFORE = "before"  # "chậm nhất ... trước": at least `period` before the event


class Nature(enum.StrEnum):
    """Whose time limit a rule is (docs/law.md §1 "Whose"): only the office's duties are its
    obligations, counted in next-due, overdue lists and dashboards; the others are dates the
    case page shows for information, never overdue."""

    DUTY = "duty"  # the office must act by the due day (accept, resolve, send, publish)
    PARTY = "party"  # the time a party or another body has (second complaint, documents)
    EFFECT = "effect"  # the day something takes effect by law (a decision, end of keeping)


class Confidence(enum.StrEnum):
    """docs/law.md §0.1 legend: the product shows it next to every number."""

    H = "H"  # primary text read
    M = "M"  # secondary source or single transcription
    L = "L"  # inference, unverified


_E = TypeVar("_E")


class PausePolicy(enum.StrEnum):
    CONSERVATIVE = "conservative"  # suspension day elapsed, resumption day is day 1
    EXCLUSIVE = "exclusive"  # neither day counts


@dataclass(frozen=True, slots=True)
class AlternativeLimit:
    """The law's own wording where a decree stricter-izes it (§4.1 caution)."""

    period: int
    unit: Unit
    article: str
    confidence: Confidence


@dataclass(frozen=True, slots=True)
class ExtensionRule:
    """Denunciation extensions: ≤ `period` CD each, 1 or 2 by complexity (LTC Art. 30)."""

    period: int
    max_complex: int
    max_especially_complex: int
    absolute_max: int


@dataclass(frozen=True, slots=True)
class TimeLimit:
    id: str
    obligation: str
    effective_from: date
    period: int
    unit: Unit
    direction: Direction
    clock_start: str
    article: str
    confidence: Confidence
    note: str = ""
    nature: Nature = Nature.DUTY
    pausable: bool = False  # suspension is not counted (LKN Art. 11a; LTC Art. 34)
    variants: Mapping[str, int] = field(default_factory=dict)
    law_variant: AlternativeLimit | None = None
    extension: ExtensionRule | None = None

    def period_for(self, flags: frozenset[str] = frozenset()) -> int:
        """The period given the case's flags (complex, remote, ...): the longest variant whose
        every "+"-joined condition holds, else the base period (e.g. C-3 "remote+complex")."""
        matching = [days for key, days in self.variants.items() if frozenset(key.split("+")) <= flags]
        return max([self.period, *matching])


@dataclass(frozen=True, slots=True)
class FormSpec:
    id: str
    code: str
    name_vi: str
    instrument: str
    effective_from: date
    confidence: Confidence


@dataclass(frozen=True, slots=True)
class ReceptionQuota:
    """R-8: minimum periodic reception days by a head (LTCD Arts. 11-18; L136)."""

    holder: str
    effective_from: date
    days: int
    per: str  # "month" or "week"
    article: str
    confidence: Confidence


_Versioned = TypeVar("_Versioned", TimeLimit, FormSpec, ReceptionQuota)


def _in_force(versions: tuple[_Versioned, ...], key: str, on: date) -> _Versioned:
    candidates = [v for v in versions if v.effective_from <= on]
    if not candidates:
        raise RuleNotInForce(key, on)
    return max(candidates, key=lambda v: v.effective_from)


@dataclass(frozen=True, slots=True)
class RuleBook:
    version: str
    pause_policy: PausePolicy
    pause_policy_confidence: Confidence
    limits: tuple[TimeLimit, ...]
    forms: tuple[FormSpec, ...]
    quotas: tuple[ReceptionQuota, ...]

    def limit(self, rule_id: str, on: date) -> TimeLimit:
        """The version of `rule_id` in force on `on` (the case's relevant date)."""
        return _in_force(tuple(x for x in self.limits if x.id == rule_id), rule_id, on)

    def form(self, form_id: str, on: date) -> FormSpec:
        return _in_force(tuple(x for x in self.forms if x.id == form_id), form_id, on)

    def quota(self, holder: str, on: date) -> ReceptionQuota:
        return _in_force(tuple(x for x in self.quotas if x.holder == holder), holder, on)

    def limit_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(x.id for x in self.limits))

    def form_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(x.id for x in self.forms))


def _entry(kind: str, raw: Mapping[str, Any], build: Callable[[Mapping[str, Any]], _E]) -> _E:
    try:
        result = build(raw)
    except (KeyError, ValueError, TypeError) as exc:
        raise InvalidRules(f"{kind} {raw.get('id', raw.get('holder', '?'))!r}: {exc!r}") from exc
    return result


def _limit(raw: Mapping[str, Any]) -> TimeLimit:
    law = raw.get("law_variant")
    ext = raw.get("extension")
    return TimeLimit(
        id=raw["id"],
        obligation=raw["obligation"],
        effective_from=raw["effective_from"],
        period=int(raw["period"]),
        unit=Unit(raw["unit"]),
        direction=Direction(raw["direction"]),
        clock_start=raw["clock_start"],
        article=raw["article"],
        confidence=Confidence(raw["confidence"]),
        note=raw.get("note", ""),
        nature=Nature(raw.get("nature", Nature.DUTY)),
        pausable=bool(raw.get("pausable", False)),
        variants={k: int(v) for k, v in raw.get("variants", {}).items()},
        law_variant=None
        if law is None
        else AlternativeLimit(
            int(law["period"]), Unit(law["unit"]), law["article"], Confidence(law["confidence"])
        ),
        extension=None
        if ext is None
        else ExtensionRule(
            int(ext["period"]),
            int(ext["max_complex"]),
            int(ext["max_especially_complex"]),
            int(ext["absolute_max"]),
        ),
    )


def _form(raw: Mapping[str, Any]) -> FormSpec:
    return FormSpec(
        raw["id"],
        raw["code"],
        raw["name_vi"],
        raw["instrument"],
        raw["effective_from"],
        Confidence(raw["confidence"]),
    )


def _quota(raw: Mapping[str, Any]) -> ReceptionQuota:
    return ReceptionQuota(
        raw["holder"],
        raw["effective_from"],
        int(raw["days"]),
        raw["per"],
        raw["article"],
        Confidence(raw["confidence"]),
    )


def load_rulebook(limits_toml: str, forms_toml: str) -> RuleBook:
    """Parse the two rule files; raise InvalidRules naming the bad entry."""
    limits = tomllib.loads(limits_toml)
    forms = tomllib.loads(forms_toml)
    meta = limits.get("meta", {})
    try:
        policy = PausePolicy(meta.get("pause_policy", "conservative"))
        policy_conf = Confidence(meta.get("pause_policy_confidence", "L"))
    except ValueError as exc:
        raise InvalidRules(f"[meta]: {exc}") from exc
    return RuleBook(
        version=str(meta.get("rules_version", "unversioned")),
        pause_policy=policy,
        pause_policy_confidence=policy_conf,
        limits=tuple(_entry("limit", r, _limit) for r in limits.get("limit", [])),
        forms=tuple(_entry("form", r, _form) for r in forms.get("form", [])),
        quotas=tuple(_entry("quota", r, _quota) for r in limits.get("quota", [])),
    )


@cache
def default_rulebook() -> RuleBook:
    """The checked-in rules table."""
    folder = resources.files("reception.domain.law.rules")
    return load_rulebook(
        folder.joinpath("time_limits.toml").read_text(encoding="utf-8"),
        folder.joinpath("forms.toml").read_text(encoding="utf-8"),
    )
