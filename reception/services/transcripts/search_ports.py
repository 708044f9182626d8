"""Ports of transcript search and evidence links, and the read models their adapters return."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from reception.domain.cases.case_file import CaseScope
from reception.domain.hearings.model import HearingId, MemberId
from reception.domain.organisation import AgencyId
from reception.domain.transcripts.search_query import SearchQuery
from reception.domain.transcripts.transcript import EvidenceLink, SegmentId

# Results come newest first in groups of this many matching lines, each group ranked (the best
# of the newest hundred first, then the best of the next hundred…): ranking every match of a
# common word would cost time in proportion to the matches.
RANKED_TOGETHER = 100


@dataclass(frozen=True, slots=True)
class TranscriptHit:
    """One matching line of a transcript, with what a result list shows about its hearing."""

    segment_id: SegmentId
    hearing_id: HearingId
    member_id: MemberId
    speaker: str
    role: str
    start_ms: int
    end_ms: int
    snippet: str  # matches between search_query.MATCH_START and MATCH_END
    rank: float
    hearing_at: datetime  # when the hearing's recording started (or it opened)
    booking_reference: str
    approved: bool
    case_references: tuple[str, ...] = ()  # case files quoting this hearing
    # The latest integrity check found the approved transcript changed since its approval.
    altered: bool = False


@dataclass(frozen=True, slots=True)
class HearingLabel:
    hearing_id: HearingId
    agency_id: AgencyId
    booking_reference: str
    hearing_at: datetime


@dataclass(frozen=True, slots=True)
class QuoteLine:
    """A transcript line overlapping a quoted time range, in its current (corrected) text."""

    member_id: MemberId
    speaker: str
    role: str
    start_ms: int
    end_ms: int
    text: str


class TranscriptSearchRepository(Protocol):
    async def search(self, query: SearchQuery, scope: CaseScope, *,
                     case_id: uuid.UUID | None = None, limit: int = 20,
                     offset: int = 0) -> Sequence[TranscriptHit]:
        """Lines matching `query` in transcripts of hearings in `scope` (agencies, or hearings
        quoted by cases assigned to someone), newest first in groups of RANKED_TOGETHER, best
        first within each; `case_id`: only hearings that case quotes."""
        ...


class EvidenceRepository(Protocol):
    async def add(self, link: EvidenceLink) -> None: ...
    async def for_case(self, case_id: uuid.UUID) -> Sequence[EvidenceLink]: ...
    async def hearing(self, hearing_id: HearingId) -> HearingLabel | None: ...
    async def hearings(self, ids: Sequence[HearingId]) -> dict[HearingId, HearingLabel]: ...
    async def member_ids(self, hearing_id: HearingId) -> frozenset[MemberId]: ...
    async def quote(self, hearing_id: HearingId, start_ms: int, end_ms: int,
                    member_id: MemberId | None) -> Sequence[QuoteLine]:
        """Current text of the lines overlapping [start_ms, end_ms) (of one member if given)."""
        ...
