"""Wall clock in UTC; tests pass their own clock object, or (browser tests of a running server)
move it through the offset file of `OffsetClock`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class OffsetClock:
    """Test only: the wall clock plus the seconds written in `path` (re-read when the file
    changes; a missing or empty file means no offset). A browser test moves a running server
    weeks ahead this way — a complaint's acceptance, verification, dialogue and decision happen
    on different days — without restarting it. Wired only in test mode (bootstrap/clock.py)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._stamp: int | None = None
        self._offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._current_offset()

    def _current_offset(self) -> timedelta:
        try:
            stamp = self._path.stat().st_mtime_ns
        except FileNotFoundError:
            return timedelta(0)
        if stamp != self._stamp:
            text = self._path.read_text().strip()
            self._offset = timedelta(seconds=float(text)) if text else timedelta(0)
            self._stamp = stamp
        return self._offset
