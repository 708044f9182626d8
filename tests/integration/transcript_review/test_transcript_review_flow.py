"""Correction, approval and export of a hearing transcript on the real database: every edit is
a version with its author, the machine text stays, approval locks and records the hash of the
approved lines, exports carry the speakers, and recordings stream with HTTP ranges."""

from __future__ import annotations

import hashlib
import io
from typing import Any

from pypdf import PdfReader

from reception.services.transcripts.views import hash_of, hearing_zero
from tests.integration.cases.helpers import headers
from tests.integration.transcript_review.conftest import CHECKED, Desk
from tests.integration.transcript_review.seed import CITIZEN


async def edit(desk: Desk, index: int, text: str, version: int) -> Any:
    segment = desk.seeded.segment_ids[index]
    return await desk.client.post(f"{desk.api}/segments/{segment}", json={
        "text": text, "version": version}, headers=headers(desk.client))


async def audit_actions(desk: Desk) -> list[tuple[str, dict[str, object]]]:
    async with desk.app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        return [(record.action, dict(record.details)) async for _, record, _, _ in uow.audit.entries()]


async def test_each_correction_is_a_version_with_its_author_and_the_machine_text_is_kept(
        desk: Desk) -> None:
    first = await edit(desk, 1, "Tôi khiếu nại quyết định thu hồi đất.", 1)
    second = await edit(desk, 1, "Tôi khiếu nại  quyết định thu hồi đất số 12.", 2)
    stale = await edit(desk, 1, "Bản sửa cũ.", 2)

    assert first.status_code == 200 and (await first.get_json())["version"] == 2
    assert second.status_code == 200
    body = await second.get_json()
    assert body["version"] == 3 and body["text"] == "Tôi khiếu nại quyết định thu hồi đất số 12."
    assert body["machine_text"] == "Tôi khiếu lại quyết định thu hồi đất."
    assert stale.status_code == 409
    review = await (await desk.client.get(desk.api)).get_json()
    history = review["segments"][1]["history"]
    assert [v["version"] for v in history] == [3, 2, 1]
    assert history[0]["author"] == desk.official.full_name and history[0]["at"]
    assert history[-1] == {"version": 1, "text": "Tôi khiếu lại quyết định thu hồi đất.",
                           "author": "", "at": None}
    page = await (await desk.client.get(f"{desk.base}/transcript")).get_data(as_text=True)
    assert "Tôi khiếu lại quyết định thu hồi đất." in page and desk.official.full_name in page
    assert [a for a, _ in await audit_actions(desk)].count("transcript.edited") == 2


async def test_a_form_post_without_script_also_saves_a_version(desk: Desk) -> None:
    segment = desk.seeded.segment_ids[0]
    response = await desk.client.post(f"{desk.base}/transcript/segments/{segment}", form={
        "text": "Xin chào, mời ông An trình bày.", "version": "1",
        "csrf_token": desk.client.csrf})  # type: ignore[attr-defined]
    assert response.status_code == 302 and response.location.endswith(f"#seg-{segment}")
    review = await (await desk.client.get(desk.api)).get_json()
    assert review["segments"][0]["text"] == "Xin chào, mời ông An trình bày."


async def test_approval_locks_the_transcript_and_records_a_stable_hash_of_the_approved_lines(
        desk: Desk) -> None:
    await edit(desk, 1, "Tôi khiếu nại quyết định thu hồi đất.", 1)
    approved = await desk.client.post(f"{desk.api}/approve", json=CHECKED, headers=headers(desk.client))
    after = await edit(desk, 0, "Sửa sau khi duyệt.", 1)
    again = await desk.client.post(f"{desk.api}/approve", json=CHECKED, headers=headers(desk.client))

    assert approved.status_code == 200
    fingerprint = (await approved.get_json())["approved_hash"]
    assert after.status_code == 409 and "khóa" in (await after.get_json())["detail"]  # "locked"
    assert again.status_code == 409
    exported = await (await desk.client.get(f"{desk.base}/transcript.json")).get_data(as_text=False)
    assert isinstance(exported, bytes)
    assert hashlib.sha256(exported).hexdigest() == fingerprint  # the approved bytes themselves
    async with desk.app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        hearing = await uow.hearings.get(desk.seeded.hearing.id)
        zero = hearing_zero(hearing, await uow.hearings.recordings(hearing.id))
        segments = await uow.transcript_review.segments(desk.seeded.transcript_id)
    assert hash_of(zero, segments) == fingerprint
    review = await (await desk.client.get(desk.api)).get_json()
    assert review["approved_hash"] == fingerprint and review["intact"] is True
    [approval] = [d for a, d in await audit_actions(desk) if a == "transcript.approved"]
    async with desk.app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        record = await uow.signed_documents.of_hearing(desk.seeded.hearing.id)
    assert record is not None  # the hearing record was issued, signed, at approval
    assert approval == {"hash": fingerprint, "lines": 3, "signature": record.code,
                        "uncertain_confirmed": 0}


async def test_approving_twice_from_the_page_shows_a_clear_conflict(desk: Desk) -> None:
    form = {"checked": "on", "csrf_token": desk.client.csrf}  # type: ignore[attr-defined]
    assert (await desk.client.post(f"{desk.base}/transcript/approve", form=form)).status_code == 302
    second = await desk.client.post(f"{desk.base}/transcript/approve", form=form)
    assert second.status_code == 409
    assert "khóa" in await second.get_data(as_text=True)  # Vietnamese by default: "đã khóa"


