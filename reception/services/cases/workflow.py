"""Case-file use cases that change state: register a case, take a workflow action. Each is one
unit of work: the engine judges the action, and the event row, the new state, the derived
obligations and the audit entry are written in the same transaction."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from reception.domain.access import ObjectType, Permission, workflow_roles
from reception.domain.cases.case import Case, CaseId, ComplaintSubject, ProcessKind
from reception.domain.cases.case_file import (
    CaseFile,
    Channel,
    ContestedDecision,
    Dispatch,
    Party,
    Publication,
    StoredEvent,
)
from reception.domain.cases.refs import REGISTRABLE, reference_for
from reception.domain.cases.views import local_today, search_key
from reception.domain.law.errors import WorkflowRefusal
from reception.domain.law.events import CaseResolved, CaseSpawned, Effect, EventRecorded, FactValue
from reception.domain.law.workflow import Process, Role
from reception.domain.organisation import AgencyId, StaffId, StaffMember, StaffRole
from reception.i18n_marker import N_
from reception.services import audit
from reception.services.cases.parties import (
    PRINCIPAL_ROLES,
    carry_into,
    principal_of,
    seal_new,
    seal_source,
)
from reception.services.cases.parties import (
    NewParty as NewParty,  # re-exported: callers build registrations from this module
)
from reception.services.cases.support import load, obligations, process_of, rebuild, scope, with_summary
from reception.services.errors import Conflict, Forbidden, Invalid, NotFound
from reception.services.ports import Clock, UnitOfWork, UnitOfWorkFactory

ASSIGNS_VERIFIERS = frozenset({"assign_verification"})  # LKN Art. 29(1)(b); LTC Art. 31(2)


@dataclass(frozen=True)
class NewCase:
    kind: ProcessKind
    channel: Channel
    summary: str
    parties: Sequence[NewParty]
    subject: ComplaintSubject = ComplaintSubject.ADMINISTRATIVE
    contested: ContestedDecision | None = None
    received_on: date | None = None  # a letter received earlier is registered with its date
    facts: Mapping[str, FactValue] = field(default_factory=dict)


@dataclass(frozen=True)
class ActionRequest:
    action: str
    facts: Mapping[str, FactValue] = field(default_factory=dict)
    on: date | None = None  # the day the act was done (defaults to today)
    note: str | None = None
    verifier_ids: Sequence[StaffId] = ()  # assign_verification: the first leads the team
    recipients: Sequence[tuple[str, str]] = ()  # dispatch: (recipient, channel)
    publication_medium: str | None = None
    document_id: uuid.UUID | None = None  # the decision dispatched / published


@dataclass(frozen=True)
class Registered:
    case: CaseFile
    secret: str  # shown once to the citizen with the receipt; only its hash is stored


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class CaseService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def today(self) -> date:
        return local_today(self._clock.now())

    async def register(self, actor: StaffMember, new: NewCase) -> Registered:
        async with self._uow() as uow:
            registered = await self.register_in(uow, actor, new)
            await uow.commit()
            return registered

    async def register_in(self, uow: UnitOfWork, actor: StaffMember, new: NewCase) -> Registered:
        """Register inside the caller's unit of work (a case opened from a reception is
        registered together with its links, documents and evidence)."""
        if new.kind not in REGISTRABLE:
            raise Invalid(N_("This kind of case cannot be registered directly."))
        if not any(p.role in PRINCIPAL_ROLES for p in new.parties):
            raise Invalid(N_("Name the complainant, denouncer or petitioner."))
        on = self._day(new.received_on)
        if not (await scope(uow, actor, Permission.REGISTER, ObjectType.CASE_SET)).agency_ids:
            raise Forbidden(N_("You may not register case files."))
        case, secret = await self._open(uow, actor, actor.agency_id, new, on, parent=None,
                                        roles=workflow_roles(actor.roles, own_agency=True,
                                                             assigned=False, superior=False))
        return Registered(case, secret)

    async def act(self, actor: StaffMember, case_id: uuid.UUID, request: ActionRequest) -> CaseFile:
        if request.action in ASSIGNS_VERIFIERS and not request.verifier_ids:
            # A verification nobody is assigned to leaves the case with no one able to move it.
            raise Invalid(N_("Choose who verifies: at least one inspector of the agency."),
                          field="verifier_ids")
        async with self._uow() as uow:
            case = await load(uow, actor, case_id, Permission.ACT, lock=True)
            history = await uow.cases.events(case.id)
            on = self._day(request.on, not_before=history[-1].event.on if history else None)
            before = await rebuild(uow, case)
            assigned = {a.staff_id for a in await uow.cases.assignments(case.id)}
            agency = await uow.agencies.get(case.agency_id)
            roles = workflow_roles(actor.roles, own_agency=case.agency_id == actor.agency_id,
                                   assigned=actor.id in assigned,
                                   superior=agency is not None and agency.parent_id == actor.agency_id)
            process = process_of(case)
            after, effects, role = _apply_first(process, before, request, roles, on)
            _, rows_before = obligations(before, on)
            status, rows = obligations(after, on)
            updated = with_summary(case, after, status)
            resolved = next((e for e in effects if isinstance(e, CaseResolved)), None)
            if resolved is not None and case.resolved_on is None:
                # Only the resolving act resolves (workflow.Transition.resolves): a case closed by a
                # lawsuit, a termination or an escalation stopped its clock without resolving.
                due = min((r.due for r in rows_before if r.rule_id in resolved.clocks), default=None)
                updated = replace(updated, resolved_on=on,
                                  resolved_on_time=None if due is None else on <= due)
            if request.action.startswith("classify_"):
                updated = replace(updated, content_type=request.action.removeprefix("classify_"))
            if request.verifier_ids:
                updated = replace(updated, assignee_id=request.verifier_ids[0])
            now = self._clock.now()
            for effect in effects:
                if isinstance(effect, EventRecorded):
                    await uow.cases.append_event(
                        StoredEvent(effect.event, now, actor.id, actor.login, request.note), case.agency_id)
            await uow.cases.save_state(updated)
            await uow.cases.replace_obligations(case.id, rows)
            await self._side_records(uow, case, request, on)
            for effect in effects:
                if isinstance(effect, CaseSpawned):
                    await self._spawn(uow, actor, updated, effect, on)
            await uow.audit.append(audit.record(
                now, actor, "case.action", "case_file", case.id, agency_id=case.agency_id,
                details={"reference": case.reference, "action": request.action, "as": role.value,
                         "from": before.state, "to": after.state, "seq": after.version}))
            await uow.commit()
            return updated

    def _day(self, requested: date | None, not_before: date | None = None) -> date:
        today = self.today()
        day = requested or today
        if day > today:
            raise Invalid(N_("The date of an act cannot be in the future."))
        if not_before is not None and day < not_before:
            raise Invalid(N_("The date of an act cannot precede the case's last event ({day})."),
                          day=not_before.isoformat())
        return day

    async def _open(self, uow: UnitOfWork, actor: StaffMember, agency_id: AgencyId, new: NewCase,
                    on: date, *, parent: uuid.UUID | None, roles: Sequence[Role],
                    copy_parties: Sequence[Party] = ()) -> tuple[CaseFile, str]:
        case_id = uuid.uuid4()
        number = await uow.cases.next_number(agency_id, on.year, reference_for(new.kind, 1, 1).prefix)
        reference = str(reference_for(new.kind, on.year, number))
        draft = CaseFile(case_id, agency_id, reference, new.kind, new.subject, 1, "(new)", 0,
                         new.channel, on, new.summary, "", parent_id=parent, contested=new.contested)
        process = process_of(replace(draft, instance=int(new.facts.get("instance") or 1)))  # type: ignore[arg-type]
        _check_receipt_day(process, on)
        refusal: WorkflowRefusal | None = None
        for role in roles:
            try:
                opened, effects = process.open(CaseId(str(case_id)), role, on, **new.facts)
                break
            except WorkflowRefusal as error:
                refusal = refusal or error
        else:
            raise _refused(refusal) if refusal else Forbidden(N_("You may not register case files."))
        # Every party goes in through the vault where the law seals it (services/cases/parties).
        parties = (await carry_into(uow, new.kind, copy_parties) if copy_parties
                   else await seal_new(uow, new.kind, new.parties))
        principal = principal_of(parties)
        status, rows = obligations(opened, on)
        case = with_summary(replace(draft, instance=opened.instance, principal_name=principal.display_name,
                                    principal_id_number=principal.id_number), opened, status)
        secret = secrets.token_urlsafe(12)
        await uow.cases.add(case, name_key=search_key(case.principal_name), secret_hash=secret_hash(secret))
        for party in parties:
            await uow.cases.add_party(case.id, replace(party, id=uuid.uuid4()))
        now = self._clock.now()
        for effect in effects:
            if isinstance(effect, EventRecorded):
                await uow.cases.append_event(StoredEvent(effect.event, now, actor.id, actor.login),
                                             agency_id)
        await uow.cases.replace_obligations(case.id, rows)
        await uow.audit.append(audit.record(
            now, actor, "case.register", "case_file", case.id, agency_id=agency_id,
            details={"reference": reference, "kind": new.kind.value, "channel": new.channel.value,
                     "parent": str(parent) if parent else None}))
        return case, secret

    async def _side_records(self, uow: UnitOfWork, case: CaseFile, request: ActionRequest,
                            on: date) -> None:
        """The records some actions carry: verification team, dispatch log, publication log."""
        for index, staff_id in enumerate(request.verifier_ids):
            member = await uow.staff.get(staff_id)
            if (member is None or member.agency_id != case.agency_id or not member.active
                    or StaffRole.INSPECTOR not in member.roles):
                # Only an inspector acts as verifier (domain/access.py): anyone else could not
                # report, and the case would stay in verification with nobody to move it.
                raise Invalid(N_("A verifier must be an inspector of the case's agency."),
                              field="verifier_ids")
            await uow.cases.assign(case.id, staff_id, lead=index == 0, on=on)
        for recipient, channel in request.recipients:
            await uow.cases.add_dispatch(Dispatch(uuid.uuid4(), case.id, recipient[:255], channel[:16],
                                                  on, None, request.document_id))
        if request.publication_medium:
            await uow.cases.add_publication(Publication(uuid.uuid4(), case.id,
                                                        request.publication_medium[:32], on, None,
                                                        request.document_id))
            if request.document_id and not await uow.cases.publish_document(case.id, request.document_id):
                raise NotFound(N_("No such document in this case file."))

    async def _spawn(self, uow: UnitOfWork, actor: StaffMember, case: CaseFile, effect: CaseSpawned,
                     on: date) -> None:
        """Open the case the action calls for: a petition becomes a complaint or denunciation
        at the same agency (clocks from the original receipt); a second complaint or a
        further denunciation goes to the agency above."""
        escalating = case.kind is effect.kind
        agency = await uow.agencies.get(case.agency_id)
        target = agency.parent_id if escalating and agency and agency.parent_id else case.agency_id
        second = escalating and effect.kind is ProcessKind.COMPLAINT
        facts: dict[str, FactValue] = {"instance": 2} if second else {}
        new = NewCase(effect.kind, case.channel, case.summary, (), case.subject, case.contested, facts=facts)
        parties = await uow.cases.parties(case.id)
        if effect.kind is ProcessKind.DENUNCIATION:
            await seal_source(uow, case)  # the petitioner was a denouncer from the start
        await self._open(uow, actor, target, new, case.opened_on if not escalating else on,
                         parent=case.id, roles=(Role.HEAD, Role.PH, Role.RO), copy_parties=parties)


def _apply_first(process: Process, before: Case, request: ActionRequest, roles: Sequence[Role],
                 on: date) -> tuple[Case, tuple[Effect, ...], Role]:
    """Try the actor's workflow roles in order; the first the engine accepts acts. Otherwise the
    most telling refusal (not a mere 'role may not act') is reported."""
    refusals: list[WorkflowRefusal] = []
    for role in roles:
        try:
            after, effects = process.apply(before, request.action, role, on, **request.facts)
            return after, effects, role
        except WorkflowRefusal as error:
            refusals.append(error)
    if not refusals:
        raise Forbidden(N_("Your roles take no part in this case's workflow."))
    telling = [r for r in refusals if "may not act" not in r.reason]
    raise _refused((telling or refusals)[0])


def _refused(error: WorkflowRefusal) -> Conflict:
    """The engine's refusal; `failed` names what is missing (the pages explain each with its
    article), `reason` keeps the engine's own words for API callers."""
    return Conflict(N_("Cannot {action} while the case is {state}: {reason}"),
                    action=error.action, state=error.state, reason=error.reason,
                    failed=error.failed, basis=error.basis)


RECEIVED_TOO_EARLY = N_("The day of receipt cannot be before {day}: the deadlines of this kind of "
                        "case are counted under rules in force from that day.")


def _check_receipt_day(process: Process, on: date) -> None:
    """A reception day before the rules of the process were in force (a typo, 1900-01-01)
    would open a case whose legal clocks never start; the future is refused by _day."""
    first = process.first_receipt_day()
    if first is not None and on < first:
        raise Invalid(RECEIVED_TOO_EARLY, field="received_on", day=f"{first:%d/%m/%Y}")
