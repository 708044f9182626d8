"""Guard builders: named predicates over the facts an actor supplies or the case itself."""

from __future__ import annotations

from collections.abc import Callable, Collection

from reception.domain.cases.case import Case
from reception.domain.law.workflow import Context, Guard


def fact(name: str, reason: str) -> Guard:
    """The actor asserts `name=True` (e.g. within_competence); anything else refuses."""
    return Guard(
        name, reason, lambda case, facts, ctx: facts.get(name) is True, needs=(name,), example={name: True}
    )


def fact_not(name: str, reason: str) -> Guard:
    """The actor must not assert `name` (e.g. identity protection requested)."""
    return Guard(f"not {name}", reason, lambda case, facts, ctx: facts.get(name) is not True)


def fact_in(name: str, allowed: Collection[str], reason: str) -> Guard:
    """The actor names one of the statute's listed grounds (e.g. an LKN Art. 11 bar)."""
    return Guard(
        name,
        reason,
        lambda case, facts, ctx: facts.get(name) in allowed,
        needs=(name,),
        example={name: next(iter(allowed))},
        choices=tuple(allowed),
    )


def fact_given(name: str, reason: str) -> Guard:
    """A written reference the law requires (finding, decision number) is supplied."""
    return Guard(
        name,
        reason,
        lambda case, facts, ctx: isinstance(facts.get(name), str) and bool(facts.get(name)),
        needs=(name,),
        example={name: "ref-1"},
    )


def case_is(name: str, reason: str, predicate: Callable[[Case], bool]) -> Guard:
    """A condition decided by the case alone; allowed_actions can evaluate it."""
    return Guard(name, reason, lambda case, facts, ctx: predicate(case))


def case_and_time(name: str, reason: str, predicate: Callable[[Case, Context], bool]) -> Guard:
    """A condition on the case and today (e.g. a timer has expired)."""
    return Guard(name, reason, lambda case, facts, ctx: predicate(case, ctx))
