"""Where each received frame goes on a recording's timeline, from its RTP timestamp.

A frame is placed by its RTP timestamp, never by when the event loop got round to it: a gap in
sending is a gap in time, and a backlog delivered late after a stall keeps its place. Each
generation (connection) is anchored once to this server's clock:

- with RTCP sender reports of this connection, through the sender's own clock, with one offset
  for audio and video (lip sync: the audio jitter buffer's extra delay is not baked in);
- otherwise by its least delayed frame in the first half second (`ArrivalClock`).

The anchor is taken when the generation has settled; frames before that wait (`Placer.held`).
Time 0 is the recording's start; everything is in seconds of the server's monotonic clock.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from reception.adapters.media.forwarding.frames import EncodedFrame, Generation

logger = logging.getLogger(__name__)
# Lip sync moves a track by the difference of audio and video delays (tens of ms). A sender
# report asking for more than this is not believed: the arrival clock places that track.
MAX_SYNC_CORRECTION = 0.5


@dataclass(frozen=True)
class Anchor:
    first_timestamp: int
    first_time: float  # server monotonic seconds of first_timestamp
    rate: int
    by_sender_reports: bool

    def time_of(self, timestamp: int) -> float:
        return self.first_time + (timestamp - self.first_timestamp) / self.rate


def anchor(generation: Generation) -> Anchor:
    """Fix where a generation's timestamps lie on the server clock (call once it settled)."""
    clock, sync, kind = generation.clock, generation.sync, generation.kind
    assert clock.first_timestamp is not None
    first = clock.first_timestamp
    if sync.offset is None:
        offsets = []
        for other_kind, other in sync.clocks.items():
            if other.first_timestamp is None:
                continue
            sender = sync.sender_time(other_kind, other.first_timestamp)
            if sender is not None:
                offsets.append(other.server_time(other.first_timestamp) - sender)
        if offsets and sync.sender_time(kind, first) is not None:
            sync.offset = min(offsets)  # the least delayed path of this connection
    sender_first = sync.sender_time(kind, first)
    by_arrival = clock.server_time(first)
    if sync.offset is not None and sender_first is not None:
        by_reports = sender_first + sync.offset
        if abs(by_reports - by_arrival) <= MAX_SYNC_CORRECTION:
            return Anchor(first, by_reports, generation.rate, True)
        logger.warning("Generation(%s/%s %d) sender reports disagree with arrivals by %.2f s: ignored",
                       generation.owner, kind, generation.id, by_reports - by_arrival)
    return Anchor(first, by_arrival, generation.rate, False)


class Placer:
    """Recording-relative seconds of one track's frames, generation by generation."""

    def __init__(self, start: float) -> None:
        self._start = start
        self._generation: Generation | None = None
        self._anchor: Anchor | None = None
        self.held: list[EncodedFrame] = []

    def place(self, frame: EncodedFrame, now: float) -> list[tuple[EncodedFrame, float]]:
        """Frames ready to write with their times; frames of an unsettled generation wait."""
        placed = []
        if frame.generation is not self._generation:
            placed = self.flush()
            self._generation, self._anchor = frame.generation, None
        if self._anchor is None:
            if not frame.generation.clock.settled(now):
                self.held.append(frame)
                return placed
            self._anchor = anchor(frame.generation)
        placed += [(held, self._seconds(held)) for held in self.held]
        self.held = []
        placed.append((frame, self._seconds(frame)))
        return placed

    def flush(self) -> list[tuple[EncodedFrame, float]]:
        """Place whatever waits, with the best anchor known now (a generation ended early)."""
        if not self.held:
            return []
        if self._anchor is None:
            self._anchor = anchor(self.held[0].generation)
        placed = [(held, self._seconds(held)) for held in self.held]
        self.held = []
        return placed

    @property
    def anchored_by_sender_reports(self) -> bool:
        return self._anchor is not None and self._anchor.by_sender_reports

    def _seconds(self, frame: EncodedFrame) -> float:
        assert self._anchor is not None
        return self._anchor.time_of(frame.timestamp) - self._start
