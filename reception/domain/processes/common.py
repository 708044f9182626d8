"""Shared pieces of the process tables: role sets, the Law 136 cut-over, timer guards."""

from __future__ import annotations

from datetime import date

from reception.domain.cases.case import Case
from reception.domain.law.guards import case_and_time, case_is
from reception.domain.law.timers import expiry_windows, timer_deadline
from reception.domain.law.workflow import Context, Guard, Role

# L136, ND154-156 take effect (docs/law.md §0.2). Guards on provisions that did not exist before.
LAW_136_IN_FORCE = date(2026, 7, 1)

HEAD = frozenset({Role.HEAD})
STAFF = frozenset({Role.RO, Role.PH, Role.HEAD})
CITIZEN = frozenset({Role.CIT, Role.REP})
VERIFIER = frozenset({Role.VER})
SYSTEM = frozenset({Role.SYS, Role.HEAD})


def law_136_in_force(provision: str) -> Guard:
    return case_and_time(
        "law_136_in_force",
        f"{provision} applies only from 1/7/2026 (L136; transitional rules ND155 Art. 22, ND156 Art. 10)",
        lambda case, ctx: ctx.today >= LAW_136_IN_FORCE,
    )


def _running_due(case: Case, ctx: Context, rule_ids: tuple[str, ...]) -> list[date]:
    return [
        timer_deadline(case, t, ctx.rules, ctx.calendar, ctx.today).due
        for t in case.running_timers
        if t.rule_id in rule_ids
    ]


def timer_expired(rule_ids: tuple[str, ...], what: str) -> Guard:
    """True once a running timer of `rule_ids` is past its due day (24:00, BLDS Art. 148)."""
    return case_and_time(
        f"{'/'.join(rule_ids)} expired",
        f"{what} has not yet expired",
        lambda case, ctx: any(ctx.today > due for due in _running_due(case, ctx, rule_ids)),
    )


def timer_open(rule_ids: tuple[str, ...], what: str) -> Guard:
    """True while a running timer of `rule_ids` has not passed its due day."""
    return case_and_time(
        f"within {'/'.join(rule_ids)}",
        f"{what} has expired or is not running",
        lambda case, ctx: any(ctx.today <= due for due in _running_due(case, ctx, rule_ids)),
    )


def timer_running(rule_id: str, refusal: str) -> Guard:
    """True while a timer of `rule_id` runs: the act that stops it is still owed."""
    return case_is(f"{rule_id} running", refusal,
                   lambda case: any(t.rule_id == rule_id for t in case.running_timers))


def expiry_window_open(window_id: str, what: str) -> Guard:
    """True while the window `window_id`, opened by the expiry of a running period
    (timers.EXPIRY_WINDOWS), has not passed its last day."""
    return case_and_time(
        f"within {window_id}",
        f"{what} has ended",
        lambda case, ctx: any(
            ctx.today <= w.due
            for w in expiry_windows(case, ctx.rules, ctx.calendar, ctx.today)
            if w.rule_id == window_id
        ),
    )


def has_marker(marker: str) -> Guard:
    return case_and_time(marker, f"the case carries no {marker}", lambda c, ctx: marker in c.markers)


SUPERIOR = frozenset({Role.SUP})
