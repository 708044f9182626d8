"""A recording as Whisper reads it: 16 kHz mono float32, every sample at its own time.

faster-whisper's `decode_audio` skips what the decoder refuses and forgets the timestamps, so
a damaged stretch of a recording vanished without a word and every line after it was timed
earlier than it was said (0.5 s of bad packets in a 3 s file decoded to 2.5 s). Here each
decoded frame is placed at its timestamp: a gap (packets the decoder refused or the demuxer
skipped, or that are not in the file) is filled with silence, so that the times after it stay
true, and each gap of `DAMAGED_MIN_SECONDS` or more is reported as a damaged span. The engine
puts those spans on the track's result; the review page says what was not heard there.

Resampling is faster-whisper's (libswresample to 16-bit mono, then to float), so a sound
recording decodes to the same samples as before. Memory: the samples are written into one
float32 array sized from the container's duration (grown by doubling when that is wrong),
never into a list of frames.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import av
import av.error
import numpy as np
import numpy.typing as npt

from .errors import AudioDecodeError
from .values import RATE

DAMAGED_MIN_SECONDS = 0.1  # a gap at least this long is reported (shorter: a lost packet or so)
# Timestamps are rounded to their time base (whole milliseconds in WebM): a frame this close to
# where the previous one ended is right after it.
GAP_TOLERANCE_SECONDS = 0.002
# A timestamp this far beyond the container's own duration is not believed: the frame follows
# the previous one (a broken timestamp must not fill hours with silence).
TRUST_MARGIN_SECONDS = 1.0
# The sample array is sized from the container's duration up to this (a damaged header may
# claim days); a longer recording grows it.
ESTIMATE_CAP_SECONDS = 4 * 3600
GROUP_SAMPLES = 500_000  # decoded samples resampled at once, as faster-whisper does

Span = tuple[float, float]


@dataclass(frozen=True, slots=True)
class DecodedAudio:
    """The samples (16 kHz mono), and where in them no audio could be decoded (seconds from
    the first sample, in order): silence stands there."""

    samples: npt.NDArray[np.float32]
    damaged: tuple[Span, ...] = ()

    @property
    def duration(self) -> float:
        return self.samples.size / RATE


class _Samples:
    """A growing float32 array of 16-bit samples converted as faster-whisper converts them."""

    def __init__(self, expected: int) -> None:
        self._data = np.empty(max(expected, RATE), dtype=np.float32)
        self.size = 0

    def append(self, pcm: npt.NDArray[Any]) -> None:
        end = self.size + pcm.size
        if end > self._data.size:
            grown = np.empty(max(end, 2 * self._data.size), dtype=np.float32)
            grown[:self.size] = self._data[:self.size]
            self._data = grown
        target = self._data[self.size:end]
        target[:] = pcm
        target /= 32768.0
        self.size = end

    def array(self) -> npt.NDArray[np.float32]:
        if self._data.size - self.size > RATE:  # the estimate was far off: do not keep it all
            return self._data[:self.size].copy()
        return self._data[:self.size]


def _silence(like: av.AudioFrame, samples: int) -> av.AudioFrame:
    frame = av.AudioFrame(format=like.format.name, layout=like.layout.name, samples=samples)
    zero = b"\x80" if like.format.name in ("u8", "u8p") else b"\x00"
    for plane in frame.planes:
        plane.update(zero * plane.buffer_size)
    frame.sample_rate = like.sample_rate
    return frame


class _Timeline:
    """Decoded frames placed at their times, gaps filled with silence, resampled in groups."""

    def __init__(self, length: float | None, start: float | None) -> None:
        self._length = length  # the container's duration, seconds (None: not known)
        self._start = start  # where the samples are due to start, seconds (None: not known)
        self._fifo = av.AudioFifo()
        self._resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
        self._out = _Samples(round(min(length or 60.0, ESTIMATE_CAP_SECONDS) * RATE) + RATE)
        self._origin: float | None = None  # the time of the first sample
        self._at = 0.0  # where the next frame is due, seconds of the file
        self._last: av.AudioFrame | None = None  # a frame to copy the format of silence from
        self.damaged: list[Span] = []
        self.frames = 0

    def add(self, frame: av.AudioFrame, time_base: Fraction | None) -> None:
        base = frame.time_base or time_base
        moment = float(frame.pts * base) if frame.pts is not None and base else None
        if self._origin is None:  # where the stream starts (MP3: its encoder delay), or this frame
            first = moment if moment is not None else 0.0
            self._origin = first if self._start is None else min(self._start, first)
            self._at = self._origin
        if moment is not None:
            self._fill(frame, moment)
        frame.pts = None  # placed: the FIFO must not check timestamps against sample counts
        self._fifo.write(frame)
        self._at += frame.samples / frame.sample_rate
        self._last, self.frames = frame, self.frames + 1
        if self._fifo.samples >= GROUP_SAMPLES:
            self._resample(self._fifo.read())

    def end(self, due_end: float | None) -> DecodedAudio:
        """The samples, with silence up to where the recording is due to end when the last
        frames are missing (a shorter difference is the codec's rounding, and nothing follows)."""
        if due_end is not None and self._last is not None:
            self._fill(self._last, due_end, DAMAGED_MIN_SECONDS)
        if self._fifo.samples:
            self._resample(self._fifo.read())
        self._resample(None)
        origin = self._origin or 0.0
        return DecodedAudio(self._out.array(),
                            tuple((start - origin, end - origin) for start, end in self.damaged))

    def _fill(self, like: av.AudioFrame, moment: float,
              least: float = GAP_TOLERANCE_SECONDS) -> None:
        gap = moment - self._at
        if gap <= least:
            return  # right after the previous frame, or overlapping it: kept in order
        origin = self._origin or 0.0
        if self._length is not None and moment > origin + self._length + TRUST_MARGIN_SECONDS:
            return  # a broken timestamp: the frame follows the previous one
        if gap >= DAMAGED_MIN_SECONDS:
            self.damaged.append((self._at, moment))
        missing = round(gap * like.sample_rate)
        while missing > 0:
            size = min(missing, GROUP_SAMPLES)
            self._fifo.write(_silence(like, size))
            missing -= size
            if self._fifo.samples >= GROUP_SAMPLES:
                self._resample(self._fifo.read())
        self._at = moment

    def _resample(self, frame: av.AudioFrame | None) -> None:
        for out in self._resampler.resample(frame):
            self._out.append(out.to_ndarray().reshape(-1))


def read_audio(name: str) -> DecodedAudio:
    """Decode the first audio stream of a file (raises PyAV's errors; the engine names the
    file). A stream of which no packet at all decodes is refused, not turned into silence."""
    try:
        with av.open(name, mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioDecodeError(name, "no audio stream")
            stream = container.streams.audio[0]
            length = container.duration / av.time_base if container.duration else None
            # WebM (Matroska), the recorder's files: the timeline starts at 0 (the recorder fills
            # every gap from the start of the recording with silence frames) and the stored
            # duration is where it ends. So audio that starts late or ends early there lost its
            # first or last packets: the demuxer drops damaged Opus packets unseen, and only
            # the stored times show them missing. Other formats: the samples start at the
            # stream's start (an MP3's encoder delay, Ogg's pre-skip), as faster-whisper's did,
            # and their durations are computed or estimated (from the bit rate: MP3), not kept.
            matroska = "matroska" in container.format.name.split(",")
            declared = length if matroska else None
            start = (0.0 if matroska else
                     float(stream.start_time * stream.time_base)
                     if stream.start_time is not None and stream.time_base else None)
            timeline = _Timeline(length, start)
            packets_end: float | None = None
            refused = 0
            packets = container.demux(stream)
            while True:
                try:
                    packet = next(packets)
                except StopIteration:
                    break
                except av.error.InvalidDataError:
                    refused += 1  # the demuxer cannot go on: the rest is missing, as at the end
                    break
                if packet.size and packet.pts is not None and packet.time_base:
                    end = float((packet.pts + (packet.duration or 0)) * packet.time_base)
                    packets_end = end if packets_end is None else max(packets_end, end)
                try:
                    frames = packet.decode()
                except av.error.InvalidDataError:
                    refused += 1  # its time stays a gap, filled and reported with the next frame
                    continue
                for frame in frames:
                    timeline.add(frame, stream.time_base)
            due_end = max((t for t in (packets_end, declared) if t is not None), default=None)
            if timeline.frames == 0:
                if refused or due_end:
                    raise AudioDecodeError(name, "no audio packet could be decoded")
                return DecodedAudio(np.zeros(0, dtype=np.float32))
            return timeline.end(due_end)
    finally:
        # libswresample objects are freed only by the collector (faster-whisper issue 390).
        gc.collect()


__all__ = ["DAMAGED_MIN_SECONDS", "DecodedAudio", "read_audio"]
