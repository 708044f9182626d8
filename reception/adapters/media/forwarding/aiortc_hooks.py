"""Every use of aiortc 1.16 internals by the forwarding plane, in one place.

aiortc decodes every received frame in a thread and re-encodes for every sender; a forwarding
server wants neither. Public API cannot hand out encoded frames, forward keyframe requests or
clamp the bandwidth estimate, so these small per-object hooks do (nothing is patched
process-wide: aiortc peers in the same process, such as test clients, keep decoding).

Receiver (`tap_receiver`), installed before `receive()` starts its decoder thread:
- `_RTCRtpReceiver__decoder_queue` (a `queue.Queue`) is replaced: `_handle_rtp_packet` puts
  `(codec, JitterFrame)` into it on the event loop; ours hands the frame over right there, with
  no thread hop and no decode. The idle decoder thread blocks in `get()` until the receiver
  stops (`None`), then ends the remote track as before.
- `_RTCRtpReceiver__timestamp_mapper` is replaced by an identity map: frames keep their RTP
  timestamps, so RTCP sender reports (RTP <-> sender NTP) apply to them.
- `_handle_rtcp_packet` is wrapped to read sender reports (audio/video sync of a recording).
- `_send_rtcp_pli` is wrapped to learn of picture loss (the jitter buffer dropped packets): the
  frames after it reference data nobody has, so subscribers wait for a keyframe. The original
  is called to ask the publisher for a keyframe.
- `_send_rtcp` is wrapped to lower the REMB sent to the publisher to what its receivers take.

Connection (`enlarge_receive_buffers`): the UDP sockets aioice gathered
(`RTCIceGatherer._connection._protocols[].transport`) get a larger receive buffer.

Sender (`hook_sender`):
- `_send_keyframe` is replaced: on the packet path aiortc ignores PLI/FIR (it only flags its
  encoder); ours forwards the request to the publisher.
- `_handle_rtcp_packet` is wrapped to read the receiver's REMB (weak links).
- The sender packetises `av.Packet`s without encoding (`_next_encoded_frame` -> encoder.pack).

`contract_problems()` lists what is missing; tests/unit/media/test_aiortc_contract.py fails
loudly when an aiortc upgrade changes any of it. aiortc is pinned to 1.16.x in pyproject.toml.
"""

from __future__ import annotations

import inspect
import logging
import threading
from collections.abc import Awaitable, Callable
from socket import SO_RCVBUF, SOL_SOCKET
from typing import Any

import aioice.ice
from aiortc import (
    RTCIceGatherer,
    RTCPeerConnection,
    RTCRtpReceiver,
    RTCRtpSender,
    RTCRtpTransceiver,
)
from aiortc import rtcrtpreceiver as aiortc_receiver
from aiortc import rtcrtpsender as aiortc_sender
from aiortc.codecs import vpx
from aiortc.jitterbuffer import JitterFrame
from aiortc.rtcrtpparameters import RTCRtpCodecParameters
from aiortc.rtp import (
    RTCP_PSFB_APP,
    RTCP_PSFB_PLI,
    RtcpPacket,
    RtcpPsfbPacket,
    RtcpSrPacket,
    pack_remb_fci,
    unpack_remb_fci,
)

logger = logging.getLogger(__name__)

QUEUE_ATTRIBUTE = "_RTCRtpReceiver__decoder_queue"
MAPPER_ATTRIBUTE = "_RTCRtpReceiver__timestamp_mapper"
THREAD_ATTRIBUTE = "_RTCRtpReceiver__decoder_thread"
PREFERRED_CODECS = {"audio": ("audio/opus",), "video": ("video/VP8", "video/rtx")}

FrameSink = Callable[[bytes, int], None]  # (encoded frame, RTP timestamp)
ReportSink = Callable[[int, int, int], None]  # (ssrc, NTP timestamp 64-bit, RTP timestamp)


def _replace(target: object, name: str, value: object) -> None:
    """Shadow one attribute of one aiortc object (an instance attribute, never the class)."""
    if not hasattr(target, name):
        raise AiortcChanged(f"{type(target).__name__} has no {name}")
    setattr(target, name, value)


class AiortcChanged(RuntimeError):
    """aiortc no longer has an internal this adapter relies on (see contract_problems)."""


class _HandOver:
    """Stands in for the receiver's decoder `queue.Queue`."""

    def __init__(self, on_frame: FrameSink, on_end: Callable[[], None]) -> None:
        self._on_frame = on_frame
        self._on_end = on_end
        self._ended = threading.Event()

    def put(self, item: tuple[RTCRtpCodecParameters, JitterFrame] | None) -> None:
        if item is None:  # the receiver stops its decoder
            self._ended.set()
            self._on_end()
            return
        frame = item[1]
        try:
            self._on_frame(frame.data, frame.timestamp)
        except Exception:  # an error here would end aiortc's whole receive loop
            logger.exception("forwarding a received frame failed")

    def get(self) -> None:  # the idle decoder thread waits here for the end
        self._ended.wait()


