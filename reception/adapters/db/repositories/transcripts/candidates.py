"""The newest transcript lines in scope that match a search, found at a cost bounded by how many
are asked for rather than by how many lines match.

The GIN index over `fts_document` answers "which lines contain these words" in no useful
order: sorting or ranking all of them costs time in proportion to the matches, tens of
thousands for a common word. The btree `fts_transcript_segment_recent` (migration sr_0001)
walks one agency's lines newest first (hearing start, position, id), so the newest matches of a
frequent term come after a few thousand lines whatever the size of the table; for a rare term
the same walk would read the whole agency. Between the two, the GIN is also keyed by the week
of the hearing (migration sr2_0001): asked one week at a time, newest first, it reads only that
week's matches and stops at the week that completes the page — a cost set by the density of
the term per week, not by the size of the table. Hence:

1. The column statistics PostgreSQL keeps for the planner (pg_stats) say how many lines the GIN
   would make us read. Unlike the planner, a phrase counts as many lines as its rarest word:
   Vietnamese words are syllables that travel together, and multiplying their frequencies (the
   planner's assumption) underestimates "khiếu nại" a hundredfold.
2. Few lines (a rare or absent word): the GIN, then those few matches sorted by recency.
   Rarer than a walk could find enough of, yet too many for that: the GIN week by week.
3. Otherwise walk newest first in chunks, testing each line: a frequent term ends here. After
   each chunk the density seen so far says whether walking on, the GIN week by week, or the
   whole GIN for the lines older than the walk, is cheaper.
4. A verifier's or a case file's hearings: few, so their hearings newest first, each hearing's
   lines tested until the page is full (or the GIN when the words are rare).

Every path returns the same lines — the newest `need` matches in scope, newest first — so the
choice changes the cost, never the result (the tests force each path and compare).
Numbers: bench/search.py.
"""

from __future__ import annotations

