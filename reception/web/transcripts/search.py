"""Transcript search for staff: the page /search and the API /api/v1/search?q=&case_id=.
Each result links to its moment in the recording (the review page, at that time and line)."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, Field
from quart import Blueprint, render_template, url_for
from quart_schema import validate_querystring

from reception.domain.booking import LOCAL_TZ
from reception.domain.hearings.model import HearingId
from reception.domain.transcripts.search_query import highlighted
from reception.domain.transcripts.transcript import SegmentId
from reception.services.transcripts.search import MAX_PAGE_SIZE, PAGE_SIZE, TranscriptSearch
from reception.services.transcripts.search_ports import TranscriptHit
from reception.web.context import services
from reception.web.security.access import current_staff, staff_required
from reception.web.text import OneLine
from reception.web.transcripts.wording import MEMBER_ROLES

blueprint = Blueprint("search", __name__)


def _service() -> TranscriptSearch:
    return services().transcripts.search


def moment_url(hearing_id: HearingId, start_ms: int, segment_id: SegmentId | None = None) -> str:
    """The review page of a hearing, told to play from `start_ms` (?t= seconds), scrolled to
    the line."""
    anchor = f"seg-{segment_id}" if segment_id else None
    return url_for("transcript_review.review", hearing_id=hearing_id,
                   t=f"{start_ms / 1000:.1f}", _anchor=anchor)


def _case_id(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError:
        return None


class SearchPageArgs(BaseModel):
    q: OneLine = Field(default="", max_length=1000)
    case_id: OneLine | None = Field(default=None, max_length=64)
    offset: int = Field(default=0, ge=0, le=10_000)


@blueprint.get("/search")
@staff_required()
@validate_querystring(SearchPageArgs)
async def page(query_args: SearchPageArgs) -> str:
    text, case_id = query_args.q, _case_id(query_args.case_id)
    offset = query_args.offset
    results = (await _service().search(current_staff(), text, case_id=case_id, offset=offset)
               if text.strip() else None)
    return await render_template("search/page.html", q=text, case_id=case_id, results=results,
                                 highlighted=highlighted, moment_url=moment_url,
                                 roles=MEMBER_ROLES, local_tz=LOCAL_TZ)


class SearchArgs(BaseModel):
    q: OneLine = Field(max_length=1000)
    case_id: uuid.UUID | None = None
    limit: int = Field(default=PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(default=0, ge=0, le=10_000)


def hit_json(hit: TranscriptHit) -> dict[str, Any]:
    return {"segment_id": str(hit.segment_id), "hearing_id": str(hit.hearing_id),
            "member_id": str(hit.member_id), "speaker": hit.speaker, "role": hit.role,
            "start_ms": hit.start_ms, "end_ms": hit.end_ms, "rank": hit.rank,
            "snippet": [{"text": t, "match": m} for t, m in highlighted(hit.snippet)],
            "hearing_at": hit.hearing_at.isoformat(), "booking_reference": hit.booking_reference,
            "approved": hit.approved, "altered": hit.altered,
            "case_references": list(hit.case_references),
            "url": moment_url(hit.hearing_id, hit.start_ms, hit.segment_id)}


@blueprint.get("/api/v1/search")
@staff_required()
@validate_querystring(SearchArgs)
async def api(query_args: SearchArgs) -> dict[str, Any]:
    results = await _service().search(current_staff(), query_args.q, case_id=query_args.case_id,
                                      limit=query_args.limit, offset=query_args.offset)
    return {"query": results.query.text, "case_reference": results.case_reference,
            "offset": results.offset, "more": results.more,
            "results": [hit_json(h) for h in results.hits]}
