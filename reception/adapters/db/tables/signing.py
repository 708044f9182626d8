"""The register of signed official documents: one row per issued, signed PDF, with what the
public verification page may show (never a party or the content) and the digest its
signature covers, by which an uploaded copy is recognised."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, String, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from reception.adapters.db.tables.base import Base
from reception.domain.documents.signed import DocumentKind

KINDS = tuple(kind.value for kind in DocumentKind)


class SignedDocumentRow(Base):
    __tablename__ = "signed_document"
    __table_args__ = (
        CheckConstraint(f"kind IN ({', '.join(repr(k) for k in KINDS)})", name="kind_known"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(255))
    reference: Mapped[str] = mapped_column(String(32))
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(128), unique=True)
    signer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff_user.id"))
    signer_name: Mapped[str] = mapped_column(String(255))
    signer_role: Mapped[str] = mapped_column(String(64))
    certificate_subject: Mapped[str] = mapped_column(Text)
    certificate_serial: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    timestamped: Mapped[bool] = mapped_column(Boolean)
    ltv: Mapped[bool] = mapped_column(Boolean)
    demo: Mapped[bool] = mapped_column(Boolean)
    sealed: Mapped[bool] = mapped_column(Boolean)
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("case_file.id"), index=True)
    document_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("case_document.id"),
                                                          unique=True)
    hearing_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("hearing.id"), unique=True)
    countersigned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    countersigned_by: Mapped[str | None] = mapped_column(String(64))
