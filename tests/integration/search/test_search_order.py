"""The order of search results on the real database: the newest matching lines first, ranked
within blocks of BLOCK lines (the best of the newest hundred, then the best of the next); pages
follow that order without a gap or a repeat; and every way of finding the lines — the GIN
index, the walk along the recency index, the walk in chunks, the walk that turns to the GIN,
the GIN week by week, the walk that turns to the weeks — finds the same ones, for an agency,
an agency tree, a verifier's cases (their hearings newest first) and one case file."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, date, datetime, timedelta

import asyncpg
import pytest
from quart import Quart
from sqlalchemy.ext.asyncio import AsyncSession

from reception.adapters.db.engine import create_engine, session_factory
from reception.adapters.db.repositories.transcripts.candidates import Costs
from reception.adapters.db.repositories.transcripts.search import BLOCK, SqlTranscriptSearch
from reception.domain.cases.case_file import CaseScope
from reception.domain.organisation import AgencyId, StaffId, StaffMember, StaffRole
from reception.domain.transcripts.search_query import parse_query
from reception.services.transcripts.search_ports import TranscriptHit
from tests.conftest import asyncpg_dsn
from tests.integration.cases.helpers import staff
from tests.integration.search.seed import Line, SeededHearing, seed_hearing

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def _lines(n: int, text: str, *, every: int = 1) -> list[Line]:
    """n lines of `text` (numbered), the citizen and the official speaking at the same moment
    every second line (same start: the order falls back on the line's id)."""
    return [Line("citizen" if i % 2 else "official", (i // 2) * 3_000 * every,
                 (i // 2) * 3_000 * every + 2_500, f"{text} (câu {i}).") for i in range(n)]


@pytest.fixture
async def session(clean_db: str) -> AsyncIterator[AsyncSession]:
    engine = create_engine(clean_db, pool_size=1)
    async with session_factory(engine)() as opened:
        yield opened
    await engine.dispose()


async def _search(session: AsyncSession, q: str, scope: CaseScope, *, costs: Costs | None = None,
                  case_id: uuid.UUID | None = None, limit: int = 20,
                  offset: int = 0) -> Sequence[TranscriptHit]:
    return await SqlTranscriptSearch(session, costs).search(
        parse_query(q), scope, case_id=case_id, limit=limit, offset=offset)


async def _all_pages(session: AsyncSession, q: str, scope: CaseScope,
                     limit: int = 20) -> list[TranscriptHit]:
    found: list[TranscriptHit] = []
    while page := await _search(session, q, scope, limit=limit, offset=len(found)):
        found += page
    return found


async def _three_hearings(app: Quart, clean_db: str) -> tuple[StaffMember, list[SeededHearing]]:
    """Oldest first: a hearing whose 60 lines say "khiếu nại" three times each (they rank
    highest), then two whose 60 lines say it once."""
    official = await staff(app, "canbo", StaffRole.RECEPTIONIST, code="A")
    hearings = []
    for day, text in enumerate(("Khiếu nại, khiếu nại, khiếu nại về đất", "Tôi khiếu nại về đất",
                                "Bà ấy khiếu nại về nhà")):
        hearings.append(await seed_hearing(clean_db, official.agency_id, official.id,
                                           _lines(60, text), at=START + timedelta(days=day)))
    return official, hearings


async def test_page_one_holds_the_newest_lines_and_the_best_of_them_first(
        app: Quart, clean_db: str, session: AsyncSession) -> None:
    official, (oldest, middle, newest) = await _three_hearings(app, clean_db)
    scope = CaseScope(frozenset({official.agency_id}))
    first = await _search(session, "khieu nai", scope, limit=100)
    assert {h.hearing_id for h in first} == {newest.hearing_id, middle.hearing_id}
    assert sum(h.hearing_id == middle.hearing_id for h in first) == BLOCK - 60
    # The middle hearing's 40 lines in the block are its latest ones.
    middle_starts = sorted(h.start_ms for h in first if h.hearing_id == middle.hearing_id)
    assert middle_starts[0] == 10 * 3_000
    assert [h.rank for h in first] == sorted((h.rank for h in first), reverse=True)
    rest = await _search(session, "khieu nai", scope, limit=100, offset=100)
    assert len(rest) == 80
    # The oldest hearing ranks highest but comes in the second block, at its head.
    assert {h.hearing_id for h in rest[:60]} == {oldest.hearing_id}
    assert min(h.rank for h in rest[:60]) > max(h.rank for h in rest[60:])


async def test_pages_follow_the_order_without_a_gap_or_a_repeat(
        app: Quart, clean_db: str, session: AsyncSession) -> None:
    official, hearings = await _three_hearings(app, clean_db)
    scope = CaseScope(frozenset({official.agency_id}))
    for size in (20, 30, 100):  # 30: pages straddle the blocks
        paged = await _all_pages(session, "khieu nai", scope, limit=size)
        assert len({h.segment_id for h in paged}) == len(paged) == 180
        whole = (await _search(session, "khieu nai", scope, limit=100)) + \
            (await _search(session, "khieu nai", scope, limit=100, offset=100))
        assert [h.segment_id for h in paged] == [h.segment_id for h in whole]
    everything = {s for h in hearings for s in h.segments}
    assert {h.segment_id for h in paged} == everything


PATHS = {
    "gin": Costs(force="gin"),
    "walk": Costs(force="walk"),
    "walk in chunks": Costs(force="walk", first_walk=7),
    "walk, then the GIN": Costs(first_walk=7, gin_direct=-1, gin_line=0, gin_entry=0),
    "walk, never the GIN": Costs(first_walk=7, gin_direct=-1, gin_line=1e9),
    "weeks": Costs(force="weeks"),
    "two weeks, then the GIN": Costs(force="weeks", max_weeks=2),
    "walk, then the weeks": Costs(first_walk=7, gin_direct=-1, gin_line=0, gin_entry=0,
                                  week_scan=-1, weeks_direct=False),
}
QUERIES = ("khieu nai", "đất", '"về nhà"', "15", "mười lăm", "khiếu nại -nhà", "nhà or đất",
           "xyzzy", "câu")


async def test_every_path_finds_the_same_lines_in_every_scope(
        app: Quart, clean_db: str, session: AsyncSession) -> None:
    official, hearings = await _three_hearings(app, clean_db)
    other = await staff(app, "khac", StaffRole.RECEPTIONIST, code="B", parent="A")
    numbers = await seed_hearing(clean_db, other.agency_id, other.id, [
        Line("citizen", i * 1_000, i * 1_000 + 900, text) for i, text in enumerate(
            ["Đã mười lăm năm rồi.", "Mười lăm mét vuông đất.", "Khoảng 15 mét.", "Về nhà."] * 30)],
        at=START + timedelta(days=1, hours=3))
    verifier = await staff(app, "thanhtra", StaffRole.INSPECTOR, code="A")
    case_id = await _case_quoting(clean_db, official, verifier, [hearings[0], numbers])
    scopes = {"agency": CaseScope(frozenset({official.agency_id})),
              "tree": CaseScope(frozenset({official.agency_id, other.agency_id})),
              "verifier": CaseScope(assigned_to=StaffId(verifier.id)),
              "nothing": CaseScope()}
    for q in QUERIES:
        for name, scope in scopes.items():
            for offset in (0, 100):
                expected = [h.segment_id for h in await _search(
                    session, q, scope, limit=100, offset=offset)]
                for label, costs in PATHS.items():
                    found = [h.segment_id for h in await _search(
                        session, q, scope, costs=costs, limit=100, offset=offset)]
                    assert found == expected, (q, name, offset, label)
        tree = scopes["tree"]
        in_case = [h.segment_id for h in await _search(session, q, tree, case_id=case_id)]
        for label, costs in PATHS.items():
            assert [h.segment_id for h in await _search(
                session, q, tree, costs=costs, case_id=case_id)] == in_case, (q, label)
    assert len(await _search(session, "khieu nai", scopes["tree"], limit=100)) == 100
    # A verifier finds the hearings their cases quote, and only those.
    assert {h.hearing_id for h in await _all_pages(session, "câu", scopes["verifier"])} == {
        hearings[0].hearing_id}
    assert {h.hearing_id for h in await _all_pages(session, "mét", scopes["verifier"])} == {
        numbers.hearing_id}
    assert await _search(session, "khieu nai", scopes["nothing"]) == []


async def _case_quoting(database_url: str, official: StaffMember, verifier: StaffMember,
                        hearings: list[SeededHearing]) -> uuid.UUID:
    """A case file of the official's agency, assigned to the verifier, quoting `hearings`."""
    case_id = uuid.uuid4()
    conn = await asyncpg.connect(dsn=asyncpg_dsn(database_url))
    try:
        await conn.execute(
            "INSERT INTO case_file (id, agency_id, reference, kind, subject, instance, state, "
            "version, channel, opened_on, summary, principal_name, name_key, closed, secret_hash)"
            " VALUES ($1, $2, 'KN-2026-0000001', 'complaint', 'administrative', 1, "
            "'C_VERIFYING', 1, 'visit', $3, 'Khiếu nại', 'Ngô Thị Hoa', 'ngo thi hoa', false, $4)",
            case_id, official.agency_id, date(2026, 3, 1), "0" * 64)
        await conn.execute("INSERT INTO case_assignment (case_id, staff_id, lead, assigned_on) "
                           "VALUES ($1, $2, true, $3)", case_id, verifier.id, date(2026, 3, 1))
        for hearing in hearings:
            await conn.execute(
                "INSERT INTO evidence_link (id, case_id, hearing_id, start_ms, end_ms, item, "
                "item_ref, note, created_by, created_at) VALUES ($1, $2, $3, 0, 1000, 'claim', "
                "'Nội dung 1', '', $4, now())", uuid.uuid4(), case_id, hearing.hearing_id,
                official.id)
    finally:
        await conn.close()
    return case_id


async def test_each_line_carries_its_agency_and_hearing_start_whatever_changes_them(
        app: Quart, clean_db: str) -> None:
    official, (oldest, _, _) = await _three_hearings(app, clean_db)
    other = await staff(app, "khac", StaffRole.RECEPTIONIST, code="B")
    conn = await asyncpg.connect(dsn=asyncpg_dsn(clean_db))

    async def keys() -> set[tuple[AgencyId, datetime]]:
        return {(r["fts_agency_id"], r["fts_heard_at"]) for r in await conn.fetch(
            "SELECT s.fts_agency_id, s.fts_heard_at FROM transcript_segment s "
            "JOIN transcript t ON t.id = s.transcript_id WHERE t.hearing_id = $1",
            oldest.hearing_id)}

    try:
        assert await keys() == {(official.agency_id, START)}
        await conn.execute("UPDATE transcript_segment SET fts_agency_id = $1, fts_heard_at = now()"
                           " WHERE id = $2", other.agency_id, oldest.segments[0])
        assert await keys() == {(official.agency_id, START)}  # recomputed, not taken
        await conn.execute("UPDATE transcript SET agency_id = $1 WHERE hearing_id = $2",
                           other.agency_id, oldest.hearing_id)
        assert await keys() == {(other.agency_id, START)}
        later = START + timedelta(minutes=7)
        await conn.execute("UPDATE hearing SET recording_started_at = $1 WHERE id = $2", later,
                           oldest.hearing_id)
        assert await keys() == {(other.agency_id, later)}
        await conn.execute("UPDATE hearing SET recording_started_at = NULL WHERE id = $1",
                           oldest.hearing_id)
        opened = await conn.fetchval("SELECT opened_at FROM hearing WHERE id = $1",
                                     oldest.hearing_id)
        assert await keys() == {(other.agency_id, opened)}
    finally:
        await conn.close()


async def test_the_gin_week_by_week_and_a_verifiers_hearings_newest_first_find_the_same_lines(
        app: Quart, clean_db: str, session: AsyncSession) -> None:
    """Hearings spread over ten weeks (two of them starting at the same instant), and another
    agency's hearing saying the same words: the GIN asked one week at a time, newest first,
    alone or after a walk, finds what every other path finds, and nothing of the other
    agency; a verifier's hearings taken newest first find what the GIN finds."""
    official = await staff(app, "canbo", StaffRole.RECEPTIONIST, code="A")
    other = await staff(app, "khac", StaffRole.RECEPTIONIST, code="B")
    texts = ["Tôi khiếu nại việc thu hồi đất.", "Đã mười lăm năm rồi.", "Khoảng 15 năm nay.",
             "Lối đi chung bị chắn.", "Xin mời ông trình bày."]
    lines = [Line("citizen" if i % 2 else "official", (i // 2) * 2_000, (i // 2) * 2_000 + 1_500,
                  f"{texts[i % len(texts)]} (câu {i})") for i in range(30)]
    hearings = [await seed_hearing(clean_db, official.agency_id, official.id, lines,
                                   at=START + timedelta(days=9 * k)) for k in range(8)]
    colleague = await staff(app, "canbo2", StaffRole.RECEPTIONIST, code="A")
    hearings.append(await seed_hearing(clean_db, official.agency_id, colleague.id, lines,
                                       at=START + timedelta(days=9 * 7)))  # the same instant
    stranger = await seed_hearing(clean_db, other.agency_id, other.id, lines,
                                  at=START + timedelta(days=30))
    verifier = await staff(app, "thanhtra", StaffRole.INSPECTOR, code="A")
    await _case_quoting(clean_db, official, verifier, [hearings[1], hearings[7], hearings[8]])
    conn = await asyncpg.connect(dsn=asyncpg_dsn(clean_db))
    try:  # the statistics the choice of path reads (the agencies' shares among them)
        await conn.execute("ANALYZE transcript_segment")
    finally:
        await conn.close()
    mine = {h.hearing_id for h in hearings}
    agency = CaseScope(frozenset({official.agency_id}))
    assigned = CaseScope(assigned_to=StaffId(verifier.id))
    for q in ("khieu nai", "mười lăm", "15 năm", '"lối đi chung"', "câu", "xyzzy"):
        for offset in (0, 100):
            expected = [h.segment_id for h in await _search(
                session, q, agency, costs=Costs(force="gin"), limit=100, offset=offset)]
            for label, costs in PATHS.items():
                search = SqlTranscriptSearch(session, costs)
                found = await search.search(parse_query(q), agency, limit=100, offset=offset)
                assert [h.segment_id for h in found] == expected, (q, offset, label)
                assert {h.hearing_id for h in found} <= mine, (q, label)
                if label == "walk, then the weeks" and len(found) == 100:
                    assert search.paths[0].startswith("walk"), (q, search.paths)
                    assert "weeks" in search.paths, (q, search.paths)
        quoted = [h.segment_id for h in await _search(
            session, q, assigned, costs=Costs(force="gin"), limit=100)]
        search = SqlTranscriptSearch(session, Costs(force="walk"))
        walked = await search.search(parse_query(q), assigned, limit=100)
        assert [h.segment_id for h in walked] == quoted, q
        assert search.paths == ["hearings"]
        assert {h.hearing_id for h in walked} <= {
            hearings[1].hearing_id, hearings[7].hearing_id, hearings[8].hearing_id}
    assert stranger.hearing_id not in {h.hearing_id for h in await _all_pages(
        session, "khieu nai", agency)}
    newest = await _search(session, "câu", agency, costs=Costs(force="weeks"), limit=100)
    assert {h.hearing_id for h in newest[:60]} == {hearings[7].hearing_id,
                                                  hearings[8].hearing_id}
