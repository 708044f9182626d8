"""One participant's two WebM files, written from received packets (nothing is encoded).

- `<id>.audio.webm`: the received Opus packets alone (transcription reads it);
- `<id>.av.webm`: the received VP8 and Opus packets together (the evidence the review page
  plays as video with sound).

The Opus stream declares no pre-skip (OpusHead pre-skip 0, no CodecDelay): the packets are
taken from a running stream, so nothing is to be skipped and a packet's time in the file is
exactly where it was placed (an encoder-made header would shift it by 6.5 ms). The VP8 size in
the header is that of the publisher's last keyframe (or the configured size): each keyframe
carries its own size, and players follow changes (Chrome lowers resolution under load).
Muxer options per docs/media.md pitfall 8: flushed packets, short clusters. Each file is the
chained file object of `chain.open_output` (every flushed chunk hashed and chained as written,
docs/evidence.md); PyAV does not close a file object it was given, so `close` closes it after
its container (that writes the chain's closing record).
"""

from __future__ import annotations

import io
import struct
from contextlib import suppress
from fractions import Fraction
from pathlib import Path
from typing import Any, BinaryIO

import av

from reception.adapters.media.forwarding.frames import SILENCE_FRAMES
from reception.adapters.media.recording import chain

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


class RecordingFiles:
    def __init__(self, audio_path: Path, evidence_path: Path, video_size: tuple[int, int]) -> None:
        self._outputs: list[BinaryIO] = []  # closed after their containers
        self._containers: list[Any] = []
        self._created: list[Path] = []
        try:
            self._audio = self._open(audio_path)
            self._evidence = self._open(evidence_path)
            self._audio_streams = [_add_opus(self._audio), _add_opus(self._evidence)]
            width, height = video_size
            self._video_stream = self._evidence.add_mux_stream("vp8", width=width, height=height)
            for container in (self._audio, self._evidence):
                container.start_encoding()  # the header is on disk before the first packet
        except BaseException:
            # Nothing recorded yet: close and remove the files this call created (O_EXCL: a
            # file that was there before was not opened, and is not touched).
            self._closed = False
            with suppress(Exception):
                self.close()
            for path in self._created:
                path.unlink(missing_ok=True)
                chain.sidecar_of(path).unlink(missing_ok=True)
            raise
        self._closed = False

    def _open(self, path: Path) -> Any:
        output = chain.open_output(path)
        self._outputs.append(output)
        self._created.append(path)
        container = av.open(output, mode="w", format="webm", container_options=MUXER_OPTIONS)
        self._containers.append(container)
        return container

    def write_audio(self, position: int, data: bytes) -> None:
        """One Opus packet at `position` samples (48 kHz) from the start, into both files."""
        for stream in self._audio_streams:
            stream.container.mux(self._packet(stream, data, position, AUDIO_TIME_BASE, True))

    def write_video(self, milliseconds: int, data: bytes, keyframe: bool) -> None:
        self._evidence.mux(self._packet(self._video_stream, data, milliseconds, VIDEO_TIME_BASE,
                                        keyframe))

    def close(self) -> None:
        """Write the trailers and close both files, each container before its chained output.
        Never mux after this (PyAV would crash)."""
        if self._closed:
            return
        self._closed = True
        try:
            for container in self._containers:
                container.close()
        finally:
            for output in self._outputs:
                output.close()

    def abandon(self) -> None:
        """Close both files without writing another byte to them or their chains (another
        media node has taken them over): the outputs are fenced, so what the containers
        write as they close is dropped."""
        for output in self._outputs:
            output.fence()  # type: ignore[attr-defined]  # a chain.ChainedOutput
        self.close()

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
