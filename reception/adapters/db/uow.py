"""One SQL transaction per use case: leaving the block without commit() rolls back. The
transaction runs on the request's shared connection when it is free (connections.py), so a
signed-in request checks out one pooled connection for its session check and its use case.
After a commit that appended to the audit log, the new head is anchored outside the database."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncConnection

from reception.adapters.audit_anchor import AnchorFile
from reception.adapters.db.connections import Connections, Lease
from reception.adapters.db.engine import ReadOnlyViolation, session_on
from reception.adapters.db.outage import is_outage, unavailable
from reception.adapters.db.repositories.booking import (
    SqlBookings,
    SqlOutbox,
    SqlParticipants,
    SqlReceptionSessions,
)
from reception.adapters.db.repositories.cases.cases import SqlCases
from reception.adapters.db.repositories.cases.evidence import SqlEvidence  # search
from reception.adapters.db.repositories.cases.receptions import SqlCaseReceptions
from reception.adapters.db.repositories.cases.reports import SqlCaseReports
from reception.adapters.db.repositories.hearings import SqlHearings
from reception.adapters.db.repositories.integrity import SqlIntegrity
from reception.adapters.db.repositories.media_nodes import SqlHearingTickets, SqlMediaNodes
from reception.adapters.db.repositories.organisation import SqlAgencies, SqlAuditLog, SqlStaff
from reception.adapters.db.repositories.security import SqlHearingOfficials, SqlRateLimits
from reception.adapters.db.repositories.sessions import SqlStaffSessions
from reception.adapters.db.repositories.signing import SqlSignedDocuments
from reception.adapters.db.repositories.transcripts.review import SqlTranscriptReview
from reception.adapters.db.repositories.transcripts.search import SqlTranscriptSearch
from reception.adapters.db.repositories.transcripts.transcription import SqlTranscriptionStore
from reception.adapters.jobs.in_transaction import SqlJobs
from reception.adapters.vault import IdentitySealer, SqlVault


class SqlUnitOfWork:
    """`reading=True`: a unit of work that only reads, its statements run without a
    transaction around them (connections.py, Lease); a write or a commit is refused."""

    def __init__(self, connections: Connections, sealer: IdentitySealer | None = None, *,
                 audit_key: bytes, anchors: AnchorFile | None = None,
                 reading: bool = False) -> None:
        self._connections = connections
        self._sealer = sealer
        self._audit_key = audit_key
        self._anchors = anchors
        self._reading = reading

    async def __aenter__(self) -> SqlUnitOfWork:
        try:
            lease = await self._connections.lease(reading=self._reading)
        except Exception as error:
            if is_outage(error):  # the database went away: 503, not a bug
                raise unavailable() from error
            raise
        self._lease: Lease = lease
        self.session = session_on(lease.connection, self._reconnect, reading=self._reading)
        self.agencies = SqlAgencies(self.session)
        self.staff = SqlStaff(self.session)
        self.audit = SqlAuditLog(self.session, self._audit_key)
        self.reception_sessions = SqlReceptionSessions(self.session)
        self.bookings = SqlBookings(self.session)
        self.participants = SqlParticipants(self.session)
        self.outbox = SqlOutbox(self.session)
        self.cases = SqlCases(self.session)
        self.case_reports = SqlCaseReports(self.session)
        self.vault = SqlVault(self.session, self._sealer)
        self.hearings = SqlHearings(self.session)
        self.media_nodes = SqlMediaNodes(self.session)  # which process holds each hearing's media
        self.hearing_tickets = SqlHearingTickets(self.session)
        self.transcription = SqlTranscriptionStore(self.session)  # the transcription pipeline
        self.jobs = SqlJobs(self.session)  # the job queue, in this transaction
        self.transcript_review = SqlTranscriptReview(self.session)
        self.transcript_search = SqlTranscriptSearch(self.session)  # search
        self.evidence = SqlEvidence(self.session)
        self.integrity = SqlIntegrity(self.session)  # checks of recordings and documents
        self.staff_sessions = SqlStaffSessions(self.session)  # security edge
        self.rate_limits = SqlRateLimits(self.session)
        self.hearing_officials = SqlHearingOfficials(self.session)
        self.case_receptions = SqlCaseReceptions(self.session)  # reception → case
        self.signed_documents = SqlSignedDocuments(self.session)  # the register of signatures
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            await self.session.rollback()  # a no-op after commit()
            await self.session.close()
        except Exception as error:
            await self._lease.discard()  # never lend a connection in an unknown state again
            if not is_outage(error):
                raise
            if exc is None:
                raise unavailable() from error
        else:
            await self._lease.give_back()
        if exc is not None and is_outage(exc):  # the database went away: 503, not a bug
            raise unavailable() from exc

    async def _reconnect(self) -> AsyncConnection:
        return await self._lease.replace(self._connections.engine)

    async def commit(self) -> None:
        if self._reading:
            raise ReadOnlyViolation("commit() in a unit of work that only reads")
        await self.session.commit()
        head, self.audit.head = self.audit.head, None
        if head is not None and self._anchors is not None:
            self._anchors.record_quietly(*head)


class SqlUnitsOfWork:
    """The factory the services hold: `uow()` for a use case, `uow.reading()` for a read."""

    def __init__(self, connections: Connections, sealer: IdentitySealer | None = None, *,
                 audit_key: bytes, anchors: AnchorFile | None = None) -> None:
        self._connections, self._sealer = connections, sealer
        self._audit_key, self._anchors = audit_key, anchors

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._connections, self._sealer, audit_key=self._audit_key,
                             anchors=self._anchors)

    def reading(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._connections, self._sealer, audit_key=self._audit_key,
                             anchors=self._anchors, reading=True)
