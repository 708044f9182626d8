"""Where the server's CPU goes, from a py-spy raw profile of a bench/hearings.py trial.

    .venv/bin/pip install py-spy            # for measuring only; not a project dependency
    .venv/bin/python bench/hearings.py --serve ours --hearings 8 --seconds 20 --profile p.txt
    .venv/bin/python bench/profile_split.py p.txt

Two splits of the same samples: by stage of a stream's path (receive, forward/send, record,
RTCP, event loop) and by activity (system calls, SRTP, RTP parsing, ...), each stack counted
once, at its innermost matching frame. py-spy samples a waiting event loop too (the `select`
system call), shown apart as "waiting for I/O".
"""

from __future__ import annotations

import re
import sys
from collections import Counter

STAGES = [  # checked from the outermost frame inwards: the first stage a stack passes through
    ("recording (recorder pump, muxing, files)", r"ParticipantRecorder|RecordingFiles|muxer\.py|tracks\.py"),
    ("send: aiortc RTP sender (packetise, SRTP, sendto)", r"RTCRtpSender\._run_rtp|_next_encoded_frame"),
    ("receive: datagram to encoded frame to subscribers",
     r"RTCDtlsTransport\.__run|_recv_next|datagram_received"),
    ("RTCP (reports, feedback)", r"_run_rtcp|_handle_rtcp"),
    ("ICE / STUN consent", r"aioice"),
]
ACTIVITIES = [  # checked from the innermost frame outwards
    ("waiting for I/O (select)", r"EpollSelector\.select|selectors\.py"),
    ("UDP send / receive system calls", r"\.sendto |sendto \(|_read_ready|recvfrom|send_data"),
    ("SRTP protect / unprotect", r"pylibsrtp"),
    ("WebM muxing (PyAV) and file writes", r"container/output|OutputContainer|muxer\.py|FileIO|output\.py"),
    ("RTP parse / serialise", r"RtpPacket\.(parse|serialize)|HeaderExtensionsMap|header_extensions"),
    ("VP8 depayload / packetise", r"vp8_depayload|VpxPayloadDescriptor|_packetize|\.pack \(|depayload"),
    ("jitter buffer", r"jitterbuffer\.py"),
    ("bandwidth estimation", r"rate\.py"),
    ("NTP clock reads (aiortc, per packet)", r"aiortc/clock\.py"),
    ("RTCP", r"_run_rtcp|_handle_rtcp|RtcpPacket|_send_rtcp|StreamStatistics"),
    ("forwarding plane (ours: sources, tracks, timeline)",
     r"reception/adapters/media/(source|forward|tracks|timeline|frames|recorder|aiortc_hooks)\.py"),
    ("av.Packet creation", r"av/packet"),
    ("asyncio scheduling", r"asyncio/"),
]


def split(lines: list[str]) -> tuple[Counter[str], Counter[str], int]:
    stages: Counter[str] = Counter()
    activities: Counter[str] = Counter()
    total = 0
    for line in lines:
        if not line.strip():
            continue
        stack, count = line.rstrip().rsplit(" ", 1)
        samples = int(count)
        total += samples
        frames = stack.split(";")
        stages[next((name for frame in frames for name, pattern in STAGES
                     if re.search(pattern, frame)), "event loop, timers, other")] += samples
        activities[next((name for frame in reversed(frames) for name, pattern in ACTIVITIES
                         if re.search(pattern, frame)), "other")] += samples
    return stages, activities, total


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as profile:
        stages, activities, total = split(profile.readlines())
    for title, counts in (("by stage", stages), ("by activity", activities)):
        print(f"{title} ({total} samples)")
        for name, samples in counts.most_common():
            print(f"  {100 * samples / total:5.1f} %  {name}")


if __name__ == "__main__":
    main()
