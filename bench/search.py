"""Transcript search at scale: seed N transcript lines with COPY, then time the search queries
(through the real repository) and print their EXPLAIN (ANALYZE) plans — the GIN index over the
unaccented tsvector must answer every match.

    .venv/bin/python bench/search.py --sizes 10000 1000000        # embedded PostgreSQL (var/bench)
    DATABASE_URL=postgresql://… .venv/bin/python bench/search.py  # a server of your own

The agency being measured holds 90 % of the hearings (the worst case for its scope); the rest
belong to 20 other agencies. 250 lines per hearing. Not part of the suite at full size (a test
runs it at 2,000 lines).
"""

from __future__ import annotations

import random
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.database import grow_and_measure, sizes_main  # noqa: E402

LINES_PER_HEARING = 250
COMMON = ("tôi", "đã", "là", "của", "và", "có", "không", "được", "này", "cho", "với", "người",
          "ông", "bà", "anh", "chị", "đơn", "việc", "nhà", "đất", "ủy", "ban", "xã", "huyện",
          "quyết", "định", "thu", "hồi", "bồi", "thường", "hỗ", "trợ", "tái", "định", "cư",
          "diện", "tích", "mét", "vuông", "năm", "tháng", "ngày", "gia", "đình", "chúng",
          "cán", "bộ", "trình", "bày", "nội", "dung", "xác", "minh", "giải", "quyết", "đề",
          "nghị", "giấy", "chứng", "nhận", "quyền", "sử", "dụng", "thửa", "ranh", "giới")
# (phrase, share of lines): what the timed queries look for, from rare to everywhere.
PLANTED = (("tranh chấp lối đi chung", 0.0005), ("khiếu nại", 0.01), ("mười lăm", 0.005),
           ("15", 0.005))
SEGMENT_COLUMNS = ("id", "transcript_id", "member_id", "speaker", "role", "start_ms", "end_ms",
                   "text", "machine_text", "confidence", "version")



def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(False)


def _line(rng: random.Random) -> str:
    words = rng.choices(COMMON, k=rng.randint(6, 18))
    for phrase, share in PLANTED:
        if rng.random() < share:
            words.insert(rng.randint(0, len(words)), phrase)
    return " ".join(words).capitalize() + "."


async def _setup(conn: Any) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    await conn.execute("TRUNCATE agency, staff_user, audit_log, reception_session, booking, "
                       "participant, hearing, hearing_member, transcript, transcript_segment, "
                       "evidence_link, case_file CASCADE")
    agencies = [uuid.uuid4() for _ in range(21)]
    await conn.executemany(
        "INSERT INTO agency (id, code, name, level, parent_id) VALUES ($1, $2, $3, $4, $5)",
        [(a, f"S{i}", f"Bench {i}", "province" if i == 0 else "department",
          None if i == 0 else agencies[0]) for i, a in enumerate(agencies)])
    officials = [uuid.uuid4() for _ in agencies]
    await conn.executemany(
        "INSERT INTO staff_user (id, agency_id, login, full_name, password_hash, roles, active,"
        " locale) VALUES ($1, $2, $3, $4, 'x', ARRAY['receptionist'], true, 'vi')",
        [(o, a, f"search{i}", f"Cán bộ {i}")
         for i, (o, a) in enumerate(zip(officials, agencies, strict=True))])
    return agencies, officials


async def _seed_hearings(conn: Any, start: int, count: int, agencies: list[uuid.UUID],
                         officials: list[uuid.UUID], rng: random.Random) -> list[tuple[Any, ...]]:
    """Sessions, bookings, hearings, members and transcripts; returns (transcript, official
    member, citizen member) per hearing."""
    rows: dict[str, list[tuple[Any, ...]]] = {k: [] for k in (
        "reception_session", "booking", "participant", "hearing", "hearing_member",
        "transcript")}
    made = []
    base = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
    for i in range(start, start + count):
        k = 0 if rng.random() < 0.9 else rng.randrange(1, len(agencies))
        agency, official = agencies[k], officials[k]
        at = base + timedelta(hours=i)
        session, booking, hearing, transcript = (uuid.uuid4() for _ in range(4))
        staff_member, citizen, participant = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        rows["reception_session"].append((session, agency, "ad_hoc", official, at,
                                          at + timedelta(hours=1), 30, at))
        rows["booking"].append((booking, 10_000_000 + i, f"LH-B-{i:08d}", agency, session,
                                official, at, at + timedelta(minutes=30), "completed", "online",
                                "complaint", "bench", "Nguyễn Văn An", "001090000001", "Hà Nội",
                                "vi", 1, [], False, "distance", 1, at))
        rows["participant"].append((participant, booking, "citizen", "Công dân"))
        rows["hearing"].append((hearing, booking, agency, "ended", at, official, at))
        rows["hearing_member"] += [
            (staff_member, hearing, official, None, "official", "Cán bộ", at, False, False),
            (citizen, hearing, None, participant, "citizen", "Công dân", at, False, False)]
        rows["transcript"].append((transcript, hearing, agency, "done", "vi", 1.0, at))
        made.append((transcript, staff_member, citizen))
    columns = {
        "reception_session": ("id", "agency_id", "kind", "official_id", "starts_at", "ends_at",
                              "slot_minutes", "published_at"),
        "booking": ("id", "number", "reference", "agency_id", "session_id", "official_id",
                    "starts_at", "ends_at", "status", "channel", "subject", "description",
                    "full_name", "id_number", "address", "locale", "group_size",
                    "representatives", "identity_protection_waived", "online_ground", "sequence",
                    "created_at"),
        "hearing": ("id", "booking_id", "agency_id", "status", "opened_at", "opened_by",
                    "recording_started_at"),
        "participant": ("id", "booking_id", "role", "display_name"),
        "hearing_member": ("id", "hearing_id", "staff_id", "participant_id", "role",
                           "display_name", "joined_at", "muted", "receive_only"),
        "transcript": ("id", "hearing_id", "agency_id", "status", "language", "progress",
                       "created_at")}
    for table, records in rows.items():
        await conn.copy_records_to_table(table, records=records, columns=columns[table])
    return made


