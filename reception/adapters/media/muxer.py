"""One participant's two WebM files, written from received packets (nothing is encoded).

- `<id>.audio.webm`: the received Opus packets alone (transcription reads it);
- `<id>.av.webm`: the received VP8 and Opus packets together (the evidence the review page
  plays as video with sound).

The Opus stream declares no pre-skip (OpusHead pre-skip 0, no CodecDelay): the packets are
taken from a running stream, so nothing is to be skipped and a packet's time in the file is
exactly where it was placed (an encoder-made header would shift it by 6.5 ms). The VP8 size in
the header is that of the publisher's last keyframe (or the configured size): each keyframe
carries its own size, and players follow changes (Chrome lowers resolution under load).
Muxer options per docs/media.md pitfall 8: flushed packets, short clusters.
"""

from __future__ import annotations

import io
import struct
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from .frames import SILENCE_FRAMES
from .output import open_output

AUDIO_TIME_BASE = Fraction(1, 48_000)
VIDEO_TIME_BASE = Fraction(1, 1000)
MUXER_OPTIONS = {
    "flush_packets": "1",  # write each packet through to the file
    # The open cluster is what a SIGKILL loses (measured, SIGKILL 8 s in: 1000 ms -> 1.0 s lost,
    # 400 -> 0.05-0.42 s, 250 -> 0.09-0.15 s, audio file and evidence alike).
    "cluster_time_limit": "250",
    # Audio and video are written as they arrive; the interleaver may hold one back this long
    # at most (an audio-only member's evidence has a video track that never gets packets).
    "max_interleave_delta": "200000",
}
OPUS_HEAD = b"OpusHead" + struct.pack("<BBHIhB", 1, 2, 0, 48_000, 0, 0)  # v1, 2 ch, pre-skip 0

_opus_template: bytes | None = None


def _opus_template_file() -> bytes:
    """A tiny WebM holding one Opus silence frame: its stream is the template of ours.

    PyAV can only attach codec parameters (the OpusHead) to a stream made from a template;
    `add_mux_stream` would leave them out and an encoder stream would open libopus.
    """
    global _opus_template
    if _opus_template is None:
        buffer = io.BytesIO()
        with av.open(buffer, "w", format="webm") as container:
            stream = container.add_mux_stream("opus", rate=48_000)
            packet = av.Packet(SILENCE_FRAMES[0][1])
            packet.stream, packet.pts, packet.dts = stream, 0, 0
            packet.time_base = AUDIO_TIME_BASE
            container.mux(packet)
        _opus_template = buffer.getvalue()
    return _opus_template


def _add_opus(container: Any) -> Any:
    with av.open(io.BytesIO(_opus_template_file())) as template:
        stream = container.add_stream_from_template(template.streams.audio[0])
    stream.codec_context.extradata = OPUS_HEAD
    return stream


def _open(path: Path) -> Any:
    return av.open(open_output(path), mode="w", format="webm", container_options=MUXER_OPTIONS)


class RecordingFiles:
    def __init__(self, audio_path: Path, evidence_path: Path, video_size: tuple[int, int]) -> None:
        self._audio = _open(audio_path)
        try:
            self._evidence = _open(evidence_path)
        except BaseException:
            self._audio.close()
            raise
        self._audio_streams = [_add_opus(self._audio), _add_opus(self._evidence)]
        width, height = video_size
        self._video_stream = self._evidence.add_mux_stream("vp8", width=width, height=height)
        for container in (self._audio, self._evidence):
            container.start_encoding()  # the header is on disk before the first packet
        self._closed = False

    def write_audio(self, position: int, data: bytes) -> None:
        """One Opus packet at `position` samples (48 kHz) from the start, into both files."""
        for stream in self._audio_streams:
            stream.container.mux(self._packet(stream, data, position, AUDIO_TIME_BASE, True))

    def write_video(self, milliseconds: int, data: bytes, keyframe: bool) -> None:
        self._evidence.mux(self._packet(self._video_stream, data, milliseconds, VIDEO_TIME_BASE,
                                        keyframe))

    def close(self) -> None:
        """Write the trailers and close both files. Never mux after this (PyAV would crash)."""
        if self._closed:
            return
        self._closed = True
        try:
            self._audio.close()
        finally:
            self._evidence.close()

    def _packet(self, stream: Any, data: bytes, pts: int, time_base: Fraction,
                keyframe: bool) -> av.Packet[Any]:
        if self._closed:
            raise RuntimeError("muxing into a closed recording")
        packet = av.Packet(data)
        packet.stream = stream
        packet.pts = packet.dts = pts
        packet.time_base = time_base
        packet.is_keyframe = keyframe
        return packet
