"""Citizen booking and self-service with the private link: book, see, move, cancel, add
documents. Each use case is one unit of work; the confirmation e-mail is written to the outbox
in the same transaction, so a booking and its notification exist together or not at all.

Managing the booking is the citizen's own link only (`resolve_citizen`): the link of an
interpreter, lawyer or representative added by the official (hearings/parties.py) opens the
device test, the consent, the waiting room and the hearing, never the citizen's details,
documents or the booking's time."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from reception.domain.booking import (
    Booking,
    BookingId,
    BookingStatus,
    Channel,
    Citizen,
    Document,
    Participant,
    ParticipantId,
    ParticipantRole,
    SessionId,
    Subject,
    reference,
)
from reception.domain.law.workdays import WorkingCalendar
from reception.domain.organisation import StaffMember
from reception.i18n_marker import N_
from reception.services import audit
from reception.services.booking.mail import REMINDER_KINDS, BookingMail
from reception.services.booking.ports import ContentSniffer, FileStore, SlotTaken
from reception.services.booking.rules import (
    Upload,
    booking_findings,
    check_identity,
    check_slot,
    check_uploads,
    hash_token,
    link_refused,
    new_token,
    refuse,
)
from reception.services.booking.sealing import seal
from reception.services.errors import Conflict, Forbidden, NotFound
from reception.services.integrity.attestation import add_booking_document
from reception.services.ports import Clock, UnitOfWork, UnitOfWorkFactory

SLOT_TAKEN = N_("This time slot has just been taken by someone else. Please choose another time.")
# What an added party's link meets on the booking's pages (they lead on to the waiting room).
PARTY_LINK = N_("This link lets you take part in the hearing only: test your camera and "
                "microphone, consent and wait in the waiting room. Only the citizen who booked "
                "can see or change the booking.")


@dataclass(frozen=True)
class NewBooking:
    session_id: SessionId
    starts_at: datetime
    subject: Subject
    description: str
    citizen: Citizen
    locale: str = "vi"
    group_size: int = 1
    representatives: tuple[str, ...] = ()
    identity_protection_waived: bool = False
    remote_or_vulnerable: bool = False
    channel: Channel = Channel.ONLINE


@dataclass(frozen=True)
class Receipt:
    booking: Booking
    token: str  # shown once (page and e-mail); only its hash is stored
    mailed: bool = False  # a confirmation is on its way (the booking may not show the address)


@dataclass(frozen=True)
class CitizenView:
    booking: Booking
    participant: Participant
    documents: Sequence[Document]
    agency_name: str


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    max_count: int
    link_days_after_slot: int


class BookingService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, calendar: WorkingCalendar,
                 files: FileStore, sniffer: ContentSniffer, mail: BookingMail,
                 limits: UploadLimits) -> None:
        self._uow, self._clock, self._calendar = uow, clock, calendar
        self._files, self._sniffer, self._mail, self._limits = files, sniffer, mail, limits

    async def book(self, new: NewBooking, uploads: Sequence[Upload] = (),
                   actor: StaffMember | None = None) -> Receipt:
        now = self._clock.now()
        check_identity(new.citizen.id_number, new.citizen.phone, new.citizen.email, now)
        for finding in booking_findings(new.channel, new.subject, new.identity_protection_waived,
                                        new.remote_or_vulnerable, new.group_size,
                                        len(new.representatives)):
            if finding.severity == "violation":
                raise refuse(finding)
        checked = self._check_uploads(list(uploads))
        async with self._uow() as uow:
            session = await uow.reception_sessions.get(new.session_id)
            # Staff book only in their own agency's sessions (a forged slot is not a way in).
            if session is None or (actor is not None and session.agency_id != actor.agency_id):
                raise NotFound(N_("This reception session does not exist."))
            slot = check_slot(session, new.starts_at, now=now, calendar=self._calendar,
                              channel=new.channel)
            number = await uow.bookings.next_number()
            stored, sealed = await seal(uow, new.subject, new.citizen)
            booking = Booking(
                BookingId(uuid.uuid4()), reference(now.year, number), session.agency_id,
                session.id, slot.official_id, slot.starts_at, slot.ends_at, BookingStatus.BOOKED,
                new.channel, new.subject, new.description, stored, new.locale,
                new.group_size, new.representatives, new.identity_protection_waived,
                "remote_or_vulnerable_request" if new.remote_or_vulnerable else "other",
                created_at=now, notified_at=now if new.citizen.email else None,
                sealed_identity=sealed)
            try:
                await uow.bookings.add(booking)
            except SlotTaken:
                raise Conflict(SLOT_TAKEN) from None
            token, token_hash = new_token()
            citizen = Participant(ParticipantId(uuid.uuid4()), booking.id,
                                  ParticipantRole.CITIZEN, booking.citizen.full_name)
            await uow.participants.add(citizen, token_hash, self._expiry(booking))
            mailed = await self._mail.enqueue(uow, "confirmation", booking, token, now)
            await uow.audit.append(audit.record(
                now, actor, "booking.created", "booking", booking.id, agency_id=booking.agency_id,
                details={"reference": booking.reference, "channel": booking.channel.value,
                         "starts_at": booking.starts_at.isoformat()},
                actor_label=None if actor else "citizen"))
            await self._store(uow, booking, checked, now, actor)
            return Receipt(booking, token, mailed)

    async def view(self, token: str) -> CitizenView:
        async with self._uow() as uow:
            participant, booking = await self._resolve(uow, token)
            agency = await uow.agencies.get(booking.agency_id)
            await uow.audit.append(audit.record(
                self._clock.now(), None, "booking.viewed_by_link", "booking", booking.id,
                agency_id=booking.agency_id, actor_label="citizen"))
            documents = await uow.bookings.documents(booking.id)
            await uow.commit()
            return CitizenView(booking, participant, documents, agency.name if agency else "")

    async def reschedule(self, token: str, session_id: SessionId, starts_at: datetime) -> Booking:
        now = self._clock.now()
        async with self._uow() as uow:
            participant, booking = await self._resolve(uow, token, lock=True)
            self._changeable(booking)
            session = await uow.reception_sessions.get(session_id)
            if session is None or session.agency_id != booking.agency_id:
                raise NotFound(N_("This reception session does not exist."))
            slot = check_slot(session, starts_at, now=now, calendar=self._calendar,
                              channel=booking.channel)
            moved = replace(booking, session_id=session.id, official_id=slot.official_id,
                            starts_at=slot.starts_at, ends_at=slot.ends_at,
                            sequence=booking.sequence + 1)
            try:
                await uow.bookings.update(moved)
            except SlotTaken:
                raise Conflict(SLOT_TAKEN) from None
            token_expiry = self._expiry(moved)
            await uow.participants.set_token(participant.id, hash_token(token), token_expiry)
            await uow.outbox.withdraw(booking.id, REMINDER_KINDS, now, "booking rescheduled")
            await self._mail.enqueue(uow, "rescheduled", moved, token, now)
            await uow.audit.append(audit.record(
                now, None, "booking.rescheduled", "booking", booking.id,
                agency_id=booking.agency_id, actor_label="citizen",
                details={"from": booking.starts_at.isoformat(), "to": moved.starts_at.isoformat()}))
            await uow.commit()
            return moved

    async def cancel(self, token: str) -> Booking:
        now = self._clock.now()
        async with self._uow() as uow:
            _, booking = await self._resolve(uow, token, lock=True)
            self._changeable(booking)
            cancelled = replace(booking, status=BookingStatus.CANCELLED,
                                sequence=booking.sequence + 1)
            await uow.bookings.update(cancelled)
            await uow.outbox.withdraw(booking.id, REMINDER_KINDS, now, "booking cancelled")
            await self._mail.enqueue(uow, "cancelled", cancelled, None, now)
            await uow.audit.append(audit.record(
                now, None, "booking.cancelled", "booking", booking.id,
                agency_id=booking.agency_id, actor_label="citizen"))
            await uow.commit()
            return cancelled

    async def add_documents(self, token: str, uploads: Sequence[Upload]) -> None:
        now = self._clock.now()
        async with self._uow() as uow:
            _, booking = await self._resolve(uow, token, lock=True)
            if booking.status in (BookingStatus.CANCELLED, BookingStatus.NO_SHOW):
                raise Conflict(N_("This booking is closed; documents can no longer be added."))
            existing = len(await uow.bookings.documents(booking.id))
            checked = self._check_uploads(list(uploads), already=existing)
            await self._store(uow, booking, checked, now)

    @property
    def limits(self) -> UploadLimits:
        """What the pages tell citizens and check in the browser before sending a file."""
        return self._limits

    def _check_uploads(self, uploads: list[Upload], already: int = 0) -> list[tuple[Upload, str]]:
        return check_uploads(uploads, self._sniffer, max_bytes=self._limits.max_bytes,
                             max_count=self._limits.max_count, already=already)

    async def _store(self, uow: UnitOfWork, booking: Booking, checked: list[tuple[Upload, str]],
                     now: datetime, actor: StaffMember | None = None) -> None:
        """Write the files, their rows and commit; a failure removes the files it created."""
        created: list[str] = []
        try:
            for upload, media_type in checked:
                digest, new = self._files.save(upload.data)
                if new:
                    created.append(digest)
                await add_booking_document(uow, now, actor, booking, Document(
                    uuid.uuid4(), booking.id, upload.filename[:255], media_type,
                    len(upload.data), digest, now))
            if checked:
                await uow.audit.append(audit.record(
                    now, actor, "booking.documents_added", "booking", booking.id,
                    agency_id=booking.agency_id, actor_label=None if actor else "citizen",
                    details={"count": len(checked)}))
            await uow.commit()
        except BaseException:
            for digest in created:
                self._files.remove(digest)
            raise

    def _expiry(self, booking: Booking) -> datetime:
        return booking.ends_at + timedelta(days=self._limits.link_days_after_slot)

    def _changeable(self, booking: Booking) -> None:
        if booking.status is not BookingStatus.BOOKED or booking.starts_at <= self._clock.now():
            raise Conflict(N_("This booking can no longer be changed or cancelled here. "
                              "Please call the citizen reception office."))

    async def _resolve(self, uow: UnitOfWork, token: str,
                       lock: bool = False) -> tuple[Participant, Booking]:
        """Every use case of this service manages the booking: the citizen's link only."""
        return await resolve_citizen(uow, token, self._clock.now(), lock=lock)


async def resolve(uow: UnitOfWork, token: str, now: datetime,
                  lock: bool = False) -> tuple[Participant, Booking]:
    """The participant and booking a join token opens, or Forbidden (forged, expired)."""
    if not token or len(token) > 100:
        raise link_refused()
    found = await uow.participants.by_token_hash(hash_token(token))
    if found is None or found[1] <= now:
        raise link_refused()
    participant = found[0]
    booking = await uow.bookings.get(participant.booking_id, lock=lock)
    if booking is None:
        raise link_refused()
    return participant, booking



async def resolve_citizen(uow: UnitOfWork, token: str, now: datetime,
                          lock: bool = False) -> tuple[Participant, Booking]:
    """The booking the citizen's own link opens, to see or change it: another party's link of
    the same booking is Forbidden (it holds the citizen's name, matter and documents)."""
    participant, booking = await resolve(uow, token, now, lock=lock)
    if participant.role is not ParticipantRole.CITIZEN:
        raise Forbidden(PARTY_LINK)
    return participant, booking
