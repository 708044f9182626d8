"""A speaker who speaks another language than the agency's: the agency transcribes in
Vietnamese, the citizen speaks English. Whisper identifies English on the citizen's own
recording with confidence, so that recording is transcribed in English (not forced into
Vietnamese words), the official's stays Vietnamese, and the review page says who spoke what."""

from __future__ import annotations

from pathlib import Path

import pytest
from quart import Quart
from sqlalchemy import text

from bench.hearing_corpus import natural_clips, write_opus
from reception.bootstrap.container import Container
from reception.domain.hearings.model import MemberRole
from reception.domain.transcripts.transcript import TranscriptStatus
from tests.integration.conftest import log_in
from tests.integration.hearings.factory import PASSWORD
from tests.integration.transcription.conftest import (
    CITIZEN_TEXT,
    SPEECH,
    Track,
    seed_hearing,
    text_of,
    transcript_of,
    wer,
)


@pytest.mark.slow
async def test_an_english_speaker_in_a_vietnamese_hearing_is_transcribed_in_english_and_flagged(
    app: Quart, tmp_path: Path
) -> None:
    container: Container = app.container  # type: ignore[attr-defined]
    ly = natural_clips()["Ly"]
    official_audio = write_opus(ly.samples, tmp_path / "official.webm")
    hearing_id, members = await seed_hearing(container, "vi", [
        Track(MemberRole.CITIZEN, "John Smith", SPEECH / "citizen.wav", 0.0),
        Track(MemberRole.OFFICIAL, "Cán bộ Ly", official_audio, 16.0),
    ], tmp_path / "recordings")

    assert await container.transcription.run(hearing_id) is TranscriptStatus.DONE

    transcript, segments = await transcript_of(container, hearing_id)
    assert transcript is not None and transcript.language == "vi"
    english = text_of(segments, members["John Smith"])
    assert wer(CITIZEN_TEXT, english) <= 0.25, english
    assert "compensation" in english.lower()
    vietnamese = text_of(segments, members["Cán bộ Ly"]).lower()
    assert "áp dụng" in vietnamese and "người khác" in vietnamese, vietnamese
    assert all(not s.doubts for s in segments)  # both languages were heard with confidence

    async with container.uow_factory() as uow:
        hearing = await uow.hearings.get(hearing_id)
        assert hearing is not None
        official = await uow.staff.get(hearing.opened_by)
        assert official is not None
        tracks = {t.member_id: t.result for t in await uow.transcription.tracks(transcript.id)}
    citizen_track = tracks[members["John Smith"]]
    assert citizen_track is not None and citizen_track.detected is not None
    assert (citizen_track.language, citizen_track.detected.language) == ("en", "en")
    assert citizen_track.detected.probability >= 0.7 and citizen_track.switched_language
    official_track = tracks[members["Cán bộ Ly"]]
    assert official_track is not None and official_track.language == "vi"

    client = app.test_client()
    await log_in(client, official.login, PASSWORD)
    page = await (await client.get(f"/staff/hearings/{hearing_id}/transcript")).get_data(
        as_text=True)
    assert f'id="language-{members["John Smith"]}"' in page
    assert "John Smith nói tiếng Anh" in page  # the page is Vietnamese by default
    assert f'id="language-{members["Cán bộ Ly"]}"' not in page
    async with container.uow_factory() as uow:
        finished = (await uow.session.execute(text(
            "SELECT details FROM audit_log WHERE action = 'transcript.finished'"))).scalar_one()
    assert finished["languages"] == {str(members["John Smith"]): "en"}
