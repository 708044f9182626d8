"""The audit log's anchor outside the database: an append-only file of (row id, HMAC) pairs of
the chain's head, written after every commit that appended to the log and at every
verification, each line under the audit key (docs/evidence.md). A copy kept off this machine
(shipped as it grows) is what makes deleting the log's last rows detectable even by someone
who controls this machine's disk.

One line: `ROW_ID HASH AT FIRST_KEYED LINE_HMAC` (FIRST_KEYED is "-" except at verification).
Lines are appended with one write(2) on an O_APPEND descriptor, so processes sharing the file
(server, workers, the `reception` command) never interleave within a line.
"""

from __future__ import annotations

import hmac
import logging
import os
from datetime import UTC, datetime
from pathlib import Path

from reception.domain.audit import Anchor, anchor_mac

logger = logging.getLogger(__name__)


class AnchorFile:
    def __init__(self, path: Path, key: bytes) -> None:
        self.path = path
        self._key = key

    def record(self, row_id: int, mac: str, first_keyed: int | None = None,
               at: datetime | None = None) -> None:
        at = at or datetime.now(UTC)
        line = (f"{row_id} {mac} {at.isoformat()} "
                f"{first_keyed if first_keyed is not None else '-'} "
                f"{anchor_mac(self._key, row_id, mac, at, first_keyed)}\n")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("ascii"))
        finally:
            os.close(fd)

    def record_quietly(self, row_id: int, mac: str) -> None:
        """After a commit: the change is stored already, so a full disk must not undo the
        request; the missing anchor only narrows what a later verification can prove."""
        try:
            self.record(row_id, mac)
        except OSError:
            logger.exception("audit anchor not written (row %s)", row_id)

    def read(self) -> list[Anchor]:
        try:
            text = self.path.read_text(encoding="ascii")
        except FileNotFoundError:
            return []
        anchors = []
        for number, line in enumerate(text.splitlines(), start=1):
            parts = line.split(" ")
            try:
                row_id, mac, at_text, first, line_mac = parts
                at = datetime.fromisoformat(at_text)
                first_keyed = None if first == "-" else int(first)
                authentic = hmac.compare_digest(
                    anchor_mac(self._key, int(row_id), mac, at, first_keyed), line_mac)
                anchors.append(Anchor(number, int(row_id), mac, at, authentic, first_keyed))
            except ValueError:
                anchors.append(Anchor(number, 0, "", datetime.now(UTC), False))
        return anchors
