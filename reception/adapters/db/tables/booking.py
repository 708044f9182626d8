"""Tables of reception scheduling: sessions, bookings, participants, documents and the e-mail
outbox. The database itself refuses to double-book an official (exclusion constraint)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    Sequence,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID, ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column

from reception.adapters.db.tables.base import Base
from reception.domain.booking import (
    HOLDS_TIME,
    BookingStatus,
    Channel,
    ParticipantRole,
    SessionKind,
    Subject,
)

BOOKING_NUMBER = Sequence("booking_number_seq")


def _one_of(column: str, values: type[object]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"  # type: ignore[attr-defined]


_HOLDS = ", ".join(repr(s.value) for s in sorted(HOLDS_TIME))


class ReceptionSessionRow(Base):
    """Buổi tiếp công dân: a block of reception time of one official."""

    __tablename__ = "reception_session"
    __table_args__ = (
        CheckConstraint(_one_of("kind", SessionKind), name="kind_known"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("slot_minutes BETWEEN 5 AND 240", name="slot_length"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=uuid.uuid4)
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    official_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff_user.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    slot_minutes: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


SEALED_ROW = ("sealed_identity IS NOT NULL AND id_number = '' AND address = '' "
              "AND phone IS NULL AND email IS NULL")


class BookingRow(Base):
    """Lịch hẹn tiếp: one citizen (or group) in one slot."""

    __tablename__ = "booking"
    __table_args__ = (
        CheckConstraint(_one_of("status", BookingStatus), name="status_known"),
        CheckConstraint(_one_of("channel", Channel), name="channel_known"),
        CheckConstraint(_one_of("subject", Subject), name="subject_known"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("group_size >= 1", name="group_size_positive"),
        # A denouncer's identity is only in the vault (services/booking/sealing.py).
        CheckConstraint(f"subject <> 'denunciation' OR ({SEALED_ROW})", name="denouncer_sealed"),
        # An official can never be in two hearings at once, whatever the code above does.
        ExcludeConstraint(
            (text("official_id"), "="), (text("tstzrange(starts_at, ends_at)"), "&&"),
            name="official_not_double_booked", using="gist",
            where=text(f"status IN ({_HOLDS})")),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=uuid.uuid4)
    number: Mapped[int] = mapped_column(BigInteger, BOOKING_NUMBER, unique=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"), index=True)
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reception_session.id"), index=True)
    official_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff_user.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text)
    full_name: Mapped[str] = mapped_column(String(255))
    id_number: Mapped[str] = mapped_column(String(12))
    address: Mapped[str] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(8))
    group_size: Mapped[int] = mapped_column(Integer)
    representatives: Mapped[list[str]] = mapped_column(ARRAY(String(255)))
    identity_protection_waived: Mapped[bool] = mapped_column(Boolean)
    online_ground: Mapped[str] = mapped_column(String(32))
    sequence: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    notified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hearing_opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sealed_identity: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("denouncer_vault.id"))


class ParticipantRow(Base):
    """A person in a booking's hearing; the citizen's join token is stored only as a hash."""

    __tablename__ = "participant"
    __table_args__ = (CheckConstraint(_one_of("role", ParticipantRole), name="role_known"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=uuid.uuid4)
    booking_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("booking.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str] = mapped_column(String(255))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    token_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    device_checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    consent_given_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    consent_refused_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    consent_text_version: Mapped[str | None] = mapped_column(String(32))
    waiting_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    asked_to_wait_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    admitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class BookingDocumentRow(Base):
    """A file the citizen attached; the bytes live under data_dir/uploads, named by SHA-256."""

    __tablename__ = "booking_document"

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=uuid.uuid4)
    booking_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("booking.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OutboxMessageRow(Base):
    """An e-mail to send: written in the same transaction as the change it reports."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    dedupe_key: Mapped[str] = mapped_column(String(128), unique=True)
    booking_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("booking.id", ondelete="SET NULL"), index=True)
    to_address: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    ics: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    send_after: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sealed_recipient: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("denouncer_vault.id"))
