"""The recorder's audio timeline: a backlog delivered late (an event-loop stall) keeps every
sample in place, while a real pause in the audio (mute, network drop) becomes silence."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from reception.adapters.media import probe_duration
from reception.adapters.media.writer import SAMPLE_RATE, RecordingWriter

FRAME = 960  # 20 ms at 48 kHz


def _tone(index: int) -> av.AudioFrame:
    samples = (np.sin(np.arange(FRAME) * 0.05 + index) * 8000).astype(np.int16).reshape(1, -1)
    frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
    frame.sample_rate = SAMPLE_RATE
    return frame


def _write(tmp_path: Path, arrivals: list[float], until: float) -> RecordingWriter:
    writer = RecordingWriter(tmp_path / "a.audio.webm", tmp_path / "a.av.webm", (320, 240))
    for index, arrived_at in enumerate(arrivals):
        writer.write_audio(_tone(index), arrived_at)
    writer.pad_audio_to(until)
    writer.close()
    return writer


def test_a_backlog_after_a_stall_loses_no_audio(tmp_path: Path) -> None:
    # 1 s of frames on time, then the loop stalls 1 s and the next second arrives at once.
    arrivals = [0.02 * (i + 1) for i in range(50)]
    arrivals += [2.0 + 0.0001 * i for i in range(50)]
    arrivals += [2.0 + 0.02 * (i + 1) for i in range(50)]
    writer = _write(tmp_path, arrivals, until=3.0)
    assert writer.counters.late_audio_samples == 0
    assert abs(probe_duration(tmp_path / "a.audio.webm") - 3.0) < 0.1


def test_a_real_pause_becomes_silence_and_keeps_the_timeline(tmp_path: Path) -> None:
    # 1 s of audio, nothing for 1 s (muted), then 1 s of audio at its real time.
    arrivals = [0.02 * (i + 1) for i in range(50)] + [2.0 + 0.02 * (i + 1) for i in range(50)]
    writer = _write(tmp_path, arrivals, until=3.0)
    assert writer.counters.late_audio_samples == 0
    with av.open(str(tmp_path / "a.audio.webm")) as container:
        pcm = np.concatenate([f.to_ndarray().ravel() for f in container.decode(audio=0)])
    rate = 48_000
    assert np.abs(pcm[int(1.2 * rate):int(1.8 * rate)]).max() < 0.01  # the pause is silent (float PCM)
    assert np.abs(pcm[int(2.2 * rate):int(2.8 * rate)]).max() > 0.1  # audio resumes at 2 s