async def _seed(url: str, start: int, n: int, agencies: list[uuid.UUID],
                officials: list[uuid.UUID]) -> float:
    import asyncpg

    began = time.perf_counter()
    rng = random.Random(start)
    conn = await asyncpg.connect(dsn=_dsn(url))
    try:
        # Build the GIN index once after loading, as a restore would (its definition is read
        # back from the database, so the bench measures exactly the migration's index).
        index = await conn.fetchval("SELECT indexdef FROM pg_indexes "
                                    "WHERE indexname = 'fts_transcript_segment_document'")
        if index is None:
            raise SystemExit("fts_transcript_segment_document is missing: migrate the database")
        await conn.execute("DROP INDEX fts_transcript_segment_document")
        try:
            await _load(conn, start, n, agencies, officials, rng)
        finally:
            await conn.execute(index)
        await conn.execute("VACUUM ANALYZE transcript_segment")
        await conn.execute("ANALYZE transcript; ANALYZE hearing; ANALYZE booking")
    finally:
        await conn.close()
    return time.perf_counter() - began


async def _load(conn: Any, start: int, n: int, agencies: list[uuid.UUID],
                officials: list[uuid.UUID], rng: random.Random) -> None:
    first = start // LINES_PER_HEARING
    hearings = await _seed_hearings(conn, first, max(1, -(-n // LINES_PER_HEARING)),
                                    agencies, officials, rng)
    batch: list[tuple[Any, ...]] = []
    for i in range(n):
        transcript, official, citizen = hearings[i // LINES_PER_HEARING]
        citizen_speaks = i % 2 == 1
        text = _line(rng)
        at = (i % LINES_PER_HEARING) * 4_000
        batch.append((uuid.uuid4(), transcript, citizen if citizen_speaks else official,
                      "Công dân" if citizen_speaks else "Cán bộ",
                      "citizen" if citizen_speaks else "official", at, at + 3_500, text, text,
                      0.9, 1))
        if len(batch) == 50_000 or i == n - 1:
            await conn.copy_records_to_table("transcript_segment", records=batch,
                                              columns=SEGMENT_COLUMNS)
            batch.clear()


async def _measure(url: str, agencies: list[uuid.UUID], show_plans: bool) -> None:
    from reception.adapters.db.engine import create_engine, session_factory
    from reception.adapters.db.repositories.transcript_search import SqlTranscriptSearch
    from reception.domain.cases.case_file import CaseScope
    from reception.domain.organisation import AgencyId
    from reception.domain.transcripts.search_query import parse_query

    engine = create_engine(url, pool_size=1)
    captured: list[tuple[str, Any]] = []
    event.listen(engine.sync_engine, "before_cursor_execute",
                 lambda c, cur, stmt, params, ctx, many: captured.append((stmt, params)))
    big = CaseScope(frozenset({AgencyId(agencies[0])}))
    small = CaseScope(frozenset({AgencyId(agencies[1])}))
    queries = {
        "rare phrase (0.05 %)": (big, '"tranh chấp lối đi chung"'),
        "no accents (1 %)": (big, "khieu nai"),
        "number 15 ↔ mười lăm": (big, "15"),
        "two words, one common": (big, "khiếu nại đất"),
        "small agency": (small, "khieu nai"),
        "nothing matches": (big, "xyzzy"),
    }
    async with session_factory(engine)() as session:
        search = SqlTranscriptSearch(session)
        for name, (scope, text) in queries.items():
            query = parse_query(text)
            await search.search(query, scope)  # warm the cache: search runs all day
            captured.clear()
            began = time.perf_counter()
            hits = await search.search(query, scope)
            elapsed = (time.perf_counter() - began) * 1000
            print(f"  {name:<24} {elapsed:8.1f} ms  ({len(hits)} shown)")
            if show_plans and captured:
                statement, params = captured[-1]
                connection = await session.connection()
                explain = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + statement
                for (line,) in await connection.exec_driver_sql(explain, params):
                    print(f"      {line}")
    await engine.dispose()


async def run(url: str, sizes: list[int], *, show_plans: bool = True) -> None:
    import asyncpg

    conn = await asyncpg.connect(dsn=_dsn(url))
    try:
        agencies, officials = await _setup(conn)
    finally:
        await conn.close()
    await grow_and_measure(
        sizes, "transcript lines", lambda start, n: _seed(url, start, n, agencies, officials),
        lambda: _measure(url, agencies, show_plans))


def main() -> None:
    sizes_main(__doc__, run)


if __name__ == "__main__":
    main()
