"""The aiortc internals the forwarding plane hooks into are still there, as they were in 1.16.

If this fails after an aiortc upgrade, reception/adapters/media/forwarding/aiortc_hooks.py needs a look:
each line names what it relies on.
"""

from __future__ import annotations

from importlib.metadata import version

import pytest
from aiortc import RTCRtpReceiver, RTCRtpSender

from reception.adapters.media.forwarding.aiortc_hooks import (
    AiortcChanged,
    ReceiverTap,
    contract_problems,
    hook_sender,
)


def test_aiortc_is_the_pinned_minor_version() -> None:
    assert version("aiortc").startswith("1.16."), version("aiortc")


def test_every_aiortc_internal_the_hooks_rely_on_is_present() -> None:
    assert contract_problems() == []


def test_the_tap_replaces_only_instance_attributes_that_exist_on_the_receiver() -> None:
    names = ("_send_rtcp_pli", "_send_rtcp", "_handle_rtcp_packet")
    assert all(callable(getattr(RTCRtpReceiver, name)) for name in names)
    assert callable(RTCRtpSender._send_keyframe) and callable(RTCRtpSender._handle_rtcp_packet)


class NotAReceiver:
    async def _send_rtcp_pli(self, media_ssrc: int) -> None: ...
    async def _send_rtcp(self, packet: object) -> None: ...
    async def _handle_rtcp_packet(self, packet: object) -> None: ...


def test_a_receiver_without_the_expected_internals_fails_loudly() -> None:
    tap = ReceiverTap(NotAReceiver(), "video")  # type: ignore[arg-type]
    with pytest.raises(AiortcChanged, match="__decoder_queue"):
        tap.install()


def test_a_sender_without_the_expected_internals_fails_loudly() -> None:
    class Bare:
        async def _handle_rtcp_packet(self, packet: object) -> None: ...

    with pytest.raises(AiortcChanged, match="_send_keyframe"):
        hook_sender(Bare(), lambda: None, lambda bitrate: None)  # type: ignore[arg-type]
