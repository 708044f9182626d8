"""Tables of the media plane's processes: the running media nodes and the single-use
signalling tickets any web process may redeem (docs/deployment.md "Media nodes")."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, Sequence, String, func
from sqlalchemy.orm import Mapped, mapped_column

from reception.adapters.db.tables.base import Base

GENERATIONS = Sequence("media_node_generation")


class MediaNodeRow(Base):
    """A running media process; alive while its heartbeat is recent (the database's clock).
    Each registration has a new `generation` (the fencing token): adopting a dead node's
    hearings deletes its row, and so ends its generation."""

    __tablename__ = "media_node"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger, GENERATIONS, unique=True,
                                            server_default=GENERATIONS.next_value())
    url: Mapped[str] = mapped_column(String(500))  # its internal API
    host: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                   server_default=func.now())


class HearingTicketRow(Base):
    """One signalling ticket, stored as its SHA-256: redeemed (deleted) by the one offer it
    allows."""

    __tablename__ = "hearing_ticket"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    hearing_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hearing.id", ondelete="CASCADE"))
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hearing_member.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
