"""The ports services talk to; adapters implement them (SQL, argon2, clock)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from types import TracebackType
from typing import Protocol

from reception.domain.audit import AuditRecord, AuditRow
from reception.domain.organisation import Agency, AgencyId, StaffId, StaffMember
from reception.services.booking.ports import (
    BookingRepository,
    OutboxRepository,
    ParticipantRepository,
    ReceptionSessionRepository,
)
from reception.services.cases.ports import (
    CaseReceptionRepository,
    CaseReportRepository,
    CaseRepository,
    DenouncerVaultRepository,
)
from reception.services.hearings.ports import (
    HearingRepository,
    HearingTicketRepository,
    MediaNodeRepository,
)
from reception.services.integrity.ports import IntegrityRepository
from reception.services.security.ports import (
    HearingOfficialRepository,
    RateLimitCounters,
    StaffSessionRepository,
)
from reception.services.signing.ports import SignedDocumentRepository
from reception.services.transcripts.ports import JobQueuePort, TranscriptionStore
from reception.services.transcripts.review_ports import TranscriptReviewRepository
from reception.services.transcripts.search_ports import EvidenceRepository, TranscriptSearchRepository


class AgencyRepository(Protocol):
    async def get(self, agency_id: AgencyId) -> Agency | None: ...
    async def by_code(self, code: str) -> Agency | None: ...
    async def list(self) -> Sequence[Agency]: ...
    async def add(self, agency: Agency) -> None: ...
    async def update(self, agency: Agency) -> None: ...


class StaffRepository(Protocol):
    async def get(self, staff_id: StaffId) -> StaffMember | None: ...
    async def by_login(self, login: str) -> tuple[StaffMember, str] | None:
        """The member and their password hash."""
        ...

    async def list(self, agency_id: AgencyId | None = None) -> Sequence[StaffMember]: ...
    async def add(self, member: StaffMember, password_hash: str) -> None: ...
    async def update(self, member: StaffMember) -> None: ...
    async def set_password_hash(self, staff_id: StaffId, password_hash: str) -> None: ...


class AuditLog(Protocol):
    async def append(self, record: AuditRecord) -> None: ...
    def entries(self) -> AsyncIterator[tuple[int, AuditRecord, str, str]]:
        """(id, record, stored prev_hash, stored hash) in id order."""
        ...

    def rows(self) -> AsyncIterator[AuditRow]:
        """Every stored row in id order, with whether it is keyed."""
        ...

    def of_actions(self, actions: Sequence[str]) -> AsyncIterator[AuditRecord]:
        """The records of these actions, in id order."""
        ...

    def of_object(self, object_type: str, object_id: str,
                  actions: Sequence[str]) -> AsyncIterator[AuditRecord]:
        """The records of these actions about one object, in id order; only rows whose
        content matches their (keyed) hash: a rewritten row is left out (the log's check
        names it)."""
        ...


class UnitOfWork(Protocol):
    # Read-only: services use the repositories, never rebind them; a plain attribute here
    # would be invariant and reject an adapter whose repositories are concrete classes.
    @property
    def agencies(self) -> AgencyRepository: ...
    @property
    def staff(self) -> StaffRepository: ...
    @property
    def audit(self) -> AuditLog: ...
    @property
    def reception_sessions(self) -> ReceptionSessionRepository: ...
    @property
    def bookings(self) -> BookingRepository: ...
    @property
    def participants(self) -> ParticipantRepository: ...
    @property
    def outbox(self) -> OutboxRepository: ...
    @property
    def cases(self) -> CaseRepository: ...
    @property
    def vault(self) -> DenouncerVaultRepository: ...
    @property
    def case_reports(self) -> CaseReportRepository: ...
    @property
    def hearings(self) -> HearingRepository: ...
    @property
    def media_nodes(self) -> MediaNodeRepository: ...
    @property
    def hearing_tickets(self) -> HearingTicketRepository: ...
    @property
    def transcription(self) -> TranscriptionStore: ...  # the transcription pipeline
    @property
    def jobs(self) -> JobQueuePort: ...  # jobs commit with the state they belong to
    @property
    def transcript_review(self) -> TranscriptReviewRepository: ...
    @property
    def transcript_search(self) -> TranscriptSearchRepository: ...  # search and evidence links
    @property
    def evidence(self) -> EvidenceRepository: ...
    @property
    def integrity(self) -> IntegrityRepository: ...  # checks of recordings and documents
    @property
    def staff_sessions(self) -> StaffSessionRepository: ...  # signed-in staff (services/sessions)
    @property
    def rate_limits(self) -> RateLimitCounters: ...  # services/limits
    @property
    def hearing_officials(self) -> HearingOfficialRepository: ...  # who may join as an official
    @property
    def case_receptions(self) -> CaseReceptionRepository: ...  # reception → case
    @property
    def signed_documents(self) -> SignedDocumentRepository: ...  # the register of signatures

    async def __aenter__(self) -> UnitOfWork: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...

    def reading(self) -> UnitOfWork:
        """A unit of work that only reads (a page, a list, the session check): what it reads
        is what a transaction would read, at less cost; a write or a commit in it is refused."""
        ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, password_hash: str, password: str) -> bool: ...
    def needs_rehash(self, password_hash: str) -> bool: ...


class Clock(Protocol):
    def now(self) -> datetime: ...
