"""Table of integrity checks: each run over every recording, document and the audit log (by
`reception verify`, the periodic job, or an approval), with what it found."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, Integer, String
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from reception.adapters.db.tables.base import Base

TRIGGERS = ("command", "periodic", "manual")


class IntegrityCheckRow(Base):
    __tablename__ = "integrity_check"
    __table_args__ = (
        CheckConstraint(f"trigger IN ({', '.join(repr(t) for t in TRIGGERS)})",
                        name="trigger_known"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    trigger: Mapped[str] = mapped_column(String(16))
    ok: Mapped[bool] = mapped_column(Boolean)
    recordings: Mapped[int] = mapped_column(Integer)
    documents: Mapped[int] = mapped_column(Integer)
    audit_rows: Mapped[int] = mapped_column(Integer)
    # [{"subject": "recording"|"document"|"audit", "where": ..., "problem": ...}, ...]
    failures: Mapped[list[dict[str, str]]] = mapped_column(JSONB)
