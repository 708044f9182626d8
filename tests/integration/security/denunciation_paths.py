"""Every workflow path that can produce a denunciation, read from the process tables
themselves (reception/domain/processes), and a planner that finds, in the engine, the actions
that lead a case to the state where a path's spawning transition may be taken."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from reception.domain.cases.case import Case, ComplaintSubject, ProcessKind
from reception.domain.cases.refs import REGISTRABLE
from reception.domain.law.errors import WorkflowRefusal
from reception.domain.law.workflow import Process, Role, Transition
from reception.domain.processes.complaint import complaint_process
from reception.domain.processes.registry import SIMPLE

MAX_STEPS = 10


@dataclass(frozen=True)
class Edge:
    """A spawning transition: taking `action` in a `kind` case opens a `spawn` case."""

    kind: ProcessKind
    action: str
    spawn: ProcessKind


@dataclass(frozen=True)
class Path:
    entry: ProcessKind  # the kind registered (through the API or the registration page)
    edges: tuple[Edge, ...]

    @property
    def name(self) -> str:
        return " → ".join([f"register {self.entry}", *(f"{e.action} → {e.spawn}"
                                                         for e in self.edges)])


def processes(kind: ProcessKind) -> tuple[Process, ...]:
    if kind is ProcessKind.COMPLAINT:
        return tuple(complaint_process(s, i) for s in ComplaintSubject for i in (1, 2))
    return (SIMPLE[kind],)


def spawning_edges(kind: ProcessKind) -> list[Edge]:
    found = {Edge(kind, t.action, t.spawn) for p in processes(kind) for t in p.transitions
             if t.spawn is not None}
    return sorted(found, key=lambda e: (e.action, e.spawn))


def denunciation_paths() -> list[Path]:
    """Registering a denunciation, and every chain of spawns (each edge at most once) from a
    registrable kind whose last case is a denunciation."""
    paths: list[Path] = []

    def walk(entry: ProcessKind, kind: ProcessKind, chain: tuple[Edge, ...]) -> None:
        if kind is ProcessKind.DENUNCIATION:
            paths.append(Path(entry, chain))
        for edge in spawning_edges(kind):
            if edge not in chain:
                walk(entry, edge.spawn, (*chain, edge))

    for entry in REGISTRABLE:
        walk(entry, entry, ())
    return paths


@dataclass(frozen=True)
class Step:
    action: str
    role: Role
    facts: Mapping[str, Any]
    on: date


def _examples(t: Transition) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for guard in t.guards:
        facts.update(guard.example)
    return facts


def plan(process: Process, case: Case, target: str, roles: Iterable[Role],
         today: date, start: date | None = None) -> list[Step]:
    """The shortest list of steps (actions the given roles may take, with facts that satisfy
    their guards) after which `target` is taken. Steps are dated `start` (a case received
    earlier); the target may also be taken `today`, when a time limit must have run out first
    (a superior takes over only an overdue denunciation)."""
    roles = tuple(roles)
    start = start or today
    queue: deque[tuple[Case, list[Step]]] = deque([(case, [])])
    seen = {(case.state, case.markers)}
    while queue:
        current, steps = queue.popleft()
        for t in (t for t in process.transitions if current.state in t.sources):
            for role in (r for r in roles if r in t.roles):
                facts = _examples(t)
                following = None
                for on in (start, today) if t.action == target else (start,):
                    try:
                        following, _ = process.apply(current, t.action, role, on, **facts)
                        break
                    except WorkflowRefusal:
                        continue
                if following is None:
                    continue
                step = Step(t.action, role, facts, on)
                if t.action == target:
                    return [*steps, step]
                key = (following.state, following.markers)
                if key in seen or len(steps) >= MAX_STEPS or t.spawn is not None:
                    continue
                seen.add(key)
                queue.append((following, [*steps, step]))
    raise AssertionError(f"no way to {target} in {process.kind} from {case.state}")
