"""Case files (hồ sơ) and their parts. The case row keeps the current state and the columns the
dashboard filters on; the append-only `case_event` list is the history the domain Case is
rebuilt from (Process.replay). Overdue is never stored: `next_due` is the earliest open due
date, kept for indexing, and compared with today at query time."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from reception.adapters.db.tables.base import Base

KINDS = ("complaint", "denunciation", "petition", "recommendation")
CHANNELS = ("visit", "post", "online", "forwarded", "box")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class CaseFile(Base):
    __tablename__ = "case_file"
    __table_args__ = (
        UniqueConstraint("agency_id", "reference"),
        CheckConstraint(_one_of("kind", KINDS), name="kind_known"),
        CheckConstraint(_one_of("channel", CHANNELS), name="channel_known"),
        # A denunciation's principal is a pseudonym (LTC Art. 47); see also the case_party
        # trigger of migration sec_0001.
        CheckConstraint("kind <> 'denunciation' OR principal_id_number IS NULL",
                        name="denunciation_principal_sealed"),
        Index("ix_case_file_open_state", "agency_id", "kind", "state",
              postgresql_where=text("NOT closed")),
        Index("ix_case_file_agency_opened", "agency_id", "opened_on"),
        Index("ix_case_file_open_assignee", "agency_id", "assignee_id", "next_due",
              postgresql_where=text("NOT closed")),
        Index("ix_case_file_open_due", "agency_id", "next_due", postgresql_where=text("NOT closed")),
        Index("ix_case_file_resolved", "agency_id", "resolved_on", "resolved_on_time",
              postgresql_where=text("resolved_on IS NOT NULL")),
        Index("ix_case_file_agency_name", "agency_id", "name_key",
              postgresql_ops={"name_key": "varchar_pattern_ops"}),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True)
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"))
    reference: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(16))
    instance: Mapped[int] = mapped_column(SmallInteger)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("case_file.id"), index=True)
    state: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(16))
    opened_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str | None] = mapped_column(String(16))
    contested_number: Mapped[str | None] = mapped_column(String(64))
    contested_date: Mapped[date | None] = mapped_column(Date)
    contested_issuer: Mapped[str | None] = mapped_column(String(255))
    # Who the lists show: the complainant's name, or a denouncer's pseudonym (never the name).
    principal_name: Mapped[str] = mapped_column(String(255))
    name_key: Mapped[str] = mapped_column(String(255))  # lower-case, no diacritics: search
    principal_id_number: Mapped[str | None] = mapped_column(String(16), index=True)
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    closed: Mapped[bool] = mapped_column(Boolean)
    next_due: Mapped[date | None] = mapped_column(Date)
    next_rule: Mapped[str | None] = mapped_column(String(16))
    resolved_on: Mapped[date | None] = mapped_column(Date)
    resolved_on_time: Mapped[bool | None] = mapped_column(Boolean)
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CaseCounter(Base):
    """Last number used per agency, year and prefix: `INSERT … ON CONFLICT DO UPDATE` makes
    concurrent registrations queue on the row instead of racing."""

    __tablename__ = "case_counter"

    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"), primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class CaseParty(Base):
    __tablename__ = "case_party"

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case_file.id"), index=True)
    role: Mapped[str] = mapped_column(String(24))
    position: Mapped[int] = mapped_column(SmallInteger)
    display_name: Mapped[str] = mapped_column(String(255))
    address: Mapped[str | None] = mapped_column(Text)
    id_type: Mapped[str | None] = mapped_column(String(16))
    id_number: Mapped[str | None] = mapped_column(String(16))
    contact: Mapped[str | None] = mapped_column(String(255))
    organisation: Mapped[str | None] = mapped_column(String(255))
    vault_id: Mapped[uuid.UUID | None] = mapped_column(UUID)  # denouncers: the sealed identity


class CaseEventRow(Base):
    """Append-only: rows are inserted with the new state in one transaction, never updated."""

    __tablename__ = "case_event"
    __table_args__ = (UniqueConstraint("case_id", "seq"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case_file.id"))
    seq: Mapped[int] = mapped_column(Integer)
    on: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(UUID)
    actor_label: Mapped[str] = mapped_column(String(255))
    actor_role: Mapped[str] = mapped_column(String(8))
    action: Mapped[str] = mapped_column(String(64))
    from_state: Mapped[str] = mapped_column(String(40))
    to_state: Mapped[str] = mapped_column(String(40))
    legal_basis: Mapped[str] = mapped_column(String(255))
    facts: Mapped[dict[str, object]] = mapped_column(JSONB)
    note: Mapped[str | None] = mapped_column(Text)


class CaseObligation(Base):
    """Running statutory clocks with their due dates as of the last action (for indexing and
    reports); the page recomputes them from the events for today."""

    __tablename__ = "case_obligation"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case_file.id"), index=True)
    rule_id: Mapped[str] = mapped_column(String(16))
    article: Mapped[str] = mapped_column(String(255))
    started_on: Mapped[date] = mapped_column(Date)
    due: Mapped[date] = mapped_column(Date)
    paused: Mapped[bool] = mapped_column(Boolean)


class CaseAssignment(Base):
    """Verifier or verification-team member (Tổ xác minh) of a case."""

    __tablename__ = "case_assignment"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case_file.id"), primary_key=True)
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff_user.id"), primary_key=True,
                                                index=True)
    lead: Mapped[bool] = mapped_column(Boolean)
    assigned_on: Mapped[date] = mapped_column(Date)


class CaseDocument(Base):
    __tablename__ = "case_document"

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case_file.id"), index=True)
    origin: Mapped[str] = mapped_column(String(16))  # "upload" | "generated"
    form_key: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    published: Mapped[bool] = mapped_column(Boolean)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CaseDispatch(Base):
    """Who was sent what, how, and when it arrived: the second-complaint clock runs from
    receipt (LKN Art. 33), so the delivery date is recorded per recipient."""

    __tablename__ = "case_dispatch"

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case_file.id"), index=True)
    document_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("case_document.id"))
    recipient: Mapped[str] = mapped_column(String(255))
    channel: Mapped[str] = mapped_column(String(16))
    sent_on: Mapped[date] = mapped_column(Date)
    delivered_on: Mapped[date | None] = mapped_column(Date)


class CasePublication(Base):
    __tablename__ = "case_publication"

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case_file.id"), index=True)
    document_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("case_document.id"))
    medium: Mapped[str] = mapped_column(String(32))  # "posted" | "website" | "meeting" | "press"
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)


class DenouncerVault(Base):
    """Sealed denouncer identities: AES-GCM ciphertext under VAULT_KEY, which never enters the
    database. Nothing here names a case: the link is case_party.vault_id."""

    __tablename__ = "denouncer_vault"

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CaseReception(Base):
    """A case file opened from a reception (a booking and the hearings held for it): the case
    lists its receptions, a reception shows its case. `received_on` is the statutory trigger the
    case's clocks run from (the reception day, LTCD Art. 28(1); LKN Art. 27)."""

    __tablename__ = "case_reception"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case_file.id"), primary_key=True)
    booking_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("booking.id"), primary_key=True,
                                                  index=True)
    received_on: Mapped[date] = mapped_column(Date)
    linked_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff_user.id"))
    linked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
