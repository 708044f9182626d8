"""The case file as the services see it: the persisted record around the engine's Case
(parties, documents, dispatch and publication logs, verification team). Frozen values."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from reception.domain.cases.case import ComplaintSubject, ProcessKind
from reception.domain.law.events import CaseEvent
from reception.domain.organisation import AgencyId, StaffId, StaffMember


class Channel(enum.StrEnum):
    """How the petition arrived (docs/law.md §3.8)."""

    VISIT = "visit"  # at a reception visit
    POST = "post"
    ONLINE = "online"
    FORWARDED = "forwarded"  # by another body, with its forwarding letter
    BOX = "box"  # petition box


class PartyRole(enum.StrEnum):
    COMPLAINANT = "complainant"
    DENOUNCER = "denouncer"
    PETITIONER = "petitioner"
    REPRESENTATIVE = "representative"
    GROUP_MEMBER = "group_member"
    COMPLAINEE = "complainee"  # người bị khiếu nại
    DENOUNCED = "denounced"  # người bị tố cáo
    THIRD_PARTY = "third_party"  # người có quyền, nghĩa vụ liên quan


@dataclass(frozen=True, slots=True)
class Party:
    id: uuid.UUID
    role: PartyRole
    position: int
    display_name: str  # a denouncer's pseudonym; the real name is only in the vault
    address: str | None = None
    id_type: str | None = None
    id_number: str | None = None
    contact: str | None = None
    organisation: str | None = None
    vault_id: uuid.UUID | None = None

    @property
    def sealed(self) -> bool:
        return self.vault_id is not None


@dataclass(frozen=True, slots=True)
class ContestedDecision:
    number: str
    issued_on: date | None
    issuer: str


@dataclass(frozen=True, slots=True)
class CaseFile:
    id: uuid.UUID
    agency_id: AgencyId
    reference: str
    kind: ProcessKind
    subject: ComplaintSubject
    instance: int
    state: str
    version: int
    channel: Channel
    opened_on: date
    summary: str
    principal_name: str
    parent_id: uuid.UUID | None = None
    content_type: str | None = None
    contested: ContestedDecision | None = None
    principal_id_number: str | None = None
    assignee_id: StaffId | None = None
    closed: bool = False
    next_due: date | None = None
    next_rule: str | None = None
    resolved_on: date | None = None
    resolved_on_time: bool | None = None


@dataclass(frozen=True, slots=True)
class StoredEvent:
    event: CaseEvent
    at: datetime
    actor_id: StaffId | None
    actor_label: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    id: uuid.UUID
    case_id: uuid.UUID
    origin: str  # "upload" | "generated"
    title: str
    media_type: str
    size_bytes: int
    sha256: str
    form_key: str | None = None
    published: bool = False
    created_by: StaffId | None = None
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Dispatch:
    id: uuid.UUID
    case_id: uuid.UUID
    recipient: str
    channel: str
    sent_on: date
    delivered_on: date | None = None
    document_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class Publication:
    id: uuid.UUID
    case_id: uuid.UUID
    medium: str
    start_on: date
    end_on: date | None = None
    document_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class Assignment:
    staff_id: StaffId
    lead: bool
    assigned_on: date


@dataclass(frozen=True, slots=True)
class CaseParts:
    """Everything a case file's page shows besides the file itself, read in one go: its
    history, parties, documents, dispatches, publications, assignments, and the staff of the
    case's agency (names and who can be assigned)."""

    events: list[StoredEvent]
    parties: list[Party]
    documents: list[Document]
    dispatches: list[Dispatch]
    publications: list[Publication]
    assignments: list[Assignment]
    staff: list[StaffMember]


@dataclass(frozen=True, slots=True)
class ObligationRow:
    rule_id: str
    article: str
    started_on: date
    due: date
    paused: bool


@dataclass(frozen=True, slots=True)
class CaseScope:
    """Which cases a query may touch: these agencies, or (verifiers) the cases assigned to
    `assigned_to`. Empty means nothing: an out-of-scope id is simply not found."""

    agency_ids: frozenset[AgencyId] = frozenset()
    assigned_to: StaffId | None = None


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """Search and list filters: text is a reference, a name prefix or an ID number."""

    text: str = ""
    state: str | None = None
    kind: str | None = None
    overdue_only: bool = False
    due_before: date | None = None
    open_only: bool = False
