"""Tables of video hearings: one row per hearing of a booking, its members (who was in the
room, admitted, muted, removed) and each member's closed, hashed recording files."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from reception.adapters.db.tables.base import Base
from reception.domain.hearings.model import HearingTranscription

HEARING_STATES = ("open", "ended", "interrupted")
MEMBER_ROLES = ("citizen", "official", "third_party", "observer")
RECORDING_KINDS = ("audio", "evidence")
RECORDING_STATES = ("closed", "repaired")
TRANSCRIPTION_STATES = tuple(state.value for state in HearingTranscription)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class HearingRow(Base):
    """Phiên tiếp trực tuyến: one video hearing of a booking (a booking may have several when
    one was interrupted)."""

    __tablename__ = "hearing"
    __table_args__ = (
        CheckConstraint(_one_of("status", HEARING_STATES), name="status_known"),
        CheckConstraint(_one_of("transcription", TRANSCRIPTION_STATES), name="transcription_known"),
        # At most one open hearing per booking, whatever the code above does.
        Index("uq_hearing_open_per_booking", "booking_id", unique=True,
              postgresql_where=text("status = 'open'")),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=uuid.uuid4)
    booking_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("booking.id"), index=True)
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    opened_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff_user.id"))
    recording_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    interrupted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    transcription: Mapped[str | None] = mapped_column(String(16))
    # The media process the hearing is pinned to (media_node.name; no foreign key: a node's row
    # goes when it stops, and its hearings are then adopted by a live node).
    media_node: Mapped[str | None] = mapped_column(String(200), index=True)
    # ...at that node's registration (media_node.generation): its writes about the hearing
    # are refused once the hearing is pinned elsewhere or that registration has ended.
    media_generation: Mapped[int | None] = mapped_column(BigInteger)


class HearingMemberRow(Base):
    """Someone in a hearing's room: a booking participant (citizen, third party) or staff."""

    __tablename__ = "hearing_member"
    __table_args__ = (
        CheckConstraint(_one_of("role", MEMBER_ROLES), name="role_known"),
        CheckConstraint("(participant_id IS NULL) <> (staff_id IS NULL)", name="one_identity"),
        UniqueConstraint("hearing_id", "participant_id", name="uq_hearing_member_participant"),
        UniqueConstraint("hearing_id", "staff_id", name="uq_hearing_member_staff"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=uuid.uuid4)
    hearing_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("hearing.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("participant.id"))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    role: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str] = mapped_column(String(255))
    # The member's acknowledgement of the recording notice; nothing is recorded before it.
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    notice_version: Mapped[str | None] = mapped_column(String(32))
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    admitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    muted: Mapped[bool] = mapped_column(Boolean, default=False)
    receive_only: Mapped[bool] = mapped_column(Boolean, default=False)


class HearingRecordingRow(Base):
    """One closed recording file of a member, with its SHA-256 taken when it was closed and
    its chain (a hash per chunk as written, docs/evidence.md). A member has one file of each
    kind per recorder: more when a recorder died and another took over."""

    __tablename__ = "hearing_recording"
    __table_args__ = (
        CheckConstraint(_one_of("kind", RECORDING_KINDS), name="kind_known"),
        CheckConstraint(_one_of("state", RECORDING_STATES), name="state_known"),
        UniqueConstraint("path", name="uq_hearing_recording_path"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=uuid.uuid4)
    hearing_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("hearing.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hearing_member.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    path: Mapped[str] = mapped_column(String(500))  # relative to RECORDINGS_DIR
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(16))
    # Wall-clock instant of timestamp 0 in the file: members' tracks play together by it.
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    stopped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_audio_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_video_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    video_frames: Mapped[int | None] = mapped_column(Integer)
    # The chain as written (the sidecar's text) and, after a crash repair, the as-recorded
    # original kept beside the file with its own chain. NULL: recorded before chains.
    chain: Mapped[str | None] = mapped_column(Text)
    original_path: Mapped[str | None] = mapped_column(String(500))
    original_chain: Mapped[str | None] = mapped_column(Text)
    # The latest verification of the file (and its original) against the chain and SHA-256.
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    verified: Mapped[bool | None] = mapped_column(Boolean)
    verify_problem: Mapped[str | None] = mapped_column(Text)
