"""Dashboard queries at scale: seed N case files with COPY (asyncpg copy_records_to_table),
then time every dashboard and search query and print its EXPLAIN (ANALYZE) plan.

    .venv/bin/python bench/cases.py --sizes 10000 1000000        # embedded PostgreSQL (var/bench)
    DATABASE_URL=postgresql://… .venv/bin/python bench/cases.py  # a server of your own

The agency being measured holds 90 % of the rows (the worst case for its scope); the rest
belong to 20 other agencies. Not part of the test suite (a test runs it at 2,000 rows).
"""

from __future__ import annotations

import random
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.database import grow_and_measure, sizes_main  # noqa: E402

COLUMNS = ("id", "agency_id", "reference", "kind", "subject", "instance", "state", "version",
           "channel", "opened_on", "summary", "principal_name", "name_key", "principal_id_number",
           "assignee_id", "closed", "next_due", "next_rule", "resolved_on", "resolved_on_time",
           "secret_hash")
STATES = {"complaint": ["C_RECEIVED", "C_ACCEPTED", "C_VERIFYING", "C_DECIDED", "C_CLOSED"],
          "denunciation": ["T_RECEIVED", "T_ACCEPTED", "T_VERIFYING", "T_CONCLUDED", "T_CLOSED"],
          "petition": ["P_RECEIVED", "P_CLASSIFYING", "P_NOT_ELIGIBLE", "P_PROPOSED_ACCEPT"]}
PREFIX = {"complaint": "KN", "denunciation": "TC", "petition": "DON"}
SURNAMES = ("nguyen", "tran", "le", "pham", "hoang", "vu", "dang", "bui", "do", "ngo")



def _rows(n: int, agencies: list[uuid.UUID], officials: list[uuid.UUID], today: date,
          start: int) -> list[tuple[Any, ...]]:
    rng = random.Random(start)
    rows = []
    for i in range(start, start + n):
        kind = rng.choice(("complaint", "complaint", "denunciation", "petition"))
        state = rng.choice(STATES[kind])
        closed = state.endswith(("CLOSED", "NOT_ELIGIBLE", "PROPOSED_ACCEPT"))
        opened = today - timedelta(days=rng.randint(0, 730))
        due = None if closed else opened + timedelta(days=rng.randint(10, 90))
        decided = state.endswith(("DECIDED", "CONCLUDED", "CLOSED"))
        resolved = opened + timedelta(days=rng.randint(20, 100)) if decided else None
        agency = agencies[0] if rng.random() < 0.9 else rng.choice(agencies[1:])
        name = f"{rng.choice(SURNAMES)} van {i}"
        sealed = kind == "denunciation"  # a denouncer is a pseudonym with no ID number
        rows.append((uuid.uuid4(), agency, f"{PREFIX[kind]}-{opened.year}-{i:07d}", kind,
                     "administrative", 1, state, 3, "post", opened, "bench",
                     "Người tố cáo A" if sealed else name.title(),
                     "nguoi to cao a" if sealed else name, None if sealed else f"{i:012d}",
                     rng.choice(officials), closed, due, "C-3" if due else None,
                     resolved, (rng.random() < 0.8) if resolved else None, "0" * 64))
    return rows


async def _setup(url: str) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    import asyncpg

    conn = await asyncpg.connect(dsn=make_url(url).set(drivername="postgresql").render_as_string(False))
    try:
        await conn.execute("TRUNCATE case_file, case_counter, agency, staff_user, audit_log CASCADE")
        agencies = [uuid.uuid4() for _ in range(21)]
        await conn.executemany(
            "INSERT INTO agency (id, code, name, level, parent_id) VALUES ($1, $2, $3, $4, $5)",
            [(a, f"B{i}", f"Bench {i}", "province" if i == 0 else "department",
              None if i == 0 else agencies[0]) for i, a in enumerate(agencies)])
        officials = [uuid.uuid4() for _ in range(50)]
        await conn.executemany(
            "INSERT INTO staff_user (id, agency_id, login, full_name, password_hash, roles, active,"
            " locale) VALUES ($1, $2, $3, $4, 'x', ARRAY['head'], true, 'vi')",
            [(o, agencies[0], f"bench{i}", f"Cán bộ {i}") for i, o in enumerate(officials)])
        return agencies, officials
    finally:
        await conn.close()


async def _seed(url: str, start: int, n: int, agencies: list[uuid.UUID],
                officials: list[uuid.UUID]) -> float:
    import asyncpg

    began = time.perf_counter()
    conn = await asyncpg.connect(dsn=make_url(url).set(drivername="postgresql").render_as_string(False))
    try:
        batch = 100_000
        for offset in range(0, n, batch):
            rows = _rows(min(batch, n - offset), agencies, officials, date.today(), start + offset)
            await conn.copy_records_to_table("case_file", records=rows, columns=COLUMNS)
        await conn.execute("VACUUM ANALYZE case_file")
    finally:
        await conn.close()
    return time.perf_counter() - began


async def _measure(url: str, agencies: list[uuid.UUID], show_plans: bool) -> None:
    from reception.adapters.db.engine import create_engine, session_factory
    from reception.adapters.db.repositories.cases.reports import SqlCaseReports
    from reception.domain.cases.case_file import CaseFilter, CaseScope
    from reception.domain.organisation import AgencyId

    engine = create_engine(url, pool_size=1)
    captured: list[tuple[str, Any]] = []
    event.listen(engine.sync_engine, "before_cursor_execute",
                 lambda c, cur, stmt, params, ctx, many: captured.append((stmt, params)))
    today = date.today()
    tree = CaseScope(frozenset(AgencyId(a) for a in agencies))
    one = CaseScope(frozenset({AgencyId(agencies[0])}))
    since = date(today.year - 1, today.month, 1)
    queries = {
        "by state (tree)": lambda r: r.by_state(tree),
        "overdue (first 50)": lambda r: r.search(one, CaseFilter(overdue_only=True), today),
        "due this week": lambda r: r.search(one, CaseFilter(due_before=today + timedelta(days=7)),
                                            today),
        "by official": lambda r: r.workload(one, today, "official"),
        "by agency (tree)": lambda r: r.workload(tree, today, "agency"),
        "intake per month": lambda r: r.intake_by_month(one, since),
        "on-time per month": lambda r: r.resolution_by_month(one, since),
        "search by reference": lambda r: r.search(tree, CaseFilter(text="KN-2026-0000042"), today),
        "search by name prefix": lambda r: r.search(one, CaseFilter(text="Nguyen Van 12"), today),
        "search by ID number": lambda r: r.search(tree, CaseFilter(text="000000000042"), today),
    }
    async with session_factory(engine)() as session:
        reports = SqlCaseReports(session)
        for name, query in queries.items():
            await query(reports)  # warm the cache: dashboards are read all day
            captured.clear()
            began = time.perf_counter()
            await query(reports)
            elapsed = (time.perf_counter() - began) * 1000
            print(f"  {name:<24} {elapsed:8.1f} ms")
            if show_plans and captured:
                statement, params = captured[-1]
                plan = await session.connection()
                explain = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + statement
                raw = await plan.exec_driver_sql(explain, params)
                for (line,) in raw:
                    print(f"      {line}")
    await engine.dispose()


async def run(url: str, sizes: list[int], *, show_plans: bool = True) -> None:
    agencies, officials = await _setup(url)
    await grow_and_measure(
        sizes, "case files", lambda start, n: _seed(url, start, n, agencies, officials),
        lambda: _measure(url, agencies, show_plans))


def main() -> None:
    sizes_main(__doc__, run)


if __name__ == "__main__":
    main()
