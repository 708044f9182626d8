"""A very long recording gives a clear status, not a crash: half an hour of a quiet line with
one short statement in it is transcribed in bounded time (voice-activity filtering skips the
quiet, so the cost follows the speech, not the length) and the statement lands at its moment.
bench/transcribe.py measures the same on Opus/WebM files and longer hearings, with memory."""

from __future__ import annotations

import resource
import time
from pathlib import Path

import numpy as np
import pytest
from faster_whisper import decode_audio

from reception.bootstrap.container import Container
from reception.domain.hearings.model import MemberRole
from reception.domain.transcripts.transcript import TranscriptStatus
from tests.integration.transcription.conftest import (
    CITIZEN_TEXT,
    SPEECH,
    Track,
    seed_hearing,
    text_of,
    transcript_of,
    wer,
)
from tests.speech import write_wav

RATE = 16_000
MINUTES = 30
SPOKEN_AT_S = 21 * 60  # where the citizen's statement starts inside the long recording
SPEECH_LEAD_S = 3.0  # the fixture's own leading silence before its first word
# Measured 3-5 s on an idle 2-core machine; without voice-activity filtering Whisper decodes
# every 30 s window (measured 123 s), so this bound fails if silence stops being skipped.
BOUND_S = 45.0


def long_quiet_recording(path: Path) -> Path:
    """MINUTES of faint line noise (as a real microphone gives) with one statement in it."""
    rng = np.random.default_rng(7)
    samples = rng.normal(0.0, 0.002, MINUTES * 60 * RATE).astype(np.float32)
    statement = decode_audio(str(SPEECH / "citizen.wav"), sampling_rate=RATE)
    samples[SPOKEN_AT_S * RATE : SPOKEN_AT_S * RATE + len(statement)] += statement
    return write_wav(path, samples, RATE)


@pytest.mark.slow
async def test_a_half_hour_recording_is_transcribed_in_bounded_time_with_the_speech_at_its_moment(
    container: Container, tmp_path: Path
) -> None:
    long_file = long_quiet_recording(tmp_path / "long.wav")
    hearing_id, members = await seed_hearing(container, "en", [
        Track(MemberRole.CITIZEN, "Long line", long_file, 0.0),
        Track(MemberRole.OFFICIAL, "Official", SPEECH / "official.wav", 2.0),
    ], tmp_path / "recordings")

    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    started = time.perf_counter()
    status = await container.transcription.run(hearing_id)
    took = time.perf_counter() - started

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # the process's, so far
    print(f"{MINUTES} min recording transcribed in {took:.1f} s; peak RSS {peak_before} -> "
          f"{peak} MiB")  # noqa: T201 (-s shows it)
    assert status is TranscriptStatus.DONE
    assert took < BOUND_S
    transcript, segments = await transcript_of(container, hearing_id)
    assert transcript is not None and transcript.status is TranscriptStatus.DONE
    assert transcript.error is None and transcript.progress == 1.0
    async with container.uow_factory() as uow:
        hearing = await uow.hearings.get(hearing_id)
    assert hearing is not None and hearing.transcription == "transcribed"
    said = [s for s in segments if s.member_id == members["Long line"]]
    assert wer(CITIZEN_TEXT, text_of(segments, members["Long line"])) <= 0.25, said
    first_word_ms = (SPOKEN_AT_S + SPEECH_LEAD_S) * 1000
    assert abs(said[0].start_ms - first_word_ms) < 1_000, said[0]
    assert said[-1].end_ms < first_word_ms + 15_000  # nothing invented in the quiet after it
    answered = [s for s in segments if s.member_id == members["Official"]]
    assert answered and abs(answered[0].start_ms - (2.0 + SPEECH_LEAD_S) * 1000) < 1_000
    assert [s.start_ms for s in segments] == sorted(s.start_ms for s in segments)
