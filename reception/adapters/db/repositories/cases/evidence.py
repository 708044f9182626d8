"""SQL repository of evidence links (case file → moment of a hearing) and of the quotes they
show: the current text of the lines overlapping the linked time range, read at display time —
a link stores times, never text, so a corrected line shows corrected."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from reception.adapters.db.tables.booking import BookingRow
from reception.adapters.db.tables.hearings import HearingMemberRow, HearingRow
from reception.adapters.db.tables.transcripts import EvidenceLinkRow, SegmentRow, TranscriptRow
from reception.domain.hearings.model import HearingId, MemberId
from reception.domain.organisation import AgencyId, StaffId
from reception.domain.transcripts.transcript import EvidenceItem, EvidenceLink, EvidenceLinkId
from reception.services.transcripts.search_ports import HearingLabel, QuoteLine


def _link(r: EvidenceLinkRow) -> EvidenceLink:
    return EvidenceLink(EvidenceLinkId(r.id), r.case_id, HearingId(r.hearing_id), r.start_ms,
                        r.end_ms, MemberId(r.member_id) if r.member_id else None,
                        EvidenceItem(r.item), r.item_ref, r.note, StaffId(r.created_by),
                        r.created_at)


class SqlEvidence:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, link: EvidenceLink) -> None:
        self._s.add(EvidenceLinkRow(
            id=link.id, case_id=link.case_id, hearing_id=link.hearing_id, start_ms=link.start_ms,
            end_ms=link.end_ms, member_id=link.member_id, item=link.item.value,
            item_ref=link.item_ref, note=link.note, created_by=link.created_by,
            created_at=link.created_at))
        await self._s.flush()

    async def for_case(self, case_id: uuid.UUID) -> Sequence[EvidenceLink]:
        rows = await self._s.scalars(select(EvidenceLinkRow).where(
            EvidenceLinkRow.case_id == case_id).order_by(EvidenceLinkRow.created_at,
                                                         EvidenceLinkRow.id))
        return [_link(r) for r in rows]

    async def hearing(self, hearing_id: HearingId) -> HearingLabel | None:
        return (await self.hearings([hearing_id])).get(hearing_id)

    async def hearings(self, ids: Sequence[HearingId]) -> dict[HearingId, HearingLabel]:
        if not ids:
            return {}
        rows = await self._s.execute(
            select(HearingRow.id, HearingRow.agency_id, BookingRow.reference,
                   func.coalesce(HearingRow.recording_started_at, HearingRow.opened_at))
            .join(BookingRow, BookingRow.id == HearingRow.booking_id)
            .where(HearingRow.id.in_(list(ids))))
        return {HearingId(i): HearingLabel(HearingId(i), AgencyId(a), ref, at)
                for i, a, ref, at in rows}

    async def member_ids(self, hearing_id: HearingId) -> frozenset[MemberId]:
        rows = await self._s.scalars(select(HearingMemberRow.id).where(
            HearingMemberRow.hearing_id == hearing_id))
        return frozenset(MemberId(r) for r in rows)

    async def quote(self, hearing_id: HearingId, start_ms: int, end_ms: int,
                    member_id: MemberId | None) -> Sequence[QuoteLine]:
        query = (select(SegmentRow).join(TranscriptRow, TranscriptRow.id == SegmentRow.transcript_id)
                 .where(TranscriptRow.hearing_id == hearing_id, SegmentRow.start_ms < end_ms,
                        SegmentRow.end_ms > start_ms)
                 .order_by(SegmentRow.start_ms, SegmentRow.id))
        if member_id is not None:
            query = query.where(SegmentRow.member_id == member_id)
        return [QuoteLine(MemberId(r.member_id), r.speaker, r.role, r.start_ms, r.end_ms, r.text)
                for r in await self._s.scalars(query)]
