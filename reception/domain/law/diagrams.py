"""Each process renders itself as a Mermaid state diagram and a transition table for legal
review (STYLE rule 2). Pure text; reception.workflow_docs writes it into docs/."""

from __future__ import annotations

from reception.domain.law.rulebook import RuleBook
from reception.domain.law.workflow import NEW, PREVIOUS, SAME, Process

ANY = "ANY_OPEN"


def _sources(process: Process, sources: tuple[str, ...]) -> list[str]:
    # Actions allowed from many states ("any open state") are drawn once from a pseudo-state.
    return [ANY] if len(sources) > 4 else ["[*]" if s == NEW else s for s in sources]


def mermaid(process: Process) -> str:
    lines = ["stateDiagram-v2", f"    %% {process.name_vi}"]
    for spec in process.states:
        lines.append(f"    {spec.code} : {spec.code}<br/>{spec.vn}")
    if any(len(t.sources) > 4 for t in process.transitions):
        lines.append(f"    {ANY} : any open state")
    for t in (process.opening, *process.transitions):
        for source in _sources(process, t.sources):
            target = t.target
            if target == SAME:
                target = source
            elif target == PREVIOUS:
                target = ANY  # back to the state the suspension interrupted
            roles = "/".join(sorted(r.value for r in t.roles))
            lines.append(f"    {source} --> {target} : {t.action} [{roles}]")
    for spec in process.states:
        if spec.terminal:
            lines.append(f"    {spec.code} --> [*]")
    return "\n".join(lines)


def transition_table(process: Process, rules: RuleBook) -> str:
    head = "| Ref | Action | From | To | Roles | Guards | Forms | Timers | Legal basis |"
    rows = [head, "|---|---|---|---|---|---|---|---|---|"]
    for t in (process.opening, *process.transitions):
        timers = " ".join(
            [f"start {r}" for r in t.start]
            + [f"stop {r}" for r in t.stop]
            + (["pause"] if t.pause else [])
            + (["resume"] if t.resume else [])
            + (["**resolves**"] if t.resolves else [])
        )
        guards = "; ".join(g.name for g in t.guards) or "—"
        roles = "/".join(sorted(r.value for r in t.roles))
        sources = ", ".join(t.sources) if len(t.sources) <= 4 else "any open state"
        forms = ", ".join(_form_label(rules, f) for f in t.forms) or "—"
        rows.append(
            f"| {t.ref} | `{t.action}` | {sources} | {t.target} | {roles} | {guards} | "
            f"{forms} | {timers or '—'} | {t.legal_basis} |"
        )
    return "\n".join(rows)


def _form_label(rules: RuleBook, form_id: str) -> str:
    versions = [f for f in rules.forms if f.id == form_id]
    latest = max(versions, key=lambda f: f.effective_from)
    return f"{latest.code} ({form_id}) [{latest.confidence}]"
