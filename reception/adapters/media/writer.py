"""Encoders and muxers of one participant's recording; every method runs in ONE worker thread.

Two files: `<id>.audio.webm` (Opus only, for transcription, independent of video encoding)
and `<id>.av.webm` (VP8 realtime + Opus, the evidence). Timestamps are wall-clock offsets
from the recorder's start, so the files of all participants line up; audio gaps (mute,
network drop, late first frame) are filled with silence so the audio timeline is unbroken.
Muxer options per docs/media.md pitfall 8 keep a SIGKILL's loss to about one cluster (0.5 s).
The evidence always has its video track, fixed when recording starts: an audio-only member
(weak line) may switch video back on later. While they send none, the track has no frames;
the file stays valid (decodes, full-length audio), which is accepted as their evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, BinaryIO

import av
import numpy as np
from av.audio.resampler import AudioResampler

from .chain import open_output

SAMPLE_RATE = 48_000
OPUS_FRAME = 960  # 20 ms, the frame size libopus accepts
VIDEO_TIME_BASE = Fraction(1, 1000)
GAP_FILL_SECONDS = 0.2  # audio arriving this much later than its timeline position -> silence
# A frame followed this closely by the next one is part of a backlog being delivered (after an
# event-loop stall or a frozen line), not audio resuming after a real gap: it is placed right
# after the audio before it, with no silence in between (real speech is never cut for lateness).
BURST_SPACING_SECONDS = 0.005
# Audio arriving faster than real time (a backlog flushed after a frozen line, or a replaced
# connection's last packets) would push everything after it late; beyond this lead over the
# wall clock it is dropped and counted, so every file stays aligned with the others.
MAX_LEAD_SECONDS = 0.5
MUXER_OPTIONS = {
    "flush_packets": "1",  # write each packet through to the file
    # The open cluster is what a SIGKILL loses (measured: 1000 ms -> 1.0 s lost, 500 -> 0.5 s).
    "cluster_time_limit": "500",
    "max_interleave_delta": "1000000",  # don't hold audio for 10 s when video pauses
}


@dataclass
class WriterCounters:
    audio_samples: int = 0
    late_audio_samples: int = 0  # dropped: more than MAX_LEAD_SECONDS ahead of the wall clock
    video_frames: int = 0
    last_video_ms: int = -1


def _open(path: Path, outputs: list[BinaryIO]) -> Any:
    output = open_output(path)  # every flushed chunk hashed and chained as written (chain.py)
    outputs.append(output)
    return av.open(output, mode="w", format="webm", container_options=MUXER_OPTIONS)


def _add_opus(container: Any) -> Any:
    stream = container.add_stream("libopus", rate=SAMPLE_RATE)
    stream.codec_context.layout = "mono"
    stream.codec_context.format = "s16"
    stream.codec_context.bit_rate = 32_000
    stream.codec_context.options = {"application": "voip"}
    return stream


def _add_vp8(container: Any, size: tuple[int, int], bit_rate: int) -> Any:
    stream = container.add_stream("libvpx")
    stream.width, stream.height = size
    stream.pix_fmt = "yuv420p"
    stream.codec_context.time_base = VIDEO_TIME_BASE
    stream.codec_context.bit_rate = bit_rate
    stream.codec_context.gop_size = 60  # a keyframe every few seconds keeps crashed files seekable
    # libvpx's default "good" deadline cannot keep up on 2 cores (docs/media.md pitfall 7).
    stream.codec_context.options = {
        "deadline": "realtime",
        "cpu-used": "8",
        "lag-in-frames": "0",
        "threads": "1",
    }
    return stream


def _opus_resampler() -> AudioResampler:
    return AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE, frame_size=OPUS_FRAME)


class RecordingWriter:
    def __init__(self, audio_path: Path, evidence_path: Path, video_size: tuple[int, int]) -> None:
        self.video_size = video_size
        self.counters = WriterCounters()
        self._resampler = _opus_resampler()
        self._input_shape = ("s16", "mono", SAMPLE_RATE)  # of frames fed to the resampler
        self._outputs: list[BinaryIO] = []  # closed after their containers (chain.py)
        try:
            self._audio_file = _open(audio_path, self._outputs)
            self._evidence_file = _open(evidence_path, self._outputs)
        except BaseException:
            for output in self._outputs:
                output.close()
            raise
        self._audio_streams = [_add_opus(self._audio_file), _add_opus(self._evidence_file)]
        bit_rate = 300_000 if video_size[0] * video_size[1] <= 320 * 240 else 800_000
        self._video_stream = _add_vp8(self._evidence_file, video_size, bit_rate)
        self._input_samples = 0  # timeline position in 1/48000 s, before the resampler
        # The newest frame waits for the next one (one 20 ms frame): only then do we know
        # whether it resumes after a gap or is part of a backlog.
        self._held: tuple[av.AudioFrame, float] | None = None
        self._closed = False

    def write_audio(self, frame: av.AudioFrame, arrived_at: float) -> None:
        """Encode a decoded audio frame that arrived `arrived_at` seconds after start."""
        private = av.AudioFrame.from_ndarray(
            frame.to_ndarray(), format=frame.format.name, layout=frame.layout.name
        )
        private.sample_rate = frame.sample_rate
        held, self._held = self._held, (private, arrived_at)
        if held is not None:
            self._place(*held, next_arrival=arrived_at)

    def _place(self, frame: av.AudioFrame, arrived_at: float, next_arrival: float | None) -> None:
        self._match_input_shape((frame.format.name, frame.layout.name, frame.sample_rate))
        samples_at_rate = frame.samples * SAMPLE_RATE // frame.sample_rate
        due = round(arrived_at * SAMPLE_RATE) - samples_at_rate
        in_backlog = next_arrival is not None and next_arrival - arrived_at < BURST_SPACING_SECONDS
        if due - self._input_samples > GAP_FILL_SECONDS * SAMPLE_RATE and not in_backlog:
            self._encode_audio(self._silence(due - self._input_samples))
        elif self._input_samples - due > MAX_LEAD_SECONDS * SAMPLE_RATE:
            self.counters.late_audio_samples += samples_at_rate
            return
        frame.pts = self._input_samples * frame.sample_rate // SAMPLE_RATE
        frame.time_base = Fraction(1, frame.sample_rate)
        self._encode_audio(frame)
        self._input_samples += samples_at_rate

    def pad_audio_to(self, seconds: float) -> None:
        """Fill silence up to `seconds`, so the audio file spans the whole recording."""
        held, self._held = self._held, None
        if held is not None:
            self._place(*held, next_arrival=None)
        missing = round(seconds * SAMPLE_RATE) - self._input_samples
        if missing > 0:
            self._encode_audio(self._silence(missing))

    def write_video(self, frame: av.VideoFrame, arrived_at: float) -> None:
        width, height = self.video_size
        # Browsers change resolution under load; the stream's size is fixed at open.
        private = frame.reformat(width=width, height=height, format="yuv420p")
        if private is frame:  # reformat returns the shared frame itself when nothing changes
            private = av.VideoFrame.from_ndarray(frame.to_ndarray(), format="yuv420p")
        pts = max(round(arrived_at * 1000), self.counters.last_video_ms + 1)
        private.pts = pts
        private.time_base = VIDEO_TIME_BASE
        self._evidence_file.mux(self._video_stream.encode(private))
        self.counters.last_video_ms = pts
        self.counters.video_frames += 1

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        held, self._held = self._held, None
        if held is not None:
            self._place(*held, next_arrival=None)
        for frame in self._resampler.resample(None):
            self._encode_resampled(frame)
        for stream in self._audio_streams:
            stream.container.mux(stream.encode(None))
        self._evidence_file.mux(self._video_stream.encode(None))
        try:
            self._audio_file.close()
            self._evidence_file.close()
        finally:
            for output in self._outputs:
                output.close()

    def _match_input_shape(self, shape: tuple[str, str, int]) -> None:
        # A resampler is bound to the first frame's format; the sender may renegotiate.
        if shape != self._input_shape:
            for frame in self._resampler.resample(None):
                self._encode_resampled(frame)
            self._resampler = _opus_resampler()
            self._input_shape = shape

    def _silence(self, samples: int) -> av.AudioFrame:
        """`samples` (at 48 kHz) of silence, shaped like the frames the resampler expects."""
        sample_format, layout, rate = self._input_shape
        channels = 2 if layout == "stereo" else 1
        count = samples * rate // SAMPLE_RATE
        shape = (1, count * channels) if not sample_format.endswith("p") else (channels, count)
        dtype = np.int16 if sample_format.startswith("s16") else np.float32
        silence = av.AudioFrame.from_ndarray(
            np.zeros(shape, dtype=dtype), format=sample_format, layout=layout
        )
        silence.sample_rate = rate
        silence.pts = self._input_samples * rate // SAMPLE_RATE
        silence.time_base = Fraction(1, rate)
        self._input_samples += samples
        return silence

    def _encode_audio(self, frame: av.AudioFrame) -> None:
        for resampled in self._resampler.resample(frame):
            self._encode_resampled(resampled)

    def _encode_resampled(self, frame: av.AudioFrame) -> None:
        for stream in self._audio_streams:
            stream.container.mux(stream.encode(frame))
        self.counters.audio_samples += frame.samples
