"""Real aiortc client peers for the media hub tests: a speech WAV and a solid-grey camera, or
a pre-encoded clip sent as packets (bench/clip.py), whose every payload is known.

Each client's camera has its own grey level, so a receiver can tell whose video it gets.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path

import av
import numpy as np
from aiortc import (
    RTCBundlePolicy,
    RTCConfiguration,
    RTCPeerConnection,
    RTCSessionDescription,
    VideoStreamTrack,
)
from aiortc.contrib.media import MediaPlayer
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from bench.clip import Clip, PacketTrack

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "media"


class GreyCamera(VideoStreamTrack):
    def __init__(self, luma: int, size: tuple[int, int] = (320, 240)) -> None:
        super().__init__()
        width, height = size
        self._planes = np.full((height * 3 // 2, width), 128, dtype=np.uint8)
        self._planes[:height] = luma

    async def recv(self) -> av.VideoFrame:
        pts, time_base = await self.next_timestamp()
        frame = av.VideoFrame.from_ndarray(self._planes, format="yuv420p")
        frame.pts, frame.time_base = pts, time_base
        return frame


class Client:
    """One participant's browser stand-in.

    `luma=None` offers no video at all (audio-only mode); `speech=None` and `luma=None`
    with `observer=True` offers receive-only audio and video.
    """

    def __init__(
        self,
        *,
        speech: str | None = "citizen.wav",
        luma: int | None = 60,
        extra_receive_slots: int = 0,
        observer: bool = False,
        clip: Clip | None = None,
    ) -> None:
        # max-bundle like a browser; aiortc's "balanced" loses a second m-line of one kind.
        self.pc = RTCPeerConnection(RTCConfiguration(bundlePolicy=RTCBundlePolicy.MAX_BUNDLE))
        self.audio_frames = 0
        self.video_lumas: list[float] = []
        self.audio_by_mid: dict[str, int] = {}
        self.lumas_by_mid: dict[str, list[float]] = {}
        self._readers: list[asyncio.Task[None]] = []
        self.sent: dict[str, PacketTrack] = {}
        if clip is not None:  # known payloads, sent as they are
            speech, luma = None, None
            together: dict[str, float] = {}  # one clock for both, like a browser's capture
            for kind in ("audio", "video"):
                self.sent[kind] = PacketTrack(kind, clip, together=together)
                self.pc.addTrack(self.sent[kind])
        self._player = MediaPlayer(str(FIXTURES / speech), loop=True) if speech else None
        if self._player is not None and self._player.audio is not None:
            self.pc.addTrack(self._player.audio)
        elif observer:
            self.pc.addTransceiver("audio", direction="recvonly")
        if luma is not None:
            self.pc.addTrack(GreyCamera(luma))
        elif observer:
            self.pc.addTransceiver("video", direction="recvonly")
        for _ in range(extra_receive_slots):
            self.pc.addTransceiver("audio", direction="recvonly")
            self.pc.addTransceiver("video", direction="recvonly")
        self.pc.on("track", self._on_track)

    async def offer(self) -> str:
        await self.pc.setLocalDescription(await self.pc.createOffer())
        return str(self.pc.localDescription.sdp)

    async def accept(self, sdp: str, type: str = "answer") -> None:
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type=type))

    async def close(self) -> None:
        for reader in self._readers:
            reader.cancel()
        await self.pc.close()
        if self._player is not None and self._player.audio is not None:
            self._player.audio.stop()
        for track in self.sent.values():
            track.stop()

    def _on_track(self, track: MediaStreamTrack) -> None:
        self._readers.append(asyncio.ensure_future(self._read(track)))

    async def _read(self, track: MediaStreamTrack) -> None:
        mid = next(str(t.mid) for t in self.pc.getTransceivers() if t.receiver.track is track)
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            if isinstance(frame, av.VideoFrame):
                luma = frame.to_ndarray(format="yuv420p")[: frame.height]
                self.video_lumas.append(float(luma.mean()))
                self.lumas_by_mid.setdefault(mid, []).append(float(luma.mean()))
            else:
                self.audio_frames += 1
                self.audio_by_mid[mid] = self.audio_by_mid.get(mid, 0) + 1


async def wait_until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out after {seconds} s waiting for {what}")
        await asyncio.sleep(0.05)


def decoded_video_frames(path: Path) -> int:
    with av.open(str(path)) as container:
        if not container.streams.video:
            return 0
        return sum(1 for _ in container.decode(video=0))


def fill_disk(path: Path) -> None:
    """Make every further write to `path` fail as on a full disk: the descriptor the recorder
    holds (found through /proc) now points at /dev/full."""
    full = os.open("/dev/full", os.O_WRONLY)
    try:
        for entry in Path("/proc/self/fd").iterdir():
            try:
                if os.readlink(entry) == str(path):
                    os.dup2(full, int(entry.name))
                    return
            except OSError:
                continue
    finally:
        os.close(full)
    raise AssertionError(f"no open descriptor of {path}")
