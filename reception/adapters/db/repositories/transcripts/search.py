"""Full-text search over transcript lines (PostgreSQL: the generated, unaccented tsvector
`transcript_segment.fts_document` of migration 0008_transcript_search, with its GIN index, and
the recency index of migration sr_0001).

The query is built from bound values only: each alternative of the parsed query goes through
websearch_to_tsquery (which never raises on odd input) and the results are combined with the
tsquery operators || and &&. Every function involved is immutable, so PostgreSQL folds the
whole tsquery to a constant. Which lines match, newest first, is transcript_candidates.py's
job; this module ranks them and builds the page.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from reception.adapters.db.repositories.transcripts.candidates import (
    Costs,
    NewestMatches,
    Position,
)
from reception.domain.cases.case_file import CaseScope
from reception.domain.hearings.model import HearingId, MemberId
from reception.domain.transcripts.search_query import MATCH_END, MATCH_START, SearchQuery
from reception.domain.transcripts.transcript import SegmentId
from reception.services.transcripts.search_ports import RANKED_TOGETHER, TranscriptHit

# Matching lines are ranked in blocks of this many, newest block first.
BLOCK = RANKED_TOGETHER
# Objects that live only in the migration (not in the models): Alembic's comparison skips them.
SEARCH_OBJECT_PREFIX = "fts_"
# ts_headline: Vietnamese syllables are short words, so no word is too short to end a fragment.
HEADLINE_OPTIONS = (f"StartSel={MATCH_START}, StopSel={MATCH_END}, MaxWords=28, MinWords=10, "
                    "ShortWord=0, MaxFragments=2, FragmentDelimiter=\" … \"")


def include_search_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic `include_name` hook: leave out the search column and index (`fts_*`)."""
    return not (type_ in ("column", "index") and (name or "").startswith(SEARCH_OBJECT_PREFIX))


def tsquery_sql(query: SearchQuery) -> tuple[str, dict[str, str]]:
    """SQL of the tsquery for `query` and its bound values (names q0_0, q0_1, …)."""
    groups, params = [], {}
    for g, alternatives in enumerate(query.groups):
        parts = []
        for a, alternative in enumerate(alternatives):
            params[f"q{g}_{a}"] = alternative
            parts.append(f"websearch_to_tsquery('simple', public.immutable_unaccent(lower(:q{g}_{a})))")
        groups.append("(" + " || ".join(parts) + ")")
    return " && ".join(groups), params


def near_sql(query: SearchQuery) -> str:
    """SQL of a looser tsquery that every match of `query` also matches and the GIN index
    answers without reading a line: each alternative's words in any order and place (no
    phrases), groups with an exclusion left out. Over the same bound values as tsquery_sql."""
    groups = []
    for g, alternatives in enumerate(query.groups):
        if any(a.startswith("-") for a in alternatives):
            continue
        groups.append("(" + " || ".join(
            f"plainto_tsquery('simple', public.immutable_unaccent(lower(:q{g}_{a})))"
            for a in range(len(alternatives))) + ")")
    return " && ".join(groups)


def scope_sql(scope: CaseScope, params: dict[str, Any]) -> tuple[str, str]:
    """(transcripts `t` in scope, case files `c` in scope): of these agencies, or — for a
    verifier — the cases assigned to them and the hearings those cases quote."""
    transcripts, cases = [], []
    if scope.agency_ids:
        params["agencies"] = list(scope.agency_ids)
        transcripts.append("t.agency_id = ANY(:agencies)")
        cases.append("c.agency_id = ANY(:agencies)")
    if scope.assigned_to is not None:
        params["assignee"] = scope.assigned_to
        assigned = "SELECT case_id FROM case_assignment WHERE staff_id = :assignee"
        transcripts.append(f"t.hearing_id IN (SELECT hearing_id FROM evidence_link "
                           f"WHERE case_id IN ({assigned}))")
        cases.append(f"c.id IN ({assigned})")
    return tuple("(" + " OR ".join(c) + ")" if c else "false"  # type: ignore[return-value]
                 for c in (transcripts, cases))


