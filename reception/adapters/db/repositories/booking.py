"""SQL repositories of reception scheduling; they return frozen domain objects, never rows."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from reception.adapters.db.tables.booking import (
    BOOKING_NUMBER,
    BookingDocumentRow,
    BookingRow,
    OutboxMessageRow,
    ParticipantRow,
    ReceptionSessionRow,
)
from reception.domain.booking import (
    HOLDS_TIME,
    Booking,
    BookingId,
    BookingStatus,
    Channel,
    Citizen,
    Document,
    Participant,
    ParticipantId,
    ParticipantRole,
    ReceptionSession,
    SessionId,
    SessionKind,
    Subject,
)
from reception.domain.cases.denouncer import check_sealed_booking
from reception.domain.integrity import Attestation, Stored, require
from reception.domain.organisation import AgencyId, StaffId
from reception.services.booking.ports import OutgoingMail, QueuedMail, SlotTaken

EXCLUSION_VIOLATION = "23P01"
_HOLDING = [s.value for s in HOLDS_TIME]


def _session(r: ReceptionSessionRow) -> ReceptionSession:
    return ReceptionSession(SessionId(r.id), AgencyId(r.agency_id), SessionKind(r.kind),
                            StaffId(r.official_id), r.starts_at, r.ends_at, r.slot_minutes,
                            r.published_at)


def _booking(r: BookingRow) -> Booking:
    return Booking(
        BookingId(r.id), r.reference, AgencyId(r.agency_id), SessionId(r.session_id),
        StaffId(r.official_id), r.starts_at, r.ends_at, BookingStatus(r.status),
        Channel(r.channel), Subject(r.subject), r.description,
        Citizen(r.full_name, r.id_number, r.address, r.phone, r.email), r.locale, r.group_size,
        tuple(r.representatives), r.identity_protection_waived, r.online_ground, r.created_at,
        r.notified_at, r.hearing_opened_at, r.sequence, r.sealed_identity)


def _booking_values(b: Booking) -> dict[str, object]:
    check_sealed_booking(b)  # and the constraint denouncer_sealed, should this line go
    c = b.citizen
    return dict(
        reference=b.reference, agency_id=b.agency_id, session_id=b.session_id,
        official_id=b.official_id, starts_at=b.starts_at, ends_at=b.ends_at,
        status=b.status.value, channel=b.channel.value, subject=b.subject.value,
        description=b.description, full_name=c.full_name, id_number=c.id_number,
        address=c.address, phone=c.phone, email=c.email, locale=b.locale,
        group_size=b.group_size, representatives=list(b.representatives),
        identity_protection_waived=b.identity_protection_waived, online_ground=b.online_ground,
        sequence=b.sequence, notified_at=b.notified_at, hearing_opened_at=b.hearing_opened_at,
        sealed_identity=b.sealed_identity)


def _participant(r: ParticipantRow) -> Participant:
    return Participant(
        ParticipantId(r.id), BookingId(r.booking_id), ParticipantRole(r.role), r.display_name,
        StaffId(r.staff_id) if r.staff_id else None, r.device_checked_at, r.consent_given_at,
        r.consent_refused_at, r.consent_text_version, r.waiting_since, r.asked_to_wait_at,
        r.admitted_at)


def _is_double_booking(error: IntegrityError) -> bool:
    return getattr(error.orig, "sqlstate", None) == EXCLUSION_VIOLATION


class SqlReceptionSessions:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, s: ReceptionSession) -> None:
        self._s.add(ReceptionSessionRow(
            id=s.id, agency_id=s.agency_id, kind=s.kind.value, official_id=s.official_id,
            starts_at=s.starts_at, ends_at=s.ends_at, slot_minutes=s.slot_minutes,
            published_at=s.published_at))
        await self._s.flush()

    async def get(self, session_id: SessionId) -> ReceptionSession | None:
        row = await self._s.get(ReceptionSessionRow, session_id)
        return _session(row) if row else None

    async def between(self, agency_id: AgencyId, start: datetime, end: datetime,
                      official_id: StaffId | None = None) -> Sequence[ReceptionSession]:
        query = (select(ReceptionSessionRow)
                 .where(ReceptionSessionRow.agency_id == agency_id,
                        ReceptionSessionRow.starts_at < end, ReceptionSessionRow.ends_at > start)
                 .order_by(ReceptionSessionRow.starts_at))
        if official_id is not None:
            query = query.where(ReceptionSessionRow.official_id == official_id)
        return [_session(r) for r in await self._s.scalars(query)]


class SqlBookings:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def next_number(self) -> int:
        return int(await self._s.scalar(BOOKING_NUMBER.next_value()))

    async def add(self, b: Booking) -> None:
        number = int(b.reference.rsplit("-", 1)[1])
        await self._write(insert(BookingRow).values(
            id=b.id, number=number, created_at=b.created_at, **_booking_values(b)))

    async def update(self, b: Booking) -> None:
        await self._write(update(BookingRow).where(BookingRow.id == b.id)
                          .values(**_booking_values(b)))

    async def _write(self, statement: object) -> None:
        # A savepoint, so a refused write leaves the transaction usable for the error's audit.
        try:
            async with self._s.begin_nested():
                await self._s.execute(statement)  # type: ignore[call-overload]
        except IntegrityError as error:
            if _is_double_booking(error):
                raise SlotTaken() from error
            raise

    async def get(self, booking_id: BookingId, *, lock: bool = False) -> Booking | None:
        query = select(BookingRow).where(BookingRow.id == booking_id)
        if lock:
            query = query.with_for_update()
        row = (await self._s.execute(query.execution_options(populate_existing=True))).scalar()
        return _booking(row) if row else None

    async def taken(self, agency_id: AgencyId, start: datetime,
                    end: datetime) -> Sequence[tuple[StaffId, datetime, datetime]]:
        rows = await self._s.execute(
            select(BookingRow.official_id, BookingRow.starts_at, BookingRow.ends_at).where(
                BookingRow.agency_id == agency_id, BookingRow.starts_at < end, BookingRow.ends_at > start,
                BookingRow.status.in_(_HOLDING)))
        return [(StaffId(o), s, e) for o, s, e in rows]

    async def _list(self, *where: object) -> Sequence[Booking]:
        query = select(BookingRow).where(*where).order_by(BookingRow.starts_at)  # type: ignore[arg-type]
        return [_booking(r) for r in await self._s.scalars(query)]

    async def for_official(self, official_id: StaffId, start: datetime,
                           end: datetime) -> Sequence[Booking]:
        return await self._list(BookingRow.official_id == official_id,
                                BookingRow.starts_at >= start, BookingRow.starts_at < end)

    async def for_agency(self, agency_id: AgencyId, start: datetime,
                         end: datetime) -> Sequence[Booking]:
        return await self._list(BookingRow.agency_id == agency_id,
                                BookingRow.starts_at >= start, BookingRow.starts_at < end)

    async def starting_between(self, start: datetime, end: datetime) -> Sequence[Booking]:
        return await self._list(BookingRow.starts_at > start, BookingRow.starts_at <= end,
                                BookingRow.status == BookingStatus.BOOKED.value)

    async def unsealed_denunciations(self) -> Sequence[Booking]:
        return await self._list(BookingRow.subject == Subject.DENUNCIATION.value,
                                BookingRow.sealed_identity.is_(None))

    async def confirm_sealed(self) -> None:
        # Every denunciation is sealed now: the constraint added NOT VALID (migration
        # vault_0001) holds for the rows made before it too.
        await self._s.execute(text("ALTER TABLE booking VALIDATE CONSTRAINT "
                                   "ck_booking_denouncer_sealed"))

    async def add_document(self, d: Document, attestation: Attestation) -> None:
        require(attestation, Stored.BOOKING_DOCUMENT, d.id, d.sha256)
        self._s.add(BookingDocumentRow(id=d.id, booking_id=d.booking_id, filename=d.filename,
                                       content_type=d.content_type, size=d.size, sha256=d.sha256,
                                       uploaded_at=d.uploaded_at))
        await self._s.flush()

    async def documents(self, booking_id: BookingId) -> Sequence[Document]:
        rows = await self._s.scalars(select(BookingDocumentRow).where(
            BookingDocumentRow.booking_id == booking_id).order_by(BookingDocumentRow.uploaded_at))
        return [Document(r.id, BookingId(r.booking_id), r.filename, r.content_type, r.size,
                         r.sha256, r.uploaded_at) for r in rows]


class SqlParticipants:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, p: Participant, token_hash: str | None = None,
                  token_expires_at: datetime | None = None) -> None:
        self._s.add(ParticipantRow(id=p.id, booking_id=p.booking_id, role=p.role.value,
                                   display_name=p.display_name, staff_id=p.staff_id,
                                   token_hash=token_hash, token_expires_at=token_expires_at,
                                   admitted_at=p.admitted_at))
        await self._s.flush()

    async def update(self, p: Participant) -> None:
        await self._s.execute(update(ParticipantRow).where(ParticipantRow.id == p.id).values(
            display_name=p.display_name, device_checked_at=p.device_checked_at,
            consent_given_at=p.consent_given_at, consent_refused_at=p.consent_refused_at,
            consent_text_version=p.consent_text_version, waiting_since=p.waiting_since,
            asked_to_wait_at=p.asked_to_wait_at, admitted_at=p.admitted_at))

    async def get(self, participant_id: ParticipantId) -> Participant | None:
        row = await self._s.get(ParticipantRow, participant_id, populate_existing=True)
        return _participant(row) if row else None

    async def by_token_hash(self, token_hash: str) -> tuple[Participant, datetime] | None:
        row = await self._s.scalar(select(ParticipantRow).where(
            ParticipantRow.token_hash == token_hash))
        if row is None or row.token_expires_at is None:
            return None
        return _participant(row), row.token_expires_at

    async def set_token(self, participant_id: ParticipantId, token_hash: str,
                        expires_at: datetime) -> None:
        await self._s.execute(update(ParticipantRow).where(ParticipantRow.id == participant_id)
                              .values(token_hash=token_hash, token_expires_at=expires_at))

    async def of_booking(self, booking_id: BookingId) -> Sequence[Participant]:
        rows = await self._s.scalars(select(ParticipantRow).where(
            ParticipantRow.booking_id == booking_id).order_by(ParticipantRow.role))
        return [_participant(r) for r in rows]


class SqlOutbox:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, m: OutgoingMail, now: datetime) -> bool:
        result = await self._s.execute(insert(OutboxMessageRow).values(
            dedupe_key=m.dedupe_key, booking_id=m.booking_id, to_address=m.to_address,
            sealed_recipient=m.sealed_recipient,
            subject=m.subject, body=m.body, ics=m.ics, created_at=now, send_after=m.send_after,
            attempts=0).on_conflict_do_nothing(index_elements=["dedupe_key"]))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def claim_due(self, now: datetime, limit: int) -> Sequence[QueuedMail]:
        # SKIP LOCKED: two servers (or a slow send) never send the same message twice at once.
        rows = await self._s.scalars(
            select(OutboxMessageRow).where(OutboxMessageRow.sent_at.is_(None),
                                           OutboxMessageRow.failed_at.is_(None),
                                           OutboxMessageRow.send_after <= now)
            .order_by(OutboxMessageRow.id).limit(limit).with_for_update(skip_locked=True))
        return [_queued(r) for r in rows]

    async def mark_sent(self, message_id: int, at: datetime, redacted_body: str,
                        redacted_ics: str | None) -> None:
        await self._s.execute(update(OutboxMessageRow).where(OutboxMessageRow.id == message_id)
                              .values(sent_at=at, attempts=OutboxMessageRow.attempts + 1,
                                      body=redacted_body, ics=redacted_ics))

    async def mark_failed_attempt(self, message_id: int, error: str, retry_at: datetime | None,
                                  at: datetime) -> None:
        values: dict[str, object] = {"attempts": OutboxMessageRow.attempts + 1,
                                     "last_error": error[:2000]}
        if retry_at is None:
            values["failed_at"] = at
        else:
            values["send_after"] = retry_at
        await self._s.execute(update(OutboxMessageRow)
                              .where(OutboxMessageRow.id == message_id).values(**values))

    async def for_booking(self, booking_id: BookingId) -> Sequence[QueuedMail]:
        rows = await self._s.scalars(select(OutboxMessageRow).where(
            OutboxMessageRow.booking_id == booking_id).order_by(OutboxMessageRow.id))
        return [_queued(r) for r in rows]

    async def withdraw(self, booking_id: BookingId, kinds: Sequence[str], at: datetime,
                       reason: str) -> int:
        keys = [OutboxMessageRow.dedupe_key.startswith(f"{booking_id}:{kind}:") for kind in kinds]
        result = await self._s.execute(
            update(OutboxMessageRow)
            .where(OutboxMessageRow.booking_id == booking_id, OutboxMessageRow.sent_at.is_(None),
                   OutboxMessageRow.failed_at.is_(None), or_(*keys))
            .values(failed_at=at, last_error=reason))
        return int(result.rowcount)  # type: ignore[attr-defined]


    async def seal_recipient(self, booking_id: BookingId, vault_id: uuid.UUID, name: str,
                             pseudonym: str) -> None:
        await self._s.execute(update(OutboxMessageRow)
                              .where(OutboxMessageRow.booking_id == booking_id)
                              .values(to_address="", sealed_recipient=vault_id,
                                      body=func.replace(OutboxMessageRow.body, name, pseudonym)))


def _queued(r: OutboxMessageRow) -> QueuedMail:
    mail = OutgoingMail(r.dedupe_key, r.to_address, r.subject, r.body, r.send_after,
                        BookingId(r.booking_id) if r.booking_id else None, r.ics,
                        r.sealed_recipient)
    return QueuedMail(r.id, mail, r.attempts)


def new_id() -> uuid.UUID:
    return uuid.uuid4()
