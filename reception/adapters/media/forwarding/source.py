"""One participant's media of one kind, as encoded frames, handed to every subscriber.

A Source outlives the connection it reads: a reconnecting participant brings a new receiver,
`attach` starts a new generation on it, and subscribers (other participants' outgoing tracks,
the recorder) carry on. `relaying = False` (not admitted; audio muted) reads and discards, so
nothing of that participant reaches anyone, the recorder included.

Keyframe requests of all subscribers reach the publisher at most every `KEYFRAME_INTERVAL`.
Receivers' REMB (bandwidth they take) caps the REMB the publisher gets, never below
`MIN_VIDEO_BITRATE`: the recording is made of the very packets the publisher sends, so one
weak receiver must not drag the evidence below a usable quality (docs/media.md, weak links).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Protocol

from reception.adapters.media.forwarding.aiortc_hooks import ReceiverTap
from reception.adapters.media.forwarding.frames import (
    EncodedFrame,
    Generation,
    SenderSync,
    Unwrapper,
    vp8_keyframe,
    vp8_size,
)

logger = logging.getLogger(__name__)
KEYFRAME_INTERVAL = 0.3  # seconds between PLIs to one publisher
MIN_VIDEO_BITRATE = 300_000  # bit/s: receivers' REMB never pushes the publisher below this


class Subscriber(Protocol):
    def deliver(self, frame: EncodedFrame) -> None: ...


class Source:
    def __init__(self, owner: str, label: str, kind: str) -> None:
        self.owner = owner  # the participant whose media this is
        self.label = label
        self.kind = kind
        self.last_keyframe_size: tuple[int, int] | None = None
        self._relaying = False  # Participant.apply_gates opens it
        self._subscribers: set[Subscriber] = set()
        self._tap: ReceiverTap | None = None
        self._generation: Generation | None = None
        self._unwrapper = Unwrapper()
        self._remb: dict[Subscriber, int] = {}
        self._last_request = 0.0
        self._deferred: asyncio.TimerHandle | None = None
        self._requests: set[asyncio.Task[bool]] = set()
        self.frames_in = 0

    @property
    def relaying(self) -> bool:
        return self._relaying

    @relaying.setter
    def relaying(self, value: bool) -> None:
        if value != self._relaying:
            logger.info("Source(%s) relaying %s -> %s", self.label, self._relaying, value)
            self._relaying = value

    @property
    def has_source(self) -> bool:
        return self._tap is not None

    @property
    def generation(self) -> Generation | None:
        return self._generation

    def attach(self, tap: ReceiverTap, sync: SenderSync) -> None:
        """Read from `tap` from now on, replacing the previous connection's receiver if any."""
        self._stop_reading()
        generation = Generation(self.kind, self.owner, sync)
        self._tap, self._generation, self._unwrapper = tap, generation, Unwrapper()
        tap.on_frame = lambda data, timestamp: self._frame(generation, data, timestamp)
        tap.on_end = lambda: self._ended(generation)
        tap.on_loss = lambda: self._loss(generation)
        tap.on_sender_report = lambda ssrc, ntp, rtp: self._report(tap, sync, ssrc, ntp, rtp)
        tap.bitrate_cap = self._cap()
        logger.info("Source(%s) generation %d", self.label, generation.id)

    def subscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.add(subscriber)

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.discard(subscriber)
        if self._remb.pop(subscriber, None) is not None:
            self._update_cap()

    def close(self) -> None:
        """Stop reading; subscribers are detached but not ended (they may be re-pointed)."""
        self._stop_reading()
        self._subscribers.clear()
        self._remb.clear()
        if self._deferred is not None:
            self._deferred.cancel()
            self._deferred = None

    def request_keyframe(self) -> None:
        """Ask the publisher for a keyframe, at most once per KEYFRAME_INTERVAL."""
        if self.kind != "video" or self._tap is None:
            return
        now = time.monotonic()
        wait = self._last_request + KEYFRAME_INTERVAL - now
        if wait > 0:
            if self._deferred is None:
                self._deferred = asyncio.get_running_loop().call_later(wait, self._send_request)
            return
        self._send_request()

    def receiver_bitrate(self, subscriber: Subscriber, bitrate: int) -> None:
        """A subscriber's receiver reported the bandwidth it takes (REMB)."""
        if self._remb.get(subscriber) != bitrate:
            self._remb[subscriber] = bitrate
            self._update_cap()

    def _send_request(self) -> None:
        self._deferred = None
        if self._tap is None:
            return
        self._last_request = time.monotonic()
        task = asyncio.ensure_future(self._tap.request_keyframe())
        self._requests.add(task)
        task.add_done_callback(self._requests.discard)

    def _frame(self, generation: Generation, data: bytes, timestamp: int) -> None:
        if generation is not self._generation:
            return  # a replaced connection's last frames
        arrival = time.monotonic()
        unwrapped = self._unwrapper.unwrap(timestamp)
        generation.clock.add(unwrapped, arrival)
        keyframe = self.kind == "audio" or vp8_keyframe(data)
        if keyframe and self.kind == "video":
            self.last_keyframe_size = vp8_size(data)
        self.frames_in += 1
        if not self._relaying:
            return
        frame = EncodedFrame(data, unwrapped, arrival, keyframe, generation, generation.epoch)
        for subscriber in list(self._subscribers):
            subscriber.deliver(frame)

    def _loss(self, generation: Generation) -> None:
        if generation is self._generation and self.kind == "video":
            generation.epoch += 1
            self._last_request = time.monotonic()  # the receiver sends this PLI itself

    def _ended(self, generation: Generation) -> None:
        if generation is self._generation:
            logger.info("Source(%s) generation %d ended", self.label, generation.id)
            self._tap = None

    def _report(self, tap: ReceiverTap, sync: SenderSync, ssrc: int, ntp: int, rtp: int) -> None:
        if tap.media_ssrc in (None, ssrc):
            sync.report(self.kind, ntp, rtp)

    def _cap(self) -> int | None:
        if self.kind != "video" or not self._remb:
            return None
        return max(MIN_VIDEO_BITRATE, min(self._remb.values()))

    def _update_cap(self) -> None:
        if self._tap is not None:
            self._tap.bitrate_cap = self._cap()

    def _stop_reading(self) -> None:
        if self._tap is not None:
            tap, self._tap = self._tap, None
            tap.on_frame = lambda data, timestamp: None
            tap.on_end = lambda: None
            tap.on_loss = lambda: None
        self._generation = None