class _RawTimestamps:
    def map(self, timestamp: int) -> int:
        return timestamp


class ReceiverTap:
    """Encoded frames of one `RTCRtpReceiver`, and keyframe requests to its publisher."""

    def __init__(self, receiver: RTCRtpReceiver, kind: str) -> None:
        self.kind = kind
        self.media_ssrc: int | None = None
        self.bitrate_cap: int | None = None  # bit/s; REMB to the publisher never exceeds it
        self.on_frame: FrameSink = lambda data, timestamp: None
        self.on_end: Callable[[], None] = lambda: None
        self.on_loss: Callable[[], None] = lambda: None
        self.on_sender_report: ReportSink = lambda ssrc, ntp, rtp: None
        self._receiver = receiver
        self._send_pli: Callable[[int], Awaitable[None]] = receiver._send_rtcp_pli
        self._send_rtcp: Callable[[Any], Awaitable[None]] = receiver._send_rtcp
        handle_rtcp: Callable[[Any], Awaitable[None]] = receiver._handle_rtcp_packet
        self._handle_rtcp = handle_rtcp

    def install(self) -> None:
        receiver = self._receiver
        if getattr(receiver, THREAD_ATTRIBUTE, None) is not None:
            raise AiortcChanged("the receiver's decoder thread started before the tap")
        _replace(receiver, QUEUE_ATTRIBUTE, _HandOver(self._frame, self._end))
        _replace(receiver, MAPPER_ATTRIBUTE, _RawTimestamps())
        _replace(receiver, "_handle_rtcp_packet", self._rtcp_in)
        _replace(receiver, "_send_rtcp_pli", self._loss)
        _replace(receiver, "_send_rtcp", self._rtcp_out)

    async def request_keyframe(self) -> bool:
        """Send a PLI to the publisher; False while its media SSRC is unknown."""
        if self.media_ssrc is None:
            return False
        await self._send_pli(self.media_ssrc)
        return True

    def _frame(self, data: bytes, timestamp: int) -> None:
        self.on_frame(data, timestamp)

    def _end(self) -> None:
        self.on_end()

    async def _loss(self, media_ssrc: int) -> None:
        self.media_ssrc = media_ssrc
        self.on_loss()
        await self._send_pli(media_ssrc)

    async def _rtcp_in(self, packet: RtcpPacket) -> None:
        if isinstance(packet, RtcpSrPacket):
            if self.media_ssrc is None:
                self.media_ssrc = packet.ssrc
            info = packet.sender_info
            self.on_sender_report(packet.ssrc, info.ntp_timestamp, info.rtp_timestamp)
        await self._handle_rtcp(packet)

    async def _rtcp_out(self, packet: RtcpPacket) -> None:
        cap = self.bitrate_cap
        if cap is not None and isinstance(packet, RtcpPsfbPacket) and packet.fmt == RTCP_PSFB_APP:
            try:
                bitrate, ssrcs = unpack_remb_fci(packet.fci)
            except ValueError:
                bitrate, ssrcs = 0, []
            if bitrate > cap:
                packet = RtcpPsfbPacket(fmt=RTCP_PSFB_APP, ssrc=packet.ssrc, media_ssrc=packet.media_ssrc,
                                        fci=pack_remb_fci(cap, ssrcs))
        await self._send_rtcp(packet)


def tap_receiver(receiver: RTCRtpReceiver, kind: str) -> ReceiverTap:
    tap = ReceiverTap(receiver, kind)
    tap.install()
    return tap


def hook_sender(sender: RTCRtpSender, on_keyframe_request: Callable[[], None],
                on_remb: Callable[[int], None]) -> None:
    """Forward the remote receiver's PLI/FIR and REMB of this sender to our callbacks."""
    handle_rtcp: Callable[[Any], Awaitable[None]] = sender._handle_rtcp_packet

    async def rtcp_in(packet: RtcpPacket) -> None:
        if isinstance(packet, RtcpPsfbPacket) and packet.fmt == RTCP_PSFB_APP:
            try:
                bitrate, ssrcs = unpack_remb_fci(packet.fci)
            except ValueError:
                bitrate, ssrcs = 0, []
            if sender._ssrc in ssrcs:
                on_remb(bitrate)
        await handle_rtcp(packet)

    _replace(sender, "_send_keyframe", on_keyframe_request)
    _replace(sender, "_handle_rtcp_packet", rtcp_in)