class SqlTranscriptSearch:
    """Pages of hits: the newest matching lines in scope (transcript_candidates.py finds them
    at a bounded cost), ranked within blocks of BLOCK lines — the best of the newest BLOCK
    matches first, then the best of the next BLOCK, and so on."""

    def __init__(self, session: AsyncSession, costs: Costs | None = None) -> None:
        self._s, self._costs = session, costs or Costs()
        self.paths: list[str] = []  # how the last search found its lines (bench/search.py)

    async def search(self, query: SearchQuery, scope: CaseScope, *,
                     case_id: uuid.UUID | None = None, limit: int = 20,
                     offset: int = 0) -> Sequence[TranscriptHit]:
        if query.empty:
            return []
        need = -(-(offset + limit) // BLOCK) * BLOCK  # whole blocks up to the page's end
        candidates = await self._candidates(query, scope, case_id, need)
        if len(candidates) <= offset:
            return []
        tsquery, params = tsquery_sql(query)
        params_any: dict[str, Any] = dict(params, limit=limit, offset=offset, block=BLOCK,
                                          headline=HEADLINE_OPTIONS,
                                          ids=[c.id for c in candidates])
        where, case_where = scope_sql(scope, params_any)
        if case_id is not None:
            params_any["case_id"] = case_id
            where += (" AND t.hearing_id IN (SELECT hearing_id FROM evidence_link "
                      "WHERE case_id = :case_id)")
        # Rank the candidates and cut the page first, then build headlines and labels for the
        # page only. The scope is checked again on the transcript itself. Each candidate is
        # looked up by its key (LATERAL … OFFSET 0: the planner may not start from the scope's
        # transcripts instead, which would read all their lines).
        statement = text(f"""
            WITH q AS (SELECT {tsquery} AS query),
            hits AS (
                SELECT s.id, s.member_id, s.speaker, s.role, s.start_ms, s.end_ms, s.text,
                       t.hearing_id, t.approved, ts_rank_cd(s.fts_document, q.query) AS rank,
                       (c.n - 1) / :block AS block, c.n
                FROM q, unnest(CAST(:ids AS uuid[])) WITH ORDINALITY AS c(id, n)
                CROSS JOIN LATERAL (SELECT * FROM transcript_segment
                                    WHERE id = c.id OFFSET 0) s
                CROSS JOIN LATERAL (SELECT t.hearing_id, t.approved_at IS NOT NULL AS approved
                                    FROM transcript t
                                    WHERE t.id = s.transcript_id AND {where} OFFSET 0) t
                ORDER BY block, rank DESC, c.n
                LIMIT :limit OFFSET :offset)
            SELECT hits.*, ts_headline('public.fts_unaccent', hits.text, q.query, :headline)
                       AS snippet,
                   coalesce(h.recording_started_at, h.opened_at) AS hearing_at,
                   b.reference AS booking_reference,
                   coalesce((SELECT array_agg(DISTINCT c.reference ORDER BY c.reference)
                             FROM evidence_link e JOIN case_file c ON c.id = e.case_id
                             WHERE e.hearing_id = hits.hearing_id AND {case_where}), '{{}}')
                       AS cases
            FROM hits CROSS JOIN q JOIN hearing h ON h.id = hits.hearing_id
            JOIN booking b ON b.id = h.booking_id
            ORDER BY hits.block, hits.rank DESC, hits.n""")
        rows = (await self._s.execute(statement, params_any)).mappings().all()
        return [TranscriptHit(
            SegmentId(r["id"]), HearingId(r["hearing_id"]), MemberId(r["member_id"]),
            r["speaker"], r["role"], r["start_ms"], r["end_ms"], r["snippet"], float(r["rank"]),
            r["hearing_at"], r["booking_reference"], r["approved"], tuple(r["cases"]))
            for r in rows]

    async def _candidates(self, query: SearchQuery, scope: CaseScope,
                          case_id: uuid.UUID | None, need: int) -> list[Position]:
        """The newest `need` matching lines the scope allows: a case file's hearings, or the
        scope's agencies and a verifier's hearings together."""
        tsquery, params = tsquery_sql(query)
        finder = NewestMatches(self._s, query, tsquery, near_sql(query), params, self._costs)
        try:
            if case_id is not None:
                return await finder.in_transcripts(await self._transcripts(
                    scope, "SELECT hearing_id FROM evidence_link WHERE case_id = :case_id",
                    case_id=case_id), need)
            found: list[Position] = []
            if scope.agency_ids:
                found += await finder.in_agencies(list(scope.agency_ids), need)
            if scope.assigned_to is not None:
                found += await finder.in_transcripts(await self._transcripts(
                    CaseScope(assigned_to=scope.assigned_to), None), need)
            return sorted(set(found), reverse=True)[:need]
        finally:
            self.paths = finder.path

    async def _transcripts(self, scope: CaseScope, hearings: str | None,
                           **params: Any) -> list[uuid.UUID]:
        """Transcripts in `scope`, of the hearings the subquery `hearings` names (if given)."""
        where, _ = scope_sql(scope, params)
        if hearings is not None:
            where += f" AND t.hearing_id IN ({hearings})"
        rows = await self._s.execute(text(f"SELECT t.id FROM transcript t WHERE {where}"), params)
        return list(rows.scalars())
