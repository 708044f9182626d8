"""SQL repository of video hearings; returns frozen domain objects, never rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from reception.adapters.db.tables.hearings import HearingMemberRow, HearingRecordingRow, HearingRow
from reception.domain.booking import BookingId, ParticipantId
from reception.domain.hearings.model import (
    Hearing,
    HearingId,
    HearingMember,
    HearingStatus,
    HearingTranscription,
    MemberId,
    MemberRole,
    Recording,
)
from reception.domain.integrity import Attestation, Stored, require
from reception.domain.organisation import AgencyId, StaffId


def _hearing(r: HearingRow) -> Hearing:
    return Hearing(HearingId(r.id), BookingId(r.booking_id), AgencyId(r.agency_id),
                   HearingStatus(r.status), r.opened_at, StaffId(r.opened_by),
                   r.recording_started_at, r.ended_at,
                   StaffId(r.ended_by) if r.ended_by else None, r.interrupted_at,
                   HearingTranscription(r.transcription) if r.transcription else None)


def _hearing_values(h: Hearing) -> dict[str, object]:
    values = asdict(h)
    values["status"] = h.status.value
    return values


def _member(r: HearingMemberRow) -> HearingMember:
    return HearingMember(
        MemberId(r.id), HearingId(r.hearing_id), MemberRole(r.role), r.display_name, r.joined_at,
        ParticipantId(r.participant_id) if r.participant_id else None,
        StaffId(r.staff_id) if r.staff_id else None, r.acknowledged_at, r.notice_version,
        r.admitted_at, r.removed_at, r.muted, r.receive_only)


def _member_values(m: HearingMember) -> dict[str, object]:
    values = asdict(m)
    values["role"] = m.role.value
    return values


def _recording(r: HearingRecordingRow) -> Recording:
    return Recording(HearingId(r.hearing_id), MemberId(r.member_id), r.kind, r.path, r.sha256,
                     r.size_bytes, r.state, r.started_at, r.stopped_at, r.first_audio_at,
                     r.first_video_at, r.duration_seconds, r.video_frames, r.chain,
                     r.original_path, r.original_chain, r.verified_at, r.verified,
                     r.verify_problem)


class SqlHearings:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, hearing: Hearing) -> None:
        self._s.add(HearingRow(**_hearing_values(hearing)))
        await self._s.flush()

    async def update(self, hearing: Hearing) -> None:
        values = _hearing_values(hearing)
        await self._s.execute(update(HearingRow).where(HearingRow.id == values.pop("id"))
                              .values(**values))

    async def get(self, hearing_id: HearingId, *, lock: bool = False) -> Hearing | None:
        query = select(HearingRow).where(HearingRow.id == hearing_id)
        if lock:
            query = query.with_for_update()
        row = (await self._s.execute(query.execution_options(populate_existing=True))).scalar()
        return _hearing(row) if row else None

    async def open_for_booking(self, booking_id: BookingId) -> Hearing | None:
        row = await self._s.scalar(select(HearingRow).where(
            HearingRow.booking_id == booking_id, HearingRow.status == HearingStatus.OPEN.value))
        return _hearing(row) if row else None

    async def of_booking(self, booking_id: BookingId) -> Sequence[Hearing]:
        rows = await self._s.scalars(select(HearingRow).where(HearingRow.booking_id == booking_id)
                                     .order_by(HearingRow.opened_at))
        return [_hearing(r) for r in rows]

    async def unsettled(self) -> Sequence[Hearing]:
        """Open hearings (a stopped server left them), and closed ones whose recording started
        but whose files were never stored (the server stopped between the two steps)."""
        stored = select(HearingRecordingRow.id).where(HearingRecordingRow.hearing_id == HearingRow.id)
        rows = await self._s.scalars(select(HearingRow).where(or_(
            HearingRow.status == HearingStatus.OPEN.value,
            and_(HearingRow.recording_started_at.is_not(None),
                 HearingRow.transcription.is_(None), ~stored.exists()))))
        return [_hearing(r) for r in rows]

    async def add_member(self, member: HearingMember) -> None:
        self._s.add(HearingMemberRow(**_member_values(member)))
        await self._s.flush()

    async def update_member(self, member: HearingMember) -> None:
        values = _member_values(member)
        await self._s.execute(update(HearingMemberRow)
                              .where(HearingMemberRow.id == values.pop("id")).values(**values))

    async def member(self, member_id: MemberId) -> HearingMember | None:
        row = await self._s.get(HearingMemberRow, member_id, populate_existing=True)
        return _member(row) if row else None

    async def members(self, hearing_id: HearingId) -> Sequence[HearingMember]:
        rows = await self._s.scalars(select(HearingMemberRow).where(
            HearingMemberRow.hearing_id == hearing_id).order_by(HearingMemberRow.joined_at))
        return [_member(r) for r in rows]

    async def member_by_participant(self, hearing_id: HearingId,
                                    participant_id: ParticipantId) -> HearingMember | None:
        row = await self._s.scalar(select(HearingMemberRow).where(
            HearingMemberRow.hearing_id == hearing_id,
            HearingMemberRow.participant_id == participant_id))
        return _member(row) if row else None

    async def member_by_staff(self, hearing_id: HearingId,
                              staff_id: StaffId) -> HearingMember | None:
        row = await self._s.scalar(select(HearingMemberRow).where(
            HearingMemberRow.hearing_id == hearing_id, HearingMemberRow.staff_id == staff_id))
        return _member(row) if row else None

    async def add_recording(self, recording: Recording, attestation: Attestation) -> None:
        require(attestation, Stored.RECORDING, recording.path, recording.sha256)
        self._s.add(HearingRecordingRow(**asdict(recording)))
        await self._s.flush()

    async def recordings(self, hearing_id: HearingId) -> Sequence[Recording]:
        rows = await self._s.scalars(select(HearingRecordingRow).where(
            HearingRecordingRow.hearing_id == hearing_id)
            .order_by(HearingRecordingRow.member_id, HearingRecordingRow.kind,
                      HearingRecordingRow.started_at))
        return [_recording(r) for r in rows]
