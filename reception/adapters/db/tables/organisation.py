"""Tables of the organisation: agencies, staff accounts and the HMAC-chained audit log."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    String,
    Text,
    false,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from reception.adapters.db.tables.base import Base
from reception.domain.organisation import AgencyLevel, StaffRole


def _enum_check(column: str, values: type[AgencyLevel] | type[StaffRole]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class Agency(Base):
    """Cơ quan, đơn vị: an agency in the state hierarchy."""

    __tablename__ = "agency"
    __table_args__ = (
        CheckConstraint(_enum_check("level", AgencyLevel), name="level_known"),
        CheckConstraint("transcription_language IN ('vi', 'en', 'auto')", name="language_known"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    level: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agency.id"), index=True)
    # Language of hearings for transcription: "vi" (default), "en", or "auto" (detect).
    transcription_language: Mapped[str] = mapped_column(String(8), server_default="vi")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class StaffUser(Base):
    """A staff account (cán bộ, công chức) belonging to one agency."""

    __tablename__ = "staff_user"
    __table_args__ = (
        CheckConstraint(
            f"roles <@ ARRAY[{', '.join(repr(r.value) for r in StaffRole)}]::varchar[]",
            name="roles_known",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=uuid.uuid4)
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"), index=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)  # stored lower-case
    full_name: Mapped[str] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(255))
    password_hash: Mapped[str] = mapped_column(Text)
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(32)))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str] = mapped_column(String(8), default="vi")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AuditEntry(Base):
    """Append-only, HMAC-chained log of state changes and sensitive reads (domain/audit.py)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    actor_id: Mapped[uuid.UUID | None] = mapped_column(UUID)
    actor_label: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str | None] = mapped_column(String(64))
    agency_id: Mapped[uuid.UUID | None] = mapped_column(UUID, index=True)
    details: Mapped[dict[str, object]] = mapped_column(JSONB, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # False: written before the keyed chain began (plain SHA-256); only ever a prefix.
    keyed: Mapped[bool] = mapped_column(Boolean, server_default=false())
