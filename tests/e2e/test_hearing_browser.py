"""Two real Chromiums, each with its own speech as microphone, hold one hearing through the
server's media hub on 127.0.0.1; the recordings hold the whole hearing, hashed and audible."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import jiwer
import pytest
from playwright.async_api import async_playwright, expect

from reception.adapters.media import probe_duration
from reception.domain.hearings.model import HearingStatus, MemberRole
from tests.e2e.conftest import LiveServer, snap, stop_server
from tests.integration.hearings.browsers import (
    admit_citizen,
    booked_hearing,
    connected_citizen,
    hearing_server,
    joined_console,
    party_browsers,
    wait_for,
)
from transcripts import TranscribeOptions, transcribe_file
from transcripts.guard import words_of

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SPEECH_TEXT = Path(__file__).resolve().parents[1] / "fixtures" / "speech"
WAITING = "Vui lòng chờ: cán bộ sẽ mời bạn vào trong giây lát."  # the page speaks Vietnamese
# The console's transcription panel before the end, and once the job is queued (no worker here).
TRANSCRIPTION_NOT_YET = "Việc ghi lời thành văn bản bắt đầu khi phiên tiếp kết thúc."
TRANSCRIPTION_QUEUED = "Đang chờ đến lượt ghi lời."
HEARD = 0.02  # RMS of speech through WebRTC is ~0.05-0.2; silence and comfort noise < 0.005


@pytest.fixture(params=["embedded media", "media processes"])
def server(request: pytest.FixtureRequest, clean_db: str, tmp_path: Path) -> Iterator[LiveServer]:
    """The hearing as tests run it (the web process holds the media), and as `make run` and
    production run it (media in processes of their own: `serve --media 2`)."""
    live = hearing_server(clean_db, tmp_path, *(("--media", "2") if request.param ==
                                                 "media processes" else ()))
    yield live
    stop_server(live)


def decoded_video_frames(path: Path) -> int:
    import av

    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(video=0)) if container.streams.video else 0


def wer(reference: str, hypothesis: str) -> float:
    return float(jiwer.wer(" ".join(words_of(reference)), " ".join(words_of(hypothesis))))


async def test_citizen_and_official_hear_and_see_each_other_and_every_recording_holds_the_hearing(
    server: LiveServer, tmp_path: Path, artifacts: Path
) -> None:
    container, official, seeded = await booked_hearing(server)

    async with async_playwright() as playwright:
        official_browser, citizen_browser = await party_browsers(playwright)
        console = await joined_console(official_browser, server, official.login, seeded.booking.id)
        citizen = await connected_citizen(citizen_browser, server, seeded.token)
        citizen_waiting = await citizen.text_content("#status")

        admitted_at = await admit_citizen(console, citizen)
        # Each side hears the other's speech and decodes the other's video.
        heard_official = await wait_for(citizen, lambda p: p["level"] > HEARD and p["frames"] > 20,
                                        25, "the official's speech and video on the citizen page")
        heard_citizen = await wait_for(console, lambda p: p["level"] > HEARD and p["frames"] > 20,
                                       25, "the citizen's speech and video on the console")
        await snap(citizen, path=str(artifacts / "hearing-citizen-phone.png"))
        await snap(console, path=str(artifacts / "hearing-console-desktop.png"))
        indicator = await citizen.get_attribute("#rec-indicator", "data-recording")

        # Both speeches end ~14 s after admission (padded WAVs): let them finish.
        await citizen.wait_for_timeout(max(0.0, 15.0 - (time.monotonic() - admitted_at)) * 1000)
        # The transcription panel says it starts at the end. The console's clock stops here
        # (after the poll it holds, so no tick is pending): only the end itself may move it on.
        progress = console.locator("#transcription-text")
        await expect(progress).to_have_text(TRANSCRIPTION_NOT_YET)
        await console.clock.install()
        async with console.expect_response(lambda r: r.url.endswith("/transcript/status")):
            pass
        await console.clock.pause_at(time.time() + 1)
        await console.click("#end")
        await console.click("#end")  # confirm
        await citizen.wait_for_selector("#status[data-kind=done]", timeout=10000)
        # The pages say "ended" once the state commits; the files are stored (and the
        # transcription queued) just after: wait for the console to list all four.
        await expect(console.locator("#recordings tbody tr")).to_have_count(4, timeout=30_000)
        await expect(progress).to_have_text(TRANSCRIPTION_QUEUED)
        await official_browser.close()
        await citizen_browser.close()

    async with container.uow_factory() as uow:
        (hearing,) = await uow.hearings.of_booking(seeded.booking.id)
        members = {m.id: m for m in await uow.hearings.members(hearing.id)}
        recordings = await uow.hearings.recordings(hearing.id)
    await container.close()

    assert citizen_waiting == WAITING
    assert indicator == "true"
    assert heard_official["frames"] > 20 and heard_citizen["frames"] > 20
    assert hearing.status is HearingStatus.ENDED and hearing.transcription == "queued"
    assert hearing.recording_started_at is not None and hearing.ended_at is not None
    length = (hearing.ended_at - hearing.recording_started_at).total_seconds()
    assert sorted(members[r.member_id].role.value for r in recordings if r.kind == "audio") == [
        "citizen", "official"]
    recordings_dir = tmp_path / "recordings"
    for recording in recordings:
        path = recordings_dir / recording.path
        assert hashlib.sha256(path.read_bytes()).hexdigest() == recording.sha256
        assert recording.state == "closed"
        if recording.kind == "audio":  # spans its recording, which ran from admission to end
            assert recording.stopped_at is not None and hearing.ended_at is not None
            assert hearing.recording_started_at <= recording.started_at
            assert recording.stopped_at >= hearing.ended_at - timedelta(seconds=1)
            span = (recording.stopped_at - recording.started_at).total_seconds()
            assert abs(probe_duration(path) - span) <= 0.25, (recording, span)
        else:
            assert decoded_video_frames(path) > 5 * length  # >= 5 fps of evidence

    citizen_audio = next(recordings_dir / r.path for r in recordings
                         if r.kind == "audio" and members[r.member_id].role is MemberRole.CITIZEN)
    # The product's English model (multilingual base, assembled under the server's DATA_DIR).
    segments = transcribe_file(citizen_audio, TranscribeOptions(
        model="base", language="en", cache_dir=Path(server.env["DATA_DIR"]) / "models"))
    text = " ".join(s.text for s in segments)
    assert wer((SPEECH_TEXT / "citizen.txt").read_text(), text) < 0.25, text
    assert "inspectorate" not in text.lower() and "ten working days" not in text.lower()
