"""Reception → case file: "Open a case file" on a reception (an online booking and its hearing,
or a walk-in or phone reception) registers the case with everything the reception holds — the
citizen as complainant, denouncer or petitioner (a denouncer sealed in the vault), the
representatives, the content, the documents the citizen attached, and the hearings with their
transcripts quoted as evidence — in one unit of work. Its clocks start on the reception day
(domain/cases/intake.py). The case lists its receptions; the reception shows its case."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from reception.domain.access import ObjectType, Permission
from reception.domain.booking import LOCAL_TZ, Booking, BookingId, Citizen
from reception.domain.booking import Document as BookingDocument
from reception.domain.cases.case import ComplaintSubject, ProcessKind
from reception.domain.cases.case_file import CaseFile, Channel, ContestedDecision, Document, PartyRole
from reception.domain.cases.intake import (
    KIND_FOR_SUBJECT,
    ReceptionLink,
    hearing_windows,
    reception_day,
    took_place,
)
from reception.domain.cases.status import Obligation
from reception.domain.cases.views import local_today
from reception.domain.hearings.model import Hearing, HearingStatus
from reception.domain.law.events import FactValue
from reception.domain.organisation import StaffMember, StaffRole
from reception.domain.transcripts.transcript import EvidenceItem, EvidenceLink, EvidenceLinkId
from reception.i18n_marker import N_
from reception.services import audit
from reception.services.booking.sealing import citizen_behind, seal_booked
from reception.services.cases.support import load, obligations, rebuild, scope
from reception.services.cases.workflow import CaseService, NewCase, NewParty, Registered
from reception.services.errors import Conflict, Forbidden, NotFound
from reception.services.integrity.attestation import add_case_document
from reception.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from reception.services.transcripts.evidence import MAX_PASSAGE_MS

NO_RECEPTION = N_("This reception does not exist.")
SEALED_KIND = N_("A denouncer's identity stays sealed: this reception opens a denunciation case "
                 "file. If the citizen also complains, the complaint is filed on its own.")
# Staff who hold receptions, follow cases or resolve them see a reception of their agency.
RECEPTION_READERS = frozenset({StaffRole.RECEPTIONIST, StaffRole.INSPECTOR, StaffRole.CASE_MANAGER,
                               StaffRole.HEAD})
PRINCIPAL: dict[ProcessKind, PartyRole] = {
    ProcessKind.PETITION: PartyRole.PETITIONER,
    ProcessKind.COMPLAINT: PartyRole.COMPLAINANT,
    ProcessKind.DENUNCIATION: PartyRole.DENOUNCER,
    ProcessKind.RECOMMENDATION: PartyRole.PETITIONER,
}
RESPONDENT: dict[ProcessKind, PartyRole] = {
    ProcessKind.COMPLAINT: PartyRole.COMPLAINEE,
    ProcessKind.DENUNCIATION: PartyRole.DENOUNCED,
    ProcessKind.PETITION: PartyRole.COMPLAINEE,
}


class BookingFiles(Protocol):
    def read(self, sha256: str) -> bytes: ...


class CaseDocuments(Protocol):
    def save(self, data: bytes) -> str: ...


@dataclass(frozen=True)
class LinkedCase:
    case: CaseFile
    received_on: date
    next_deadline: Obligation | None


@dataclass(frozen=True)
class ReceptionView:
    """A reception as staff see it: the booking, its hearings and documents, and its cases."""

    booking: Booking
    agency_name: str
    hearings: Sequence[Hearing]
    documents: Sequence[BookingDocument]
    cases: Sequence[LinkedCase]
    received_on: date  # the day the clocks of a case opened from it start
    took_place: bool
    may_open: bool  # took place, and the viewer may register case files
    suggested_kind: ProcessKind


@dataclass(frozen=True)
class CaseFromReception:
    """What the official confirms or adds before opening the case."""

    kind: ProcessKind
    summary: str
    subject: ComplaintSubject = ComplaintSubject.ADMINISTRATIVE
    respondent: str | None = None
    contested: ContestedDecision | None = None


@dataclass(frozen=True)
class ReceptionOfCase:
    link: ReceptionLink
    booking: Booking
    hearings: Sequence[Hearing]


class IntakeService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, cases: CaseService,
                 booking_files: BookingFiles, case_documents: CaseDocuments) -> None:
        self._uow, self._clock, self._cases = uow, clock, cases
        self._booking_files, self._case_documents = booking_files, case_documents

    async def reception(self, actor: StaffMember, booking_id: BookingId) -> ReceptionView:
        today = local_today(self._clock.now())
        async with self._uow() as uow:
            booking = await self._booking(uow, actor, booking_id)
            hearings = list(await uow.hearings.of_booking(booking.id))
            linked = []
            for link in await uow.case_receptions.for_booking(booking.id):
                case = await uow.cases.get(link.case_id, await scope(uow, actor, Permission.VIEW))
                if case is None:  # a case out of the viewer's reach is not shown
                    continue
                status, _ = obligations(await rebuild(uow, case), today)
                running = [o for o in status.obligations if not o.paused]
                linked.append(LinkedCase(case, link.received_on, running[0] if running else None))
            registers = bool((await scope(uow, actor, Permission.REGISTER,
                                          ObjectType.CASE_SET)).agency_ids)
            agency = await uow.agencies.get(booking.agency_id)
            held = took_place(booking, self._clock.now())
            return ReceptionView(
                booking, agency.name if agency else "", hearings,
                await uow.bookings.documents(booking.id), linked, reception_day(booking, hearings),
                held, registers and held, KIND_FOR_SUBJECT[booking.subject])

    async def open_case(self, actor: StaffMember, booking_id: BookingId,
                        wanted: CaseFromReception) -> Registered:
        """Register the case from the reception, with its links, documents and evidence."""
        now = self._clock.now()
        async with self._uow() as uow:
            booking = await self._booking(uow, actor, booking_id, lock=True)
            if not took_place(booking, now):
                raise Conflict(N_("A case file is opened from a reception that took place."))
            if await uow.case_receptions.for_booking(booking.id):
                raise Conflict(N_("A case file was already opened from this reception."))
            hearings = list(await uow.hearings.of_booking(booking.id))
            received_on = reception_day(booking, hearings)
            # A denouncer comes out of the booking's vault entry only to be sealed in the case's
            # (a case of another kind would name them in clear); a reception that turns out to
            # be a denunciation is sealed now.
            if booking.sealed_identity is not None and wanted.kind is not ProcessKind.DENUNCIATION:
                raise Conflict(SEALED_KIND, field="kind")
            citizen = await citizen_behind(uow, booking)
            if wanted.kind is ProcessKind.DENUNCIATION:
                booking = await seal_booked(uow, booking, now, actor)
            registered = await self._cases.register_in(
                uow, actor, self._new_case(booking, citizen, wanted, received_on))
            case = registered.case
            await uow.case_receptions.add(ReceptionLink(case.id, booking.id, received_on, actor.id,
                                                        now))
            copied = await self._copy_documents(uow, actor, booking, case)
            quoted = await self._quote_hearings(uow, actor, booking, case, hearings)
            await uow.audit.append(audit.record(
                now, actor, "case.opened_from_reception", "case_file", case.id,
                agency_id=case.agency_id,
                details={"reference": case.reference, "booking": booking.reference,
                         "received_on": received_on.isoformat(), "documents": copied,
                         "hearings": len(hearings), "evidence_links": quoted}))
            await uow.commit()
            return registered

    async def receptions_of_case(self, actor: StaffMember,
                                 case_id: uuid.UUID) -> list[ReceptionOfCase]:
        async with self._uow() as uow:
            case = await load(uow, actor, case_id, Permission.VIEW)
            found = []
            for link in await uow.case_receptions.for_case(case.id):
                booking = await uow.bookings.get(link.booking_id)
                if booking is not None:
                    found.append(ReceptionOfCase(link, booking,
                                                 list(await uow.hearings.of_booking(booking.id))))
            return found

    @staticmethod
    def _new_case(booking: Booking, citizen: Citizen, wanted: CaseFromReception,
                  received_on: date) -> NewCase:
        contact = " · ".join(x for x in (citizen.phone, citizen.email) if x) or None
        parties = [NewParty(PRINCIPAL[wanted.kind], citizen.full_name, citizen.address, "CCCD",
                            citizen.id_number, contact)]
        parties += [NewParty(PartyRole.REPRESENTATIVE, name) for name in booking.representatives]
        if wanted.respondent and wanted.kind in RESPONDENT:
            parties.append(NewParty(RESPONDENT[wanted.kind], wanted.respondent))
        facts: dict[str, FactValue] = ({"group_size": booking.group_size}
                                       if booking.group_size > 1 else {})
        if wanted.kind is ProcessKind.DENUNCIATION:
            facts["identity_protection_waived"] = booking.identity_protection_waived
        subject = wanted.subject if wanted.kind is ProcessKind.COMPLAINT else ComplaintSubject.ADMINISTRATIVE
        contested = wanted.contested if wanted.kind is ProcessKind.COMPLAINT else None
        return NewCase(wanted.kind, Channel.VISIT, wanted.summary, parties, subject, contested,
                       received_on, facts)

    async def _copy_documents(self, uow: UnitOfWork, actor: StaffMember, booking: Booking,
                              case: CaseFile) -> int:
        """The citizen's attachments become documents of the case file (same bytes, same hash)."""
        documents = await uow.bookings.documents(booking.id)
        for attached in documents:
            digest = self._case_documents.save(self._booking_files.read(attached.sha256))
            await add_case_document(uow, self._clock.now(), actor, case.agency_id, Document(
                uuid.uuid4(), case.id, "upload", attached.filename[:255], attached.content_type,
                attached.size, digest, created_by=actor.id))
        return len(documents)

    async def _quote_hearings(self, uow: UnitOfWork, actor: StaffMember, booking: Booking,
                              case: CaseFile, hearings: Sequence[Hearing]) -> int:
        """Each hearing held is quoted whole, as passages of the longest length a link takes:
        the case file shows what the citizen said, as the transcript reads now."""
        count = 0
        for hearing in hearings:
            if hearing.status is HearingStatus.OPEN and hearing.recording_started_at is None:
                continue  # nothing recorded yet
            recordings = await uow.hearings.recordings(hearing.id)
            seconds = max((r.duration_seconds or 0.0 for r in recordings), default=0.0)
            if not seconds and hearing.ended_at and hearing.recording_started_at:
                seconds = (hearing.ended_at - hearing.recording_started_at).total_seconds()
            if seconds <= 0:
                continue
            moment = (hearing.recording_started_at or hearing.opened_at).astimezone(
                LOCAL_TZ).strftime("%H:%M %d/%m/%Y")  # which hearing, in any language
            for start_ms, end_ms in hearing_windows(int(seconds * 1000), MAX_PASSAGE_MS):
                await uow.evidence.add(EvidenceLink(
                    EvidenceLinkId(uuid.uuid4()), case.id, hearing.id, start_ms, end_ms, None,
                    EvidenceItem.CLAIM, moment, "", actor.id, self._clock.now()))
                count += 1
        return count

    async def _booking(self, uow: UnitOfWork, actor: StaffMember, booking_id: BookingId,
                       lock: bool = False) -> Booking:
        if not actor.roles & RECEPTION_READERS:
            raise Forbidden(N_("You are not allowed to do this."))
        booking = await uow.bookings.get(booking_id, lock=lock)
        if booking is None or booking.agency_id != actor.agency_id:
            raise NotFound(NO_RECEPTION)
        return booking
