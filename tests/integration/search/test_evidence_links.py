"""Evidence links on the real database: a passage quoted in a case file shows on the case page
with a player for its range, follows corrections (links hold times, not text), is audit-logged,
scopes the in-case search; every object route is in the matrix and 404s for another agency."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from quart import Quart
from quart.typing import TestClientProtocol as Client

from reception.domain.access import MATRIX
from reception.domain.organisation import StaffId, StaffRole
from reception.domain.transcripts.transcript import SegmentId
from reception.web.cases.access import matrix_entry
from tests.conftest import asyncpg_dsn
from tests.integration.cases.helpers import ALL_CASE_ROLES, client_for, headers, post, staff
from tests.integration.search.seed import Line, SeededHearing, seed_hearing

LINES = [Line("official", 1_000, 4_000, "Xin mời bà trình bày."),
         Line("citizen", 5_000, 9_000, "Tôi đã nộp đơn khiếu nại từ tháng ba."),
         Line("citizen", 9_500, 14_000, "Nhưng chưa nhận được trả lời nào.")]
SEARCH_BLUEPRINTS = ("search.", "evidence.")


async def _setup(app: Quart, clean_db: str) -> tuple[Client, dict[str, Any], SeededHearing]:
    owner = await staff(app, "owner", *ALL_CASE_ROLES, code="A")
    client = await client_for(app, "owner")
    case = await post(client, "/api/v1/cases", {
        "kind": "complaint", "channel": "visit", "summary": "Khiếu nại chậm trả lời",
        "parties": [{"role": "complainant", "full_name": "Ngô Thị Hoa"}]}, 201)
    hearing = await seed_hearing(clean_db, owner.agency_id, owner.id, LINES)
    return client, case, hearing


async def _link(client: Client, case: dict[str, Any], hearing: SeededHearing,
                status: int = 201) -> dict[str, Any]:
    return await post(client, f"/api/v1/hearings/{hearing.hearing_id}/evidence", {
        "case_id": case["id"], "start_ms": 4_500, "end_ms": 14_000,
        "member_id": str(hearing.members["citizen"]), "item": "claim", "item_ref": "Nội dung 1",
        "note": "Công dân xác nhận đã nộp đơn"}, status)


async def test_a_quoted_passage_shows_on_the_case_page_with_a_player_for_its_range(
        app: Quart, clean_db: str) -> None:
    client, case, hearing = await _setup(app, clean_db)
    page = await client.get(f"/staff/hearings/{hearing.hearing_id}/evidence", query_string={
        "start_ms": "4500", "end_ms": "14000", "member_id": str(hearing.members["citizen"])})
    html = await page.get_data(as_text=True)
    assert page.status_code == 200 and "Tôi đã nộp đơn khiếu nại" in html
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html).group(1)  # type: ignore[union-attr]
    created = await client.post(f"/staff/hearings/{hearing.hearing_id}/evidence", form={
        "csrf_token": token, "case_reference": case["reference"].lower(), "start_ms": "4500",
        "end_ms": "14000", "member_id": str(hearing.members["citizen"]), "item": "finding",
        "item_ref": "Kết quả 2", "note": "Trả lời chậm"})
    assert created.status_code == 302
    assert created.headers["Location"] == f"/cases/{case['id']}#evidence"
    case_page = await (await client.get(f"/cases/{case['id']}")).get_data(as_text=True)
    assert "Tôi đã nộp đơn khiếu nại từ tháng ba." in case_page
    assert "Nhưng chưa nhận được trả lời nào." in case_page and "Xin mời bà" not in case_page
    # The citizen's file starts 2 s after the hearing's zero, so 4.5 s into the hearing is 2.5 s.
    member = hearing.members["citizen"]
    assert (f'src="/staff/hearings/{hearing.hearing_id}/recordings/{member}/audio.webm'
            f'?file={member}.webm#t=2.5,12.0"') in case_page
    assert f"/search?case_id={case['id']}" in case_page


async def test_a_link_shows_the_corrected_text_after_a_correction_and_its_creation_is_logged(
        app: Quart, clean_db: str) -> None:
    client, case, hearing = await _setup(app, clean_db)
    link = await _link(client, case, hearing)
    async with app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        segment = await uow.transcript_review.segment(SegmentId(hearing.segments[1]))
        author = (await uow.staff.by_login("owner"))[0].id
        await uow.transcript_review.record_edit(segment, "Tôi đã nộp đơn khiếu nại từ tháng tư.",
                                                StaffId(author), datetime.now(UTC))
        await uow.commit()
    listed = await (await client.get(f"/api/v1/cases/{case['id']}/evidence")).get_json()
    quote = listed["evidence"][0]
    assert quote["id"] == link["id"] and (quote["start_ms"], quote["end_ms"]) == (4_500, 14_000)
    assert [q["text"] for q in quote["quote"]] == [
        "Tôi đã nộp đơn khiếu nại từ tháng tư.", "Nhưng chưa nhận được trả lời nào."]
    conn = await asyncpg.connect(dsn=asyncpg_dsn(clean_db))
    try:
        logged = await conn.fetchrow(
            "SELECT object_id, details FROM audit_log WHERE action = 'evidence.link'")
    finally:
        await conn.close()
    assert logged["object_id"] == link["id"] and '"item": "claim"' in logged["details"]


async def test_searching_within_a_case_covers_only_the_hearings_it_quotes(
        app: Quart, clean_db: str) -> None:
    client, case, hearing = await _setup(app, clean_db)
    owner = (await staff(app, "other", StaffRole.RECEPTIONIST, code="A"))
    await seed_hearing(clean_db, owner.agency_id, owner.id, [Line("citizen", 0, 900, "đơn khiếu nại khác")])
    everywhere = await (await client.get("/api/v1/search?q=khieu+nai")).get_json()
    assert len(everywhere["results"]) == 2
    assert (await (await client.get(f"/api/v1/search?q=khieu+nai&case_id={case['id']}"))
            .get_json())["results"] == []
    await _link(client, case, hearing)
    within = await (await client.get(f"/api/v1/search?q=khieu+nai&case_id={case['id']}")).get_json()
    assert within["case_reference"] == case["reference"]
    assert [h["hearing_id"] for h in within["results"]] == [str(hearing.hearing_id)]
    assert within["results"][0]["case_references"] == [case["reference"]]


async def test_a_bad_range_or_a_stranger_to_the_hearing_is_refused(app: Quart, clean_db: str) -> None:
    client, case, hearing = await _setup(app, clean_db)
    body = {"case_id": case["id"], "start_ms": 9_000, "end_ms": 4_000, "item": "claim",
            "item_ref": "1"}
    await post(client, f"/api/v1/hearings/{hearing.hearing_id}/evidence", body, 422)
    body |= {"start_ms": 0, "end_ms": 1_000, "member_id": str(uuid.uuid4())}
    await post(client, f"/api/v1/hearings/{hearing.hearing_id}/evidence", body, 404)


def _object_rules(app: Quart) -> list[Any]:
    return [r for r in app.url_map.iter_rules()
            if r.endpoint.startswith(SEARCH_BLUEPRINTS) and "<uuid:" in r.rule]


async def test_every_search_and_evidence_route_with_an_object_id_is_in_the_matrix(
        app: Quart) -> None:
    rules = _object_rules(app)
    assert len(rules) >= 3
    assert [r.rule for r in rules if matrix_entry(app.view_functions[r.endpoint]) is None] == []
    declared = {matrix_entry(app.view_functions[r.endpoint]) for r in rules}
    assert declared <= {(p, o) for _, p, o in MATRIX}


async def test_another_agencys_official_gets_404_on_every_object_route(
        app: Quart, clean_db: str) -> None:
    client, case, hearing = await _setup(app, clean_db)
    await _link(client, case, hearing)
    await staff(app, "stranger", *ALL_CASE_ROLES, code="B")
    stranger = await client_for(app, "stranger")
    ids = {"hearing_id": str(hearing.hearing_id), "case_id": case["id"]}
    query = {"start_ms": "0", "end_ms": "5000", "case_id": case["id"], "item": "claim",
             "item_ref": "1"}
    checked = []
    for rule in _object_rules(app):
        path = re.sub(r"<uuid:([a-z_]+)>", lambda m: ids[m.group(1)], rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            extra: dict[str, Any] = ({"json": {**query, "start_ms": 0, "end_ms": 5000}}
                                     if path.startswith("/api/") else
                                     {"form": {**query, "csrf_token": stranger.csrf}})  # type: ignore[attr-defined]
            if method == "GET":
                extra = {"query_string": query}
            response = await stranger.open(path, method=method, headers=headers(stranger), **extra)
            checked.append((method, rule.rule, response.status_code))
    assert len(checked) >= 4 and all(status == 404 for _, _, status in checked), checked
    case_page = await stranger.get(f"/cases/{case['id']}")
    assert case_page.status_code == 404


async def test_the_evidence_form_refuses_what_its_json_twin_refuses(app: Quart, clean_db: str) -> None:
    # The page's form once built its link by hand: a reference of several lines or of any
    # length was taken. It goes through the API's model now; each refusal names the field.
    client, case, hearing = await _setup(app, clean_db)
    url = f"/staff/hearings/{hearing.hearing_id}/evidence"
    page = await (await client.get(url, query_string={"start_ms": "4500", "end_ms": "14000"})
                  ).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]
    good = {"csrf_token": token, "case_reference": case["reference"], "start_ms": "4500",
            "end_ms": "14000", "item": "claim", "item_ref": "Nội dung 1",
            "note": "Dòng một\nDòng hai"}
    which = "Nội dung nào (ví dụ: nội dung 2, kết quả 1)"
    for field, value, label in (
            ("item_ref", "Nội dung 1\r\n[00:00:03] Cán bộ: Đồng ý", which),
            ("case_reference", f"{case['reference']}\nKN-giả", "Số hồ sơ:"),
            ("item_ref", "Nội dung " * 40, which),
            ("item", "verdict", "Làm căn cứ cho:")):
        refused = await client.post(url, form=good | {field: value})
        html = await refused.get_data(as_text=True)
        assert refused.status_code == 422, (field, value)
        assert 'id="evidence-error"' in html and label in html
    assert (await (await client.get(f"/api/v1/cases/{case['id']}/evidence")).get_json()
            )["evidence"] == []
    created = await client.post(url, form=good)
    assert created.status_code == 302


async def test_a_passage_after_a_recorder_restart_plays_from_the_file_running_then(
        app: Quart, clean_db: str) -> None:
    # The citizen's recorder restarted 20 s into the hearing: their second file holds what
    # they said after it. A quote of that time plays from it, not 20 s into the first file.
    client, case, hearing = await _setup(app, clean_db)
    member = hearing.members["citizen"]
    connection = await asyncpg.connect(asyncpg_dsn(clean_db))
    try:
        first = await connection.fetchval(
            "SELECT started_at FROM hearing_recording WHERE member_id = $1", member)
        await connection.execute(
            "INSERT INTO hearing_recording (id, hearing_id, member_id, kind, path, sha256, "
            "size_bytes, state, started_at, stopped_at) "
            "VALUES ($1,$2,$3,'audio',$4,$5,1,'closed',$6,$7)",
            uuid.uuid4(), hearing.hearing_id, member, f"{hearing.hearing_id}/{member}-2.webm",
            "0" * 64, first + timedelta(seconds=18), first + timedelta(minutes=10))
    finally:
        await connection.close()
    for start, end, file, fragment in ((4_500, 9_000, f"{member}.webm", "#t=2.5,7.0"),
                                        (25_000, 28_000, f"{member}-2.webm", "#t=5.0,8.0")):
        await post(client, f"/api/v1/hearings/{hearing.hearing_id}/evidence", {
            "case_id": case["id"], "start_ms": start, "end_ms": end, "member_id": str(member),
            "item": "claim", "item_ref": f"Nội dung {start}"}, 201)
        page = await (await client.get(f"/cases/{case['id']}")).get_data(as_text=True)
        assert (f'/recordings/{member}/audio.webm?file={file}{fragment}"') in page, file
