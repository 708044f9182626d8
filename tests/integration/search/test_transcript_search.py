"""Transcript search on the real database: diacritics and numbers are matched, results carry
speaker, role, booking, snippet and a link to the moment; another agency finds nothing."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import asyncpg
from quart import Quart
from quart.typing import TestClientProtocol as Client

from reception.domain.organisation import StaffMember, StaffRole
from tests.conftest import asyncpg_dsn
from tests.integration.cases.helpers import client_for, staff
from tests.integration.search.seed import Line, SeededHearing, seed_hearing

LINES = [Line("official", 1_000, 4_000, "Xin mời ông trình bày nội dung."),
         Line("citizen", 5_000, 12_500, "Tôi khiếu nại quyết định thu hồi đất của Ủy ban."),
         Line("citizen", 13_000, 18_000, "Gia đình tôi đã ở đây mười lăm năm rồi."),
         Line("official", 19_000, 22_000, "Diện tích là 20 mét vuông, đúng không?")]


async def _agency_with_hearing(app: Quart, clean_db: str, login: str = "canbo",
                               code: str = "A") -> tuple[StaffMember, SeededHearing]:
    member = await staff(app, login, StaffRole.RECEPTIONIST, code=code)
    return member, await seed_hearing(clean_db, member.agency_id, member.id, LINES)


async def _search(client: Client, q: str, **extra: str) -> dict[str, Any]:
    response = await client.get("/api/v1/search", query_string={"q": q, **extra})
    assert response.status_code == 200, await response.get_data(as_text=True)
    return await response.get_json()  # type: ignore[no-any-return]


async def test_words_typed_without_accents_find_the_line_said_with_them(
        app: Quart, clean_db: str) -> None:
    _, hearing = await _agency_with_hearing(app, clean_db)
    client = await client_for(app, "canbo")
    found = (await _search(client, "khieu nai"))["results"]
    assert len(found) == 1
    hit = found[0]
    assert (hit["speaker"], hit["role"], hit["start_ms"]) == ("Nguyễn Văn An", "citizen", 5_000)
    assert hit["booking_reference"] == hearing.booking_reference
    assert hit["hearing_id"] == str(hearing.hearing_id)
    marked = [p["text"] for p in hit["snippet"] if p["match"]]
    assert marked == ["khiếu", "nại"]
    url = urlsplit(hit["url"])
    assert url.path == f"/staff/hearings/{hearing.hearing_id}/transcript"
    assert parse_qs(url.query)["t"] == ["5.0"] and url.fragment == f"seg-{hit['segment_id']}"


async def test_a_number_in_digits_finds_it_in_words_and_the_other_way_round(
        app: Quart, clean_db: str) -> None:
    await _agency_with_hearing(app, clean_db)
    client = await client_for(app, "canbo")
    by_digits = (await _search(client, "15 nam"))["results"]
    assert [h["start_ms"] for h in by_digits] == [13_000]
    by_words = (await _search(client, "hai mươi mét"))["results"]
    assert [h["start_ms"] for h in by_words] == [19_000]
    assert (await _search(client, "muoi lam"))["results"][0]["start_ms"] == 13_000


async def test_a_phrase_an_alternative_and_an_exclusion_are_honoured(
        app: Quart, clean_db: str) -> None:
    await _agency_with_hearing(app, clean_db)
    client = await client_for(app, "canbo")
    assert (await _search(client, '"đất của"'))["results"][0]["start_ms"] == 5_000
    assert (await _search(client, '"của đất"'))["results"] == []
    either = await _search(client, "thu or diện tích")
    assert sorted(h["start_ms"] for h in either["results"]) == [19_000]
    assert sorted(h["start_ms"] for h in (await _search(client, "ông or gia"))["results"]) == [
        1_000, 13_000]
    assert (await _search(client, "tôi -đất"))["results"][0]["start_ms"] == 13_000


async def test_an_official_of_another_agency_finds_nothing(app: Quart, clean_db: str) -> None:
    await _agency_with_hearing(app, clean_db)
    await staff(app, "stranger", StaffRole.RECEPTIONIST, StaffRole.HEAD,
                StaffRole.CASE_MANAGER, code="B")
    stranger = await client_for(app, "stranger")
    assert (await _search(stranger, "khieu nai"))["results"] == []
    page = await stranger.get("/search", query_string={"q": "khiếu nại"})
    html = await page.get_data(as_text=True)
    assert page.status_code == 200 and "Nguyễn Văn An" not in html and "khiếu" not in html.split(
        "</form>")[-1]


async def test_the_search_page_shows_highlighted_results_with_a_play_link_and_logs_the_search(
        app: Quart, clean_db: str) -> None:
    _, hearing = await _agency_with_hearing(app, clean_db)
    client = await client_for(app, "canbo")
    page = await client.get("/search", query_string={"q": "khiếu nại"})
    html = await page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Tôi <mark>khiếu</mark> <mark>nại</mark> quyết định" in html
    assert re.search(rf'href="/staff/hearings/{hearing.hearing_id}/transcript\?t=5\.0#seg-', html)
    assert hearing.booking_reference in html
    conn = await asyncpg.connect(dsn=asyncpg_dsn(clean_db))
    try:
        logged = await conn.fetchval(
            "SELECT details->>'query' FROM audit_log WHERE action = 'transcript.search'")
    finally:
        await conn.close()
    assert logged == "khiếu nại"


async def test_odd_input_neither_fails_nor_matches_more_than_it_says(
        app: Quart, clean_db: str) -> None:
    await _agency_with_hearing(app, clean_db)
    client = await client_for(app, "canbo")
    for q in ("!!!", "-đất", "&|:*()", "or", "'; drop table x; --", '"', "\\", "khiế:*"):  # no prefix match
        assert (await _search(client, q))["results"] == [], q
    assert len((await _search(client, 'đất" or'))["results"]) == 1  # the stray quote is ignored
