"""What every case use case needs: the caller's scope from the matrix, loading a case in
scope (or NotFound), rebuilding the engine's Case from the events, and the obligations row
set and summary columns derived from it."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

from reception.domain.access import ObjectType, Permission, Scope, scope_for
from reception.domain.cases.case import Case, CaseId
from reception.domain.cases.case_file import CaseFile, CaseParts, CaseScope, ObligationRow
from reception.domain.cases.receipt import complainant_receipt, counted_from_receipt, receipt_rules
from reception.domain.cases.status import CaseStatus, case_status
from reception.domain.cases.views import agency_subtree
from reception.domain.law.workflow import Process
from reception.domain.organisation import StaffMember
from reception.domain.processes.complaint import complaint_process
from reception.domain.processes.registry import SIMPLE
from reception.i18n_marker import N_
from reception.services.errors import NotFound
from reception.services.ports import UnitOfWork

CASE_NOT_FOUND = N_("No such case file.")


def process_of(case: CaseFile) -> Process:
    """The table governing a persisted case (complaints by subject and instance)."""
    if case.kind.value == "complaint":
        return complaint_process(case.subject, case.instance)
    return SIMPLE[case.kind]


async def scope(uow: UnitOfWork, actor: StaffMember, permission: Permission,
                obj: ObjectType = ObjectType.CASE) -> CaseScope:
    """The cases `actor` may touch for `permission`; empty when the matrix grants nothing."""
    granted = scope_for(actor.roles, permission, obj)
    if granted is None:
        return CaseScope()
    if granted is Scope.ASSIGNED:
        return CaseScope(assigned_to=actor.id)
    if granted is Scope.AGENCY:
        return CaseScope(frozenset({actor.agency_id}))
    return CaseScope(agency_subtree(await uow.agencies.list(), actor.agency_id))


async def load(uow: UnitOfWork, actor: StaffMember, case_id: uuid.UUID, permission: Permission,
               obj: ObjectType = ObjectType.CASE, *, lock: bool = False) -> CaseFile:
    found = await uow.cases.get(case_id, await scope(uow, actor, permission, obj), lock=lock)
    if found is None:
        raise NotFound(CASE_NOT_FOUND)
    return found


async def rebuild(uow: UnitOfWork, case: CaseFile, parts: CaseParts | None = None) -> Case:
    """The engine's Case, replayed from the append-only history (the stored state is a cache
    for queries; the events are the truth). Clocks the law counts from the complainant's
    receipt of a decision run from the recorded delivery date (LKN Art. 33(1)). With `parts`
    already read (the case page), nothing is read again."""
    stored = parts.events if parts is not None else await uow.cases.events(case.id)
    replayed = process_of(case).replay(CaseId(str(case.id)), [s.event for s in stored])
    if not any(t.running and t.rule_id in receipt_rules() for t in replayed.timers):
        return replayed
    if parts is not None:
        received = complainant_receipt(parts.dispatches, parts.parties)
    else:
        received = complainant_receipt(await uow.cases.dispatches(case.id),
                                       await uow.cases.parties(case.id))
    return counted_from_receipt(replayed, received)


def obligations(domain_case: Case, today: date) -> tuple[CaseStatus, list[ObligationRow]]:
    status = case_status(domain_case, today, roles=())
    rows = [ObligationRow(o.deadline.rule_id, o.deadline.article[:255], o.deadline.trigger,
                          o.deadline.due, o.paused) for o in (*status.obligations, *status.dates)]
    return status, rows


def with_summary(case: CaseFile, domain_case: Case, status: CaseStatus) -> CaseFile:
    """Copy the engine's state into the columns lists and the dashboard filter on: the next due
    day is the office's (a party's window or an effect day is never the case's overdue)."""
    running = [o for o in status.obligations if not o.paused]
    first = min(running, key=lambda o: o.deadline.due) if running else None
    return replace(case, state=domain_case.state, version=domain_case.version,
                   closed=status.closed, next_due=first.deadline.due if first else None,
                   next_rule=first.deadline.rule_id if first else None)
