"""The two servers bench/hearings.py compares, behind one small interface.

`OursServer` is the project's `MediaHub` (forwarding, recordings muxed from the received
packets). `StockServer` is what aiortc offers out of the box: `MediaRelay` between a hearing's
two peer connections (decode, re-encode for the other party) and one `MediaRecorder` per party
recording audio only (aiortc's recorder loses the video track with PyAV 18 when recording
audio and video together, docs/media.md pitfall 4, so audio only is its honest best).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiortc import RTCBundlePolicy, RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.contrib.media import MediaRecorder, MediaRelay
from aiortc.mediastreams import MediaStreamTrack

from reception.adapters.media import MediaHub, probe_duration
from reception.adapters.media.forwarding.ice import keep_loopback_candidates

Offers = list[tuple[str, str]]  # (who, sdp) of a hearing's two parties


@dataclass(frozen=True)
class Recorded:
    file: str
    seconds: float  # measured in the file, packet by packet
    wall_seconds: float  # from the recording's start to its stop


class OursServer:
    def __init__(self, directory: Path, size: tuple[int, int]) -> None:
        self.hub = MediaHub(directory, loopback_only=True, video_size=size)
        self._rooms: list[str] = []

    async def answer(self, room: str, offers: Offers) -> list[str]:
        self._rooms.append(room)
        return [(await self.hub.handle_offer(room, who, sdp, admitted=True)).sdp
                for who, sdp in offers]

    def connected(self) -> bool:
        return all(v.connection_state == "connected"
                   for room in self._rooms for v in self.hub.participants(room))

    async def record(self) -> None:
        for room in self._rooms:
            for view in self.hub.participants(room):
                await self.hub.start_recording(room, view.participant_id)

    def forward_drops(self) -> dict[str, int]:
        """Video frames the server dropped on their way out, its queue overflows, and losses
        upstream (a publisher's jitter buffer gave up on packets)."""
        rooms = self.hub._rooms  # a benchmark may look inside
        participants = [p for room in self._rooms if room in rooms
                        for p in rooms[room].participants.values()]
        tracks = [track for p in participants for _, track in p.slots if track.kind == "video"]
        generations = [p.sources["video"].generation for p in participants]
        return {"dropped": sum(t.dropped for t in tracks), "overflows": sum(t.overflows for t in tracks),
                "losses": sum(g.epoch for g in generations if g is not None)}

    async def finish(self) -> list[Recorded]:
        results = []
        for room in self._rooms:
            results += await self.hub.end_room(room)
        await self.hub.close()
        recorded = []
        for r in results:
            wall = (r.stopped_at - r.started_at).total_seconds()
            for file in (r.audio, r.evidence):
                if file is not None:
                    recorded.append(Recorded(file.path.name, probe_duration(file.path), wall))
        return recorded


class StockServer:
    def __init__(self, directory: Path, size: tuple[int, int]) -> None:
        self._directory = directory
        self._relay = MediaRelay()
        self._pcs: list[RTCPeerConnection] = []
        self._recorders: list[tuple[MediaRecorder, Path]] = []
        self._started = 0.0

    async def answer(self, room: str, offers: Offers) -> list[str]:
        pcs: list[RTCPeerConnection] = []
        tracks: list[dict[str, MediaStreamTrack]] = []
        for _, sdp in offers:
            pc = RTCPeerConnection(RTCConfiguration(bundlePolicy=RTCBundlePolicy.MAX_BUNDLE))
            received: dict[str, MediaStreamTrack] = {}
            pc.on("track", lambda track, into=received: into.setdefault(track.kind, track))
            await pc.setRemoteDescription(RTCSessionDescription(keep_loopback_candidates(sdp),
                                                                "offer"))
            pcs.append(pc)
            tracks.append(received)
        answers = []
        for index, (pc, (who, _)) in enumerate(zip(pcs, offers, strict=True)):
            for track in tracks[1 - index].values():  # the other party's media
                pc.addTrack(self._relay.subscribe(track, buffered=False))
            path = self._directory / f"{room}-{who}.webm"
            recorder = MediaRecorder(str(path))
            recorder.addTrack(self._relay.subscribe(tracks[index]["audio"]))
            self._recorders.append((recorder, path))
            await pc.setLocalDescription(await pc.createAnswer())
            answers.append(str(pc.localDescription.sdp))
        self._pcs += pcs
        return answers

    def connected(self) -> bool:
        return all(pc.connectionState == "connected" for pc in self._pcs)

    def forward_drops(self) -> dict[str, int]:
        return {}  # MediaRelay drops nothing; its encoders fall behind instead

    async def record(self) -> None:
        self._started = time.monotonic()
        for recorder, _ in self._recorders:
            await recorder.start()

    async def finish(self) -> list[Recorded]:
        wall = time.monotonic() - self._started
        for recorder, _ in self._recorders:
            await recorder.stop()
        for pc in self._pcs:
            await pc.close()
        return [Recorded(path.name, probe_duration(path), wall) for _, path in self._recorders]


SERVERS: dict[str, Any] = {"ours": OursServer, "stock": StockServer}
