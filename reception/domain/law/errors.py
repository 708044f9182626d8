"""Domain errors: a small hierarchy whose instances carry their data (STYLE rule 6)."""

from __future__ import annotations

from datetime import date


class DomainError(Exception):
    """Base of every error the pure domain raises."""


class WorkflowRefusal(DomainError):
    """An action the statute does not allow: "cannot <action> while <state>: <reason>"."""

    def __init__(self, action: str, state: str, reason: str, failed: tuple[str, ...] = (),
                 basis: str = "") -> None:
        self.action = action
        self.state = state
        self.reason = reason
        self.failed = failed  # names of the guards that refused (what is missing, and why)
        self.basis = basis  # the transition's legal basis
        super().__init__(f"cannot {action} while {state}: {reason}")


class RuleNotInForce(DomainError):
    """No version of a rule was in force on the date asked about."""

    def __init__(self, rule_id: str, on: date) -> None:
        self.rule_id = rule_id
        self.on = on
        super().__init__(f"no version of rule {rule_id} is in force on {on.isoformat()}")


class InvalidRules(DomainError):
    """The rules table is malformed; names the entry and the offending value."""


class InvalidPeriod(DomainError):
    """A period that cannot be counted (negative length, resumption before suspension, ...)."""


class AuthorityNotFound(DomainError):
    """The agency tree does not name a competent resolver for this decision."""
