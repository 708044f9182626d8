"""Workflow actions as questions, and refusals as sentences: the facts an action asks for with
the legal text behind them (domain/cases/questions.py), and an engine refusal turned into the
list of what is missing and why, each with its article — never the engine's identifiers."""

from __future__ import annotations

from dataclasses import dataclass

from reception.domain.cases.facts import FactInput
from reception.domain.cases.questions import (
    CHOICES,
    GUARD_FIELDS,
    GUARDS,
    TIMER_EXPIRED,
    TIMER_OPEN,
    TIMER_RUNNING,
    Question,
    question,
)
from reception.i18n_marker import N_
from reception.services.errors import ServiceError
from reception.web.i18n import gettext
from reception.web.rendering.labels import citation, label

REFUSED = N_("“{action}” cannot be done now.")
NOT_CONFIRMED = N_("Not confirmed: {statement}")
NOT_ANSWERED = N_("Not answered: {question}")
NO_SUCH_STEP = N_("This step is not possible while the case is at “{state}”.")
NOT_YOUR_STEP = N_("Your role does not take this step.")


@dataclass(frozen=True)
class Asked:
    """One input of an action form, in the reader's language."""

    spec: FactInput
    ask: str
    confirm: str  # the statement a checkbox confirms ("" for other inputs)
    explain: str
    article: str
    choices: tuple[tuple[str, str], ...]  # (value, label)

    @property
    def is_confirmation(self) -> bool:
        return self.spec.kind == "bool" or (self.spec.kind == "choice" and len(self.choices) == 1)


def asked(action: str, spec: FactInput) -> Asked:
    q = question(action, spec.name) or Question(spec.name, "")
    choices = tuple((value, gettext(CHOICES[value]) if value in CHOICES else value)
                    for value in spec.choices)
    return Asked(spec, gettext(q.ask), gettext(q.confirm) if q.confirm else gettext(q.ask),
                 gettext(q.explain) if q.explain else "", citation(q.article), choices)


@dataclass(frozen=True)
class Reason:
    text: str
    article: str
    field: str | None = None  # the fact's input, when an answer would change it


@dataclass(frozen=True)
class Refusal:
    message: str  # in the reader's language
    reasons: tuple[Reason, ...]
    basis: str  # the step's legal basis, cited in the reader's language


def guard_reason(action: str, name: str) -> Reason:
    """Why guard `name` refuses `action`, as a sentence with its article."""
    q = question(action, name)
    if q is not None:
        return Reason(_sentence(q), citation(q.article), name)
    if name in GUARDS:
        return Reason(gettext(GUARDS[name].ask), citation(GUARDS[name].article),
                      GUARD_FIELDS.get(name))
    rule = name.split()[-1] if name.startswith("within ") else name.split()[0]
    template = TIMER_OPEN if name.startswith("within ") else (
        TIMER_RUNNING if name.endswith(" running") else TIMER_EXPIRED)
    titles = " / ".join(label("rule", r) for r in rule.split("/"))
    return Reason(gettext(template).format(rule=titles), "")


def _sentence(q: Question) -> str:
    if q.confirm:
        return gettext(NOT_CONFIRMED).format(statement=gettext(q.confirm))
    return gettext(NOT_ANSWERED).format(question=gettext(q.ask))


def refusal_of(error: ServiceError) -> Refusal | None:
    """The error as a readable refusal, if it is the engine refusing an action."""
    params = error.params
    if not {"action", "state"} <= params.keys():
        return None
    action = str(params["action"])
    failed = tuple(str(n) for n in params.get("failed") or ())  # type: ignore[attr-defined]
    reasons = tuple(guard_reason(action, name) for name in failed)
    if not reasons:
        reason = str(params.get("reason", ""))
        text = NOT_YOUR_STEP if "may not act" in reason else NO_SUCH_STEP
        reasons = (Reason(gettext(text).format(state=label("state", params["state"])), ""),)
    message = gettext(REFUSED).format(action=label("action", action))
    return Refusal(message, reasons, citation(str(params.get("basis", ""))))
