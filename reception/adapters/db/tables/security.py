"""Tables of the security edge: staff sessions, rate-limit counters, and the officials
assigned to a hearing (who may join it as an official)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from reception.adapters.db.tables.base import Base


class StaffSessionRow(Base):
    """A signed-in browser: the cookie carries a random token, this row only its SHA-256."""

    __tablename__ = "staff_session"

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # the lookup index
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff_user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    user_agent: Mapped[str] = mapped_column(String(255))
    address: Mapped[str] = mapped_column(String(64))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    end_reason: Mapped[str | None] = mapped_column(String(32))
    # Something shown once on this session's next page (a new case's secret code): kept here,
    # never in a cookie, and erased when read.
    once_key: Mapped[str | None] = mapped_column(String(64))
    once_value: Mapped[str | None] = mapped_column(String(128))


class RateLimitCounter(Base):
    """Hits of one key in one fixed window; every web process counts in the same row."""

    __tablename__ = "rate_limit_counter"
    __table_args__ = (Index("ix_rate_limit_counter_expires_at", "expires_at"),)

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class HearingOfficialRow(Base):
    """An official added to a hearing besides the booking's own (may join as an official)."""

    __tablename__ = "hearing_official"

    hearing_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hearing.id"), primary_key=True)
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff_user.id"), primary_key=True)
    added_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff_user.id"))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