def enlarge_receive_buffers(pc: RTCPeerConnection, size: int) -> int:
    """Give the connection's UDP sockets `size` bytes of receive buffer; how many were set.

    A Python server's event loop stalls now and then (a busy machine, a collection); the
    kernel's default buffer (~208 KB) holds about 150 ms of a hearing's packets, and what it
    drops costs a NACK round trip at best and, once the jitter buffer gives up, a picture loss
    (measured with 6 hearings on a loaded machine: 23 such losses in 20 s). The sockets are
    aioice's (`RTCIceGatherer._connection._protocols[].transport`), made when candidates are
    gathered; the kernel caps `size` at net.core.rmem_max.
    """
    count = 0
    for transceiver in pc.getTransceivers():
        gatherer = transceiver.receiver.transport.transport.iceGatherer
        for protocol in getattr(getattr(gatherer, "_connection", None), "_protocols", []):
            sock = protocol.transport.get_extra_info("socket") if protocol.transport else None
            if sock is not None and sock.getsockopt(SOL_SOCKET, SO_RCVBUF) < size:
                sock.setsockopt(SOL_SOCKET, SO_RCVBUF, size)
                count += 1
    return count


def prefer_codecs(transceiver: RTCRtpTransceiver) -> None:
    """One codec per kind for everyone: VP8 (with RTX) and Opus."""
    wanted = PREFERRED_CODECS[transceiver.kind]
    codecs = [c for c in RTCRtpSender.getCapabilities(transceiver.kind).codecs if c.mimeType in wanted]
    transceiver.setCodecPreferences(codecs)


def contract_problems() -> list[str]:
    """What this module relies on in aiortc and cannot find; empty when all is in place."""
    problems = []

    def need(condition: bool, what: str) -> None:
        if not condition:
            problems.append(what)

    receiver_init = inspect.getsource(RTCRtpReceiver.__init__)
    need("self.__decoder_queue: queue.Queue = queue.Queue()" in receiver_init
         or "self.__decoder_queue = queue.Queue()" in receiver_init,
         "RTCRtpReceiver.__decoder_queue is a queue.Queue set in __init__")
    need("self.__timestamp_mapper = TimestampMapper()" in receiver_init,
         "RTCRtpReceiver.__timestamp_mapper set in __init__")
    handle_rtp = inspect.getsource(RTCRtpReceiver._handle_rtp_packet)
    need("self.__decoder_queue.put((codec, encoded_frame))" in handle_rtp,
         "RTCRtpReceiver._handle_rtp_packet puts (codec, frame) into the decoder queue")
    need("self.__timestamp_mapper.map(" in handle_rtp,
         "RTCRtpReceiver._handle_rtp_packet maps timestamps through __timestamp_mapper")
    need("await self._send_rtcp_pli(packet.ssrc)" in handle_rtp,
         "RTCRtpReceiver._handle_rtp_packet reports picture loss through _send_rtcp_pli")
    need("await self._send_rtcp(rtcp_packet)" in handle_rtp,
         "RTCRtpReceiver._handle_rtp_packet sends REMB through _send_rtcp")
    worker = inspect.getsource(aiortc_receiver.decoder_worker)
    need("input_q.get()" in worker and "if task is None:" in worker,
         "decoder_worker reads input_q.get() and ends on None")
    need("target=decoder_worker" in inspect.getsource(RTCRtpReceiver.receive)
         and "self.__decoder_queue" in inspect.getsource(RTCRtpReceiver.receive),
         "RTCRtpReceiver.receive starts decoder_worker on __decoder_queue")
    for cls, name, params in (
        (RTCRtpReceiver, "_send_rtcp_pli", ["self", "media_ssrc"]),
        (RTCRtpReceiver, "_send_rtcp", ["self", "packet"]),
        (RTCRtpReceiver, "_handle_rtcp_packet", ["self", "packet"]),
        (RTCRtpSender, "_send_keyframe", ["self"]),
        (RTCRtpSender, "_handle_rtcp_packet", ["self", "packet"]),
        (RTCRtpSender, "_next_encoded_frame", ["self", "codec"]),
    ):
        method = getattr(cls, name, None)
        need(method is not None and list(inspect.signature(method).parameters) == params,
             f"{cls.__name__}.{name}{tuple(params[1:])}")
    sender_rtcp = inspect.getsource(RTCRtpSender._handle_rtcp_packet)
    need("self._send_keyframe()" in sender_rtcp, "RTCRtpSender answers PLI/FIR with _send_keyframe()")
    need("self._ssrc in ssrcs" in sender_rtcp, "RTCRtpSender reads REMB for its _ssrc")
    next_frame = inspect.getsource(RTCRtpSender._next_encoded_frame)
    need("self.__encoder.pack(data)" in next_frame,
         "RTCRtpSender packs a non-Frame (av.Packet) without encoding it")
    need(hasattr(vpx.Vp8Encoder, "pack"), "Vp8Encoder.pack")
    need(hasattr(aiortc_sender, "RTCEncodedFrame"), "rtcrtpsender.RTCEncodedFrame")
    need(RTCP_PSFB_PLI == 1 and RTCP_PSFB_APP == 15, "RTCP PSFB PLI=1, APP=15")
    need("self._connection = Connection(" in inspect.getsource(RTCIceGatherer.__init__),
         "RTCIceGatherer._connection is the aioice Connection")
    need("self._protocols: list[StunProtocol] = []" in inspect.getsource(aioice.ice.Connection.__init__),
         "aioice Connection._protocols lists its StunProtocols (each with .transport)")
    return problems
