"""Playback, review and approval show each recording's verification; a recording that fails it
cannot be approved, and the hearing record is drawn up only from files verified just before,
stating each one's hash and when it was verified."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from tests.integration.cases.helpers import headers
from tests.integration.transcript_review.conftest import CHECKED, Desk
from tests.integration.transcript_review.test_transcript_review_flow import audit_actions


def evidence_of(desk: Desk, tmp_path: Path) -> tuple[str, Path]:
    seeded = desk.seeded
    relative = f"{seeded.hearing.id}/{seeded.citizen_member.id}.evidence.webm"
    return relative, tmp_path / "recordings" / relative


def flip_byte(path: Path, at: int = 2100) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    path.write_bytes(data)


async def test_the_pages_show_every_file_verified(desk: Desk) -> None:
    for page in (f"{desk.base}/transcript", f"{desk.base}/recording"):
        html = await (await desk.client.get(page)).get_data(as_text=True)
        assert 'id="verification-ok"' in html and 'data-ok="false"' not in html
        assert html.count('data-ok="true"') == 2


async def test_a_tampered_recording_is_shown_and_blocks_approval(desk: Desk,
                                                                 tmp_path: Path) -> None:
    relative, path = evidence_of(desk, tmp_path)
    flip_byte(path)
    for page in (f"{desk.base}/transcript", f"{desk.base}/recording"):
        html = await (await desk.client.get(page)).get_data(as_text=True)
        assert 'id="verification-failed"' in html and 'role="alert"' in html
        assert 'data-kind="altered" data-chunk="2" data-offset="2048"' in html  # names the chunk
        assert "Đoạn 2 của tệp (byte 2048 đến 3071) không còn đúng như khi ghi." in html
    html = await (await desk.client.get(f"{desk.base}/transcript")).get_data(as_text=True)
    assert 'id="approval-blocked"' in html and 'id="approve"' not in html

    refused = await desk.client.post(f"{desk.api}/approve", json=CHECKED, headers=headers(desk.client))
    assert refused.status_code == 409
    problem = await refused.get_json()
    assert path.name in problem["detail"] and "không còn khớp" in problem["detail"]
    review = await (await desk.client.get(desk.api)).get_json()
    assert review["approved_hash"] is None
    actions = [action for action, _ in await audit_actions(desk)]
    assert "transcript.approval_refused" in actions and "transcript.approved" not in actions
    async with desk.app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        stored = {r.path: r for r in await uow.hearings.recordings(desk.seeded.hearing.id)}
    assert stored[relative].verified is False


async def test_the_hearing_record_certifies_verified_hashes_only(desk: Desk,
                                                                 tmp_path: Path) -> None:
    approved = await desk.client.post(f"{desk.api}/approve", json=CHECKED, headers=headers(desk.client))
    assert approved.status_code == 200
    record = await desk.client.get(f"{desk.base}/transcript.pdf")
    assert record.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(
        await record.get_data(as_text=False))).pages)
    flat = " ".join(text.split())
    assert flat.count("đã kiểm tra khớp với bản ghi gốc") == 2

    _, path = evidence_of(desk, tmp_path)
    flip_byte(path)  # after approval: the record must not certify the old hash any more
    refused = await desk.client.get(f"{desk.base}/transcript.pdf")
    assert refused.status_code == 409
    html = await (await desk.client.get(f"{desk.base}/transcript")).get_data(as_text=True)
    assert 'id="export-pdf"' not in html and 'id="verification-failed"' in html
    assert "transcript.record_refused" in [a for a, _ in await audit_actions(desk)]
