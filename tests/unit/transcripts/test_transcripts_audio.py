"""A recording is decoded with every sample at its own time: a stretch the decoder cannot read
becomes silence of the same length, reported as damaged, never a cut that moves everything
after it earlier (faster-whisper's `decode_audio` skipped it: 3.0 s decoded to 2.5 s)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from faster_whisper import decode_audio

from tests.speech import damage_packets, write_opus_webm, write_wav
from transcripts import AudioDecodeError
from transcripts.engine import decode_recording

RATE = 16_000
SPEECH = Path(__file__).parents[2] / "fixtures" / "speech"


def tone(seconds: float) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    return (0.25 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


def loud(samples: np.ndarray, start: float, end: float) -> float:
    """The RMS of the samples between two times."""
    piece = samples[round(start * RATE):round(end * RATE)]
    return float(np.sqrt(np.mean(piece.astype(np.float64) ** 2)))


def test_damaged_packets_become_silence_of_their_length_reported_as_a_span(
    tmp_path: Path
) -> None:
    clean = write_opus_webm(tmp_path / "clean.webm", tone(3.0))
    damaged = damage_packets(clean, tmp_path / "damaged.webm", 1.0, 1.5)

    whole, broken = decode_recording(clean), decode_recording(damaged)

    assert whole.damaged == () and whole.duration == pytest.approx(3.0, abs=0.01)
    assert broken.duration == pytest.approx(whole.duration, abs=0.01)  # not 2.5 s
    ((start, end),) = broken.damaged
    assert start == pytest.approx(1.0, abs=0.05) and end == pytest.approx(1.5, abs=0.05)
    assert loud(broken.samples, 1.05, 1.45) == 0.0  # silence stands in for what was lost
    # After the gap the tone is where it was: the whole file's samples, within the 1 ms the
    # timestamps are rounded to (the one lag of up to 2 ms at which they match).
    after = slice(round(1.6 * RATE), round(2.9 * RATE))
    lags = [lag for lag in range(-32, 33)
            if np.abs(np.roll(broken.samples, lag)[after] - whole.samples[after]).max() < 0.01]
    assert len(lags) == 1 and abs(lags[0]) <= RATE // 1000
    assert loud(broken.samples, 1.6, 2.9) == pytest.approx(loud(whole.samples, 1.6, 2.9), rel=0.01)


def test_damaged_packets_at_the_end_are_reported_up_to_the_last_packet(tmp_path: Path) -> None:
    clean = write_opus_webm(tmp_path / "clean.webm", tone(3.0))
    damaged = damage_packets(clean, tmp_path / "damaged.webm", 2.4, 10.0)

    broken = decode_recording(damaged)

    ((start, end),) = broken.damaged
    assert start == pytest.approx(2.4, abs=0.05) and end == pytest.approx(3.0, abs=0.05)
    assert broken.duration == pytest.approx(3.0, abs=0.01)


def test_a_recording_of_which_nothing_decodes_is_refused(tmp_path: Path) -> None:
    clean = write_opus_webm(tmp_path / "clean.webm", tone(1.0))
    damaged = damage_packets(clean, tmp_path / "damaged.webm", -1.0, 10.0, b"\xff\xff\xff")

    with pytest.raises(AudioDecodeError, match="no audio packet could be decoded"):
        decode_recording(damaged)


@pytest.mark.parametrize("kind", ["wav", "webm"])
@pytest.mark.parametrize("fixture", ["citizen", "official", "noise"])
def test_a_sound_recording_decodes_to_exactly_what_faster_whisper_decoded(
    tmp_path: Path, kind: str, fixture: str
) -> None:
    speech = decode_audio(str(SPEECH / f"{fixture}.wav"))
    path = (write_wav(tmp_path / "speech.wav", speech) if kind == "wav"
            else write_opus_webm(tmp_path / "speech.webm", speech))

    decoded = decode_recording(path)

    assert decoded.damaged == ()
    assert np.array_equal(decoded.samples, decode_audio(str(path)))


def test_lost_first_packets_of_a_webm_are_silence_from_its_start_reported_as_a_span(
    tmp_path: Path
) -> None:
    # The recorder's WebM starts at 0 (it fills silence until the first packet): audio that
    # starts later lost its first packets, and the words after them keep their times.
    clean = write_opus_webm(tmp_path / "clean.webm", tone(3.0))
    damaged = damage_packets(clean, tmp_path / "damaged.webm", -1.0, 0.5)

    broken = decode_recording(damaged)

    assert decode_audio(str(damaged)).size / RATE < 2.6  # it started the file 0.5 s early
    ((start, end),) = broken.damaged
    assert start < 0.05 and end == pytest.approx(0.5, abs=0.05)
    assert broken.duration == pytest.approx(3.0, abs=0.01)
    assert loud(broken.samples, 0.1, 0.45) == 0.0
    assert loud(broken.samples, 0.6, 2.9) == pytest.approx(0.25 / np.sqrt(2), rel=0.05)
