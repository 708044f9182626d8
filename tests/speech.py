"""Speech fixtures as WAV files: 16 kHz mono samples (floats in -1..1) written as 16-bit PCM,
the form Whisper reads and the fake microphones of the browser tests play; and as Opus/WebM
recordings like the recorder's, whole or with a stretch of damaged packets."""

from __future__ import annotations

import wave
from pathlib import Path

import av
import numpy as np

RATE = 16_000


def write_wav(path: Path, samples: np.ndarray, rate: int = RATE) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def write_opus_webm(path: Path, samples: np.ndarray, rate: int = RATE) -> Path:
    """The samples as the recorder stores audio: 48 kHz Opus (20 ms packets) in WebM."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=48_000, frame_size=960)
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").reshape(1, -1)
    frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
    frame.sample_rate, frame.pts = rate, 0
    with av.open(str(path), "w", format="webm") as container:
        stream = container.add_stream("libopus", rate=48_000)
        stream.codec_context.layout = "mono"
        stream.codec_context.bit_rate = 32_000
        for piece in (*resampler.resample(frame), *resampler.resample(None), None):
            for packet in stream.encode(piece):
                container.mux(packet)
    return path


def damage_packets(source: Path, target: Path, start: float, end: float,
                   payload: bytes = b"\xff\xff\xff\xff") -> Path:
    """A copy of an Opus/WebM file whose packets due from `start` to `end` (seconds) are
    replaced by `payload`: by default a code-3 header with an invalid frame count, which no
    Opus decoder accepts (the file stays well-formed, the audio there is lost)."""
    with av.open(str(source)) as original, av.open(str(target), "w", format="webm") as copy:
        audio = original.streams.audio[0]
        stream = copy.add_stream_from_template(audio)
        for packet in original.demux(audio):
            if not packet.size:
                continue
            assert packet.pts is not None and packet.time_base is not None
            if start <= float(packet.pts * packet.time_base) < end:
                broken = av.Packet(payload)
                broken.pts, broken.dts, broken.time_base = packet.pts, packet.dts, packet.time_base
                packet = broken
            packet.stream = stream
            copy.mux(packet)
    return target
