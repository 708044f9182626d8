"""Tables of transcripts: one per hearing, its segments, every edit of a segment, and the
evidence links from case files to moments of a hearing."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from reception.adapters.db.tables.base import Base
from reception.domain.transcripts.transcript import EvidenceItem, TranscriptStatus, Unreadable


def _one_of(column: str,
            values: type[TranscriptStatus] | type[EvidenceItem] | type[Unreadable]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class TranscriptRow(Base):
    __tablename__ = "transcript"
    __table_args__ = (
        CheckConstraint(_one_of("status", TranscriptStatus), name="status_known"),
        CheckConstraint("progress >= 0 AND progress <= 1", name="progress_share"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=uuid.uuid4)
    # One transcript per hearing: re-running a job replaces segments, never adds a transcript.
    hearing_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("hearing.id", ondelete="CASCADE"), unique=True)
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8))
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    model: Mapped[str | None] = mapped_column(String(255))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    approved_hash: Mapped[str | None] = mapped_column(String(64))
    citizen_ack_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SegmentRow(Base):
    __tablename__ = "transcript_segment"
    __table_args__ = (
        CheckConstraint("start_ms >= 0 AND end_ms >= start_ms", name="times_ordered"),
        Index("ix_transcript_segment_order", "transcript_id", "start_ms"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=uuid.uuid4)
    transcript_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("transcript.id", ondelete="CASCADE"))
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hearing_member.id"))
    speaker: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    start_ms: Mapped[int] = mapped_column(Integer)
    end_ms: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    machine_text: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Why the machine line may not be what was said (Doubt values); a doubtful line must be
    # confirmed (or corrected) by an official before approval.
    doubts: Mapped[list[str]] = mapped_column(ARRAY(String(32)), default=list,
                                              server_default="{}")
    repeats: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    # The recording the line was transcribed from (its path, as in recording.path and
    # transcript_track.recording_path): playback plays that file. NULL: stored before.
    recording_path: Mapped[str | None] = mapped_column(Text)


class TrackRow(Base):
    """One member's recording transcribed: stored as soon as it is done, so that a retried
    job only transcribes the recordings still missing. A recording that could not be read is
    kept too, with why (`unreadable`): the review, the approval and the signed record name it."""

    __tablename__ = "transcript_track"
    __table_args__ = (
        UniqueConstraint("transcript_id", "recording_path", name="uq_transcript_track_recording"),
        CheckConstraint("(result IS NULL) <> (problem IS NULL)", name="result_or_problem"),
        CheckConstraint(_one_of("unreadable", Unreadable), name="unreadable_known"),
        CheckConstraint("(problem IS NULL) = (unreadable IS NULL)", name="problem_has_reason"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    transcript_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("transcript.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hearing_member.id"))
    recording_path: Mapped[str] = mapped_column(Text)
    result: Mapped[dict[str, object] | None] = mapped_column(JSONB(none_as_null=True))  # track_to_json
    problem: Mapped[str | None] = mapped_column(Text)  # why the recording could not be read
    unreadable: Mapped[str | None] = mapped_column(String(16))  # the same, as an Unreadable value
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SegmentEditRow(Base):
    """Append-only: every correction of a segment, with its author."""

    __tablename__ = "transcript_segment_edit"
    __table_args__ = (UniqueConstraint("segment_id", "version", name="uq_segment_edit_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    segment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("transcript_segment.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff_user.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EvidenceLinkRow(Base):
    __tablename__ = "evidence_link"
    __table_args__ = (
        CheckConstraint(_one_of("item", EvidenceItem), name="item_known"),
        CheckConstraint("start_ms >= 0 AND end_ms > start_ms", name="times_ordered"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case_file.id"), index=True)
    hearing_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hearing.id"), index=True)
    start_ms: Mapped[int] = mapped_column(Integer)
    end_ms: Mapped[int] = mapped_column(Integer)
    member_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("hearing_member.id"))
    item: Mapped[str] = mapped_column(String(32))
    item_ref: Mapped[str] = mapped_column(String(255))
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
