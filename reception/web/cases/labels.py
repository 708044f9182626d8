"""Engine identifiers in the reader's language: action and state names for pages (Vietnamese
from the domain glossary; other languages get the identifier in plain words), and a workflow
refusal as a sentence with those names, the engine's English reason kept for the details."""

from __future__ import annotations

from dataclasses import dataclass

from reception.domain.cases.labels import action_vn, state_vn
from reception.i18n_marker import N_
from reception.services.errors import ServiceError
from reception.web.i18n import current_locale, gettext

REFUSED = N_("“{action}” cannot be done while the case is at “{state}”.")


def _plain(identifier: str) -> str:
    """'C_DIALOGUE_NOTIFIED' → 'dialogue notified'; 'sign_decision' → 'sign decision'."""
    head, _, rest = identifier.partition("_")
    words = rest if head.isupper() and len(head) <= 2 and rest else identifier
    return words.replace("_", " ").lower()


def action_label(action: str) -> str:
    return action_vn(action) if current_locale() == "vi" else _plain(action)


def state_label(state: str) -> str:
    return state_vn(state) if current_locale() == "vi" else _plain(state)


@dataclass(frozen=True)
class Refusal:
    message: str  # in the reader's language
    reason: str  # the engine's own words (English), for staff who need the legal detail


def refusal_of(error: ServiceError) -> Refusal | None:
    """The error as a readable refusal, if it is the engine refusing an action."""
    params = error.params
    if not {"action", "state", "reason"} <= params.keys():
        return None
    message = gettext(REFUSED).format(action=action_label(str(params["action"])),
                                      state=state_label(str(params["state"])))
    return Refusal(message, str(params["reason"]))
