"""A Vietnamese hearing in two real Chromiums: the citizen's microphone is natural Vietnamese
speech (vieneu's samples), the official's is silent, the agency keeps the default language
(Vietnamese). When the official ends the hearing the server's in-process worker transcribes
it: the citizen's words come back in Vietnamese, attributed to the citizen, and the silent
official gets no invented line."""

from __future__ import annotations

import importlib.resources
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from faster_whisper import decode_audio
from playwright.async_api import async_playwright
from sqlalchemy import text

from reception.domain.hearings.model import MemberRole
from tests.e2e.conftest import LiveServer, snap, start_server, stop_server
from tests.integration.hearings.browsers import (
    SERVER_ENV,
    admit_citizen,
    connected_citizen,
    container_for,
    joined_console,
    role_browser,
)
from tests.integration.hearings.factory import make_official, seed_booking
from tests.integration.transcription.conftest import wer
from tests.speech import write_wav

pytestmark = [pytest.mark.browser, pytest.mark.slow]
RATE = 16_000
SAMPLES = Path(str(importlib.resources.files("vieneu"))) / "assets" / "samples"
# Four of the six speakers (~15 s of speech) keep the test short. Key words: those the
# multilingual base model got right in every run after Opus and a WebRTC round trip, on a busy
# machine too ("nhìn nhận" did not: it once came back as "nhẹ nhận").
CLIPS = ("Bình", "Ly", "Vĩnh", "Đoan")
KEY_WORDS = ("muốn được", "áp dụng", "người khác", "thương mại", "đứa trẻ", "cha mẹ")
# The fake microphone starts at getUserMedia; recording starts at admission, a few s later.
LEADING_SILENCE_S = 5.0
PAUSE_S = 0.8


def normalised(said: str) -> str:
    return unicodedata.normalize("NFC", said).lower()


def vietnamese_microphone(path: Path) -> tuple[str, float]:
    """Leading silence, then the chosen samples with short pauses; (their joined text, seconds)."""
    pieces, texts = [np.zeros(int(LEADING_SILENCE_S * RATE), dtype=np.float32)], []
    for speaker in CLIPS:
        (clip,) = SAMPLES.glob(f"{speaker} (*).wav")
        pieces += [decode_audio(str(clip), sampling_rate=RATE),
                   np.zeros(int(PAUSE_S * RATE), dtype=np.float32)]
        texts.append(clip.with_suffix(".txt").read_text(encoding="utf-8").strip())
    samples = np.concatenate(pieces)
    write_wav(path, samples)
    return " ".join(texts), len(samples) / RATE


@pytest.fixture
def server(clean_db: str, tmp_path: Path) -> Iterator[LiveServer]:
    live = start_server(clean_db, tmp_path, **SERVER_ENV, WORKER_IN_PROCESS="true",
                        WORKER_POLL_SECONDS="0.5")
    yield live
    stop_server(live)


async def test_a_vietnamese_citizen_is_transcribed_in_vietnamese_and_a_silent_official_gets_no_line(
    server: LiveServer, tmp_path: Path, artifacts: Path
) -> None:
    reference, speech_s = vietnamese_microphone(tmp_path / "citizen_vi.wav")
    silent = write_wav(tmp_path / "official_silent.wav", np.zeros(int(speech_s * RATE)))
    container = container_for(server)
    official = await make_official(container.staff)  # its agency keeps the default language
    async with container.uow_factory() as uow:
        agency = await uow.agencies.get(official.agency_id)
    assert agency is not None and agency.transcription_language == "vi"
    seeded = await seed_booking(container.uow_factory, official)

    async with async_playwright() as playwright:
        official_browser = await role_browser(playwright, silent)
        citizen_browser = await role_browser(playwright, tmp_path / "citizen_vi.wav")
        console = await joined_console(official_browser, server, official.login, seeded.booking.id)
        microphone_on = time.monotonic()  # getUserMedia: the citizen's file starts playing
        citizen = await connected_citizen(citizen_browser, server, seeded.token)
        await admit_citizen(console, citizen)
        await citizen.wait_for_timeout(
            max(0.0, speech_s + 1.0 - (time.monotonic() - microphone_on)) * 1000)
        await console.click("#end")
        await console.click("#end")  # confirm
        ended_at = time.monotonic()
        await console.wait_for_selector("#transcription[data-state=done]", timeout=60_000)
        transcribed_in = time.monotonic() - ended_at
        await console.locator("#transcription").scroll_into_view_if_needed()
        await snap(console, path=str(artifacts / "hearing-vietnamese-console.png"))
        await official_browser.close()
        await citizen_browser.close()

    async with container.uow_factory() as uow:
        (hearing,) = await uow.hearings.of_booking(seeded.booking.id)
        transcript = await uow.transcription.of_hearing(hearing.id)
        rows = (await uow.session.execute(text(
            "SELECT s.role, s.member_id, s.text FROM transcript_segment s JOIN transcript t "
            "ON t.id = s.transcript_id WHERE t.hearing_id = :h ORDER BY s.start_ms"),
            {"h": hearing.id})).all()
        members = {m.id: m for m in await uow.hearings.members(hearing.id)}
        audio = [r for r in await uow.hearings.recordings(hearing.id) if r.kind == "audio"]
    await container.close()

    said = normalised(" ".join(r.text for r in rows))
    print(f"transcribed {transcribed_in:.1f} s after the end, WER {wer(reference, said):.2f}: "
          f"{said}")  # noqa: T201 (-s shows it)
    assert transcript is not None and (transcript.language, transcript.model) == ("vi", "base")
    assert hearing.transcription == "transcribed"
    # Both members' recordings exist and were read: the official's was silent, not missing.
    assert {members[r.member_id].role for r in audio} == {MemberRole.CITIZEN, MemberRole.OFFICIAL}
    assert transcript.error is None
    assert rows and all(members[r.member_id].role is MemberRole.CITIZEN for r in rows), rows
    assert all(r.role == MemberRole.CITIZEN.value for r in rows)
    assert wer(reference, said) < 0.4, said
    for key in KEY_WORDS:
        assert key in said, (key, said)
