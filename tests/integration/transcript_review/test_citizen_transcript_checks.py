"""The citizen's own transcript page (their booking's link) is held to what the officials' pages
are: an approved transcript changed behind the application's back is not shown to them as the
approved record (a plain notice that the office is checking it; no line; no acknowledgement),
and is audited as such; a recording that could not be transcribed is named, with whose words
are missing and that they are to be taken from the recording — on the real database."""

from __future__ import annotations

from datetime import UTC, datetime

from reception.domain.transcripts.transcript import TranscriptId, Unreadable
from reception.services.transcripts.ports import StoredTrack
from tests.integration.transcript_review.conftest import Desk
from tests.integration.transcript_review.seed import LINES
from tests.integration.transcript_review.test_approved_fingerprint import (
    FORGED,
    _approve,
    _forge_line,
)

CHECKING = "Cơ quan đang kiểm tra lại biên bản của phiên tiếp này"  # the citizen's notice


async def _citizen_page(desk: Desk) -> str:
    token = desk.seeded.seeded.token
    response = await desk.app.test_client().get(f"/my-booking/transcript?t={token}")
    assert response.status_code == 200
    return await response.get_data(as_text=True)


async def _trail(desk: Desk) -> list[tuple[str, dict[str, object]]]:
    async with desk.app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        return [(r.action, dict(r.details)) async for _, r, _, _ in uow.audit.entries()]


async def test_a_transcript_changed_after_approval_is_not_shown_to_the_citizen_as_the_record(
        desk: Desk, clean_db: str) -> None:
    await _approve(desk)
    before = await _citizen_page(desk)
    assert LINES[1][3] in before and CHECKING not in before and "big ack" in before

    await _forge_line(desk, clean_db)
    page = await _citizen_page(desk)
    hearing = str(desk.seeded.hearing.id)

    assert f'id="being-checked-{hearing}"' in page and CHECKING in page
    assert FORGED not in page and not any(text in page for _, _, _, text, _ in LINES)
    assert "big ack" not in page and "Bản ghi lời nói này đã bị thay đổi" not in page
    acknowledged = await desk.app.test_client().post("/my-booking/transcript/acknowledge", form={
        "t": desk.seeded.seeded.token, "hearing_id": hearing})
    assert acknowledged.status_code == 409
    assert CHECKING in await acknowledged.get_data(as_text=True)
    async with desk.app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        transcript = await uow.transcript_review.for_hearing(desk.seeded.hearing.id)
    assert transcript.citizen_ack_at is None
    trail = await _trail(desk)
    views = [d for a, d in trail if a == "transcript.viewed_by_citizen"]
    assert "altered" not in views[0]
    assert views[-1]["altered"] == {hearing: ["stored", "audited"]}
    assert ("transcript.acknowledge_refused",
            {"hearing": hearing, "altered": ["stored", "audited"],
             "participant": str(desk.seeded.seeded.citizen.id)}) in trail


async def test_the_citizen_is_told_whose_words_are_missing_and_where_they_are(
        desk: Desk) -> None:
    official = desk.seeded.official_member
    recording = f"{desk.seeded.hearing.id}/{official.id}.audio.webm"
    async with desk.app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        await uow.transcription.save_track(  # the official's recording could not be read
            TranscriptId(desk.seeded.transcript_id),
            StoredTrack(official.id, recording, None, "The recording could not be read.",
                        Unreadable.UNDECODABLE), datetime.now(UTC))
        await uow.commit()
    await desk.app.container.transcript_review.approve(  # type: ignore[attr-defined]
        desk.official, desk.seeded.hearing.id, checked=True, untranscribed_acknowledged=True)

    page = await _citizen_page(desk)
    section = page.split(f'id="untranscribed-{desk.seeded.hearing.id}"')[1].split("</section>")[0]
    assert "Lời nói không có trong bản ghi lời nói này" in section
    assert (f"Lời nói của {official.display_name} (Cán bộ) không có trong bản ghi lời nói này"
            in section)
    assert "phải được lấy từ chính bản ghi âm" in section
    assert "could not" not in section and ".webm" not in section  # no English, no file
    assert LINES[1][3] in page and "big ack" in page  # the lines themselves are still shown
