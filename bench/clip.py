"""Cheap WebRTC clients: a VP8 + Opus clip encoded once, then sent as packets (no encoding).

`encode_clip` writes a WebM of a moving test pattern (each frame numbered, so no two frames
are alike) and a speech WAV; `load_clip` reads its packets back; `PacketTrack` paces them out
in real time as `av.Packet`s, which aiortc's RTCRtpSender packetises without encoding, looping
with continuous timestamps. Used by bench/hearings.py and by the media tests that compare a
recording with exactly what was sent.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

ROOT = Path(__file__).resolve().parents[1]
SPEECH = ROOT / "tests" / "fixtures" / "media" / "citizen.wav"
RATES = {"audio": 48_000, "video": 90_000}


@dataclass(frozen=True)
class ClipPacket:
    pts: int  # in 1/48000 (audio) or 1/90000 (video)
    data: bytes
    keyframe: bool


@dataclass(frozen=True)
class Clip:
    audio: tuple[ClipPacket, ...]
    video: tuple[ClipPacket, ...]
    seconds: float


def _pattern(index: int, width: int, height: int) -> av.VideoFrame:
    rows = np.arange(height, dtype=np.int32)[:, None]
    columns = np.arange(width, dtype=np.int32)[None, :]
    luma = ((rows + columns + 4 * index) % 256).astype(np.uint8)
    bar = (index * 7) % max(1, width - 16)
    luma[:, bar:bar + 16] = 255 - luma[:, bar:bar + 16]
    for bit in range(16):  # the frame number as a row of blocks
        if index >> bit & 1:
            luma[8:24, 8 + bit * 20:24 + bit * 20] = 0
    chroma = np.full((height // 2, width), 128, dtype=np.uint8)
    return av.VideoFrame.from_ndarray(np.vstack([luma, chroma]), format="yuv420p")


def encode_clip(path: Path, *, seconds: float = 10.0, size: tuple[int, int] = (640, 480),
                fps: int = 30, keyframe_every: int = 60, bit_rate: int = 900_000,
                speech: Path = SPEECH) -> None:
    """Encode the clip once (VP8 realtime like a browser, Opus 20 ms voip from `speech`)."""
    width, height = size
    frames = round(seconds * fps)
    with av.open(str(path), "w", format="webm") as out:
        video = out.add_stream("libvpx", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.codec_context.bit_rate = bit_rate
        video.codec_context.gop_size = keyframe_every
        video.codec_context.options = {"deadline": "realtime", "cpu-used": "8", "lag-in-frames": "0",
                                       "kf-max-dist": str(keyframe_every)}
        audio = out.add_stream("libopus", rate=48_000)
        audio.codec_context.layout = "mono"
        audio.codec_context.bit_rate = 32_000
        audio.codec_context.options = {"application": "voip", "frame_duration": "20"}
        for index in range(frames):
            frame = _pattern(index, width, height)
            frame.pts, frame.time_base = index, Fraction(1, fps)
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        with av.open(str(speech)) as source:
            resampler = av.AudioResampler(format="s16", layout="mono", rate=48_000)
            samples = 0
            for decoded in source.decode(audio=0):
                for chunk in resampler.resample(decoded):
                    if samples >= seconds * 48_000:
                        break
                    chunk.pts, chunk.time_base = samples, Fraction(1, 48_000)
                    samples += chunk.samples
                    out.mux(audio.encode(chunk))
            out.mux(audio.encode(None))


def load_clip(path: Path) -> Clip:
    audio: list[ClipPacket] = []
    video: list[ClipPacket] = []
    with av.open(str(path)) as container:
        for packet in container.demux():
            if packet.dts is None or packet.pts is None or packet.time_base is None:
                continue
            kind = packet.stream.type
            seconds = packet.pts * packet.time_base
            target = audio if kind == "audio" else video
            target.append(ClipPacket(round(seconds * RATES[kind]), bytes(packet), packet.is_keyframe))
    audio = [p for p in audio if p.pts >= 0]  # the encoder's priming packet
    step = {"audio": 960, "video": 3000}
    # Evenly spaced, from 0: the packets go out as a live source would send them.
    audio = [ClipPacket(i * step["audio"], p.data, True) for i, p in enumerate(audio)]
    video = [ClipPacket(i * step["video"], p.data, p.keyframe) for i, p in enumerate(video)]
    seconds = min(len(audio) * 960 / 48_000, len(video) * 3000 / 90_000)
    audio = [p for p in audio if p.pts < seconds * 48_000]
    video = [p for p in video if p.pts < seconds * 90_000]
    return Clip(tuple(audio), tuple(video), seconds)


class PacketTrack(MediaStreamTrack):
    """Sends a clip's packets of one kind in real time, looping; counts what went out."""

    def __init__(self, kind: str, clip: Clip, *, loop: bool = True,
                 together: dict[str, float] | None = None) -> None:
        """`together`: a dict shared by the tracks of one sender, so that they start on one
        clock (audio packet i and video frame j go out at i*20 ms and j*33.3 ms of it)."""
        super().__init__()
        self.kind = kind
        self._packets = clip.audio if kind == "audio" else clip.video
        self._span = round(clip.seconds * RATES[kind])
        self._rate = RATES[kind]
        self._time_base = Fraction(1, self._rate)
        self._loop = loop
        self._together = together if together is not None else {}
        self.sent: list[ClipPacket] = []

    async def recv(self) -> av.Packet[Any]:
        if self.readyState != "live":
            raise MediaStreamError
        start = self._together.setdefault("start", time.monotonic())
        index = len(self.sent)
        lap, position = divmod(index, len(self._packets))
        if lap and not self._loop:
            raise MediaStreamError
        item = self._packets[position]
        pts = item.pts + lap * self._span
        wait = start + pts / self._rate - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        packet = av.Packet(item.data)
        packet.pts, packet.time_base = pts, self._time_base
        self.sent.append(ClipPacket(pts, item.data, item.keyframe))
        return packet
