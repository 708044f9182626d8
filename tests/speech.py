"""Speech fixtures as WAV files: 16 kHz mono samples (floats in -1..1) written as 16-bit PCM,
the form Whisper reads and the fake microphones of the browser tests play."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

RATE = 16_000


def write_wav(path: Path, samples: np.ndarray, rate: int = RATE) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path