async def test_exports_carry_speaker_names_and_captions_follow_each_members_file(
        desk: Desk) -> None:
    vtt = await (await desk.client.get(f"{desk.base}/transcript.vtt")).get_data(as_text=True)
    srt = await (await desk.client.get(f"{desk.base}/transcript.srt")).get_data(as_text=True)
    txt = await (await desk.client.get(f"{desk.base}/transcript.txt")).get_data(as_text=True)
    citizen = desk.seeded.citizen_member.id
    shifted = await (await desk.client.get(f"{desk.base}/transcript.vtt?member={citizen}")
                     ).get_data(as_text=True)

    assert vtt.startswith("WEBVTT") and f"<v {CITIZEN}>" in vtt
    assert "00:00:03.000 --> 00:00:06.000" in vtt
    assert f"{CITIZEN}: Tôi khiếu lại" in srt
    assert f"[00:00:03] {CITIZEN} (citizen): Tôi khiếu lại" in txt
    assert "00:00:01.000 --> 00:00:04.000" in shifted  # the citizen's file starts 2 s late
    exported = [d for a, d in await audit_actions(desk) if a == "transcript.exported"]
    assert [d["format"] for d in exported] == ["vtt", "srt", "txt", "vtt"]


async def test_the_hearing_record_pdf_exists_only_after_approval_and_states_the_record(
        desk: Desk) -> None:
    before = await desk.client.get(f"{desk.base}/transcript.pdf")
    await desk.client.post(f"{desk.api}/approve", json=CHECKED, headers=headers(desk.client))
    after = await desk.client.get(f"{desk.base}/transcript.pdf")

    assert before.status_code == 409
    assert after.status_code == 200 and after.content_type == "application/pdf"
    pdf = await after.get_data(as_text=False)
    assert isinstance(pdf, bytes)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = " ".join(text.split())
    review = await (await desk.client.get(desk.api)).get_json()
    async with desk.app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        files = await uow.hearings.recordings(desk.seeded.hearing.id)
    for expected in ("BIÊN BẢN PHIÊN TIẾP CÔNG DÂN TRỰC TUYẾN", str(desk.seeded.hearing.id),
                     "Điểm cầu trung tâm", "Điểm cầu thành phần", CITIZEN, "001090000001",
                     desk.official.full_name, "Ngày thông báo", "Thời điểm kiểm tra kết nối",
                     "Nơi lưu trữ", "Thời hạn bảo quản", desk.seeded.seeded.booking.reference,
                     "Tôi khiếu lại quyết định thu hồi đất.", "Khiếu nại"):
        assert expected in flat, expected
    compact = flat.replace(" ", "")  # long hashes wrap across lines
    assert review["approved_hash"] in compact
    assert all(f.sha256 in compact for f in files)


async def test_recordings_stream_with_byte_ranges_and_every_playback_is_audit_logged(
        desk: Desk) -> None:
    url = f"{desk.base}/recordings/{desk.seeded.citizen_member.id}/evidence.webm"
    whole = await desk.client.get(url)
    part = await desk.client.get(url, headers={"Range": "bytes=0-99"})
    missing = await desk.client.get(
        f"{desk.base}/recordings/{desk.seeded.citizen_member.id}/audio.webm")

    assert whole.status_code == 200 and whole.content_type == "video/webm"
    body = await whole.get_data()
    assert part.status_code == 206 and await part.get_data() == body[:100]
    assert part.headers["Content-Range"] == f"bytes 0-99/{len(body)}"
    assert "no-store" in part.headers["Cache-Control"]
    assert missing.status_code == 404
    playbacks = [d for a, d in await audit_actions(desk) if a == "recording.playback"]
    assert [d["range"] for d in playbacks] == ["all", "bytes=0-99"]


async def test_the_review_page_plays_each_speakers_recording_with_captions(desk: Desk) -> None:
    page = await (await desk.client.get(f"{desk.base}/transcript")).get_data(as_text=True)
    console = await (await desk.client.get(desk.base)).get_data(as_text=True)

    assert '<track id="captions" kind="captions" srclang="vi"' in page
    assert f"/recordings/{desk.seeded.citizen_member.id}/evidence.webm" in page
    assert f"/recordings/{desk.seeded.official_member.id}/audio.webm" in page
    # Lines are highlighted for what the machine doubted, not for a number alone: the seed
    # has no doubts (the citizen's line at 41 % included), so nothing awaits confirmation.
    assert "seg-doubt" not in page and 'id="uncertain-summary"' not in page
    assert f'href="{desk.base}/transcript"' in console


async def test_the_page_approves_only_with_the_officials_declaration_ticked(desk: Desk) -> None:
    """The box "I have checked the transcript against the recording" is what the official signs
    to: without it the server refuses, in Vietnamese at the top of the page (the browser's own
    check, in the browser's language, is off), and nothing is locked."""
    page = await (await desk.client.get(f"{desk.base}/transcript")).get_data(as_text=True)
    assert 'id="approve"' in page and "novalidate" in page
    refused = await desk.client.post(f"{desk.base}/transcript/approve", form={
        "csrf_token": desk.client.csrf})  # type: ignore[attr-defined]
    said = await refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'id="review-error">Hãy đánh dấu “Tôi đã đối chiếu' in said
    api = await (await desk.client.get(desk.api)).get_json()
    assert api["approved_at"] is None
