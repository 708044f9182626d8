"""An approved transcript changed in the database behind the application's back, on the real
database: every page and export that shows it to officials says so or refuses it, a case file
quoting it flags the passage, `reception verify` names the hearing, the transcript and which
fingerprint the lines no longer match — also when the stored fingerprint was changed with the
lines (the audit log recorded the approved one), and when the audit entry was rewritten too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import asyncpg

from reception.services.transcripts.views import hash_of, hearing_zero
from tests.conftest import asyncpg_dsn
from tests.integration.cases.helpers import ALL_CASE_ROLES, client_for, post, staff
from tests.integration.test_integrity import run
from tests.integration.transcript_review.conftest import Desk

FORGED = "ĐÃ SỬA: công dân rút đơn khiếu nại"
ALTERED = "Bản ghi lời nói này đã bị thay đổi sau khi được phê duyệt"  # the banner, in Vietnamese
EXPORTS = ("vtt", "srt", "txt", "json", "pdf")


async def _sql(database_url: str, statement: str, *args: object) -> None:
    connection = await asyncpg.connect(dsn=asyncpg_dsn(database_url))
    try:
        await connection.execute(statement, *args)
    finally:
        await connection.close()


async def _approve(desk: Desk) -> str:
    approved = await desk.app.container.transcript_review.approve(  # type: ignore[attr-defined]
        desk.official, desk.seeded.hearing.id, checked=True)
    assert approved.approved_hash is not None
    return approved.approved_hash


async def _forge_line(desk: Desk, database_url: str) -> None:
    await _sql(database_url, "UPDATE transcript_segment SET text = $1 WHERE id = $2", FORGED,
               desk.seeded.segment_ids[1])


async def _fingerprint_now(desk: Desk) -> str:
    async with desk.app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        hearing = await uow.hearings.get(desk.seeded.hearing.id)
        zero = hearing_zero(hearing, await uow.hearings.recordings(hearing.id))
        return hash_of(zero, await uow.transcript_review.segments(desk.seeded.transcript_id))


async def _quoting_case(desk: Desk) -> tuple[Any, dict[str, Any]]:
    """A case file of the hearing's agency quoting the citizen's line as a claim."""
    await staff(desk.app, "hoso", *ALL_CASE_ROLES, code="TT")
    client = await client_for(desk.app, "hoso")
    case = await post(client, "/api/v1/cases", {
        "kind": "complaint", "channel": "visit", "summary": "Khiếu nại thu hồi đất",
        "parties": [{"role": "complainant", "full_name": "Nguyễn Văn An"}]}, 201)
    await post(client, f"/api/v1/hearings/{desk.seeded.hearing.id}/evidence", {
        "case_id": case["id"], "start_ms": 2_900, "end_ms": 6_100,
        "member_id": str(desk.seeded.citizen_member.id), "item": "claim",
        "item_ref": "Nội dung 1"}, 201)
    return client, case


async def _refused_everywhere(desk: Desk) -> None:
    api = await desk.client.get(desk.api)
    assert api.status_code == 409 and ALTERED in (await api.get_json())["detail"]
    for fmt in EXPORTS:
        export = await desk.client.get(f"{desk.base}/transcript.{fmt}")
        assert export.status_code == 409, fmt
        assert ALTERED in await export.get_data(as_text=True), fmt


async def test_a_line_changed_after_approval_is_flagged_refused_and_named_by_verify(
        desk: Desk, clean_db: str, tmp_path: Path) -> None:
    await _approve(desk)
    case_client, case = await _quoting_case(desk)
    page = await (await desk.client.get(f"{desk.base}/transcript")).get_data(as_text=True)
    case_page = await (await case_client.get(f"/cases/{case['id']}")).get_data(as_text=True)
    assert 'id="transcript-altered"' not in page and "evidence-altered" not in case_page
    assert (await desk.client.get(f"{desk.base}/transcript.vtt")).status_code == 200
    assert run("verify", clean_db, tmp_path).returncode == 0

    await _forge_line(desk, clean_db)

    page_response = await desk.client.get(f"{desk.base}/transcript")
    page = await page_response.get_data(as_text=True)
    assert page_response.status_code == 200
    assert 'id="transcript-altered"' in page and ALTERED in page and FORGED in page
    assert 'id="export-json"' not in page and 'id="export-pdf"' not in page
    recordings_page = await (await desk.client.get(f"{desk.base}/recording")).get_data(as_text=True)
    assert 'id="transcript-altered"' in recordings_page
    await _refused_everywhere(desk)
    case_page = await (await case_client.get(f"/cases/{case['id']}")).get_data(as_text=True)
    assert FORGED in case_page and "evidence-altered" in case_page
    quotes = await (await case_client.get(f"/api/v1/cases/{case['id']}/evidence")).get_json()
    assert [q["altered"] for q in quotes["evidence"]] == [True]

    result = run("verify", clean_db, tmp_path)
    assert result.returncode == 1
    where = (f"FAILED transcript of hearing {desk.seeded.hearing.id} (booking "
             f"{desk.seeded.seeded.booking.reference}, transcript {desk.seeded.transcript_id})")
    lines = [line for line in result.stderr.splitlines() if line.startswith(where)]
    assert len(lines) == 2, result.stderr  # against the stored fingerprint and the audited one
    assert "not to the fingerprint stored with it" in lines[0]
    assert "not to the fingerprint the audit log recorded last" in lines[1]
    assert "1 approved transcripts" in result.stderr

    # Search still finds the line, marked as changed once the integrity check has found it.
    hits = (await (await desk.client.get("/api/v1/search", query_string={"q": "rút đơn"}))
            .get_json())["results"]
    assert [(h["approved"], h["altered"]) for h in hits] == [(True, True)]
    search_page = await (await desk.client.get("/search", query_string={"q": "rút đơn"})
                         ).get_data(as_text=True)
    assert "search-altered" in search_page


async def test_a_line_and_the_stored_fingerprint_changed_together_are_caught_by_the_audit_log(
        desk: Desk, clean_db: str, tmp_path: Path) -> None:
    approved = await _approve(desk)
    await _forge_line(desk, clean_db)
    forged = await _fingerprint_now(desk)
    await _sql(clean_db, "UPDATE transcript SET approved_hash = $1 WHERE id = $2", forged,
               desk.seeded.transcript_id)

    page = await (await desk.client.get(f"{desk.base}/transcript")).get_data(as_text=True)
    assert 'id="transcript-altered"' in page
    await _refused_everywhere(desk)
    result = run("verify", clean_db, tmp_path)
    assert result.returncode == 1
    failed = [line for line in result.stderr.splitlines() if "FAILED transcript" in line]
    assert len(failed) == 1 and f"({approved})" in failed[0], result.stderr
    assert "its lines and the fingerprint stored with it were changed together" in failed[0]

    # The approval's audit entry rewritten to match too (without the key): its keyed hash no
    # longer matches, so the pages ignore it, and verify names the row.
    await _sql(clean_db, "UPDATE audit_log SET details = $1 WHERE action = 'transcript.approved'",
               json.dumps({"hash": forged, "lines": 3}))
    await _refused_everywhere(desk)
    result = run("verify", clean_db, tmp_path)
    assert result.returncode == 1
    assert "its content does not match its keyed hash" in result.stderr


async def test_the_refusals_and_the_altered_views_are_audit_logged(
        desk: Desk, clean_db: str) -> None:
    await _approve(desk)
    await _forge_line(desk, clean_db)
    await desk.client.get(f"{desk.base}/transcript")
    await desk.client.get(f"{desk.base}/transcript.txt")
    async with desk.app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        trail = [(r.action, dict(r.details)) async for _, r, _, _ in uow.audit.entries()]
    assert ("transcript.viewed", {"altered": ["stored", "audited"]}) in trail
    assert ("transcript.export_refused", {"format": "txt", "altered": ["stored", "audited"]}) in trail
