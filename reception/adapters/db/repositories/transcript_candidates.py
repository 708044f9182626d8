"""The newest transcript lines in scope that match a search, found at a cost bounded by how many
are asked for rather than by how many lines match.

The GIN index over `fts_document` (migration 0008) answers "which lines contain these words" in
no useful order: sorting or ranking all of them costs time in proportion to the matches, tens
of thousands for a common word. The btree `fts_transcript_segment_recent` (migration sr_0001)
walks one agency's lines newest first (hearing start, position, id), so the newest matches of a
frequent term come after a few thousand lines whatever the size of the table; for a rare term
the same walk would read the whole agency. Hence:

1. The column statistics PostgreSQL keeps for the planner (pg_stats) say how many lines the GIN
   would make us read. Unlike the planner, a phrase counts as many lines as its rarest word:
   Vietnamese words are syllables that travel together, and multiplying their frequencies (the
   planner's assumption) underestimates "khiếu nại" a hundredfold.
2. Few lines (a rare or absent word): the GIN, then those few matches sorted by recency.
3. Otherwise walk newest first in chunks, testing each line: a frequent term ends here. After
   each chunk the density seen so far says whether walking on, or the GIN for the lines older
   than the walk, is cheaper.

Every path returns the same lines — the newest `need` matches in scope, newest first — so the
choice changes the cost, never the result (the tests force each path and compare).
Numbers: bench/search.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from reception.domain.transcripts.search_query import SearchQuery

NEWEST = "fts_heard_at DESC, start_ms DESC, id DESC"  # the index's order, walked backwards
OLDER = "(fts_heard_at, start_ms, id) < (:older_at, :older_ms, :older_id)"
DEFAULT_WORD_SHARE = 0.005  # PostgreSQL's own guess for a tsvector match without statistics
SKIPPED_ENTRIES = 128  # about one compressed segment of a GIN posting list (ginpostinglist.c)


@dataclass(frozen=True, slots=True)
class Costs:
    """How the path is chosen, in units of one line walked along the btree (bench/search.py,
    1M lines, forcing each path): a line read through the GIN bitmap costs about four (a
    random heap page instead of the next line on the same one), an entry of a posting list
    decoded about a twentieth."""

    first_walk: int = 5_000  # the first chunk of the walk, at least (it measures the density)
    gin_direct: float = 10_000  # the GIN costs at most this: no walk at all
    gin_line: float = 4.0
    gin_entry: float = 0.05
    max_walk_agencies: int = 64  # beyond, merging one walk per agency costs more than it saves
    force: Literal["gin", "walk"] | None = None  # tests: every path gives the same lines


@dataclass(frozen=True, slots=True, order=True)
class Position:
    """A line's place in recency order (greater is newer); uuid order is PostgreSQL's."""

    heard_at: datetime
    start_ms: int
    id: uuid.UUID


@dataclass(frozen=True, slots=True)
class GinCost:
    """What the GIN index would cost for a query: `lines` in the table, at most `near` of them
    (a share) holding every word the query needs, and `entries` posting-list entries (a share
    of the lines) to decode."""

    lines: float
    near: float
    entries: float

    def units(self, costs: Costs, near: float | None = None) -> float:
        share = self.near if near is None else near
        return self.lines * (share * costs.gin_line + self.entries * costs.gin_entry)


class NewestMatches:
    """One search's candidate finder: `tsquery` and `near` (a looser query every match also
    matches, see transcript_search.near_sql) are SQL over the bound values in `params`."""

    def __init__(self, session: AsyncSession, query: SearchQuery, tsquery: str, near: str,
                 params: dict[str, Any], costs: Costs) -> None:
        # A sub-select is evaluated once per statement; the bare expression would be evaluated
        # for every line whenever PostgreSQL reuses a generic plan of the prepared statement.
        self._s, self._query = session, query
        self._tsquery, self._near = f"(SELECT {tsquery})", f"(SELECT {near})"
        self._params, self._costs = params, costs
        self.path: list[str] = []  # what was done, for the benchmark's report

    async def in_agencies(self, agencies: Sequence[uuid.UUID], need: int) -> list[Position]:
        """The newest `need` matching lines of these agencies' transcripts."""
        names = {f"a{i}": a for i, a in enumerate(sorted(agencies))}
        where = f"fts_agency_id IN ({', '.join(':' + name for name in names)})"
        gin = await self._gin_cost()
        force = self._costs.force
        # Long enough to find `need` matches if the query's words came together as often as
        # the rarest of them comes alone (as a phrase's syllables do): one statement then. If
        # that is long, the walk is only there to measure: its shortest.
        expected = 1.5 * need / max(gin.near, 1e-9)
        chunk = self._costs.first_walk
        if chunk < expected <= 4 * chunk:
            chunk = int(expected)
        if force == "gin" or len(names) > self._costs.max_walk_agencies or (
                force is None and gin.units(self._costs) <= self._costs.gin_direct):
            return await self._gin(where, names, need, None)
        found: list[Position] = []
        older: Position | None = None
        walked, near = 0, 0
        while True:
            hits, seen, last = await self._walk(names, need - len(found), chunk, older)
            found += hits
            if len(found) >= need or last is None:  # enough, or the scope has no more lines
                return found[:need]
            walked, near, older = walked + chunk, near + seen, last
            walk_lines = (need - len(found)) / (max(len(found), 0.5) / walked)
            if force is None and gin.units(self._costs, max(near, 0.5) / walked) < walk_lines:
                return found + await self._gin(where, names, need - len(found), older)
            # The walk stops at the last match needed, so a generous chunk costs nothing;
            # its end is only where the choice is made again.
            chunk = int(min(max(walk_lines * 2, chunk), chunk * 4))

    async def in_transcripts(self, transcripts: Sequence[uuid.UUID],
                             need: int) -> list[Position]:
        """The newest `need` matching lines of these transcripts (a verifier's hearings, or a
        case file's): few, so either all their lines are tested or the GIN answers."""
        if not transcripts:
            return []
        names = {"transcripts": list(transcripts)}
        where = "transcript_id = ANY(:transcripts)"
        force = self._costs.force
        if force != "walk" and (force == "gin" or (
                await self._gin_cost()).units(self._costs) <= self._costs.gin_direct):
            return await self._gin(where, names, need, None)
        self.path.append("lines")
        rows = await self._s.execute(text(f"""
            SELECT id, fts_heard_at, start_ms FROM (
                SELECT id, fts_heard_at, start_ms, fts_document FROM transcript_segment
                WHERE {where} OFFSET 0) s
            WHERE fts_document @@ {self._near} AND fts_document @@ {self._tsquery}
            ORDER BY {NEWEST} LIMIT :need"""), dict(self._params, **names, need=need))
        return [Position(r.fts_heard_at, r.start_ms, r.id) for r in rows]

    async def _gin(self, where: str, names: dict[str, Any], need: int,
                   older: Position | None) -> list[Position]:
        """All matches through the GIN index, then the newest `need` of them in `where`. The
        matches are gathered alone first (a materialised CTE), so that no plan — a generic one
        of the prepared statement included — walks the agency's btree instead."""
        self.path.append("gin")
        params = dict(self._params, **names, need=need)
        if older is not None:
            where += f" AND {OLDER}"
            params.update(older_at=older.heard_at, older_ms=older.start_ms, older_id=older.id)
        rows = await self._s.execute(text(f"""
            WITH m AS MATERIALIZED (
                SELECT id, fts_heard_at, start_ms, fts_agency_id, transcript_id
                FROM transcript_segment WHERE fts_document @@ {self._tsquery})
            SELECT id, fts_heard_at, start_ms FROM m WHERE {where}
            ORDER BY {NEWEST} LIMIT :need"""), params)
        return [Position(r.fts_heard_at, r.start_ms, r.id) for r in rows]

    async def _walk(self, agencies: dict[str, uuid.UUID], need: int, chunk: int,
                    older: Position | None) -> tuple[list[Position], int, Position | None]:
        """Walk the next `chunk` lines of these agencies, newest first (one index scan per
        agency, merged), testing each: (up to `need` matches, newest first; how many lines
        walked matched the looser query; the last line walked, or None when the agencies had
        no more lines or `need` matches were found)."""
        self.path.append(f"walk {chunk}")
        after = f" AND {OLDER}" if older else ""
        # Each branch has the LIMIT too, so that each is planned as the index walk it is (a
        # branch planned for all of a large agency's lines would sort them instead).
        branches = " UNION ALL ".join(
            f"(SELECT id, fts_heard_at, start_ms, fts_document FROM transcript_segment "
            f"WHERE fts_agency_id = :{name}{after} ORDER BY {NEWEST} LIMIT :chunk)"
            for name in agencies)
        params = dict(self._params, **agencies, need=need, chunk=chunk)
        if older is not None:
            params.update(older_at=older.heard_at, older_ms=older.start_ms, older_id=older.id)
        # Lines come in order and stop at the `need`th match; the chunk's last line comes too
        # (numbered by row_number), so that the next chunk can start after it. The looser
        # query is tested first (it is cheaper: no positions) and counted.
        rows = (await self._s.execute(text(f"""
            SELECT id, fts_heard_at, start_ms, hit, n = :chunk AS last, seen FROM (
                SELECT id, fts_heard_at, start_ms, hit, row_number() OVER w AS n,
                       count(*) FILTER (WHERE near) OVER w AS seen
                FROM (SELECT id, fts_heard_at, start_ms, near,
                             near AND fts_document @@ {self._tsquery} AS hit
                      FROM (SELECT *, fts_document @@ {self._near} AS near
                            FROM ({branches}) u ORDER BY {NEWEST} LIMIT :chunk) v) lines
                WINDOW w AS (ORDER BY {NEWEST} ROWS UNBOUNDED PRECEDING)) x
            WHERE hit OR n = :chunk
            ORDER BY {NEWEST} LIMIT :need + 1"""), params)).all()
        hits = [Position(r.fts_heard_at, r.start_ms, r.id) for r in rows if r.hit][:need]
        last = next((r for r in rows if r.last), None)
        if last is None or len(hits) >= need:
            return hits, 0, None
        return hits, last.seen, Position(last.fts_heard_at, last.start_ms, last.id)

    async def _gin_cost(self) -> GinCost:
        """From the statistics ANALYZE keeps for the planner (pg_stats: the most common
        lexemes of fts_document and the share of lines holding each). Per AND-ed group, the
        lines holding one of its alternatives are at most the sum over the alternatives of
        their rarest word's share; the smallest group bounds the lines the GIN reads. A word
        ANALYZE did not keep is rarer than both the least common kept and ANALYZE's cutoff
        (ts_typanalyze.c: 9 x lexemes per line / bucket width); it counts for half of that."""
        alternatives = [(g, alt) for g, group in enumerate(self._query.groups)
                        if not any(a.startswith("-") for a in group) for alt in group]
        if not alternatives:
            return GinCost(0.0, 0.0, 0.0)
        rows = (await self._s.execute(text("""
            WITH st AS (
                SELECT most_common_elems::text::text[] AS elems, most_common_elem_freqs AS f,
                       cardinality(most_common_elems::text::text[]) AS kept
                FROM pg_stats WHERE schemaname = 'public' AND tablename = 'transcript_segment'
                AND attname = 'fts_document'),
            target AS (
                SELECT coalesce(nullif(attstattarget, -1),
                                current_setting('default_statistics_target')::int) * 10 AS most
                FROM pg_attribute WHERE attname = 'fts_document'
                AND attrelid = 'public.transcript_segment'::regclass)
            SELECT a.n, st.f[array_position(st.elems, w.lexeme)] AS share,
                   least(st.f[st.kept + 1], CASE WHEN st.kept < target.most THEN
                         63.0 * (SELECT sum(x) FROM unnest(st.f[1:st.kept]) x)
                         / (1000 * (target.most + 10)) END) AS rarer,
                   (SELECT greatest(reltuples, 0) FROM pg_class
                    WHERE oid = 'public.transcript_segment'::regclass) AS lines
            FROM unnest(CAST(:alternatives AS text[])) WITH ORDINALITY AS a(alt, n)
            CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector(
                'simple', public.immutable_unaccent(lower(a.alt))))) AS w(lexeme)
            CROSS JOIN target LEFT JOIN st ON true"""),
            {"alternatives": [alt for _, alt in alternatives]})).all()
        words: list[tuple[int, float]] = []  # (alternative, 1-based; share of the word)
        rarest: dict[int, float] = {}  # alternative -> share of its rarest word
        lines = 0.0
        for r in rows:
            share = (float(r.share) if r.share is not None
                     else float(r.rarer) / 2 if r.rarer is not None else DEFAULT_WORD_SHARE)
            words.append((r.n, share))
            rarest[r.n] = min(rarest.get(r.n, 1.0), share)
            lines = float(r.lines)
        groups: dict[int, float] = {}
        for n, (g, _) in enumerate(alternatives, start=1):
            groups[g] = min(1.0, groups.get(g, 0.0) + rarest.get(n, 0.0))
        near = min(groups.values())
        # A word's posting list is decoded only around the lines the rarer side brings (GIN
        # skips the rest, a segment of about SKIPPED_ENTRIES entries at a time).
        entries = sum(min(share, SKIPPED_ENTRIES * min(rarest[n], near)) for n, share in words)
        return GinCost(lines, near, entries)
