"""A participant's outgoing m-line: the encoded frames of whichever Source it shows.

aiortc's RTCRtpSender packetises the `av.Packet`s this track yields without encoding them and
numbers the RTP packets itself, so sequence numbers stay continuous for the receiver whatever
happens upstream. Timestamps are rewritten here: within one source generation they keep the
publisher's spacing; across a reconnect or a switch to another participant they continue from
the last one sent, advanced by the wall time in between.

Video is never forwarded broken: the receiver cannot NACK a frame the server drops, so after a
drop (queue overflow, loss upstream, a new source) nothing is sent until the next keyframe, and
one is requested from the publisher.
"""

from __future__ import annotations

import asyncio
from collections import deque
from fractions import Fraction
from typing import Any

import av
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from reception.adapters.media.forwarding.frames import CLOCK_RATES, EncodedFrame, Generation
from reception.adapters.media.forwarding.source import Source

QUEUE = {"audio": 25, "video": 30}  # frames: 0.5 s of audio, 1 s of video (a full video
# queue costs a freeze until the next keyframe, so it rides out a longer stall than audio)
FRAME_STEP = {"audio": 960, "video": 3000}  # one frame, in RTP units, as the least advance


class ForwardTrack(MediaStreamTrack):
    def __init__(self, kind: str, *, capacity: int | None = None) -> None:
        super().__init__()
        self.kind = kind
        self.source: Source | None = None
        self.sent = 0
        self.dropped = 0
        self.overflows = 0  # times the receiving side fell a whole queue behind
        self._capacity = capacity or QUEUE[kind]
        self._queue: deque[tuple[bytes, int]] = deque()
        self._ready = asyncio.Event()
        self._ended = False
        self._time_base = Fraction(1, CLOCK_RATES[kind])
        self._waiting_keyframe = kind == "video"
        self._input: tuple[int, int] | None = None  # (generation id, epoch) last delivered
        self._stamped: Generation | None = None
        self._in_base = 0
        self._out_base = 0
        self._last_out: int | None = None
        self._last_arrival = 0.0

    # -- wiring ------------------------------------------------------------------------------
    def point_at(self, source: Source | None) -> None:
        """Show `source` from now on (None: nobody); video waits for a keyframe of it."""
        if source is self.source:
            return
        if self.source is not None:
            self.source.unsubscribe(self)
        self.source = source
        if source is None:
            # Nobody shown (left, or media paused: docs/media.md pitfall 11): what is still
            # queued is not sent after the pause began.
            self.dropped += len(self._queue)
            self._queue.clear()
        else:
            source.subscribe(self)
            if self.kind == "video":
                self._waiting_keyframe = True
                source.request_keyframe()

    def keyframe_requested(self) -> None:
        """The receiver lost the picture (PLI/FIR on our sender): ask the publisher."""
        if self.source is not None:
            self.source.request_keyframe()

    def remote_bitrate(self, bitrate: int) -> None:
        """The receiver's REMB: what it can take."""
        if self.source is not None:
            self.source.receiver_bitrate(self, bitrate)

    # -- frames in -------------------------------------------------------------------------------
    def deliver(self, frame: EncodedFrame) -> None:
        if self.kind == "video" and not self._accept_video(frame):
            return
        if len(self._queue) >= self._capacity:
            self.overflows += 1
            if self.kind == "video":  # the queued frames are stale; so is this one unless key
                self.dropped += len(self._queue)
                self._queue.clear()
                if not frame.keyframe:
                    self._wait_for_keyframe()
                    self.dropped += 1
                    return
            else:
                self._queue.popleft()
                self.dropped += 1
        self._queue.append((frame.data, self._restamp(frame)))
        self._ready.set()

    def _accept_video(self, frame: EncodedFrame) -> bool:
        stream = (frame.generation.id, frame.epoch)
        if stream != self._input:  # new connection, other participant, or loss upstream
            self._input = stream
            if not frame.keyframe:
                self._waiting_keyframe = True
        if self._waiting_keyframe:
            if not frame.keyframe:
                self.dropped += 1
                self._wait_for_keyframe()
                return False
            self._waiting_keyframe = False
        return True

    def _wait_for_keyframe(self) -> None:
        self._waiting_keyframe = True
        if self.source is not None:
            self.source.request_keyframe()

    def _restamp(self, frame: EncodedFrame) -> int:
        if frame.generation is not self._stamped:
            if self._last_out is None:
                self._out_base = 0
            else:
                elapsed = round(max(0.0, frame.arrival - self._last_arrival) * CLOCK_RATES[self.kind])
                self._out_base = self._last_out + max(FRAME_STEP[self.kind], elapsed)
            self._stamped, self._in_base = frame.generation, frame.timestamp
        out = self._out_base + frame.timestamp - self._in_base
        if self._last_out is not None and out <= self._last_out:
            out = self._last_out + 1
        self._last_out, self._last_arrival = out, frame.arrival
        return out

    # -- packets out (aiortc's sender) ------------------------------------------------------
    async def recv(self) -> av.Packet[Any]:
        while not self._queue:
            if self._ended or self.readyState != "live":
                raise MediaStreamError
            self._ready.clear()
            await self._ready.wait()
        data, timestamp = self._queue.popleft()
        packet = av.Packet(data)
        packet.pts = timestamp
        packet.time_base = self._time_base
        self.sent += 1
        return packet

    def stop(self) -> None:
        super().stop()
        self.point_at(None)
        self._ended = True
        self._ready.set()
