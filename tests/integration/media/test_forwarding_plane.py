"""The forwarding plane with real aiortc peers over loopback: what is recorded is exactly what
was sent, keyframe requests reach the publisher, a reconnect stays seamless for the viewer,
VP8/Opus are the only codecs, and a weak receiver lowers the publisher's bitrate."""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import AsyncIterator
from pathlib import Path
from socket import SO_RCVBUF, SOL_SOCKET
from typing import Any

import av
import pytest
from aiortc import RTCRtpSender
from aiortc import sdp as aiortc_sdp
from aiortc.mediastreams import MediaStreamTrack
from aiortc.rtp import RTCP_PSFB_APP, RtcpPsfbPacket, RtpPacket, pack_remb_fci, unpack_remb_fci
from media_peers import Client, wait_until

from bench.clip import Clip, encode_clip, load_clip
from reception.adapters.media import MediaHub, chain
from reception.adapters.media.forwarding.frames import SILENCE_FRAMES
from reception.adapters.media.hub import RECEIVE_BUFFER_BYTES
from reception.adapters.media.recording.manifest import Manifest
from reception.adapters.media.recording.muxer import RecordingFiles

ROOM = "hearing-1"
FILLERS = {packet for _, packet in SILENCE_FRAMES}


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Clip:
    path = tmp_path_factory.mktemp("clip") / "clip.webm"
    encode_clip(path, seconds=4, size=(320, 240), keyframe_every=30, bit_rate=300_000)
    return load_clip(path)


@pytest.fixture
async def hub(tmp_path: Path) -> AsyncIterator[MediaHub]:
    hub = MediaHub(tmp_path, loopback_only=True)
    yield hub
    await hub.close()


async def join(hub: MediaHub, client: Client, who: str, **flags: bool) -> str:
    answer = await hub.handle_offer(ROOM, who, await client.offer(), "offer", **flags)
    await client.accept(answer.sdp, answer.type)
    return answer.sdp


async def join_recorded(hub: MediaHub, client: Client, who: str) -> None:
    """Join admitted and start recording at once, as the service does once consent is stored:
    nothing is forwarded while anyone who sends is unrecorded (docs/media.md pitfall 11)."""
    await join(hub, client, who, admitted=True)
    assert await hub.start_recording(ROOM, who)


def sender_of(client: Client, kind: str) -> RTCRtpSender:
    return next(t.sender for t in client.pc.getTransceivers() if t.kind == kind and t.sender.track)


def capture_rtp(client: Client) -> dict[str, list[tuple[float, RtpPacket]]]:
    """Every RTP packet each receiver of `client` gets, by kind, with its arrival time."""
    seen: dict[str, list[tuple[float, RtpPacket]]] = {"audio": [], "video": []}
    loop = asyncio.get_running_loop()
    for transceiver in client.pc.getTransceivers():
        receiver, kind = transceiver.receiver, transceiver.kind
        handle = receiver._handle_rtp_packet

        async def spy(packet: RtpPacket, arrival_time_ms: int, handle: Any = handle,
                      kind: str = kind) -> None:
            seen[kind].append((loop.time(), packet))
            await handle(packet, arrival_time_ms=arrival_time_ms)

        receiver._handle_rtp_packet = spy  # type: ignore[method-assign]
    return seen


def aligned(recorded: list[bytes], sent: list[bytes]) -> list[int]:
    """Index in `sent` of each recorded payload, matching in order; fails on any stranger."""
    indexes, at = [], 0
    for payload in recorded:
        while at < len(sent) and sent[at] != payload:
            at += 1
        assert at < len(sent), "a recorded packet that was never sent (or out of order)"
        indexes.append(at)
        at += 1
    return indexes


