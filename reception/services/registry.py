"""Every use case the web layer may call, as the bootstrap wires them.

Handlers reach services only through this value (`web/context.py`), so the web layer never
imports adapters or the wiring: what it can do is exactly what is listed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from reception.services.audit import AuditService
from reception.services.booking.agenda import AgendaService
from reception.services.booking.bookings import BookingService
from reception.services.booking.calendar import CalendarService
from reception.services.booking.mail import BookingMail
from reception.services.booking.outbox import OutboxService
from reception.services.booking.waiting_room import WaitingRoomService
from reception.services.cases.files import CaseFiles
from reception.services.cases.intake import IntakeService
from reception.services.cases.public import PublicStatusService
from reception.services.cases.reports import CaseReports
from reception.services.cases.workflow import CaseService
from reception.services.hearings.hearings import HearingService
from reception.services.hearings.officials import HearingOfficialsService
from reception.services.hearings.parties import HearingPartiesService
from reception.services.integrity.checks import IntegrityService
from reception.services.ports import Clock
from reception.services.security.limits import RateLimits
from reception.services.security.sessions import SessionService
from reception.services.signing.ports import PublishedTrust
from reception.services.signing.verification import DocumentVerification
from reception.services.staff import StaffService
from reception.services.transcripts.citizen import CitizenTranscripts
from reception.services.transcripts.evidence import EvidenceService
from reception.services.transcripts.language import TranscriptionLanguageService
from reception.services.transcripts.review import TranscriptReviewService
from reception.services.transcripts.search import TranscriptSearch
from reception.services.transcripts.transcription import TranscriptionService


class HealthCheck(Protocol):
    async def media_nodes(self) -> int | None:
        """How many media nodes beat recently (video hearings need one); None when the
        database does not answer."""
        ...


@dataclass(frozen=True)
class BookingServices:
    calendar: CalendarService
    bookings: BookingService
    agenda: AgendaService
    waiting_room: WaitingRoomService
    outbox: OutboxService
    mail: BookingMail
    mail_is_logged: bool  # no SMTP_HOST: pages say the e-mail was not really sent


@dataclass(frozen=True)
class CaseServices:
    workflow: CaseService
    files: CaseFiles
    reports: CaseReports
    public: PublicStatusService
    intake: IntakeService  # reception → case file


@dataclass(frozen=True)
class HearingServices:
    hearings: HearingService
    parties: HearingPartiesService
    video_size: tuple[int, int]  # what the browser is asked to send (HEARING_VIDEO_SIZE)
    test_probe: bool = False  # test mode (ICE_LOOPBACK_ONLY): pages expose their media state


@dataclass(frozen=True)
class TranscriptServices:
    transcription: TranscriptionService
    language: TranscriptionLanguageService
    review: TranscriptReviewService
    citizen: CitizenTranscripts
    search: TranscriptSearch
    evidence: EvidenceService


@dataclass(frozen=True)
class SecurityServices:
    sessions: SessionService  # server-side staff sessions
    limits: RateLimits  # rate limits shared by every web process
    hearing_officials: HearingOfficialsService  # who may join a hearing as an official


@dataclass(frozen=True)
class SigningServices:
    verification: DocumentVerification  # the public verification page
    published: PublishedTrust  # root certificate (and demo CRL) anyone may download


@dataclass(frozen=True)
class Services:
    clock: Clock
    health: HealthCheck
    staff: StaffService
    audit: AuditService
    booking: BookingServices
    hearings: HearingServices
    transcripts: TranscriptServices
    cases: CaseServices
    security: SecurityServices
    signing: SigningServices
    integrity: IntegrityService  # recordings, documents and the audit log checked
