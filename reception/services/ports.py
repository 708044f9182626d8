"""The ports services talk to; adapters implement them (SQL, argon2, clock)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from types import TracebackType
from typing import Protocol

from reception.domain.audit import AuditRecord
from reception.domain.organisation import Agency, AgencyId, StaffId, StaffMember
from reception.services.booking_ports import (
    BookingRepository,
    OutboxRepository,
    ParticipantRepository,
    ReceptionSessionRepository,
)
from reception.services.cases_ports import CaseReportRepository, CaseRepository, DenouncerVaultRepository
from reception.services.hearing_ports import HearingRepository
from reception.services.search_ports import EvidenceRepository, TranscriptSearchRepository
from reception.services.transcript_review_ports import TranscriptReviewRepository
from reception.services.transcription_ports import TranscriptionStore


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


class UnitOfWork(Protocol):
    agencies: AgencyRepository
    staff: StaffRepository
    audit: AuditLog
    reception_sessions: ReceptionSessionRepository
    bookings: BookingRepository
    participants: ParticipantRepository
    outbox: OutboxRepository
    cases: CaseRepository
    vault: DenouncerVaultRepository
    case_reports: CaseReportRepository
    hearings: HearingRepository
    transcription: TranscriptionStore  # issue 7 pipeline
    transcript_review: TranscriptReviewRepository
    transcript_search: TranscriptSearchRepository  # search and evidence links (issue 7)
    evidence: EvidenceRepository

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


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, password_hash: str, password: str) -> bool: ...
    def needs_rehash(self, password_hash: str) -> bool: ...


class Clock(Protocol):
    def now(self) -> datetime: ...