@pytest.mark.slow
async def test_the_recording_holds_exactly_the_packets_the_participant_sent(
    hub: MediaHub, clip: Clip
) -> None:
    citizen = Client(clip=clip)
    official = Client(speech=None, luma=None, observer=True)
    await join_recorded(hub, citizen, "citizen")
    await join(hub, official, "official", admitted=True, receive_only=True)
    await wait_until(lambda: len(official.video_lumas) > 10, 10, "the citizen's video")
    sent_at_start = len(citizen.sent["audio"].sent)
    await wait_until(lambda: len(citizen.sent["audio"].sent) > sent_at_start + 150, 15, "3 s sent")
    (result,) = await hub.end_room(ROOM)
    for client in (citizen, official):
        await client.close()

    assert result.audio is not None and result.evidence is not None and result.media_arrived
    with av.open(str(result.evidence.path)) as container:
        evidence = [(p.stream.type, int(p.pts or 0), bytes(p), p.is_keyframe)
                    for p in container.demux() if p.dts is not None]
    with av.open(str(result.audio.path)) as container:
        audio_file = [(int(p.pts or 0), bytes(p)) for p in container.demux() if p.dts is not None]
    audio = [(pts, data) for kind, pts, data, _ in evidence if kind == "audio"]
    video = [(data, key) for kind, _, data, key in evidence if kind == "video"]
    assert audio == audio_file  # the transcription's file: the same Opus packets, same times

    received = [data for pts, data in audio if data not in FILLERS]
    sent_audio = [p.data for p in citizen.sent["audio"].sent]
    indexes = aligned(received, sent_audio)  # bit for bit, in the order sent
    assert len(received) == result.audio_packets >= 100  # of ~150 sent (the last may be in flight)
    assert indexes[-1] - indexes[0] + 1 - len(indexes) <= 3  # nothing lost on loopback, or nearly
    filled = sum(1 for _, data in audio if data in FILLERS)
    assert filled <= 3 + sum(end - start for start, end in result.gaps) // 20 + len(result.gaps)

    sent_video = [p.data for p in citizen.sent["video"].sent]
    keyframes = {i for i, p in enumerate(citizen.sent["video"].sent) if p.keyframe}
    video_indexes = aligned([data for data, _ in video], sent_video)
    assert video[0][1] and video_indexes[0] in keyframes  # starts on a keyframe
    for before, after in zip(video_indexes, video_indexes[1:], strict=False):
        assert after == before + 1 or after in keyframes  # a skip resumes on a keyframe only
    assert len(video) == result.video_frames >= 40


@pytest.mark.slow
async def test_keyframe_requests_of_a_new_viewer_and_of_a_receiver_that_lost_the_picture_reach_the_publisher(
    hub: MediaHub,
) -> None:
    citizen = Client(speech="citizen.wav", luma=60)
    official = Client(speech="official.wav", luma=190)
    await join_recorded(hub, citizen, "citizen")
    requests: list[float] = []
    video_sender = sender_of(citizen, "video")
    original = video_sender._send_keyframe

    def counted() -> None:
        requests.append(asyncio.get_running_loop().time())
        original()

    video_sender._send_keyframe = counted  # type: ignore[method-assign]
    await join_recorded(hub, official, "official")
    await wait_until(lambda: len(official.video_lumas) > 20, 10, "the citizen's video")
    await asyncio.sleep(0.5)
    before = len(requests)

    # The official's decoder lost the picture: its receiver sends a PLI to the server...
    receiver = next(t.receiver for t in official.pc.getTransceivers() if t.kind == "video")
    (source,) = receiver.getSynchronizationSources()
    await receiver._send_rtcp_pli(source.source)
    await wait_until(lambda: len(requests) > before, 5, "the PLI forwarded to the citizen")

    # ...and a viewer joining later asks for a keyframe of its own.
    await asyncio.sleep(0.5)
    before = len(requests)
    observer = Client(speech=None, luma=None, observer=True)
    await join(hub, observer, "observer", admitted=True, receive_only=True)
    await wait_until(lambda: len(requests) > before, 10, "the new viewer's keyframe request")
    await wait_until(lambda: len(observer.video_lumas) > 5, 10, "the observer's picture")
    for client in (citizen, official, observer):
        await client.close()


@pytest.mark.slow
async def test_a_viewer_sees_one_continuous_stream_across_the_publisher_s_reconnect(
    hub: MediaHub,
) -> None:
    citizen = Client(speech="citizen.wav", luma=60)
    official = Client(speech="official.wav", luma=190)
    await join_recorded(hub, official, "official")
    rtp = capture_rtp(official)
    await join_recorded(hub, citizen, "citizen")
    await wait_until(lambda: len(official.video_lumas) > 30, 10, "the citizen's video")
    await citizen.close()  # the line drops; the page offers again on a new connection
    await asyncio.sleep(1.5)
    reconnected_at = asyncio.get_running_loop().time()
    rejoined = Client(speech="citizen.wav", luma=100)
    await join(hub, rejoined, "citizen")
    seen = len(official.video_lumas)
    await wait_until(lambda: len(official.video_lumas) > seen + 30
                     and abs(official.video_lumas[-1] - 100) < 20, 10, "the rejoined citizen's video")
    for client in (official, rejoined):
        await client.close()

    rates = {"audio": 48_000, "video": 90_000}
    for kind, captured in rtp.items():
        ssrcs = {p.ssrc for _, p in captured if p.payload_type in (96, 97)}
        assert len(ssrcs) == 1, (kind, ssrcs)  # one sender, one SSRC throughout
        packets = [(at, p) for at, p in captured if p.ssrc in ssrcs]
        sequence = [p.sequence_number for _, p in packets]
        steps = [(b - a) % 65536 for a, b in zip(sequence, sequence[1:], strict=False)]
        assert steps.count(1) >= len(steps) - 2, (kind, sorted(set(steps)))  # no jump at all
        stamps = [p.timestamp for _, p in packets]
        deltas = [(b - a) % (1 << 32) for a, b in zip(stamps, stamps[1:], strict=False)]
        assert all(d < (1 << 31) for d in deltas), kind  # never backwards
        before = max(i for i, (at, _) in enumerate(packets) if at < reconnected_at)
        after = next(i for i, (at, _) in enumerate(packets) if at > reconnected_at + 0.2
                     and i > before)
        wall = packets[after][0] - packets[before][0]
        media = sum(deltas[before:after]) / rates[kind]
        assert abs(media - wall) < 0.5, (kind, media, wall)  # the gap lasts what it lasted


