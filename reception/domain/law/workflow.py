"""The statutory workflow engine: processes declared as data (docs/law.md §2, STYLE rule 2).

A process is a table of states (code, Vietnamese term, terminal flag) and transitions (action,
sources, target, actor roles, named guards, forms issued, timers started/stopped, suspension
pause/resume, legal basis). `apply` either returns the new case and its effects or raises
WorkflowRefusal saying which action was refused in which state and why; there is no silently
ignored event. A small table of our own is used instead of python-statemachine because the
rules, guards with facts, timers and Mermaid output all stay plain data this way.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from reception.domain.cases.case import Case, CaseId, ProcessKind, Timer
from reception.domain.law.deadlines import Pause
from reception.domain.law.errors import RuleNotInForce, WorkflowRefusal
from reception.domain.law.events import (
    CaseEvent,
    CaseResolved,
    CaseSpawned,
    ClockPaused,
    ClockResumed,
    Effect,
    EventRecorded,
    FactValue,
    FormIssued,
    TimerStarted,
    TimerStopped,
)
from reception.domain.law.rulebook import RuleBook, default_rulebook
from reception.domain.law.timers import timer_deadline
from reception.domain.law.workdays import WorkingCalendar, default_calendar

SAME = "(same)"  # target: stay in the current state
PREVIOUS = "(previous)"  # target: the state the suspension interrupted
NEW = "(new)"  # pseudo-source of the opening transition


class Role(enum.StrEnum):
    """Actors of docs/law.md §2.0."""

    CIT = "CIT"  # công dân: người khiếu nại / tố cáo / kiến nghị, phản ánh
    REP = "REP"  # người đại diện, người được ủy quyền, luật sư, trợ giúp viên pháp lý
    RO = "RO"  # người tiếp công dân
    PH = "PH"  # người xử lý đơn
    HEAD = "HEAD"  # người đứng đầu / người có thẩm quyền giải quyết
    VER = "VER"  # người có trách nhiệm xác minh / Tổ xác minh
    RESP = "RESP"  # người bị khiếu nại / người bị tố cáo
    TP = "TP"  # người có quyền, nghĩa vụ liên quan
    SUP = "SUP"  # thủ trưởng cấp trên trực tiếp
    POL = "POL"  # công an
    SYS = "SYS"  # system timers and events


Facts = Mapping[str, FactValue]


@dataclass(frozen=True, slots=True)
class Context:
    """What a guard may look at besides the case and the facts: time is an argument."""

    today: date
    rules: RuleBook
    calendar: WorkingCalendar


@dataclass(frozen=True, slots=True)
class Guard:
    """A named predicate. `needs` lists the facts the actor must supply; a guard needing none
    is decided from the case alone, so `allowed_actions` can evaluate it."""

    name: str
    reason: str  # shown when the guard fails: "… because <reason>"
    check: Callable[[Case, Facts, Context], bool]
    needs: tuple[str, ...] = ()
    example: Mapping[str, FactValue] = field(default_factory=dict)  # facts that satisfy it
    choices: tuple[str, ...] = ()  # fact_in: the statute's listed values the actor picks from


@dataclass(frozen=True, slots=True)
class StateSpec:
    code: str
    vn: str
    terminal: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class Transition:
    ref: str  # row in docs/law.md, e.g. "§2.3.5 #1"
    action: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[Role]
    legal_basis: str
    guards: tuple[Guard, ...] = ()
    forms: tuple[str, ...] = ()
    start: tuple[str, ...] = ()  # rule ids of timers started
    stop: tuple[str, ...] = ()  # rule ids of timers stopped
    pause: bool = False
    resume: bool = False
    spawn: ProcessKind | None = None
    update: Callable[[Case, Facts], Mapping[str, Any]] | None = None
    # The act that resolves the case: a complaint's resolution decision (LKN Arts. 28, 31, 37,
    # 40), a denunciation's conclusion (LTC Art. 35). Only it makes a case "resolved"; one
    # closed otherwise (a lawsuit, a termination, an escalation) is closed, not resolved.
    resolves: bool = False


@dataclass(frozen=True, slots=True)
class AllowedAction:
    action: str
    target: str
    legal_basis: str
    forms: tuple[str, ...]
    conditions: tuple[str, ...]  # fact-dependent guards still to satisfy, by reason


@dataclass(frozen=True, slots=True)
class Process:
    kind: ProcessKind
    name_vi: str
    states: tuple[StateSpec, ...]
    opening: Transition
    transitions: tuple[Transition, ...]

    def state(self, code: str) -> StateSpec:
        for spec in self.states:
            if spec.code == code:
                return spec
        raise KeyError(code)

    def actions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.action for t in self.transitions))

    def first_receipt_day(self, rules: RuleBook | None = None) -> date | None:
        """The first day a case of this process can be received: the earliest `effective_from`
        of the clocks its opening starts (docs/law.md §0.2). Before it the statute the engine
        models was not yet in force and the case would run with no clock at all: complaints
        P-5/D-3 from 1/1/2016, denunciations T-1 from 1/1/2019 (LTC in force, docs/law.md
        §0.1), petitions and recommendations P-1/K-1 from 15/11/2021 (TT05 in force); see
        reception/domain/law/rules/time_limits.toml."""
        book = rules or default_rulebook()
        days = [v.effective_from for v in book.limits if v.id in self.opening.start]
        return min(days, default=None)

    def allowed_actions(self, case: Case, role: Role, today: date, **context: Any) -> list[AllowedAction]:
        """Actions `role` may take now; guards that need facts are listed as conditions.
        `context` may carry rules= and calendar= (defaults: the checked-in tables)."""
        ctx = _context(today, context)
        if self.state(case.state).terminal:
            return []
        result = []
        for t in self._from(case.state):
            if role not in t.roles:
                continue
            if any(not g.needs and not g.check(case, {}, ctx) for g in t.guards):
                continue
            conditions = tuple(g.reason for g in t.guards if g.needs)
            result.append(AllowedAction(t.action, self._target(t, case), t.legal_basis, t.forms, conditions))
        return result

    def open(
        self, case_id: CaseId, actor_role: Role, today: date, **facts: Any
    ) -> tuple[Case, tuple[Effect, ...]]:
        """Create the case by its opening transition (receipt, registration, ...)."""
        ctx = _context(today, facts)
        blank = Case(id=case_id, kind=self.kind, state=NEW, opened_on=today)
        facts = _plain(facts)
        failed = [g for g in self.opening.guards if not g.check(blank, facts, ctx)]
        if failed:
            raise WorkflowRefusal(self.opening.action, NEW, "; ".join(g.reason for g in failed))
        if actor_role not in self.opening.roles:
            raise WorkflowRefusal(self.opening.action, NEW, f"role {actor_role} may not act")
        return _perform(self, blank, self.opening, actor_role, facts, ctx)

    def apply(
        self, case: Case, action: str, actor_role: Role, today: date, **facts: Any
    ) -> tuple[Case, tuple[Effect, ...]]:
        """Take `action`; raise WorkflowRefusal(action, state, reason) if the law forbids it.
        Keyword facts feed the guards and are kept in the event; rules=/calendar= override
        the checked-in tables."""
        ctx = _context(today, facts)
        facts = _plain(facts)
        transition = self._select(case, action, actor_role, facts, ctx)
        return _perform(self, case, transition, actor_role, facts, ctx)

    def replay(self, case_id: CaseId, events: list[CaseEvent], **context: Any) -> Case:
        """Rebuild a case from its append-only history (persistence stores state + events).

        A recorded event is a fact: its guards were judged when it was taken, on what was
        known that day. Replay re-performs each step without judging them again, because what
        a guard reads can change afterwards without making the step unlawful: a delivery
        record moves the second-complaint window to the complainant's receipt (LKN Art. 33(1),
        applied after replay by services), the legal unit corrects a period in the rules
        table, a holiday is added to the calendar. Re-judging would turn such a change into a
        case that can no longer be opened. A history the table cannot have produced (an action
        that does not leave the recorded state, an actor the statute does not name) is still
        refused."""
        if not events:
            raise ValueError("a case history starts with its opening event")
        first, *rest = events
        ctx = _context(first.on, context)
        blank = Case(id=case_id, kind=self.kind, state=NEW, opened_on=first.on)
        role = Role(first.actor_role)
        if first.action != self.opening.action or role not in self.opening.roles:
            raise WorkflowRefusal(first.action, NEW, "not this process's opening event")
        case, _ = _perform(self, blank, self.opening, role, _plain(first.facts), ctx)
        for e in rest:
            ctx = _context(e.on, context)
            facts = _plain(e.facts)
            transition = self._recorded(case, e, facts, ctx)
            case, _ = _perform(self, case, transition, Role(e.actor_role), facts, ctx)
        return case

    def _recorded(self, case: Case, event: CaseEvent, facts: Facts, ctx: Context) -> Transition:
        """The transition a recorded event took: by action, state and actor; where several
        rows fit, the one that leads to the recorded state (its guards decide a tie)."""
        role = Role(event.actor_role)
        if event.from_state != case.state:
            raise WorkflowRefusal(event.action, case.state,
                                  f"the history says the case was {event.from_state}")
        rows = [t for t in self._from(case.state) if t.action == event.action and role in t.roles]
        if not rows:
            raise WorkflowRefusal(event.action, case.state, f"no row lets {role} take this action here")
        landing = [t for t in rows if self._target(t, case) == event.to_state] or rows
        lawful = [t for t in landing if all(g.check(case, facts, ctx) for g in t.guards)]
        return (lawful or landing)[0]

    def _from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]

    def _target(self, t: Transition, case: Case) -> str:
        if t.target == SAME:
            return case.state
        if t.target == PREVIOUS:
            return case.previous_state or case.state
        return t.target

    def _select(self, case: Case, action: str, role: Role, facts: Facts, context: Context) -> Transition:
        if action not in self.actions():
            raise WorkflowRefusal(action, case.state, f"no such action in {self.kind} process")
        if self.state(case.state).terminal:
            raise WorkflowRefusal(action, case.state, "the case is closed (terminal state)")
        candidates = [t for t in self._from(case.state) if t.action == action]
        if not candidates:
            allowed = ", ".join(t.action for t in self._from(case.state)) or "none"
            raise WorkflowRefusal(action, case.state, f"not permitted in this state (permitted: {allowed})")
        by_role = [t for t in candidates if role in t.roles]
        if not by_role:
            roles = "/".join(sorted(r.value for t in candidates for r in t.roles))
            raise WorkflowRefusal(action, case.state, f"role {role} may not act (only {roles})")
        failures: list[str] = []
        names: list[str] = []
        for t in by_role:
            failed = [g for g in t.guards if not g.check(case, facts, context)]
            if not failed:
                return t
            failures.append("; ".join(f"{g.reason} [{g.name}]" for g in failed))
            names += [g.name for g in failed if g.name not in names]
        raise WorkflowRefusal(action, case.state, " | ".join(failures) + f" ({by_role[0].legal_basis})",
                              tuple(names), by_role[0].legal_basis)


def _context(today: date, extra: Mapping[str, Any]) -> Context:
    rules = extra.get("rules") or default_rulebook()
    calendar = extra.get("calendar") or default_calendar()
    return Context(today, rules, calendar)


def _plain(facts: Mapping[str, Any]) -> dict[str, FactValue]:
    """Facts without the context overrides; they must be plain values an event row can hold."""
    plain = {k: v for k, v in facts.items() if k not in ("rules", "calendar")}
    for key, value in plain.items():
        if not isinstance(value, str | int | bool | date | tuple | type(None)):
            raise TypeError(f"fact {key}={value!r} is not a plain value")
    return plain


def _perform(
    process: Process, case: Case, t: Transition, role: Role, facts: Facts, ctx: Context
) -> tuple[Case, tuple[Effect, ...]]:
    """Compute the new case and the effects of a transition already judged lawful. A form or
    timer with no version in force that day is not produced: the law then had none."""
    target = process._target(t, case)
    terminal = process.state(target).terminal
    stopping = {tm.rule_id for tm in case.running_timers} if terminal else set(t.stop)
    timers = tuple(
        replace(tm, stopped_on=ctx.today) if tm.running and tm.rule_id in stopping else tm
        for tm in case.timers
    )
    pauses, previous = case.pauses, case.previous_state
    if t.pause:
        pauses, previous = (*pauses, Pause(ctx.today)), case.state
    if t.resume:
        pauses, previous = _close_pause(pauses, ctx.today), None
    started = tuple(Timer(r, _clock_start(ctx, case, r)) for r in t.start if _in_force(ctx, r))
    changes = dict(t.update(case, facts)) if t.update else {}
    new = replace(
        case,
        state=target,
        timers=timers + started,
        pauses=pauses,
        previous_state=previous,
        version=case.version + 1,
        **changes,
    )
    event = CaseEvent(
        case.id,
        new.version,
        ctx.today,
        t.action,
        role.value,
        case.state,
        target,
        t.legal_basis,
        dict(facts),
    )
    effects: list[Effect] = [EventRecorded(event)]
    effects += [FormIssued(ctx.rules.form(f, ctx.today)) for f in t.forms if _form_exists(ctx, f)]
    effects += [TimerStopped(tm.rule_id, ctx.today) for tm in case.running_timers if tm.rule_id in stopping]
    effects += [TimerStarted(timer_deadline(new, tm, ctx.rules, ctx.calendar, ctx.today)) for tm in started]
    if t.pause:
        effects.append(ClockPaused(ctx.today))
    if t.resume:
        effects.append(ClockResumed(ctx.today))
    if t.resolves:
        effects.append(CaseResolved(tuple(tm.rule_id for tm in case.running_timers if tm.rule_id in t.stop)))
    if t.spawn is not None:
        effects.append(CaseSpawned(t.spawn, f"{t.action} ({t.legal_basis})"))
    return new, tuple(effects)


# Clocks that run from receipt start on the receipt day even when the step that reveals them
# (classification) comes later (docs/law.md §4.3).
RECEIPT_CLOCKS = ("receipt", "content_received")


def _clock_start(ctx: Context, case: Case, rule_id: str) -> date:
    rule = ctx.rules.limit(rule_id, ctx.today)
    return case.opened_on if rule.clock_start in RECEIPT_CLOCKS else ctx.today


def _in_force(ctx: Context, rule_id: str) -> bool:
    try:
        ctx.rules.limit(rule_id, ctx.today)
    except RuleNotInForce:
        return False
    return True


def _form_exists(ctx: Context, form_id: str) -> bool:
    try:
        ctx.rules.form(form_id, ctx.today)
    except RuleNotInForce:
        return False
    return True


def _close_pause(pauses: tuple[Pause, ...], today: date) -> tuple[Pause, ...]:
    return tuple(replace(p, resumed_on=today) if p.resumed_on is None else p for p in pauses)
