"""Fan-out of one participant's incoming track to any number of consumers.

Unlike aiortc's MediaRelay, a Fanout outlives the track it reads: a participant who
reconnects brings a new track, `attach` switches to it, and consumers (other participants'
outgoing tracks, the recorder) carry on. `relaying = False` (mute, not yet admitted) reads
and discards, so nothing of that participant reaches anyone.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from fractions import Fraction

import av
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

logger = logging.getLogger(__name__)
Frame = av.AudioFrame | av.VideoFrame
OUT_TIME_BASE = {"audio": Fraction(1, 48_000), "video": Fraction(1, 90_000)}


class RelayTrack(MediaStreamTrack):
    """A consumer's end of a Fanout: a bounded queue that drops the oldest frame when full.

    With `restamp`, frames are private copies with timestamps that stay continuous when the
    source changes (reconnect, slot reassignment), as an RTP sender needs; the copy also
    keeps aiortc's encoder threads off frames other consumers hold (docs/media.md pitfall 5).
    """

    def __init__(self, kind: str, *, capacity: int, restamp: bool) -> None:
        super().__init__()
        self.kind = kind
        self._queue: deque[tuple[Frame, int]] = deque(maxlen=capacity)
        self._ready = asyncio.Event()
        self._ended = False
        self._restamp = restamp
        self._generation = -1
        self._source_base = 0
        self._out_base = 0
        self._out_next = 0
        self.source: Fanout | None = None

    def deliver(self, frame: Frame, generation: int) -> None:
        self._queue.append((frame, generation))
        self._ready.set()

    def end(self) -> None:
        self._ended = True
        self._ready.set()

    async def recv(self) -> Frame:
        while not self._queue:
            if self._ended or self.readyState != "live":
                raise MediaStreamError
            self._ready.clear()
            await self._ready.wait()
        frame, generation = self._queue.popleft()
        return self._restamped(frame, generation) if self._restamp else frame

    def stop(self) -> None:
        super().stop()
        if self.source is not None:
            self.source.unsubscribe(self)
        self.end()

    def _restamped(self, frame: Frame, generation: int) -> Frame:
        out_base = OUT_TIME_BASE[self.kind]
        source_pts = frame.pts or 0
        if generation != self._generation or source_pts < self._source_base:
            self._generation, self._source_base, self._out_base = (
                generation,
                source_pts,
                self._out_next,
            )
        copy = _copy(frame)
        offset = (source_pts - self._source_base) * (frame.time_base or out_base) / out_base
        copy.pts = self._out_base + int(offset)
        copy.time_base = out_base
        if isinstance(frame, av.AudioFrame):
            step = frame.samples * 48_000 // frame.sample_rate
        else:
            step = 3_000  # one frame at 30 fps, in 1/90000
        self._out_next = copy.pts + step
        return copy


def _copy(frame: Frame) -> Frame:
    if isinstance(frame, av.AudioFrame):
        audio = av.AudioFrame.from_ndarray(
            frame.to_ndarray(), format=frame.format.name, layout=frame.layout.name
        )
        audio.sample_rate = frame.sample_rate
        return audio
    yuv = frame.reformat(format="yuv420p")
    return av.VideoFrame.from_ndarray(yuv.to_ndarray(), format="yuv420p")


class Fanout:
    def __init__(self, owner: str, label: str, kind: str) -> None:
        self.owner = owner  # the participant whose media this is
        self.label = label
        self.kind = kind
        self._relaying = False  # Participant.apply_gates opens it
        self._subscribers: set[RelayTrack] = set()
        self._reader: asyncio.Task[None] | None = None
        self._generation = 0

    @property
    def relaying(self) -> bool:
        return self._relaying

    @relaying.setter
    def relaying(self, value: bool) -> None:
        if value != self._relaying:
            logger.info("Fanout(%s) relaying %s -> %s", self.label, self._relaying, value)
            self._relaying = value

    @property
    def has_source(self) -> bool:
        return self._reader is not None and not self._reader.done()

    def attach(self, track: MediaStreamTrack) -> None:
        """Read from `track` from now on, replacing the previous source if any."""
        self._stop_reading()
        self._generation += 1
        logger.info("Fanout(%s) source generation %d", self.label, self._generation)
        self._reader = asyncio.create_task(self._read(track, self._generation))

    def subscribe(self, track: RelayTrack) -> None:
        if track.source is not None and track.source is not self:
            track.source.unsubscribe(track)
        track.source = self
        self._subscribers.add(track)

    def unsubscribe(self, track: RelayTrack) -> None:
        self._subscribers.discard(track)
        if track.source is self:
            track.source = None

    def close(self) -> None:
        """Stop reading. Subscribers are detached but not ended: an RTP sender whose track
        ended never sends again, and the hub re-points those tracks at other participants."""
        self._stop_reading()
        for track in list(self._subscribers):
            self.unsubscribe(track)

    def _stop_reading(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            self._reader = None

    async def _read(self, track: MediaStreamTrack, generation: int) -> None:
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:  # this source ended; the participant may reconnect
                logger.info("Fanout(%s) source generation %d ended", self.label, generation)
                return
            if self._relaying and isinstance(frame, (av.AudioFrame, av.VideoFrame)):
                for subscriber in list(self._subscribers):
                    subscriber.deliver(frame, generation)
