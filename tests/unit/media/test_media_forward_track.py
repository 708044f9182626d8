"""An outgoing track forwards encoded frames as they came, never a broken video stream, and
keeps its timestamps continuous when its source reconnects or changes."""

from __future__ import annotations

from typing import Any

from reception.adapters.media.forwarding.forward import ForwardTrack
from reception.adapters.media.forwarding.frames import EncodedFrame, Generation, SenderSync


class FakeSource:
    """Stands in for a Source: counts keyframe requests, records subscriptions."""

    def __init__(self) -> None:
        self.requests = 0
        self.subscribers: set[Any] = set()
        self.bitrates: list[int] = []

    def subscribe(self, subscriber: Any) -> None:
        self.subscribers.add(subscriber)

    def unsubscribe(self, subscriber: Any) -> None:
        self.subscribers.discard(subscriber)

    def request_keyframe(self) -> None:
        self.requests += 1

    def receiver_bitrate(self, subscriber: Any, bitrate: int) -> None:
        self.bitrates.append(bitrate)


def video(generation: Generation, index: int, *, key: bool = False, arrival: float | None = None,
          epoch: int = 0) -> EncodedFrame:
    return EncodedFrame(f"frame-{generation.id}-{index}".encode(), 1000 + index * 3000,
                        arrival if arrival is not None else index / 30, key, generation, epoch)


def connected(kind: str = "video", capacity: int | None = None) -> tuple[ForwardTrack, FakeSource]:
    track = ForwardTrack(kind, capacity=capacity)
    source = FakeSource()
    track.point_at(source)  # type: ignore[arg-type]
    return track, source


async def drain(track: ForwardTrack) -> list[tuple[bytes, int]]:
    out = []
    while track._queue:
        packet = await track.recv()
        out.append((bytes(packet), int(packet.pts or 0)))
    return out


async def test_a_new_subscriber_asks_for_a_keyframe_and_gets_nothing_before_one() -> None:
    track, source = connected()
    generation = Generation("video", "citizen", SenderSync())
    assert source.requests == 1  # on subscribing
    for index in range(3):
        track.deliver(video(generation, index))
    assert await drain(track) == []
    assert source.requests == 4  # every frame dropped while waiting asks again (rate-limited upstream)
    track.deliver(video(generation, 3, key=True))
    track.deliver(video(generation, 4))
    assert [data for data, _ in await drain(track)] == [b"frame-%d-3" % generation.id,
                                                        b"frame-%d-4" % generation.id]


async def test_a_full_queue_drops_everything_until_the_next_keyframe_and_requests_one() -> None:
    track, source = connected(capacity=3)
    generation = Generation("video", "citizen", SenderSync())
    track.deliver(video(generation, 0, key=True))
    for index in range(1, 3):
        track.deliver(video(generation, index))
    requests = source.requests
    track.deliver(video(generation, 3))  # the receiving side fell behind: queue full
    track.deliver(video(generation, 4))
    assert await drain(track) == []  # stale frames gone, the rest would reference them
    assert source.requests > requests and track.dropped == 5
    track.deliver(video(generation, 5, key=True))
    assert [data for data, _ in await drain(track)] == [b"frame-%d-5" % generation.id]


async def test_after_a_loss_upstream_frames_wait_for_a_keyframe() -> None:
    track, _ = connected()
    generation = Generation("video", "citizen", SenderSync())
    track.deliver(video(generation, 0, key=True))
    track.deliver(video(generation, 1))
    track.deliver(video(generation, 2, epoch=1))  # the publisher's jitter buffer lost packets
    track.deliver(video(generation, 3, epoch=1, key=True))
    sent = [data for data, _ in await drain(track)]
    assert sent == [b"frame-%d-%d" % (generation.id, i) for i in (0, 1, 3)]


async def test_audio_drops_the_oldest_frame_when_full_and_never_waits_for_keyframes() -> None:
    track, source = connected("audio", capacity=2)
    generation = Generation("audio", "citizen", SenderSync())
    for index in range(4):
        track.deliver(EncodedFrame(bytes([index]), index * 960, index * 0.02, True, generation, 0))
    assert [data for data, _ in await drain(track)] == [b"\x02", b"\x03"]
    assert source.requests == 0


async def test_timestamps_continue_across_a_reconnect_advanced_by_the_time_in_between() -> None:
    track, _ = connected()
    before = Generation("video", "citizen", SenderSync())
    after = Generation("video", "citizen", SenderSync())  # a new connection: new RTP clock
    track.deliver(video(before, 0, key=True, arrival=10.0))
    track.deliver(video(before, 1, arrival=10.033))
    reconnected = EncodedFrame(b"new-key", 987_654_321, 12.533, True, after, 0)
    track.deliver(reconnected)
    track.deliver(EncodedFrame(b"new-next", 987_654_321 + 3000, 12.566, False, after, 0))
    stamps = [pts for _, pts in await drain(track)]
    assert stamps[1] - stamps[0] == 3000  # the publisher's own spacing
    assert stamps[2] - stamps[1] == 225_000  # 2.5 s of wall time at 90 kHz
    assert stamps[3] - stamps[2] == 3000


async def test_switching_to_another_participant_waits_for_their_keyframe() -> None:
    track, first = connected()
    generation = Generation("video", "citizen", SenderSync())
    track.deliver(video(generation, 0, key=True))
    other = FakeSource()
    track.point_at(other)  # type: ignore[arg-type]
    assert track not in first.subscribers and track in other.subscribers and other.requests == 1
    third_party = Generation("video", "interpreter", SenderSync())
    track.deliver(video(third_party, 0))
    track.deliver(video(third_party, 1, key=True))
    assert [data for data, _ in await drain(track)] == [
        b"frame-%d-0" % generation.id, b"frame-%d-1" % third_party.id]


async def test_receiver_feedback_reaches_the_source() -> None:
    track, source = connected()
    track.keyframe_requested()
    track.remote_bitrate(250_000)
    assert source.requests == 2 and source.bitrates == [250_000]


async def test_a_track_pointed_at_nobody_sends_nothing_it_had_queued() -> None:
    track, source = connected()
    generation = Generation("video", "citizen", SenderSync())
    track.deliver(video(generation, 0, key=True))
    track.deliver(video(generation, 1))
    track.point_at(None)  # media paused: someone who sends is no longer recorded
    assert track not in source.subscribers
    assert await drain(track) == [] and track.dropped == 2
    track.point_at(source)  # type: ignore[arg-type]  # resumed: from a keyframe again
    track.deliver(video(generation, 2))
    track.deliver(video(generation, 3, key=True))
    assert [data for data, _ in await drain(track)] == [b"frame-%d-3" % generation.id]
