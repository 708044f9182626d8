"""Transcript search at scale: seed N transcript lines with COPY, then time each class of search
term (through the real repository) next to the `unaccent(text) ILIKE` baseline, in the same run.

    .venv/bin/python bench/search.py --sizes 1000000 10000000    # embedded PostgreSQL (var/bench)
    DATABASE_URL=postgresql://… .venv/bin/python bench/search.py  # a server of your own

Prints, per size: the seeding time (COPY through the triggers, index builds, VACUUM ANALYZE),
the table and index sizes, p50/p95 per term class for ours, for the search as it was before the
recency index ("before": every match ranked) and for the baseline, and per query the path our
search took (gin / walk N / weeks / hearings) and how many lines it showed. Seeding 10M lines
takes about 7 minutes and 7 GB (table 4.5 GB, indexes 1.8 GB) on a 2-core machine.

The agency measured holds 90 % of the hearings (the worst case for its scope); the rest belong
to 20 other agencies under it (the "agency tree" scope is all 21). A verifier is assigned 20
cases quoting 40 hearings spread over the whole period. 250 lines per hearing, one hearing an
hour, words drawn from 70 common syllables (each in ~17 % of lines) plus planted phrases.
The baseline is what one writes without an index: the first 20 lines in table order whose
unaccented text contains each word, unranked (a word that matches nothing reads the table).

Not part of the suite at full size (a test runs it at 2,000 lines, `--check-paths` included:
every path of the search must return the same lines).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.cases import COLUMNS as CASE_COLUMNS  # noqa: E402
from bench.database import grow_and_measure, sizes_main  # noqa: E402

LINES_PER_HEARING = 250
COMMON = ("tôi", "đã", "là", "của", "và", "có", "không", "được", "này", "cho", "với", "người",
          "ông", "bà", "anh", "chị", "đơn", "việc", "nhà", "đất", "ủy", "ban", "xã", "huyện",
          "quyết", "định", "thu", "hồi", "bồi", "thường", "hỗ", "trợ", "tái", "định", "cư",
          "diện", "tích", "mét", "vuông", "năm", "tháng", "ngày", "gia", "đình", "chúng",
          "cán", "bộ", "trình", "bày", "nội", "dung", "xác", "minh", "giải", "quyết", "đề",
          "nghị", "giấy", "chứng", "nhận", "quyền", "sử", "dụng", "thửa", "ranh", "giới")
# (phrase, share of lines): what the timed queries look for, from rare to everywhere.
PLANTED = (("tranh chấp lối đi chung", 0.0005), ("sổ đỏ", 0.0002), ("khiếu nại", 0.01),
           ("mười lăm", 0.005), ("15", 0.005))
SEGMENT_COLUMNS = ("id", "transcript_id", "member_id", "speaker", "role", "start_ms", "end_ms",
                   "text", "machine_text", "confidence", "version")
SEARCH_INDEXES = ("fts_transcript_segment_weekly", "fts_transcript_segment_recent")
REPEATS = 20  # timed runs of each query, after one to warm the cache
BASELINE_SECONDS = 10.0  # time budget per query of the slow searches compared
# scope name -> term class -> queries, as typed into the search box
CLASSES: dict[str, tuple[str, tuple[str, ...]]] = {
    "rare": ("agency", ('"tranh chấp lối đi chung"', "lối đi", "sổ đỏ")),
    "frequent": ("agency", ("khieu nai", "đất", '"quyết định"', "khiếu nại đất")),
    "absent": ("agency", ("xyzzy", "pháp nhân", "khiếu nại xyzzy")),
    "digits ↔ number words": ("agency", ("15", "mười lăm", "15 năm")),
    "small agency": ("small", ("khieu nai", "đất", "tranh chấp")),
    "agency tree (21)": ("tree", ("khieu nai", "đất", "tranh chấp")),
    "assigned cases": ("assigned", ("khieu nai", "đất", "tranh chấp")),
}


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(False)


def _line(rng: random.Random) -> str:
    words = rng.choices(COMMON, k=rng.randint(6, 18))
    for phrase, share in PLANTED:
        if rng.random() < share:
            words.insert(rng.randint(0, len(words)), phrase)
    return " ".join(words).capitalize() + "."


class Bench:
    def __init__(self, url: str, repeats: int, reuse: bool = False) -> None:
        self.url, self.repeats, self.reuse = url, repeats, reuse
        self.agencies: list[uuid.UUID] = []
        self.officials: list[uuid.UUID] = []
        self.verifier = uuid.uuid4()
        self.seeding: dict[str, float] = {}

    async def setup(self, conn: Any) -> None:
        await conn.execute("TRUNCATE agency, staff_user, audit_log, reception_session, booking, "
                           "participant, hearing, hearing_member, transcript, transcript_segment,"
                           " evidence_link, case_file, case_assignment CASCADE")
        self.agencies = [uuid.uuid4() for _ in range(21)]
        await conn.executemany(
            "INSERT INTO agency (id, code, name, level, parent_id) VALUES ($1, $2, $3, $4, $5)",
            [(a, f"S{i}", f"Bench {i}", "province" if i == 0 else "department",
              None if i == 0 else self.agencies[0]) for i, a in enumerate(self.agencies)])
        self.officials = [uuid.uuid4() for _ in self.agencies]
        await conn.executemany(
            "INSERT INTO staff_user (id, agency_id, login, full_name, password_hash, roles, "
            "active, locale) VALUES ($1, $2, $3, $4, 'x', $5, true, 'vi')",
            [(o, a, f"search{i}", f"Cán bộ {i}", ["receptionist"])
             for i, (o, a) in enumerate(zip(self.officials, self.agencies, strict=True))]
            + [(self.verifier, self.agencies[0], "verifier", "Thanh tra viên", ["inspector"])])

    async def seed(self, start: int, n: int) -> float:
        """Lines start..start+n (and their hearings), loaded as a restore would: the search
        indexes dropped, COPY (the triggers fill each line's agency and hearing start), the
        indexes built again (their definitions read back from the database), VACUUM ANALYZE."""
        import asyncpg

        conn = await asyncpg.connect(dsn=_dsn(self.url))
        try:
            if self.reuse and await conn.fetchval(
                    "SELECT count(*) FROM transcript_segment") == start + n:
                await self._reuse(conn)
                return 0.0
            if not self.agencies:
                await self.setup(conn)
            definitions = [await conn.fetchval(
                "SELECT indexdef FROM pg_indexes WHERE indexname = $1", name)
                for name in SEARCH_INDEXES]
            if None in definitions:
                raise SystemExit("the search indexes are missing: migrate the database")
            for name in SEARCH_INDEXES:
                await conn.execute(f"DROP INDEX {name}")
            began = time.perf_counter()
            try:
                await self._load(conn, start, n, random.Random(start))
            finally:
                loaded = time.perf_counter()
                await conn.execute("SET maintenance_work_mem = '256MB'")  # as a restore would
                for definition in definitions:
                    await conn.execute(definition)
            indexed = time.perf_counter()
            await conn.execute("VACUUM ANALYZE transcript_segment")
            await conn.execute("ANALYZE transcript; ANALYZE hearing; ANALYZE booking")
            await self._assign_cases(conn)
            done = time.perf_counter()
            self.seeding = {"COPY through the triggers": loaded - began,
                            "index builds": indexed - loaded, "VACUUM ANALYZE": done - indexed}
        finally:
            await conn.close()
        return done - began

    async def _reuse(self, conn: Any) -> None:
        """Measure the lines a previous run seeded (--reuse: tuning without seeding again)."""
        rows = await conn.fetch("SELECT a.id AS agency, s.id AS official FROM agency a "
                                "JOIN staff_user s ON s.agency_id = a.id AND s.login LIKE 'search%' "
                                "ORDER BY substring(a.code, 2)::int")
        self.agencies = [r["agency"] for r in rows]
        self.officials = [r["official"] for r in rows]
        self.verifier = await conn.fetchval("SELECT id FROM staff_user WHERE login = 'verifier'")
        self.seeding = {"reused, seeded by an earlier run": 0.0}

    async def _load(self, conn: Any, start: int, n: int, rng: random.Random) -> None:
        hearings = await self._hearings(conn, start // LINES_PER_HEARING,
                                        max(1, -(-n // LINES_PER_HEARING)), rng)
        batch: list[tuple[Any, ...]] = []
        for i in range(n):
            transcript, official, citizen = hearings[i // LINES_PER_HEARING]
            citizen_speaks = i % 2 == 1
            line = _line(rng)
            at = (i % LINES_PER_HEARING) * 4_000
            batch.append((uuid.uuid4(), transcript, citizen if citizen_speaks else official,
                          "Công dân" if citizen_speaks else "Cán bộ",
                          "citizen" if citizen_speaks else "official", at, at + 3_500, line,
                          line, 0.9, 1))
            if len(batch) == 50_000 or i == n - 1:
                await conn.copy_records_to_table("transcript_segment", records=batch,
                                                  columns=SEGMENT_COLUMNS)
                batch.clear()

    async def _hearings(self, conn: Any, first: int, count: int,
                        rng: random.Random) -> list[tuple[Any, ...]]:
        """Sessions, bookings, hearings, members and transcripts; (transcript, official member,
        citizen member) per hearing."""
        rows: dict[str, list[tuple[Any, ...]]] = {k: [] for k in COLUMNS}
        made = []
        base = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
        for i in range(first, first + count):
            k = 0 if rng.random() < 0.9 else rng.randrange(1, len(self.agencies))
            agency, official = self.agencies[k], self.officials[k]
            at = base + timedelta(hours=i)
            session, booking, hearing, transcript = (uuid.uuid4() for _ in range(4))
            staff_member, citizen, participant = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
            rows["reception_session"].append((session, agency, "ad_hoc", official, at,
                                              at + timedelta(hours=1), 30, at))
            rows["booking"].append((booking, 10_000_000 + i, f"LH-B-{i:08d}", agency, session,
                                    official, at, at + timedelta(minutes=30), "completed",
                                    "online", "complaint", "bench", "Nguyễn Văn An",
                                    "001090000001", "Hà Nội", "vi", 1, [], False, "distance",
                                    1, at))
            rows["participant"].append((participant, booking, "citizen", "Công dân"))
            rows["hearing"].append((hearing, booking, agency, "ended", at, official, at))
            rows["hearing_member"] += [
                (staff_member, hearing, official, None, "official", "Cán bộ", at, False, False),
                (citizen, hearing, None, participant, "citizen", "Công dân", at, False, False)]
            rows["transcript"].append((transcript, hearing, agency, "done", "vi", 1.0, at))
            made.append((transcript, staff_member, citizen))
        for table, records in rows.items():
            await conn.copy_records_to_table(table, records=records, columns=COLUMNS[table])
        return made

    async def _assign_cases(self, conn: Any) -> None:
        """The verifier's 20 cases, each quoting two hearings of the big agency drawn from the
        whole period (drawn again at each size)."""
        await conn.execute("TRUNCATE evidence_link, case_assignment, case_file CASCADE")
        hearings = [r[0] for r in await conn.fetch(
            "SELECT id FROM hearing WHERE agency_id = $1 ORDER BY opened_at", self.agencies[0])]
        rng = random.Random(len(hearings))
        today = date(2026, 11, 2)
        cases = [uuid.uuid4() for _ in range(20)]
        await conn.copy_records_to_table("case_file", columns=CASE_COLUMNS, records=[
            (c, self.agencies[0], f"KN-2026-{i:07d}", "complaint", "administrative", 1,
             "C_VERIFYING", 3, "post", today, "bench", "Nguyễn Văn An", "nguyen van an",
             f"{i:012d}", self.verifier, False, None, None, None, None, "0" * 64)
            for i, c in enumerate(cases)])
        await conn.executemany("INSERT INTO case_assignment (case_id, staff_id, lead, "
                               "assigned_on) VALUES ($1, $2, true, $3)",
                               [(c, self.verifier, today) for c in cases])
        await conn.executemany(
            "INSERT INTO evidence_link (id, case_id, hearing_id, start_ms, end_ms, item, "
            "item_ref, note, created_by, created_at) VALUES ($1, $2, $3, 0, 4000, 'claim', "
            "'Nội dung 1', '', $4, now())",
            [(uuid.uuid4(), c, h, self.verifier)
             for c in cases for h in rng.sample(hearings, min(2, len(hearings)))])

    async def measure(self, show_plans: bool, check_paths: bool) -> None:
        from reception.adapters.db.engine import create_engine, session_factory
        from reception.adapters.db.repositories.transcripts.search import (
            HEADLINE_OPTIONS,
            SqlTranscriptSearch,
            scope_sql,
            tsquery_sql,
        )
        from reception.domain.cases.case_file import CaseScope
        from reception.domain.organisation import AgencyId, StaffId
        from reception.domain.transcripts.search_query import parse_query

        scopes = {"agency": CaseScope(frozenset({AgencyId(self.agencies[0])})),
                  "small": CaseScope(frozenset({AgencyId(self.agencies[1])})),
                  "tree": CaseScope(frozenset(AgencyId(a) for a in self.agencies)),
                  "assigned": CaseScope(assigned_to=StaffId(self.verifier))}
        engine = create_engine(self.url, pool_size=1)
        captured: list[tuple[str, Any]] = []
        event.listen(engine.sync_engine, "before_cursor_execute",
                     lambda c, cur, stmt, params, ctx, many: captured.append((stmt, params)))
        print("  seeding: " + ", ".join(f"{k} {v:.1f} s" for k, v in self.seeding.items()))
        table: dict[str, tuple[list[float], list[float], list[float]]] = {}
        details = []
        async with session_factory(engine)() as session:
            connection = await session.connection()
            print("  sizes: " + ", ".join(
                f"{name} {size}" for name, size in (await connection.exec_driver_sql(
                    "SELECT c.relname, pg_size_pretty(pg_relation_size(c.oid)) FROM pg_class c "
                    "WHERE c.oid = 'transcript_segment'::regclass OR c.oid IN (SELECT indexrelid"
                    " FROM pg_index WHERE indrelid = 'transcript_segment'::regclass) "
                    "ORDER BY c.relkind DESC, c.relname")).all()))
            for name, (scope_name, texts) in CLASSES.items():
                scope = scopes[scope_name]
                ours: list[float] = []
                previous: list[float] = []
                baseline: list[float] = []
                for number, typed in enumerate(texts):
                    query = parse_query(typed)
                    search = SqlTranscriptSearch(session)
                    await search.search(query, scope)  # warm the cache: search runs all day
                    timings = []
                    for _ in range(self.repeats):
                        captured.clear()
                        began = time.perf_counter()
                        hits = await search.search(query, scope)
                        timings.append((time.perf_counter() - began) * 1000)
                    ours += timings
                    statements = list(captured)
                    path = " + ".join(search.paths)
                    if check_paths:
                        await _check_paths(session, query, scope, hits)
                    params: dict[str, Any] = {}
                    where, case_where = scope_sql(scope, params)
                    tsquery, words = tsquery_sql(query)
                    before = await _time_budgeted(session, _previous_sql(
                        tsquery, where, case_where), dict(params, **words, limit=20, offset=0,
                                                         headline=HEADLINE_OPTIONS),
                        self.repeats)
                    previous += before
                    sql, like = _ilike_sql(query, where, dict(params))
                    slow = await _time_budgeted(session, sql, like, self.repeats)
                    baseline += slow
                    details.append((f"{name}: {typed}", path, len(hits),
                                    statistics.median(timings), statistics.median(before),
                                    statistics.median(slow)))
                    if show_plans and number == 0:
                        print(f"  plans of {name}: {typed} ({path})")
                        for statement, values in statements:
                            explain = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + statement
                            for (line,) in await connection.exec_driver_sql(explain, values):
                                print(f"      {line}")
                table[name] = (ours, previous, baseline)
            await session.rollback()
        print(f"  {'class':<24}{'ours p50':>10}{'p95':>8}{'before p50':>12}{'p95':>9}"
              f"{'ILIKE p50':>11}{'p95':>9}   samples")
        for name, (ours, previous, baseline) in table.items():
            print(f"  {name:<24}{_p(ours, 50):>10.1f}{_p(ours, 95):>8.1f}"
                  f"{_p(previous, 50):>12.1f}{_p(previous, 95):>9.1f}"
                  f"{_p(baseline, 50):>11.1f}{_p(baseline, 95):>9.1f}   "
                  f"{len(ours)}/{len(previous)}/{len(baseline)}")
        print(f"  {'query (p50 ms)':<46}{'our path':<26}{'shown':>6}{'ours':>8}{'before':>9}"
              f"{'ILIKE':>9}")
        for label, path, shown, mine, old, theirs in details:
            print(f"  {label:<46}{path:<26}{shown:>6}{mine:>8.1f}{old:>9.1f}{theirs:>9.1f}")
        await engine.dispose()


# The tables the hearings come with, and their columns for COPY.
COLUMNS = {
    "reception_session": ("id", "agency_id", "kind", "official_id", "starts_at", "ends_at",
                          "slot_minutes", "published_at"),
    "booking": ("id", "number", "reference", "agency_id", "session_id", "official_id",
                "starts_at", "ends_at", "status", "channel", "subject", "description",
                "full_name", "id_number", "address", "locale", "group_size", "representatives",
                "identity_protection_waived", "online_ground", "sequence", "created_at"),
    "participant": ("id", "booking_id", "role", "display_name"),
    "hearing": ("id", "booking_id", "agency_id", "status", "opened_at", "opened_by",
                "recording_started_at"),
    "hearing_member": ("id", "hearing_id", "staff_id", "participant_id", "role", "display_name",
                       "joined_at", "muted", "receive_only"),
    "transcript": ("id", "hearing_id", "agency_id", "status", "language", "progress",
                   "created_at")}


def _p(samples: list[float], percent: int) -> float:
    """Nearest-rank percentile."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[max(0, -(-len(ordered) * percent // 100) - 1)]


def _ilike_sql(query: Any, where: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The baseline: each word group as `unaccent(text) ILIKE '%…%'`, the first 20 lines."""
    groups = []
    for g, alternatives in enumerate(query.groups):
        parts = []
        for a, alternative in enumerate(alternatives):
            params[f"p{g}_{a}"] = alternative.lstrip("-").strip('"')
            like = (f"public.immutable_unaccent(s.text) ILIKE "
                    f"'%' || public.immutable_unaccent(:p{g}_{a}) || '%'")
            parts.append(f"NOT ({like})" if alternative.startswith("-") else like)
        groups.append("(" + " OR ".join(parts) + ")")
    return (f"SELECT s.id FROM transcript_segment s JOIN transcript t ON t.id = s.transcript_id "
            f"WHERE {where} AND {' AND '.join(groups)} LIMIT 20"), params


async def _time_budgeted(session: Any, sql: str, params: dict[str, Any],
                         repeats: int) -> list[float]:
    """Timings of `sql` (one warm-up first), fewer when they exceed BASELINE_SECONDS."""
    timings: list[float] = []
    spent = 0.0
    for _ in range(repeats + 1):
        began = time.perf_counter()
        await session.execute(text(sql), params)
        timings.append((time.perf_counter() - began) * 1000)
        spent += timings[-1] / 1000
        if spent > BASELINE_SECONDS:
            break
    return timings[1:] or timings  # the first warmed the cache, unless it was the only one


def _previous_sql(tsquery: str, where: str, case_where: str) -> str:
    """The search before the recency index (migration 0008 alone): every match ranked, the
    best 20 shown — as it was, for comparison."""
    return f"""
        WITH q AS (SELECT {tsquery} AS query),
        hits AS (
            SELECT s.id, s.member_id, s.speaker, s.role, s.start_ms, s.end_ms, s.text,
                   t.hearing_id, t.approved_at IS NOT NULL AS approved,
                   ts_rank_cd(s.fts_document, q.query) AS rank
            FROM q, transcript_segment s JOIN transcript t ON t.id = s.transcript_id
            WHERE s.fts_document @@ q.query AND {where}
            ORDER BY rank DESC, s.start_ms, s.id
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
        ORDER BY hits.rank DESC, hits.start_ms, hits.id"""


async def _check_paths(session: Any, query: Any, scope: Any, hits: Any) -> None:
    """The GIN alone, the walk alone and the weeks alone find the same lines as the chosen
    path."""
    from reception.adapters.db.repositories.transcripts.candidates import Costs
    from reception.adapters.db.repositories.transcripts.search import SqlTranscriptSearch

    expected = [h.segment_id for h in hits]
    for force in ("gin", "walk", "weeks"):
        found = await SqlTranscriptSearch(session, Costs(force=force)).search(query, scope)
        if [h.segment_id for h in found] != expected:
            raise SystemExit(f"the {force} path found other lines for {query.text!r}")


async def run(url: str, sizes: list[int], *, show_plans: bool = True,
              check_paths: bool = False, repeats: int = REPEATS, reuse: bool = False) -> None:
    bench = Bench(url, repeats, reuse)
    measure: Callable[[], Any] = lambda: bench.measure(show_plans, check_paths)  # noqa: E731
    await grow_and_measure(sizes, "transcript lines", bench.seed, measure)


def main() -> None:
    sizes_main(__doc__, run, flags={
        "--check-paths": "also check that every path of the search finds the same lines (slow "
                         "at 10M)",
        "--reuse": "measure the lines an earlier run seeded, if the table holds exactly that "
                   "many (a size at a time)"})


if __name__ == "__main__":
    main()
