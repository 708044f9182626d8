"""Facts of case events as JSON (dates and tuples survive the round trip), and the inputs an
action asks of the person taking it (from the guards' `needs`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from reception.domain.cases.case import Case
from reception.domain.law.events import FactValue
from reception.domain.law.workflow import Process

DATE_KEY = "$date"


def facts_to_json(facts: Mapping[str, FactValue]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in facts.items():
        if isinstance(value, date):
            out[key] = {DATE_KEY: value.isoformat()}
        elif isinstance(value, tuple):
            out[key] = list(value)
        else:
            out[key] = value
    return out


def facts_from_json(data: Mapping[str, Any]) -> dict[str, FactValue]:
    out: dict[str, FactValue] = {}
    for key, value in data.items():
        if isinstance(value, dict) and DATE_KEY in value:
            out[key] = date.fromisoformat(value[DATE_KEY])
        elif isinstance(value, list):
            out[key] = tuple(str(v) for v in value)
        else:
            out[key] = value
    return out


@dataclass(frozen=True, slots=True)
class FactInput:
    """One fact an action needs: its name, the kind of input and the reason shown if wrong."""

    name: str
    kind: str  # "bool" | "date" | "int" | "text" | "list" | "choice"
    reason: str
    example: FactValue
    choices: tuple[str, ...] = ()  # "choice": the statute's listed values; one value = confirm it


def _kind(example: object) -> str:
    if isinstance(example, bool):
        return "bool"
    if isinstance(example, date):
        return "date"
    if isinstance(example, int):
        return "int"
    if isinstance(example, tuple):
        return "list"
    return "text"


def action_inputs(process: Process, case: Case, action: str) -> tuple[FactInput, ...]:
    """The facts the guards of `action` from the case's state need, once each."""
    seen: dict[str, FactInput] = {}
    for t in process.transitions:
        if t.action != action or case.state not in t.sources:
            continue
        for guard in t.guards:
            for name in guard.needs:
                example = guard.example.get(name)
                kind = "choice" if guard.choices else _kind(example)
                seen.setdefault(name, FactInput(name, kind, guard.reason, example, guard.choices))
    return tuple(seen.values())


def coerce_fact(spec: FactInput, raw: object) -> FactValue:
    """A value typed in a form or sent as JSON, turned into the fact's kind (raises ValueError)."""
    if spec.kind == "bool":
        return raw is True or str(raw).lower() in ("true", "on", "1", "yes")
    if spec.kind == "date":
        return raw if isinstance(raw, date) else date.fromisoformat(str(raw))
    if spec.kind == "int":
        return int(str(raw))
    if spec.kind == "choice":
        if str(raw) not in spec.choices:
            raise ValueError(spec.name)
        return str(raw)
    if spec.kind == "list":
        items = raw if isinstance(raw, list | tuple) else str(raw).split(",")
        return tuple(str(i).strip() for i in items if str(i).strip())
    return str(raw).strip()
