"""What an action produces: the event row to append and the effects to perform. The domain
returns these; services perform them (issue the form, schedule the alert, open the new case)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from reception.domain.cases.case import CaseId, ProcessKind
from reception.domain.law.deadlines import Deadline
from reception.domain.law.rulebook import FormSpec

FactValue = str | int | bool | date | None | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CaseEvent:
    """One append-only history row: who did what, when, from -> to, on which legal basis."""

    case_id: CaseId
    seq: int
    on: date
    action: str
    actor_role: str
    from_state: str
    to_state: str
    legal_basis: str
    facts: Mapping[str, FactValue]


@dataclass(frozen=True, slots=True)
class EventRecorded:
    event: CaseEvent


@dataclass(frozen=True, slots=True)
class FormIssued:
    """The official form to draw up (version in force on the day of issue)."""

    form: FormSpec


@dataclass(frozen=True, slots=True)
class TimerStarted:
    deadline: Deadline


@dataclass(frozen=True, slots=True)
class TimerStopped:
    rule_id: str
    on: date


@dataclass(frozen=True, slots=True)
class ClockPaused:
    on: date


@dataclass(frozen=True, slots=True)
class ClockResumed:
    on: date


@dataclass(frozen=True, slots=True)
class CaseResolved:
    """The act that resolves the case was taken (a resolution decision, a conclusion): on-time
    resolution is measured against the due day of `clocks`, the resolution clocks it stopped."""

    clocks: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CaseSpawned:
    """A new case to open (visit -> petition, petition -> complaint, instance 1 -> 2)."""

    kind: ProcessKind
    reason: str


Effect = (EventRecorded | FormIssued | TimerStarted | TimerStopped | ClockPaused | ClockResumed
          | CaseResolved | CaseSpawned)
