"""Reading a case file and its sensitive parts: the detail page, the denouncer reveal,
document upload and download, generated official forms. Every sensitive read is audit-logged
(who, which case, and for a reveal, why)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Protocol

from reception.domain.access import ObjectType, Permission, workflow_roles
from reception.domain.cases.case import Case, ProcessKind
from reception.domain.cases.case_file import (
    Assignment,
    CaseFile,
    Dispatch,
    Document,
    Party,
    Publication,
    StoredEvent,
)
from reception.domain.cases.denouncer import DenouncerIdentity
from reception.domain.cases.facts import FactInput, action_inputs
from reception.domain.cases.status import CaseStatus, case_status
from reception.domain.cases.views import local_today
from reception.domain.documents.forms import may_draw_up
from reception.domain.documents.issuers import may_issue
from reception.domain.documents.signed import DocumentKind
from reception.domain.law.workflow import AllowedAction, Role
from reception.domain.organisation import StaffId, StaffMember, StaffRole
from reception.domain.text import is_one_line
from reception.i18n_marker import N_
from reception.services import audit
from reception.services.cases.ports import FormInput, StatusLookup
from reception.services.cases.support import load, obligations, process_of, rebuild, with_summary
from reception.services.cases.workflow import secret_hash
from reception.services.errors import Conflict, FileAltered, Forbidden, Invalid, NotFound
from reception.services.integrity.attestation import add_case_document
from reception.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from reception.services.signing.issuing import DocumentIssuer


class DocumentStorage(Protocol):
    def save(self, data: bytes) -> str: ...
    def read(self, sha256: str) -> bytes: ...


class MediaTypeSniffer(Protocol):
    def __call__(self, data: bytes) -> str | None: ...


class FormRenderer(Protocol):
    def forms(self, case: CaseFile) -> dict[str, str]:
        """form key → title of the official forms this case can produce."""
        ...

    def render(self, form_key: str, data: FormInput) -> bytes: ...


NEXT_STEP_ORDER = (Role.HEAD, Role.VER, Role.PH, Role.RO, Role.SUP, Role.SYS, Role.POL, Role.CIT,
                   Role.REP, Role.RESP, Role.TP)
RECEIPT = "receipt_02"  # Mẫu 02/TCD: the citizen's copy carries the status page's secret


@dataclass(frozen=True)
class ActionOption:
    allowed: AllowedAction
    role: Role
    inputs: tuple[FactInput, ...]


@dataclass(frozen=True)
class CaseDetail:
    case: CaseFile
    domain: Case
    status: CaseStatus
    parties: list[Party]
    events: list[StoredEvent]
    documents: list[Document]
    dispatches: list[Dispatch]
    publications: list[Publication]
    assignments: list[Assignment]
    options: list[ActionOption]
    may_reveal: bool
    forms: dict[str, str]
    # Who may take which step next, whoever is looking (the page never leaves a case without
    # a way forward), the inspectors a verification can be assigned to, and staff names.
    next_steps: dict[Role, tuple[AllowedAction, ...]] = field(default_factory=dict)
    inspectors: list[StaffMember] = field(default_factory=list)
    staff_names: dict[StaffId, str] = field(default_factory=dict)
    max_upload_bytes: int = 0  # the page checks a file's size before sending it


class CaseFiles:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, storage: DocumentStorage,
                 sniff: MediaTypeSniffer, forms: FormRenderer, max_bytes: int,
                 issuer: DocumentIssuer, public_url: str = "") -> None:
        self._issuer = issuer
        self._status_url = f"{public_url.rstrip('/')}/status"
        self._uow = uow
        self._clock = clock
        self._storage = storage
        self._sniff = sniff
        self._forms = forms
        self._max_bytes = max_bytes

    async def detail(self, actor: StaffMember, case_id: uuid.UUID) -> CaseDetail:
        today = local_today(self._clock.now())
        async with self._uow.reading() as uow:
            case = await load(uow, actor, case_id, Permission.VIEW)
            parts = await uow.cases.parts(case.id, case.agency_id)  # one read for the whole page
            domain = await rebuild(uow, case, parts)
            assignments = parts.assignments
            agency = await uow.agencies.get(case.agency_id)
            assigned = any(a.staff_id == actor.id for a in assignments)
            roles = workflow_roles(actor.roles, own_agency=case.agency_id == actor.agency_id,
                                   assigned=assigned,
                                   superior=agency is not None and agency.parent_id == actor.agency_id)
            process = process_of(case)
            status = case_status(domain, today, roles=roles)
            seen: set[str] = set()
            options = []
            for role in roles:
                for allowed in status.actions.get(role, ()):
                    if allowed.action not in seen:
                        seen.add(allowed.action)
                        options.append(ActionOption(allowed, role,
                                                    action_inputs(process, domain, allowed.action)))
            # The statute's path first (resolver, handlers, verifier), the citizen's own acts last.
            everyone = dict(sorted(case_status(domain, today).actions.items(),
                                   key=lambda item: NEXT_STEP_ORDER.index(item[0])))
            staff = parts.staff
            inspectors = [m for m in staff if m.active and StaffRole.INSPECTOR in m.roles]
            return CaseDetail(
                case, domain, status, parts.parties, parts.events, parts.documents,
                parts.dispatches, parts.publications, assignments, options,
                _may_reveal(actor, case, assigned), self._issuable(actor, case, parts.events),
                everyone,
                inspectors, {m.id: m.full_name for m in staff}, self._max_bytes)

    async def reveal(self, actor: StaffMember, case_id: uuid.UUID, party_id: uuid.UUID,
                     reason: str) -> DenouncerIdentity:
        """The sealed identity, for the resolver or an assigned verifier, with a stated reason."""
        if len(reason.strip()) < 5:
            raise Invalid(N_("State why you need the identity (at least 5 characters)."))
        async with self._uow() as uow:
            case = await load(uow, actor, case_id, Permission.REVEAL, ObjectType.PARTY)
            party = next((p for p in await uow.cases.parties(case.id) if p.id == party_id), None)
            if party is None or party.vault_id is None:
                raise NotFound(N_("No sealed identity for this party."))
            assigned = any(a.staff_id == actor.id for a in await uow.cases.assignments(case.id))
            if not _may_reveal(actor, case, assigned):
                raise Forbidden(N_("Only the resolver and the assigned verifiers may see this identity."))
            identity = await uow.vault.get(party.vault_id)
            if identity is None:
                raise NotFound(N_("No sealed identity for this party."))
            await uow.audit.append(audit.record(
                self._clock.now(), actor, "case.identity_reveal", "case_party", party.id,
                agency_id=case.agency_id,
                details={"reference": case.reference, "pseudonym": party.display_name,
                         "reason": reason.strip()[:500]}))
            await uow.commit()
            return identity

    async def upload(self, actor: StaffMember, case_id: uuid.UUID, title: str, data: bytes) -> Document:
        if len(data) > self._max_bytes:
            raise Invalid(N_("The file is larger than {mb} MB."), mb=self._max_bytes // (1024 * 1024))
        media_type = self._sniff(data)
        if media_type is None:
            raise Invalid(N_("Only PDF files and images (JPEG, PNG, WebP) are accepted."))
        if not is_one_line(title.strip()):  # a title is printed as one line (domain/text.py)
            raise Invalid(N_("Write the document's title on one line, without line breaks or "
                             "invisible control characters."))
        async with self._uow() as uow:
            case = await load(uow, actor, case_id, Permission.UPLOAD, ObjectType.DOCUMENT)
            document = Document(uuid.uuid4(), case.id, "upload", title.strip()[:255] or media_type,
                                media_type, len(data), self._storage.save(data), created_by=actor.id)
            await add_case_document(uow, self._clock.now(), actor, case.agency_id, document)
            await uow.audit.append(audit.record(
                self._clock.now(), actor, "case.document_upload", "case_document", document.id,
                agency_id=case.agency_id,
                details={"reference": case.reference, "sha256": document.sha256,
                         "bytes": document.size_bytes}))
            await uow.commit()
            return document

    async def generate(self, actor: StaffMember, case_id: uuid.UUID, form_key: str) -> Document:
        """Issue an official form: drawn from the case file and signed by the issuing official
        on the agency's certificate (decisions and the resolver's notices by the head)."""
        async with self._uow() as uow:
            case = await load(uow, actor, case_id, Permission.GENERATE, ObjectType.DOCUMENT)
            titles = self._forms.forms(case)
            if form_key not in titles:
                raise NotFound(N_("This form does not exist for this kind of case."))
            if not may_issue(form_key, actor.roles):
                raise Forbidden(N_("Only the head of the agency issues and signs this document."))
            data = await self._form_input(uow, case)
            if not _now(form_key, case, data.events):
                raise Conflict(N_("This document records a step the case has not reached: it "
                                  "can be drawn up when that step is next or done (the refusal "
                                  "to receive, Form 01/TCD, once the matter is closed)."))
            agency = await uow.agencies.get(case.agency_id)
            if agency is None:
                raise NotFound(N_("This agency does not exist."))
            pdf = self._forms.render(form_key, data)
            issued = await self._issuer.sign(pdf, agency=agency, actor=actor,
                                             title=titles[form_key])
            document = Document(uuid.uuid4(), case.id, "generated", titles[form_key],
                                "application/pdf", len(issued.data),
                                self._storage.save(issued.data), form_key=form_key,
                                created_by=actor.id)
            await add_case_document(uow, self._clock.now(), actor, case.agency_id, document)
            signed = issued.record(
                kind=DocumentKind.CASE_FORM, title=titles[form_key], reference=case.reference,
                agency=agency, sha256=document.sha256,
                sealed=case.kind is ProcessKind.DENUNCIATION, case_id=case.id,
                document_id=document.id)
            await uow.signed_documents.add(signed, None)  # its file: the case document
            await uow.audit.append(audit.record(
                self._clock.now(), actor, "case.form_generate", "case_document", document.id,
                agency_id=case.agency_id, details={"reference": case.reference, "form": form_key,
                                                   "sha256": document.sha256,
                                                   "signature": signed.code,
                                                   "signed_at": signed.signed_at.isoformat()}))
            await uow.commit()
            return document

    async def receipt(self, actor: StaffMember, case_id: uuid.UUID,
                      secret: str | None = None) -> bytes:
        """The receipt (Mẫu 02/TCD) to hand to the citizen, with the status page's address and
        secret. `secret` is the one shown when the case was registered (checked against its
        hash); without it a new secret is issued and the old one stops working. Both copies are
        signed and registered like every issued form; the case file keeps the agency's copy,
        which never shows the secret (the citizen's copy is handed over, not stored)."""
        async with self._uow() as uow:
            case = await load(uow, actor, case_id, Permission.GENERATE, ObjectType.DOCUMENT, lock=True)
            agency = await uow.agencies.get(case.agency_id)
            if agency is None:
                raise NotFound(N_("This agency does not exist."))
            new_secret = secret is None or not hmac.compare_digest(
                await uow.cases.secret_hash(case.id) or "", secret_hash(secret))
            if new_secret:
                secret = secrets.token_urlsafe(12)
                await uow.cases.set_secret_hash(case.id, secret_hash(secret))
            assert secret is not None
            data = await self._form_input(uow, case)
            title = self._forms.forms(case)[RECEIPT]
            kept = await self._issuer.sign(self._forms.render(RECEIPT, data), agency=agency,
                                           actor=actor, title=title)
            handed = await self._issuer.sign(self._forms.render(RECEIPT, replace(
                data, lookup=StatusLookup(self._status_url, secret))), agency=agency, actor=actor,
                title=title)
            document = Document(uuid.uuid4(), case.id, "generated", title, "application/pdf",
                                len(kept.data), self._storage.save(kept.data), form_key=RECEIPT,
                                created_by=actor.id)
            await add_case_document(uow, self._clock.now(), actor, case.agency_id, document)
            sealed = case.kind is ProcessKind.DENUNCIATION
            for issued, sha, stored in ((kept, document.sha256, document.id),
                                        (handed, hashlib.sha256(handed.data).hexdigest(), None)):
                await uow.signed_documents.add(issued.record(
                    kind=DocumentKind.CASE_FORM, title=title, reference=case.reference,
                    agency=agency, sha256=sha, sealed=sealed, case_id=case.id,
                    document_id=stored), None)  # the kept copy's file: the case document
            await uow.audit.append(audit.record(
                self._clock.now(), actor, "case.receipt_issued", "case_document", document.id,
                agency_id=case.agency_id, details={"reference": case.reference,
                                                   "new_secret": new_secret,
                                                   "signatures": [kept.code, handed.code]}))
            await uow.commit()
            return handed.data

    def _issuable(self, actor: StaffMember, case: CaseFile,
                  events: Sequence[StoredEvent]) -> dict[str, str]:
        """The forms `actor` may generate for this case now: the page offers only these, so
        that choosing one never ends in a refusal (generate() checks the same rules)."""
        return {key: title for key, title in self._forms.forms(case).items()
                if may_issue(key, actor.roles) and _now(key, case, events)}

    async def _form_input(self, uow: UnitOfWork, case: CaseFile) -> FormInput:
        agency = await uow.agencies.get(case.agency_id)
        staff = await uow.staff.list(case.agency_id)
        return FormInput(case, await uow.cases.parties(case.id), await uow.cases.events(case.id),
                         agency.name if agency else "", local_today(self._clock.now()),
                         await uow.cases.documents(case.id), await uow.cases.assignments(case.id),
                         {m.id: m.full_name for m in staff})

    async def download(self, actor: StaffMember, case_id: uuid.UUID,
                       document_id: uuid.UUID) -> tuple[Document, bytes]:
        async with self._uow() as uow:
            case = await load(uow, actor, case_id, Permission.DOWNLOAD, ObjectType.DOCUMENT)
            document = next((d for d in await uow.cases.documents(case.id) if d.id == document_id), None)
            if document is None:
                raise NotFound(N_("No such document in this case file."))
            data = await read_document(uow, self._storage, self._clock, actor, case, document)
            await uow.audit.append(audit.record(
                self._clock.now(), actor, "case.document_download", "case_document", document.id,
                agency_id=case.agency_id, details={"reference": case.reference}))
            await uow.commit()
        return document, data

    async def record_delivery(self, actor: StaffMember, case_id: uuid.UUID, dispatch_id: uuid.UUID,
                              delivered_on: date) -> None:
        """The day a recipient received the decision: the second-complaint window runs from it."""
        if delivered_on > local_today(self._clock.now()):
            raise Invalid(N_("The date of an act cannot be in the future."))
        async with self._uow() as uow:
            case = await load(uow, actor, case_id, Permission.ACT, lock=True)
            sent = next((d for d in await uow.cases.dispatches(case.id) if d.id == dispatch_id), None)
            if sent is None:
                raise NotFound(N_("No such dispatch in this case file."))
            if delivered_on < sent.sent_on:
                raise Invalid(N_("A decision cannot be received before it was sent ({day})."),
                              day=sent.sent_on.isoformat())
            await uow.cases.set_delivered(case.id, dispatch_id, delivered_on)
            # The receipt may move the second-complaint window: refresh what lists query.
            domain = await rebuild(uow, case)
            status, rows = obligations(domain, local_today(self._clock.now()))
            await uow.cases.save_state(with_summary(case, domain, status))
            await uow.cases.replace_obligations(case.id, rows)
            await uow.audit.append(audit.record(
                self._clock.now(), actor, "case.dispatch_delivered", "case_dispatch", dispatch_id,
                agency_id=case.agency_id,
                details={"reference": case.reference, "delivered_on": delivered_on.isoformat()}))
            await uow.commit()


async def read_document(uow: UnitOfWork, storage: DocumentStorage, clock: Clock,
                        actor: StaffMember | None, case: CaseFile, document: Document) -> bytes:
    """A case document's bytes as stored. A file changed on disk since (its SHA-256 differs) is
    refused with FileAltered (409): the refusal is audit-logged and committed, so the audit log
    tells the operator which document of which case was altered, and when it was asked for."""
    try:
        return storage.read(document.sha256)
    except FileAltered:
        await uow.audit.append(audit.record(
            clock.now(), actor, "case.document_altered", "case_document", document.id,
            agency_id=case.agency_id, actor_label=None if actor else "status page",
            details={"reference": case.reference, "sha256": document.sha256}))
        await uow.commit()
        raise


def _may_reveal(actor: StaffMember, case: CaseFile, assigned: bool) -> bool:
    """LTC Art. 47: the resolver (head of the case's own agency) and its assigned verifiers;
    the same reach the matrix gives REVEAL (AGENCY for heads, ASSIGNED for inspectors)."""
    head = StaffRole.HEAD in actor.roles and case.agency_id == actor.agency_id
    return head or (StaffRole.INSPECTOR in actor.roles and assigned)


def _now(form_key: str, case: CaseFile, events: Sequence[StoredEvent]) -> bool:
    """Whether the case has reached the step this form records (domain/documents/forms.py)."""
    return may_draw_up(form_key, process_of(case), case.state, case.closed,
                       (e.event.action for e in events))
