"""Capacity of the media hub: N concurrent 1:1 hearings, both parties recorded, against a
stock-aiortc baseline measured in the same run, so the figures are read as ratios.

- ours: `MediaHub` (relay by Fanout + per-party recorder: Opus audio file and VP8+Opus evidence
  encoded off the event loop).
- stock: aiortc's `MediaRelay` between the two peer connections and aiortc's `MediaRecorder`
  recording each party's audio only (Opus/WebM, encoded on the event loop).

Each hearing's two parties are headless aiortc clients in a child process of their own
(speech WAV + a moving test pattern camera); the hub runs in this process over loopback.
Prints server CPU per hearing, event-loop lag p50/p95, video frames received vs sent,
recorded audio seconds vs wall seconds and bytes per recorded minute.

    .venv/bin/python bench/hearings.py                      # 1 hearing, 20 s, both modes (~1 min)
    .venv/bin/python bench/hearings.py --hearings 1 2 --size 320x240 --seconds 20 --mode ours
The clients share the machine's cores with the server, so figures are pessimistic.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SPEECH = ROOT / "tests" / "fixtures" / "media"


async def run_clients(size: tuple[int, int], seconds: float) -> None:
    """Child side: two parties; offers out on stdout, answers in on stdin, stats at the end."""
    from aiortc import (
        RTCBundlePolicy,
        RTCConfiguration,
        RTCPeerConnection,
        RTCSessionDescription,
        VideoStreamTrack,
    )
    from aiortc.contrib.media import MediaPlayer
    from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

    from reception.adapters.media.ice import restrict_to_loopback

    restrict_to_loopback(True)  # the hub drops non-loopback candidates in this bench
    width, height = size
    ramp = np.tile(np.arange(width, dtype=np.uint8), (height * 3 // 2, 1))

    class PatternCamera(VideoStreamTrack):
        sent = 0

        async def recv(self) -> av.VideoFrame:
            pts, time_base = await self.next_timestamp()
            frame = av.VideoFrame.from_ndarray(np.roll(ramp, pts // 900, axis=1), format="yuv420p")
            frame.pts, frame.time_base = pts, time_base
            PatternCamera.sent += 1
            return frame

    received = {"audio": 0, "video": 0}

    async def count(track: MediaStreamTrack) -> None:
        while True:
            try:
                await track.recv()
            except MediaStreamError:
                return
            received[track.kind] += 1

    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    pcs = []
    for who, wav in (("citizen", "citizen.wav"), ("official", "official.wav")):
        pc = RTCPeerConnection(RTCConfiguration(bundlePolicy=RTCBundlePolicy.MAX_BUNDLE))
        speech = MediaPlayer(str(SPEECH / wav), loop=True).audio
        assert speech is not None
        pc.addTrack(speech)
        pc.addTrack(PatternCamera())
        pc.on("track", lambda track: asyncio.ensure_future(count(track)))
        await pc.setLocalDescription(await pc.createOffer())
        print(json.dumps({"who": who, "sdp": pc.localDescription.sdp}), flush=True)
        pcs.append(pc)
    for pc in pcs:  # both offers first: the stock server needs both parties' tracks to answer
        answer = json.loads(await reader.readline())
        await pc.setRemoteDescription(RTCSessionDescription(answer["sdp"], "answer"))
    await asyncio.sleep(seconds)
    print(json.dumps({"sent": PatternCamera.sent, "received": received}), flush=True)
    for pc in pcs:
        await pc.close()


async def measure(mode: str, hearings: int, size: tuple[int, int],
                  seconds: float) -> dict[str, float]:
    from bench.hearing_baseline import SERVERS

    lags: list[float] = []

    async def watch_loop() -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.01)
            lags.append(time.perf_counter() - before - 0.01)

    with tempfile.TemporaryDirectory() as directory:
        server = SERVERS[mode](Path(directory), size)
        children = []
        for index in range(hearings):
            child = await asyncio.create_subprocess_exec(
                sys.executable, __file__, "--client", "--size", f"{size[0]}x{size[1]}",
                "--seconds", str(seconds), stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
            )  # fmt: skip
            assert child.stdin is not None and child.stdout is not None
            offers = [json.loads(await child.stdout.readline()) for _ in range(2)]
            answers = await server.answer(f"h{index}", [(o["who"], o["sdp"]) for o in offers])
            for answer in answers:
                child.stdin.write((json.dumps({"sdp": answer}) + "\n").encode())
            await child.stdin.drain()
            children.append(child)
        await server.record()
        watcher = asyncio.create_task(watch_loop())
        cpu_before, wall_before = time.process_time(), time.perf_counter()
        stats = [json.loads(await child.stdout.readline()) for child in children]  # type: ignore[union-attr]
        cpu = time.process_time() - cpu_before
        wall = time.perf_counter() - wall_before
        watcher.cancel()
        results = await server.finish()
        for child in children:
            await child.wait()
        minutes = sum(r.audio_seconds for r in results) / 60
        lags.sort()
        return {
            "hearings": hearings,
            "server_cpu_pct_per_hearing": 100 * cpu / wall / hearings,
            "loop_lag_p50_ms": 1000 * lags[len(lags) // 2],
            "loop_lag_p95_ms": 1000 * lags[int(len(lags) * 0.95)],
            "video_received_per_sent": sum(s["received"]["video"] for s in stats)
            / max(1, sum(s["sent"] for s in stats)),
            "audio_frames_received_per_party_second": sum(s["received"]["audio"] for s in stats)
            / (2 * hearings * seconds),
            "recorded_audio_s_min": min(r.audio_seconds for r in results),
            "recording_wall_s": statistics.mean(r.wall_seconds for r in results),
            "audio_bytes_per_min": sum(r.audio_bytes for r in results) / minutes,
            "evidence_bytes_per_min": sum(r.evidence_bytes for r in results) / minutes,
            "video_frames_dropped": sum(r.video_frames_dropped for r in results),
        }


RATIOS = ("server_cpu_pct_per_hearing", "loop_lag_p50_ms", "loop_lag_p95_ms",
          "video_received_per_sent", "audio_frames_received_per_party_second")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hearings", type=int, nargs="+", default=[1])
    parser.add_argument("--size", default="320x240")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--mode", choices=("both", "ours", "stock"), default="both")
    parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    size = tuple(int(x) for x in args.size.split("x"))
    assert len(size) == 2
    if args.client:
        asyncio.run(run_clients((size[0], size[1]), args.seconds))
        return
    modes = ("stock", "ours") if args.mode == "both" else (args.mode,)
    for count in args.hearings:
        measured = {}
        for mode in modes:
            figures = asyncio.run(measure(mode, count, (size[0], size[1]), args.seconds))
            measured[mode] = figures
            print(json.dumps({"mode": mode, "size": args.size,
                              **{k: round(v, 3) for k, v in figures.items()}}), flush=True)
        if len(measured) == 2:
            ratios = {f"{k}_ours_per_stock": round(measured["ours"][k] / max(measured["stock"][k], 1e-9), 2)
                      for k in RATIOS}
            print(json.dumps({"mode": "ratio", "hearings": count, **ratios}), flush=True)


if __name__ == "__main__":
    main()
