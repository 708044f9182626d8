"""The one place that wires adapters into services.

`Container.start()` resolves the database (embedded or DATABASE_URL), opens the engine and
builds the services; `close()` releases everything and is idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from reception.adapters.audit_anchor import AnchorFile
from reception.adapters.clock import SystemClock
from reception.adapters.db.connections import Connections
from reception.adapters.db.engine import create_engine
from reception.adapters.db.health import EngineHealth
from reception.adapters.db.room_event_bus import PostgresEventBus
from reception.adapters.db.uow import SqlUnitsOfWork
from reception.adapters.evidence_files import EvidenceFileChecks
from reception.adapters.forms_pdf.hearing_record import HearingRecordPdf  # transcripts
from reception.adapters.jobs.queue import JobQueue  # transcription jobs
from reception.adapters.media.nodes import NodeClient
from reception.adapters.passwords import Argon2Hasher
from reception.bootstrap.booking import build_booking_services
from reception.bootstrap.cases import build_case_services, document_store, identity_sealer
from reception.bootstrap.hearings import (
    build_hearing_service,
    dead_after,
    recordings_dir,
    video_size,
)
from reception.bootstrap.signing import build_signing, build_signing_services
from reception.bootstrap.transcription import build_transcription_service
from reception.domain.integrity import IntegrityReport, Trigger
from reception.domain.sessions import SessionPolicy
from reception.services.audit import AuditService
from reception.services.booking.sealing import seal_earlier_bookings
from reception.services.hearings.events import RoomEvents
from reception.services.hearings.officials import HearingOfficialsService
from reception.services.hearings.parties import HearingPartiesService
from reception.services.integrity.checks import IntegrityService
from reception.services.ports import Clock
from reception.services.registry import (
    BookingServices,
    CaseServices,
    HearingServices,
    SecurityServices,
    Services,
    TranscriptServices,
)
from reception.services.security.limits import RateLimits
from reception.services.security.sessions import SessionService
from reception.services.staff import StaffService
from reception.services.transcripts.citizen import CitizenTranscripts
from reception.services.transcripts.evidence import EvidenceService  # search and evidence
from reception.services.transcripts.language import TranscriptionLanguageService
from reception.services.transcripts.review import TranscriptReviewService
from reception.services.transcripts.search import TranscriptSearch
from reception.settings import Settings


@dataclass
class Container:
    settings: Settings
    database_url: str
    clock: Clock = field(default_factory=SystemClock)  # tests pin time with their own
    engine: AsyncEngine = field(init=False)
    staff: StaffService = field(init=False)

    def __post_init__(self) -> None:
        self.engine = create_engine(self.database_url, pool_size=self.settings.db_pool_size,
                                    recycle_seconds=self.settings.db_pool_recycle_seconds)
        # One pooled connection per HTTP request, shared by its units of work (app.py). Requests
        # queue for the pool's size, never its overflow: under steady load the overflow was
        # opened and closed over and over, and background work (a media node's heartbeat, the
        # outbox) must find a connection during a flood.
        self.connections = Connections(self.engine, capacity=self.settings.db_pool_size)
        sealer = identity_sealer(self.settings)
        audit_key = self.settings.audit_chain_key()
        self.anchors = AnchorFile(self.settings.audit_anchor_path(), audit_key)
        self.uow_factory = SqlUnitsOfWork(self.connections, sealer, audit_key=audit_key,
                                          anchors=self.anchors)
        self.staff = StaffService(self.uow_factory, Argon2Hasher(), self.clock)
        self.audit = AuditService(self.uow_factory, audit_key, self.anchors)
        self.integrity = IntegrityService(self.uow_factory, self.clock, EvidenceFileChecks(
            recordings_dir(self.settings), {"case": self.settings.data_dir / "case_documents",
                                            "upload": self.settings.data_dir / "uploads"}),
            self.audit)
        # Room events of hearings: the waiting room, hearings and media nodes publish; they reach
        # the websockets of every process through PostgreSQL (app.py listens while serving).
        self.room_bus = PostgresEventBus(self.database_url)
        self.events = events = RoomEvents(bus=self.room_bus)
        self.booking: BookingServices = build_booking_services(self.settings, self.uow_factory,
                                                               self.clock, events)
        self.signing = build_signing(self.settings)  # agency certificates, or the demo CA
        self.cases: CaseServices = build_case_services(self.settings, self.uow_factory, self.clock,
                                                       self.signing.issuer)
        self.jobs = JobQueue(self.database_url,  # opens its pool on first use
                             integrity_cron=self.settings.integrity_check_cron or None)
        self.nodes = NodeClient(self.settings.media_node_key())  # hearings' media nodes
        self.hearings = build_hearing_service(self.settings, self.uow_factory, self.clock,
                                              self.booking.agenda, self.booking.waiting_room,
                                              events, self.nodes)
        self.transcription = build_transcription_service(self.settings, self.uow_factory,
                                                         self.clock)
        self.transcription_language = TranscriptionLanguageService(self.uow_factory, self.clock)
        self.transcript_review = TranscriptReviewService(
            self.uow_factory, self.clock, recordings_dir(self.settings), HearingRecordPdf(),
            self.signing.issuer, document_store(self.settings), verifier=self.integrity)
        self.citizen_transcripts = CitizenTranscripts(self.uow_factory, self.clock)
        self.transcript_search = TranscriptSearch(self.uow_factory, self.clock)
        self.evidence = EvidenceService(self.uow_factory, self.clock)
        self.services = Services(
            clock=self.clock, health=EngineHealth(self.engine, dead_after(self.settings)),
            staff=self.staff, audit=self.audit,
            booking=self.booking,
            hearings=HearingServices(self.hearings, HearingPartiesService(self.uow_factory, self.clock),
                                     video_size(self.settings),
                                     test_probe=self.settings.ice_loopback_only),
            transcripts=TranscriptServices(self.transcription, self.transcription_language,
                                           self.transcript_review, self.citizen_transcripts,
                                           self.transcript_search, self.evidence),
            cases=self.cases,
            security=SecurityServices(
                SessionService(self.uow_factory, self.clock, SessionPolicy(
                    idle=timedelta(minutes=self.settings.session_idle_minutes),
                    lifetime=timedelta(hours=self.settings.session_max_hours))),
                RateLimits(self.uow_factory, self.clock),
                HearingOfficialsService(self.uow_factory, self.clock)),
            signing=build_signing_services(self.settings, self.uow_factory, self.signing),
            integrity=self.integrity)
        self._closed = False

    async def periodic_integrity_check(self) -> IntegrityReport:
        return await self.integrity.check_all(Trigger.PERIODIC)

    async def seal_earlier_bookings(self) -> int:
        """Run by `reception migrate` after the schema (services/booking/sealing.py)."""
        async with self.uow_factory() as uow:
            sealed = await seal_earlier_bookings(uow, self.clock.now())
            await uow.commit()
        return sealed

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            await self.room_bus.close()  # after the last publisher: it flushes what is queued
            await self.jobs.close()
            await self.nodes.close()
            await self.engine.dispose()
