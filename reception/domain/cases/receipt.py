"""Clocks the law counts from the complainant's RECEIPT of a decision (LKN Art. 33(1): the
second-complaint window C-7; D-1/D-2 for disciplinary decisions; docs/law.md §4.3 "per recipient
delivery date"). The engine starts them on the dispatch day, the only date it knows; once the
case file records when the complainant received the decision, that day drives the deadline
and the guards that read it (file_second_complaint checks the window against it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from reception.domain.cases.case import Case
from reception.domain.cases.case_file import Dispatch, Party, PartyRole
from reception.domain.cases.views import search_key
from reception.domain.law.rulebook import RuleBook, default_rulebook

RECEIPT_OF_DECISION = "decision_received"  # the rules table's clock_start for these clocks
# Delivery to the complainant's representative is delivery to the complainant.
RECEIVING_ROLES = frozenset({PartyRole.COMPLAINANT, PartyRole.REPRESENTATIVE})


def receipt_rules(rules: RuleBook | None = None) -> frozenset[str]:
    """The rules whose clock starts on the receipt of a decision (C-7, C-16, D-1, D-2 today)."""
    book = rules or default_rulebook()
    return frozenset(x.id for x in book.limits if x.clock_start == RECEIPT_OF_DECISION)


def complainant_receipt(dispatches: Iterable[Dispatch], parties: Iterable[Party]) -> date | None:
    """The earliest recorded delivery of a decision to the complainant (or their representative),
    matched by the recipient's name. Earliest, because in a group the first receipt opens the
    first window to close: alerts must not come late."""
    names = {search_key(p.display_name) for p in parties if p.role in RECEIVING_ROLES}
    days = [d.delivered_on for d in dispatches
            if d.delivered_on is not None and search_key(d.recipient) in names]
    return min(days, default=None)


def counted_from_receipt(case: Case, received_on: date | None,
                         rules: RuleBook | None = None) -> Case:
    """`case` with its running receipt-of-decision clocks started on `received_on`.

    A receipt recorded before the clock's start (the dispatch) is a clerical slip, not a reason
    to shorten the citizen's window: such clocks keep the dispatch day."""
    if received_on is None:
        return case
    wanted = receipt_rules(rules)
    timers = tuple(
        replace(t, started_on=received_on)
        if t.running and t.rule_id in wanted and received_on > t.started_on else t
        for t in case.timers
    )
    return case if timers == case.timers else replace(case, timers=timers)
