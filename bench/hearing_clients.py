"""Client process of bench/hearings.py: the two parties of some hearings, sending the clip as
packets (no encoding) and counting what they receive without decoding it.

Protocol on stdin/stdout, one JSON object a line: the client prints one offer per party, reads
one answer per party, then waits for {"window": [t0, t1]} (monotonic seconds, a clock shared
by all processes of the machine) and prints its receivers' figures over that window, then
closes on {"stop": true}.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

FREEZE_SECONDS = 0.2  # a video gap longer than this is a freeze (6 frames at 30 fps)


class Received:
    """Arrival times of the frames one receiver got (taken before any decoding: none is done)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.arrivals: list[float] = []

    def frame(self, data: bytes, timestamp: int) -> None:
        self.arrivals.append(time.monotonic())

    def figures(self, start: float, end: float) -> dict[str, float]:
        inside = [t for t in self.arrivals if start <= t <= end]
        gaps = [b - a for a, b in zip(inside, inside[1:], strict=False)]
        return {
            "rate": len(inside) / (end - start),
            "freezes": sum(1 for gap in gaps if gap > FREEZE_SECONDS),
            "longest_gap": max(gaps, default=end - start),
        }


async def sample_cpu(samples: list[tuple[float, float]]) -> None:
    """(monotonic, process CPU seconds) four times a second: the client's own cost."""
    while True:
        samples.append((time.monotonic(), time.process_time()))
        await asyncio.sleep(0.25)


def cpu_between(samples: list[tuple[float, float]], start: float, end: float) -> float:
    first = min(samples, key=lambda s: abs(s[0] - start))
    last = min(samples, key=lambda s: abs(s[0] - end))
    return (last[1] - first[1]) / max(1e-9, last[0] - first[0])


async def run(hearings: list[int], clip_path: Path) -> None:
    from aiortc import RTCBundlePolicy, RTCConfiguration, RTCPeerConnection, RTCSessionDescription

    from bench.clip import PacketTrack, load_clip
    from reception.adapters.media.forwarding.aiortc_hooks import enlarge_receive_buffers, tap_receiver
    from reception.adapters.media.forwarding.ice import restrict_to_loopback

    restrict_to_loopback(True)  # the server keeps loopback candidates only in this bench
    clip = load_clip(clip_path)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    parties: list[tuple[Any, list[Received]]] = []
    for hearing in hearings:
        for who in ("citizen", "official"):
            pc = RTCPeerConnection(RTCConfiguration(bundlePolicy=RTCBundlePolicy.MAX_BUNDLE))
            for kind in ("audio", "video"):
                pc.addTrack(PacketTrack(kind, clip))
            received = []
            for transceiver in pc.getTransceivers():
                counter = Received(transceiver.kind)
                tap = tap_receiver(transceiver.receiver, transceiver.kind)
                tap.on_frame = counter.frame
                received.append(counter)
            await pc.setLocalDescription(await pc.createOffer())
            print(json.dumps({"hearing": hearing, "who": who, "sdp": pc.localDescription.sdp}), flush=True)
            parties.append((pc, received))
    cpu: list[tuple[float, float]] = []
    sampler = asyncio.create_task(sample_cpu(cpu))
    for pc, _ in parties:
        answer = json.loads(await reader.readline())
        await pc.setRemoteDescription(RTCSessionDescription(answer["sdp"], "answer"))
        enlarge_receive_buffers(pc, 2 << 20)  # like the server: clients are not what is measured
    start, end = json.loads(await reader.readline())["window"]
    await asyncio.sleep(max(0.0, end - time.monotonic()) + 0.2)
    figures = [counter.figures(start, end) | {"kind": counter.kind}
               for _, received in parties for counter in received]
    video = [f for f in figures if f["kind"] == "video"]
    audio = [f for f in figures if f["kind"] == "audio"]
    print(json.dumps({
        "video_fps": [f["rate"] for f in video],
        "audio_pps": [f["rate"] for f in audio],
        "freezes": sum(int(f["freezes"]) for f in video),
        "longest_video_gap": max(f["longest_gap"] for f in video),
        "mean_fps": statistics.mean(f["rate"] for f in video),
        "cpu_share": cpu_between(cpu, start, end),  # of one core, this client process
    }), flush=True)
    sampler.cancel()
    await reader.readline()  # stop
    for pc, _ in parties:
        await pc.close()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    asyncio.run(run([int(x) for x in sys.argv[2:]], Path(sys.argv[1])))