@pytest.mark.slow
async def test_everyone_gets_vp8_and_opus_whatever_they_prefer(hub: MediaHub) -> None:
    citizen = Client(speech="citizen.wav", luma=60)
    for transceiver in citizen.pc.getTransceivers():
        if transceiver.kind == "video":  # a client preferring H.264
            codecs = RTCRtpSender.getCapabilities("video").codecs
            transceiver.setCodecPreferences(sorted(codecs, key=lambda c: c.mimeType != "video/H264"))
    offer = await citizen.offer()
    offered = {m.kind: [c.name for c in m.rtp.codecs]
               for m in aiortc_sdp.SessionDescription.parse(offer).media}
    answer = await hub.handle_offer(ROOM, "citizen", offer, "offer", admitted=True)
    await citizen.accept(answer.sdp, answer.type)
    await citizen.close()

    answered = {m.kind: [c.name for c in m.rtp.codecs]
                for m in aiortc_sdp.SessionDescription.parse(answer.sdp).media}
    assert offered["video"][0] == "H264" and "PCMU" in offered["audio"]
    assert answered == {"audio": ["opus"], "video": ["VP8", "rtx"]}


@pytest.mark.slow
async def test_a_weak_receiver_lowers_the_publisher_s_bitrate_down_to_the_floor(
    hub: MediaHub, clip: Clip, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The clip is ~300 kbit/s: scale the floor (300 kbit/s in production) below it.
    floor = 100_000
    monkeypatch.setattr("reception.adapters.media.forwarding.source.MIN_VIDEO_BITRATE", floor)
    citizen = Client(clip=clip)
    official = Client(speech="official.wav", luma=190)
    await join_recorded(hub, citizen, "citizen")
    estimates: list[int] = []
    video_sender = sender_of(citizen, "video")
    handle = video_sender._handle_rtcp_packet

    async def spy(packet: Any) -> None:
        if isinstance(packet, RtcpPsfbPacket) and packet.fmt == RTCP_PSFB_APP:
            estimates.append(unpack_remb_fci(packet.fci)[0])
        await handle(packet)

    video_sender._handle_rtcp_packet = spy  # type: ignore[method-assign]
    await join_recorded(hub, official, "official")
    await wait_until(lambda: any(e > 200_000 for e in estimates), 20, "the server's own estimate")
    receiver = next(t.receiver for t in official.pc.getTransceivers() if t.kind == "video")
    send = receiver._send_rtcp
    line = {"takes": 0}

    async def weak_line(packet: Any) -> None:  # the official's own REMBs, as a weak line sends
        if line["takes"] and isinstance(packet, RtcpPsfbPacket) and packet.fmt == RTCP_PSFB_APP:
            ssrcs = unpack_remb_fci(packet.fci)[1]
            packet = RtcpPsfbPacket(fmt=RTCP_PSFB_APP, ssrc=packet.ssrc, media_ssrc=0,
                                    fci=pack_remb_fci(line["takes"], ssrcs))
        await send(packet)

    receiver._send_rtcp = weak_line  # type: ignore[method-assign]

    async def official_takes(bitrate: int) -> list[int]:
        """The official's line takes `bitrate`; the estimates the citizen gets from then on."""
        line["takes"] = bitrate
        await asyncio.sleep(1.5)  # the official's next REMB, then the server's
        count = len(estimates) + 1
        await wait_until(lambda: len(estimates) >= count + 3, 15, "new estimates")
        return estimates[count:]

    weak = await official_takes(150_000)
    weaker = await official_takes(10_000)
    for client in (citizen, official):
        await client.close()
    # The citizen's encoder is told to aim at what the official takes (or at the server's own
    # estimate of the citizen's line, when lower)...
    assert max(weak) <= 150_000 and 150_000 in weak
    # ...but never below the floor: the same packets are the recorded evidence.
    assert max(weaker) <= floor and floor in weaker and min(weaker) > 10_000


class Silent(MediaStreamTrack):
    """A microphone that never delivers a sample."""

    kind = "audio"

    async def recv(self) -> Any:
        await asyncio.Event().wait()


@pytest.mark.slow
async def test_a_member_whose_media_never_arrives_gets_no_recording_only_a_report(
    hub: MediaHub, tmp_path: Path
) -> None:
    citizen = Client(speech=None, luma=None)
    citizen.pc.addTrack(Silent())
    await join(hub, citizen, "citizen", admitted=True)
    await wait_until(lambda: hub.participants(ROOM)[0].connection_state == "connected", 10, "connected")
    await hub.start_recording(ROOM, "citizen")
    await asyncio.sleep(1)
    (result,) = await hub.end_room(ROOM)
    await citizen.close()

    assert result.audio is None and result.evidence is None and not result.media_arrived
    assert sorted(p.name for p in (tmp_path / ROOM).iterdir()) == ["citizen.manifest.json"]
    assert Manifest.read(tmp_path / ROOM / "citizen.manifest.json").state == "empty"


@pytest.mark.slow
async def test_a_recorder_that_cannot_write_says_so_once_and_keeps_what_it_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports: list[tuple[str, str, str, str | None]] = []
    hub = MediaHub(tmp_path, loopback_only=True, on_recorder_state=lambda *r: reports.append(r))
    written = {"video": 0}
    write_video = RecordingFiles.write_video

    def full_disk(self: RecordingFiles, milliseconds: int, data: bytes, keyframe: bool) -> None:
        written["video"] += 1
        if written["video"] > 30:
            raise OSError(28, "No space left on device")
        write_video(self, milliseconds, data, keyframe)

    monkeypatch.setattr(RecordingFiles, "write_video", full_disk)
    citizen = Client(speech="citizen.wav", luma=60)
    try:
        await join(hub, citizen, "citizen", admitted=True)
        await hub.start_recording(ROOM, "citizen")
        await wait_until(lambda: any(r[2] == "failed" for r in reports), 15,
                         "the recorder's failure")
        await asyncio.sleep(0.5)  # more packets arrive: the dead recorder writes none
        (view,) = hub.participants(ROOM)
        (result,) = await hub.end_room(ROOM)
    finally:
        await citizen.close()
        await hub.close()

    failures = [r for r in reports if r[2] == "failed"]
    assert len(failures) == 1  # reported once, not once per packet or again when closed
    assert failures[0][:2] == (ROOM, "citizen") and "No space left" in str(failures[0][3])
    assert view.recorder_state == "failed" and not view.recording
    assert result.errors and "No space left" in result.errors[0]
    assert result.evidence is not None and result.video_frames == 30  # what it wrote is kept
    assert chain.verify(result.evidence.path) == []  # and its chain is closed


@pytest.mark.slow
async def test_audio_and_video_of_a_participant_line_up_in_the_recording(
    hub: MediaHub, clip: Clip
) -> None:
    citizen = Client(clip=clip)  # audio packet i and video frame j sent at i*20 ms, j*33.3 ms
    await join(hub, citizen, "citizen", admitted=True)
    await asyncio.sleep(2)  # sender reports of both kinds have arrived
    await hub.start_recording(ROOM, "citizen")
    sent_at_start = len(citizen.sent["audio"].sent)
    await wait_until(lambda: len(citizen.sent["audio"].sent) > sent_at_start + 150, 15, "3 s sent")
    (result,) = await hub.end_room(ROOM)
    await citizen.close()

    assert result.evidence is not None
    with av.open(str(result.evidence.path)) as container:
        packets = [(p.stream.type, float(p.pts * p.time_base), bytes(p))
                   for p in container.demux() if p.dts is not None and p.pts is not None]
    offsets = {}
    for kind, step in (("audio", 0.02), ("video", 1 / 30)):
        sent = [p.data for p in citizen.sent[kind].sent]
        recorded = [(at, data) for k, at, data in packets if k == kind and data not in FILLERS]
        indexes = aligned([data for _, data in recorded], sent)
        # Where the recording put each packet, minus when it was sent: one number per track.
        offsets[kind] = statistics.median(at - i * step for (at, _), i in zip(recorded, indexes,
                                                                            strict=True))
    assert abs(offsets["audio"] - offsets["video"]) < 0.03, offsets  # lip sync within 30 ms


async def test_the_server_s_sockets_get_a_receive_buffer_that_rides_out_a_loop_stall(
    hub: MediaHub,
) -> None:
    citizen = Client(speech="citizen.wav", luma=60)
    await join(hub, citizen, "citizen", admitted=True)
    pc = hub._rooms[ROOM].participants["citizen"].pc
    assert pc is not None
    sizes = {protocol.transport.get_extra_info("socket").getsockopt(SOL_SOCKET, SO_RCVBUF)
             for t in pc.getTransceivers()
             for protocol in t.receiver.transport.transport.iceGatherer._connection._protocols}
    await citizen.close()
    assert sizes and min(sizes) >= RECEIVE_BUFFER_BYTES  # Linux reports twice what was set
