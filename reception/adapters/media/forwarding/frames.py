"""Encoded frames as the forwarding plane passes them around, and what it reads from them.

A *generation* is one connection's track of one participant: a reconnect starts a new one
with new RTP timestamps. Its `ArrivalClock` relates those timestamps to this server's
monotonic clock; its `SenderSync` (shared by the audio and video of one connection) holds the
RTCP sender reports that relate both to the sender's own clock (lip sync). Nothing here decodes.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

CLOCK_RATES = {"audio": 48_000, "video": 90_000}
NTP_FRACTION = float(1 << 32)
# The arrival clock trusts the earliest-looking frame of a generation's first half second (or
# second of arrivals): a stalled event loop delays the first frames, never makes them early.
SETTLE_MEDIA_SECONDS = 0.5
SETTLE_WALL_SECONDS = 1.0

_generation_ids = itertools.count(1)


class SenderSync:
    """RTCP sender reports of one connection: RTP timestamp -> sender clock, per kind."""

    def __init__(self) -> None:
        self._reports: dict[str, tuple[float, int]] = {}  # kind -> (sender seconds, RTP ts)
        self.clocks: dict[str, ArrivalClock] = {}  # each kind's arrival clock on this connection
        self.offset: float | None = None  # server monotonic - sender clock, fixed once chosen

    def report(self, kind: str, ntp: int, rtp: int) -> None:
        self._reports[kind] = (ntp / NTP_FRACTION, rtp)

    def sender_time(self, kind: str, timestamp: int) -> float | None:
        """Sender-clock seconds of an (unwrapped) RTP timestamp, if a report is known."""
        found = self._reports.get(kind)
        if found is None:
            return None
        seconds, rtp = found
        delta = (timestamp - rtp) % (1 << 32)
        if delta >= 1 << 31:  # the report is newer than the frame
            delta -= 1 << 32
        return seconds + delta / CLOCK_RATES[kind]


@dataclass
class ArrivalClock:
    """Server monotonic time of each RTP timestamp, from the least delayed arrival seen."""

    rate: int
    first_timestamp: int | None = None
    first_arrival: float = 0.0
    least_lag: float = 0.0  # min(arrival - media time) over the frames seen
    media_span: float = 0.0

    def add(self, timestamp: int, arrival: float) -> None:
        if self.first_timestamp is None:
            self.first_timestamp, self.first_arrival, self.least_lag = timestamp, arrival, arrival
            return
        media = (timestamp - self.first_timestamp) / self.rate
        self.media_span = max(self.media_span, media)
        self.least_lag = min(self.least_lag, arrival - media)

    def settled(self, now: float) -> bool:
        """Enough frames seen to trust `least_lag` (or waited long enough for them)."""
        return self.first_timestamp is not None and (
            self.media_span >= SETTLE_MEDIA_SECONDS or now - self.first_arrival >= SETTLE_WALL_SECONDS)

    def server_time(self, timestamp: int) -> float:
        assert self.first_timestamp is not None
        return self.least_lag + (timestamp - self.first_timestamp) / self.rate


@dataclass(eq=False)
class Generation:
    kind: str
    owner: str  # participant id
    sync: SenderSync
    id: int = field(default_factory=lambda: next(_generation_ids))
    clock: ArrivalClock = field(init=False)
    epoch: int = 0  # +1 at every loss: frames of a new epoch need a keyframe first

    def __post_init__(self) -> None:
        self.clock = ArrivalClock(CLOCK_RATES[self.kind])
        self.sync.clocks[self.kind] = self.clock

    @property
    def rate(self) -> int:
        return CLOCK_RATES[self.kind]


@dataclass(slots=True, eq=False)
class EncodedFrame:
    data: bytes
    timestamp: int  # RTP timestamp, unwrapped within its generation
    arrival: float  # time.monotonic() when it left the jitter buffer
    keyframe: bool  # always True for audio
    generation: Generation
    epoch: int


class Unwrapper:
    """32-bit RTP timestamps -> a monotonic-ish 64-bit count (wrap-around handled)."""

    def __init__(self) -> None:
        self._last: int | None = None

    def unwrap(self, timestamp: int) -> int:
        if self._last is None:
            self._last = timestamp
            return timestamp
        delta = (timestamp - self._last) % (1 << 32)
        if delta >= 1 << 31:
            delta -= 1 << 32
        self._last += delta
        return self._last


def vp8_keyframe(data: bytes) -> bool:
    """A VP8 key frame: P bit clear and the start code 9d 01 2a (RFC 6386 section 9.1)."""
    return len(data) >= 10 and not data[0] & 1 and data[3:6] == b"\x9d\x01\x2a"


def vp8_size(data: bytes) -> tuple[int, int]:
    """Width and height of a VP8 key frame."""
    return (data[6] | data[7] << 8) & 0x3FFF, (data[8] | data[9] << 8) & 0x3FFF


# Opus frame size in samples at 48 kHz per TOC configuration (RFC 6716 section 3.1).
_OPUS_FRAME = [480, 960, 1920, 2880] * 3 + [480, 960] * 2 + [120, 240, 480, 960] * 4


def opus_samples(data: bytes) -> int:
    """Samples (48 kHz) an Opus packet holds, from its TOC byte; 0 for an empty packet."""
    if not data:
        return 0
    toc = data[0]
    per_frame = _OPUS_FRAME[toc >> 3]
    code = toc & 3
    if code == 0:
        count = 1
    elif code in (1, 2):
        count = 2
    else:
        count = data[1] & 0x3F if len(data) > 1 else 0
    return per_frame * count


# Digital silence as CELT-only Opus frames of 20, 10, 5 and 2.5 ms (mono; decoders accept them
# in a stereo stream). A constant filler: found in the file only where the manifest lists a gap.
SILENCE_FRAMES = ((960, b"\xf8\xff\xfe"), (480, b"\xf0\xff\xfe"), (240, b"\xe8\xff\xfe"),
                  (120, b"\xe0\xff\xfe"))


def silence(samples: int) -> list[tuple[int, bytes]]:
    """Filler frames covering `samples` (48 kHz) to within 2.5 ms: (length, packet) each."""
    frames = []
    for length, packet in SILENCE_FRAMES:
        while samples >= length:
            frames.append((length, packet))
            samples -= length
    return frames
