"""A job whose worker is killed after the first of two recordings: the progress says so (waiting
for a worker, then the next attempt), what was done is kept, and the rescued job transcribes
only the recording still missing."""

from __future__ import annotations

import asyncio
import signal
import time
import wave
from pathlib import Path

import pytest
from sqlalchemy import text

from reception.bootstrap.container import Container
from reception.domain.hearings.model import HearingId, MemberRole
from reception.domain.transcripts.transcript import TranscriptStatus
from reception.services.transcripts.progress import Progress, Stage
from reception.settings import Settings
from tests.integration.conftest import make_settings
from tests.integration.transcription.conftest import (
    FAST_WORKER,
    SPEECH,
    Track,
    seed_hearing,
    transcript_of,
    work_until_done,
)
from tests.integration.transcription.test_worker_crash import FAST_MODEL, start_worker

REPEATS = 3  # 45 s per recording: long enough to be killed between the two


def repeated(source: Path, path: Path) -> Path:
    with wave.open(str(source), "rb") as original:
        params, frames = original.getparams(), original.readframes(original.getnframes())
    with wave.open(str(path), "wb") as out:
        out.setparams(params)
        out.writeframes(frames * REPEATS)
    return path


@pytest.fixture
def settings(clean_db: str, tmp_path: Path, shared_data_dir: Path) -> Settings:
    return make_settings(shared_data_dir, clean_db, RECORDINGS_DIR=str(tmp_path / "recordings"),
                         **FAST_WORKER, **FAST_MODEL)


async def stored_tracks(container: Container, hearing_id: HearingId) -> dict[str, object]:
    async with container.uow_factory() as uow:
        rows = await uow.session.execute(text(
            "SELECT k.recording_path, k.finished_at FROM transcript_track k "
            "JOIN transcript t ON t.id = k.transcript_id WHERE t.hearing_id = :h"),
            {"h": hearing_id})
        return {r.recording_path: r.finished_at for r in rows}


async def progress(container: Container, hearing_id: HearingId) -> Progress:
    async with container.uow_factory() as uow:
        hearing = await uow.hearings.get(hearing_id)
    assert hearing is not None
    official = await container.staff.get_staff(hearing.opened_by)
    assert official is not None
    return await container.transcription.status(official, hearing_id)


@pytest.mark.slow
async def test_a_rescued_job_resumes_after_the_recordings_already_done_and_says_where_it_is(
    container: Container, settings: Settings, tmp_path: Path, clean_db: str
) -> None:
    hearing_id, members = await seed_hearing(container, "en", [
        Track(MemberRole.CITIZEN, "An", repeated(SPEECH / "citizen.wav", tmp_path / "c.wav"), 0.0),
        Track(MemberRole.OFFICIAL, "Bình", repeated(SPEECH / "official.wav", tmp_path / "o.wav"),
              1.0)], tmp_path / "recordings")
    async with container.uow_factory() as uow:  # as ending the hearing does
        assert await uow.jobs.transcribe(hearing_id)
        assert not await uow.jobs.transcribe(hearing_id)  # one waiting job per hearing
        await uow.commit()
    assert (await progress(container, hearing_id)).state is Stage.WAITING

    worker = start_worker(settings, clean_db, tmp_path / "worker.log")
    try:
        deadline = time.monotonic() + 90
        seen_running = False
        while not await stored_tracks(container, hearing_id):
            assert time.monotonic() < deadline and worker.poll() is None, (
                tmp_path / "worker.log").read_text()
            seen_running |= (await progress(container, hearing_id)).state is Stage.RUNNING
            await asyncio.sleep(0.05)
        worker.send_signal(signal.SIGKILL)  # between the two recordings
        worker.wait(5)
    finally:
        if worker.poll() is None:
            worker.kill()
    first = await stored_tracks(container, hearing_id)
    assert seen_running and len(first) == 1

    # Once the dead worker's heartbeat is stale, the page says so instead of "running 50 %".
    deadline = time.monotonic() + 20
    while (shown := await progress(container, hearing_id)).state is Stage.RUNNING:
        assert time.monotonic() < deadline
        await asyncio.sleep(0.2)
    assert (shown.state, shown.worker_lost, shown.attempt) == (Stage.WAITING, True, 2)
    assert shown.share >= 0.45  # the first recording's share is kept

    await work_until_done(container, settings, hearing_id, seconds=90)

    transcript, segments = await transcript_of(container, hearing_id)
    assert transcript is not None and transcript.status is TranscriptStatus.DONE
    done = await stored_tracks(container, hearing_id)
    (path,) = first
    assert done[path] == first[path]  # not transcribed again
    assert len(done) == 2
    citizen = " ".join(s.text for s in segments if s.member_id == members["An"]).lower()
    official = " ".join(s.text for s in segments if s.member_id == members["Bình"]).lower()
    assert citizen.count("compensation") == REPEATS and official.count("working days") == REPEATS
    async with container.uow_factory() as uow:
        started = (await uow.session.execute(text(
            "SELECT details FROM audit_log WHERE action = 'transcript.started' "
            "ORDER BY id"))).scalars().all()
    assert [(d["attempt"], d["recordings_done"]) for d in started] == [(1, 0), (2, 1)]


@pytest.mark.slow
async def test_a_retry_after_an_error_transcribes_only_the_recordings_still_missing(
    container: Container, settings: Settings, tmp_path: Path
) -> None:
    from reception.adapters.transcription import whisper_transcribe
    from reception.services.transcripts.transcription import TranscriptionService
    from transcripts import TrackResult, TranscribeOptions
    from transcripts.values import ProgressCallback

    hearing_id, members = await seed_hearing(container, "en", [
        Track(MemberRole.CITIZEN, "An", SPEECH / "citizen.wav", 0.0),
        Track(MemberRole.OFFICIAL, "Bình", SPEECH / "official.wav", 1.0)],
        tmp_path / "recordings")
    calls: list[str] = []

    async def flaky(path: Path, options: TranscribeOptions,
                    on_progress: ProgressCallback) -> TrackResult:
        calls.append(path.name)
        if len(calls) == 2:  # the second recording of the first attempt: the disk hiccups
            raise OSError("input/output error")
        return await whisper_transcribe(path, options, on_progress)

    service = TranscriptionService(container.uow_factory, container.clock,
                                   container.transcription.config, flaky)
    with pytest.raises(OSError):
        await service.run(hearing_id, attempt=1, final=False)
    stopped, _ = await transcript_of(container, hearing_id)
    assert stopped is not None and stopped.status is TranscriptStatus.QUEUED
    assert stopped.error == "Attempt 1 stopped (OSError); it will be retried."
    assert 0.45 <= stopped.progress < 1.0  # the first recording is kept

    assert await service.run(hearing_id, attempt=2, final=False) is TranscriptStatus.DONE
    first, second = calls[0], calls[1]
    assert calls == [first, second, second]  # the retry did only what was missing
    transcript, segments = await transcript_of(container, hearing_id)
    assert transcript is not None and transcript.error is None
    assert {s.member_id for s in segments} == {members["An"], members["Bình"]}
