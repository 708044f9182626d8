"""A damaged stretch of a member's recording is never silently left out: the transcript's
lines after it keep their true times, and the review page says in Vietnamese whose audio,
from when to when (on the hearing's clock), could not be heard and is not in the transcript;
the audit entry of the finished transcript lists it."""

from __future__ import annotations

from pathlib import Path

from quart import Quart
from sqlalchemy import text

from reception.bootstrap.container import Container
from reception.domain.hearings.model import MemberRole
from reception.domain.transcripts.transcript import TranscriptStatus
from tests.integration.cases.helpers import client_for
from tests.integration.transcription.conftest import SPEECH, Track, seed_hearing, transcript_of
from tests.speech import damage_packets, write_opus_webm
from transcripts.engine import decode

CITIZEN = "Nguyễn Thị Lan"
OFFICIAL = "Cán bộ Hòa"
JOINED_S = 2.0  # the citizen's recording starts 2 s into the hearing
LOST = (6.0, 7.0)  # seconds of the citizen's file whose packets are damaged
SPEECH_END_S = 12.3  # where the last line of the citizen's whole file ends (measured)


async def test_a_damaged_stretch_is_named_on_the_review_page_with_its_times(
    app: Quart, tmp_path: Path
) -> None:
    container: Container = app.container  # type: ignore[attr-defined]
    whole = write_opus_webm(tmp_path / "whole.webm", decode(SPEECH / "citizen.wav"))
    damaged = damage_packets(whole, tmp_path / "damaged.webm", *LOST)
    hearing_id, members = await seed_hearing(container, "en", [
        Track(MemberRole.OFFICIAL, OFFICIAL, SPEECH / "official.wav", 0.0),
        Track(MemberRole.CITIZEN, CITIZEN, damaged, JOINED_S)], tmp_path / "recordings")

    assert await container.transcription.run(hearing_id) is TranscriptStatus.DONE

    transcript, segments = await transcript_of(container, hearing_id)
    assert transcript is not None and transcript.error is None
    said = [s for s in segments if s.member_id == members[CITIZEN]]
    # The citizen's last line ("… we lost last year.") ends where it does in the whole file,
    # 12.3 s into it, 14.3 s into the hearing (the decoder that skipped the stretch put it 1 s
    # earlier), and nothing is heard inside the stretch.
    last = max(said, key=lambda s: s.end_ms)
    assert abs(last.end_ms - (JOINED_S + SPEECH_END_S) * 1000) < 400, said
    inside = ((JOINED_S + LOST[0]) * 1000 + 300, (JOINED_S + LOST[1]) * 1000 - 300)
    assert not [s for s in said if inside[0] < s.start_ms < inside[1]], said
    async with container.uow_factory() as uow:
        hearing = await uow.hearings.get(hearing_id)
        assert hearing is not None
        official = await uow.staff.get(hearing.opened_by)
        assert official is not None
        finished = (await uow.session.execute(text(
            "SELECT details FROM audit_log WHERE action = 'transcript.finished'"))).scalar_one()
    (entry,) = finished["damaged"]
    assert entry["member"] == str(members[CITIZEN])
    assert abs(entry["start"] - LOST[0]) < 0.05 and abs(entry["end"] - LOST[1]) < 0.05

    client = await client_for(app, official.login)
    page = await (await client.get(f"/staff/hearings/{hearing_id}/transcript")).get_data(
        as_text=True)
    assert page.count('id="damaged-audio"') == 1 and "Các đoạn ghi âm bị hỏng" in page
    note = page.split('id="damaged-1"')[1].split("</li>")[0]
    assert f'data-member="{members[CITIZEN]}"' in note
    assert abs(int(note.split('data-start="')[1].split('"')[0]) - 8_000) < 50  # hearing clock
    assert abs(int(note.split('data-end="')[1].split('"')[0]) - 9_000) < 50
    # Whole seconds, widened outwards: 8.03-9.03 s is "from 00:08 to 00:10".
    assert (f"Từ 00:08 đến 00:10, bản ghi âm của {CITIZEN} bị hỏng, không nghe được: mọi lời "
            "nói trong đoạn này đều không có trong bản ghi lời nói.") in note
    assert 'id="damaged-2"' not in page  # the official's recording is whole
    assert "is damaged" not in page and "Damaged stretches" not in page  # no English left
    english = await (await client.get(
        f"/staff/hearings/{hearing_id}/transcript?lang=en")).get_data(as_text=True)
    assert "Damaged stretches of the recordings" in english
    assert (f"From 00:08 to 00:10 the recording of {CITIZEN} is damaged and cannot be heard: "
            "anything said in that stretch is not in the transcript.") in english