import math
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
WEEK_SECONDS = 604_800  # public.fts_week (migration sr2_0001)
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
    week_scan: float = 75.0  # one week's probe of the GIN, found empty (about 30 µs)
    max_weeks: int = 26  # probed one by one at most; then the whole GIN for the weeks before
    weeks_direct: bool = True  # the weeks without a walk first when the walk would not do
    max_walk_agencies: int = 64  # beyond, merging one walk per agency costs more than it saves
    force: Literal["gin", "walk", "weeks"] | None = None  # tests: every path, the same lines


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
    of the lines) to decode; `scope` is the share of the lines the agencies searched hold
    (0 when unknown)."""

    lines: float
    near: float
    entries: float
    scope: float = 0.0

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
        gin = await self._gin_cost(list(names.values()))
        force = self._costs.force
        # Long enough to find `need` matches if the query's words came together as often as
        # the rarest of them comes alone (as a phrase's syllables do): one statement then. If
        # that is long, the walk is only there to measure: its shortest. When the weeks can be
        # asked (the scope's share is known), they read only the matches: straight to them
        # if even the first chunk would not do (at most a week's matches of the rarest word
        # — a few hundred — against thousands of lines walked).
        expected = 1.5 * need / max(gin.near, 1e-9)
        chunk = self._costs.first_walk
        if chunk < expected <= 4 * chunk and gin.scope <= 0:
            chunk = int(expected)
        if force == "gin" or len(names) > self._costs.max_walk_agencies or (
                force is None and gin.units(self._costs) <= self._costs.gin_direct):
            return await self._gin(where, names, need, None)
        # The weeks hold every agency's lines: for a small agency, its matches are few among
        # those the weeks read, and its own walk is cheaper.
        weeks_read = need * self._costs.gin_line / gin.scope if gin.scope > 0 else math.inf
        if force == "weeks" or (force is None and self._costs.weeks_direct
                                and expected > chunk and weeks_read < expected):
            return await self._weeks(where, names, need, None)
        found: list[Position] = []
        older: Position | None = None
        walked, near = 0, 0
        newest: datetime | None = None
        while True:
            hits, seen, last, first = await self._walk(names, need - len(found), chunk, older)
            found += hits
            newest = newest or first
            if len(found) >= need or last is None or newest is None:
                return found[:need]  # enough, or the scope has no more lines
            walked, near, older = walked + chunk, near + seen, last
            rest = need - len(found)
            walk_lines = rest / (max(len(found), 0.5) / walked)
            if force is None:
                whole = gin.units(self._costs, max(near, 0.5) / walked)
                weekly = self._weeks_units(gin, rest, len(found), near,
                                           (newest - last.heard_at).total_seconds())
                if min(whole, weekly) < walk_lines:
                    rest_of = self._weeks if weekly < whole else self._gin
                    return found + await rest_of(where, names, rest, older)
            # The walk stops at the last match needed, so a generous chunk costs nothing;
            # its end is only where the choice is made again.
            chunk = int(min(max(walk_lines * 2, chunk), chunk * 4))

    async def in_transcripts(self, transcripts: Sequence[uuid.UUID],
                             need: int) -> list[Position]:
        """The newest `need` matching lines of these transcripts (a verifier's hearings, or a
        case file's): few, so either the GIN answers (rare words) or their hearings are taken
        newest first, each one's lines tested, until `need` matches are found."""
        if not transcripts:
            return []
        names = {"transcripts": list(transcripts)}
        where = "transcript_id = ANY(:transcripts)"
        force = self._costs.force
        if force not in ("walk", "weeks") and (force == "gin" or (
                await self._gin_cost([])).units(self._costs) <= self._costs.gin_direct):
            return await self._gin(where, names, need, None)
        self.path.append("hearings")
        # One hearing start at a time, newest first (the transcripts of hearings that started
        # at the same instant together), its lines along the recency index. OFFSET 0: neither
        # the GIN over the whole table nor — in a generic plan — a bitmap of all the
        # transcripts' lines at each step (the transcripts are a filter after). The sort on top
        # is incremental (w.heard_at, the lines' hearing start, is already in order), so the
        # LIMIT stops the loop. A transcript's agency and hearing start are read from its
        # first line: every line carries the same copies (sr_0001).
        rows = await self._s.execute(text(f"""
            SELECT s.id, s.fts_heard_at, s.start_ms FROM (
                SELECT k.heard_at, array_agg(DISTINCT k.agency) AS agencies
                FROM unnest(CAST(:transcripts AS uuid[])) AS t(id) CROSS JOIN LATERAL (
                    SELECT fts_heard_at AS heard_at, fts_agency_id AS agency
                    FROM transcript_segment WHERE transcript_id = t.id LIMIT 1) k
                GROUP BY 1 ORDER BY 1 DESC) w
            CROSS JOIN LATERAL (
                SELECT id, transcript_id, fts_heard_at, start_ms, fts_document
                FROM transcript_segment
                WHERE fts_agency_id = ANY(w.agencies) AND fts_heard_at = w.heard_at OFFSET 0) s
            WHERE s.{where} AND s.fts_document @@ {self._near}
            AND s.fts_document @@ {self._tsquery}
            ORDER BY w.heard_at DESC, s.start_ms DESC, s.id DESC
            LIMIT :need"""), dict(self._params, **names, need=need))
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

    async def _weeks(self, where: str, names: dict[str, Any], need: int,
                     older: Position | None) -> list[Position]:
        """The GIN one week at a time, newest first, from the week of the scope's newest line
        (or of `older`) back, at most `max_weeks` of them: each week's matches in `where`,
        newest first, until `need` are found. Each week is an exact key of the index, which
        the GIN intersects with the words' posting lists, so an empty week costs one descent
        of the index. A term so rare that those weeks did not hold `need` matches has few in
        the table: the whole GIN finds the rest, in the weeks before."""
        self.path.append("weeks")
        weeks = self._costs.max_weeks
        params = dict(self._params, **names, need=need, weeks=weeks)
        after = ""
        if older is not None:
            after = f" AND {OLDER}"
            params.update(older_at=older.heard_at, older_ms=older.start_ms, older_id=older.id)
        agencies = ", ".join(f"(CAST(:{name} AS uuid))" for name in names)
        # The weeks are taken in order (a function scan) and each week's matches sorted: the
        # nested loop's output is the recency order, and the LIMIT stops it at the last week
        # needed. A sort on top would need every week first, so there is none. Each week is
        # asked of the GIN alone (OFFSET 0: a generic plan of the prepared statement would
        # rather walk the agency's btree, filtering on the week). The scope's weeks come with
        # the lines (alone when there are none).
        rows = (await self._s.execute(text(f"""
            WITH b AS MATERIALIZED (
                SELECT public.fts_week(min(x.first)) AS first, public.fts_week(max(x.last)) AS last
                FROM (VALUES {agencies}) a(id) CROSS JOIN LATERAL (
                    SELECT (SELECT min(fts_heard_at) FROM transcript_segment
                            WHERE fts_agency_id = a.id) AS first,
                           (SELECT max(fts_heard_at) FROM transcript_segment
                            WHERE fts_agency_id = a.id{after}) AS last) x)
            SELECT b.first, b.last, s.id, s.fts_heard_at, s.start_ms
            FROM b LEFT JOIN LATERAL (
                SELECT m.* FROM generate_series(b.last, greatest(b.first, b.last - :weeks + 1),
                                                -1) AS w(week)
                CROSS JOIN LATERAL (
                    SELECT id, fts_heard_at, start_ms FROM (
                        SELECT id, fts_heard_at, start_ms, fts_agency_id, transcript_id
                        FROM transcript_segment WHERE public.fts_week(fts_heard_at) = w.week
                        AND fts_document @@ {self._tsquery} OFFSET 0) one_week
                    WHERE {where}{after} ORDER BY {NEWEST} LIMIT :need) m
                LIMIT :need) s ON true"""), params)).all()
        found = [Position(r.fts_heard_at, r.start_ms, r.id) for r in rows if r.id is not None]
        bounds = rows[0]
        if len(found) >= need or bounds.last is None or bounds.last - weeks < bounds.first:
            return found
        before = dict(names, below=bounds.last - weeks + 1)
        return found + await self._gin(f"{where} AND public.fts_week(fts_heard_at) < :below",
                                       before, need - len(found), older)

    def _weeks_units(self, gin: GinCost, rest: int, found: int, near: int,
                     seconds: float) -> float:
        """What `_weeks` would cost for `rest` more matches, from what a walk of `seconds` of
        hearings found (`found` matches, `near` lines matching the looser query): the weeks it
        would probe, and every agency's lines in them matching the looser query (the index
        holds no agency: a small agency's weeks hold many lines of others)."""
        if gin.scope <= 0:
            return float("inf")
        span = max(seconds / WEEK_SECONDS, 1 / 168)  # in weeks, an hour at least
        weeks = span * rest / max(found, 0.5)
        # A week is read whole: at least one week's matches come from the heap.
        matches = max(rest, found / span)
        lines = matches * max(near, 0.5) / max(found, 0.5) / gin.scope
        return weeks * self._costs.week_scan + lines * self._costs.gin_line

    async def _walk(self, agencies: dict[str, uuid.UUID], need: int, chunk: int,
                    older: Position | None) -> tuple[list[Position], int, Position | None,
                                                     datetime | None]:
        """Walk the next `chunk` lines of these agencies, newest first (one index scan per
        agency, merged), testing each: (up to `need` matches, newest first; how many lines
        walked matched the looser query; the last line walked, or None when the agencies had
        no more lines or `need` matches were found; the hearing start of the first line
        walked)."""
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
        # Lines come in order and stop at the `need`th match; the chunk's first and last lines
        # come too (numbered by row_number), so that the next chunk can start after the last. The looser
        # query is tested first (it is cheaper: no positions) and counted.
        rows = (await self._s.execute(text(f"""
            SELECT id, fts_heard_at, start_ms, hit, n = :chunk AS last, n = 1 AS first,
                   seen FROM (
                SELECT id, fts_heard_at, start_ms, hit, row_number() OVER w AS n,
                       count(*) FILTER (WHERE near) OVER w AS seen
                FROM (SELECT id, fts_heard_at, start_ms, near,
                             near AND fts_document @@ {self._tsquery} AS hit
                      FROM (SELECT *, fts_document @@ {self._near} AS near
                            FROM ({branches}) u ORDER BY {NEWEST} LIMIT :chunk) v) lines
                WINDOW w AS (ORDER BY {NEWEST} ROWS UNBOUNDED PRECEDING)) x
            WHERE hit OR n = :chunk OR n = 1
            ORDER BY {NEWEST} LIMIT :need + 2"""), params)).all()
        hits = [Position(r.fts_heard_at, r.start_ms, r.id) for r in rows if r.hit][:need]
        last = next((r for r in rows if r.last), None)
        first = rows[0].fts_heard_at if rows and rows[0].first else None
        if last is None or len(hits) >= need:
            return hits, 0, None, first
        return hits, last.seen, Position(last.fts_heard_at, last.start_ms, last.id), first

    async def _gin_cost(self, agencies: Sequence[uuid.UUID]) -> GinCost:
        """From the statistics ANALYZE keeps for the planner (pg_stats: the most common
        lexemes of fts_document and the share of lines holding each). Per AND-ed group, the
        lines holding one of its alternatives are at most the sum over the alternatives of
        their rarest word's share; the smallest group bounds the lines the GIN reads. A word
        ANALYZE did not keep is rarer than both the least common kept and ANALYZE's cutoff
        (ts_typanalyze.c: 9 x lexemes per line / bucket width); it counts for half of that.
        The share of the lines `agencies` hold comes from the most common values of
        fts_agency_id (an agency not among them counts for none: the weeks are not tried)."""
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
                    WHERE oid = 'public.transcript_segment'::regclass) AS lines,
                   (SELECT coalesce(sum(m.f), 0) FROM pg_stats p, unnest(
                        p.most_common_vals::text::uuid[], p.most_common_freqs) AS m(v, f)
                    WHERE p.schemaname = 'public' AND p.tablename = 'transcript_segment'
                    AND p.attname = 'fts_agency_id'
                    AND m.v = ANY(CAST(:agencies AS uuid[]))) AS scope
            FROM unnest(CAST(:alternatives AS text[])) WITH ORDINALITY AS a(alt, n)
            CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector(
                'simple', public.immutable_unaccent(lower(a.alt))))) AS w(lexeme)
            CROSS JOIN target LEFT JOIN st ON true"""),
            {"alternatives": [alt for _, alt in alternatives],
             "agencies": list(agencies)})).all()
        words: list[tuple[int, float]] = []  # (alternative, 1-based; share of the word)
        rarest: dict[int, float] = {}  # alternative -> share of its rarest word
        lines, in_scope = 0.0, 0.0
        for r in rows:
            share = (float(r.share) if r.share is not None
                     else float(r.rarer) / 2 if r.rarer is not None else DEFAULT_WORD_SHARE)
            words.append((r.n, share))
            rarest[r.n] = min(rarest.get(r.n, 1.0), share)
            lines, in_scope = float(r.lines), float(r.scope)
        groups: dict[int, float] = {}
        for n, (g, _) in enumerate(alternatives, start=1):
            groups[g] = min(1.0, groups.get(g, 0.0) + rarest.get(n, 0.0))
        near = min(groups.values())
        # A word's posting list is decoded only around the lines the rarer side brings (GIN
        # skips the rest, a segment of about SKIPPED_ENTRIES entries at a time).
        entries = sum(min(share, SKIPPED_ENTRIES * min(rarest[n], near)) for n, share in words)
        return GinCost(lines, near, entries, in_scope)
