"""Which clock the server runs on: the system's, or in test mode a movable one."""

from __future__ import annotations

from reception.adapters.clock import OffsetClock, SystemClock
from reception.services.ports import Clock
from reception.settings import Settings


def clock_for(settings: Settings) -> Clock:
    """TEST_CLOCK_FILE moves the server's time (browser tests of weeks-long workflows); it is
    refused outside test mode (ICE_LOOPBACK_ONLY), so production time is always the system's."""
    if settings.test_clock_file is None:
        return SystemClock()
    if not settings.ice_loopback_only:
        raise ValueError("TEST_CLOCK_FILE is a test setting: it needs ICE_LOOPBACK_ONLY=true")
    return OffsetClock(settings.test_clock_file)
