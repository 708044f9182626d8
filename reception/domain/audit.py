"""The audit log's chain: each entry commits to its predecessor with an HMAC whose key is kept
outside the database (AUDIT_KEY), and the head of the chain is anchored outside the database
(an append-only file of (row id, HMAC) pairs, each line under the same key). So:

- editing a row breaks its HMAC; recomputing the chain needs the key;
- deleting a row in the middle breaks the next row's link to its predecessor;
- deleting the last rows leaves an anchor that names a row the table no longer has.

Rows written before the key existed keep their plain SHA-256 chain ("unkeyed"); they may only
come first, and the first keyed row's HMAC covers the last of them, so they cannot be rewritten
either. What this does not protect against is in docs/evidence.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

GENESIS = "0" * 64
MAX_REPORTED = 50  # rows named one by one; the rest are counted


@dataclass(frozen=True, slots=True)
class AuditRecord:
    at: datetime
    actor_id: str | None
    actor_label: str
    action: str
    object_type: str
    object_id: str | None
    agency_id: str | None
    details: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class AuditRow:
    """A stored entry: its id, content, the predecessor's hash it names, its own hash."""

    id: int
    record: AuditRecord
    prev_hash: str
    hash: str
    keyed: bool = True  # False: written before the keyed chain began (plain SHA-256)


@dataclass(frozen=True, slots=True)
class Anchor:
    """One line of the anchor file: row `row_id` had hash `mac` at `at`."""

    line: int
    row_id: int
    mac: str
    at: datetime
    authentic: bool  # the line's own HMAC matches (else the anchor file was edited)
    first_keyed: int | None = None  # written at verification: where the keyed chain starts


@dataclass(frozen=True, slots=True)
class AuditFailure:
    row_id: int | None  # None: a finding about the anchor file
    problem: str

    def __str__(self) -> str:
        return f"audit log row {self.row_id}: {self.problem}" if self.row_id is not None \
            else f"audit anchor: {self.problem}"


def _canonical(prev_hash: str, record: AuditRecord) -> bytes:
    payload = {
        "prev": prev_hash,
        "at": record.at.isoformat(),
        "actor_id": record.actor_id,
        "actor_label": record.actor_label,
        "action": record.action,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "agency_id": record.agency_id,
        "details": record.details,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def entry_hash(prev_hash: str, record: AuditRecord) -> str:
    """The unkeyed hash of rows written before the keyed chain began."""
    return hashlib.sha256(_canonical(prev_hash, record)).hexdigest()


def entry_mac(key: bytes, prev_hash: str, record: AuditRecord) -> str:
    """The keyed hash (HMAC-SHA-256) every entry now carries."""
    return hmac.new(key, _canonical(prev_hash, record), hashlib.sha256).hexdigest()


def authentic(key: bytes, row: AuditRow) -> bool:
    """The row's content is what its hash was computed over: under the key for a keyed row
    (so only the key's holder wrote it), plainly for a row from before the key. Where the row
    sits in the chain is for the whole log's check (ChainCheck)."""
    expected = (entry_mac(key, row.prev_hash, row.record) if row.keyed
                else entry_hash(row.prev_hash, row.record))
    return hmac.compare_digest(expected, row.hash)


def anchor_mac(key: bytes, row_id: int, mac: str, at: datetime, first_keyed: int | None) -> str:
    """The HMAC of one anchor line, so the anchor file cannot be edited without the key."""
    text = f"{row_id} {mac} {at.isoformat()} {first_keyed if first_keyed is not None else '-'}"
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


class ChainCheck:
    """Checks rows one at a time (the log can be long), then the anchors against them."""

    def __init__(self, key: bytes, anchors: Sequence[Anchor] = ()) -> None:
        self._key = key
        self._anchors = anchors
        self._wanted = {a.row_id for a in anchors if a.authentic}
        self.anchored: dict[int, str] = {}  # id -> hash of the rows anchors name
        self.failures: list[AuditFailure] = []
        self.last_id: int | None = None
        self.head = GENESIS
        self.first_keyed: int | None = None
        self.rows = 0

    def add(self, row: AuditRow) -> None:
        if row.prev_hash != self.head:
            after = f"row {self.last_id}" if self.last_id is not None else "the start of the log"
            self.failures.append(AuditFailure(row.id, f"does not follow {after}: a row between "
                                              "them was deleted or inserted, or the order was "
                                              "changed"))
        if row.keyed:
            if self.first_keyed is None:
                self.first_keyed = row.id
            if not hmac.compare_digest(entry_mac(self._key, row.prev_hash, row.record), row.hash):
                self.failures.append(AuditFailure(row.id, "its content does not match its keyed "
                                                  "hash: the row was rewritten (or its hash "
                                                  "recomputed without the audit key)"))
        elif self.first_keyed is not None:
            self.failures.append(AuditFailure(row.id, "an unkeyed row after the keyed chain "
                                              "began"))
        elif entry_hash(row.prev_hash, row.record) != row.hash:
            self.failures.append(AuditFailure(row.id, "its content does not match its hash: "
                                              "the row was rewritten"))
        if row.id in self._wanted:
            self.anchored[row.id] = row.hash
        self.last_id, self.head = row.id, row.hash
        self.rows += 1

    def result(self) -> list[AuditFailure]:
        failures = [*self.failures, *anchor_failures(self._anchors, self)]
        if len(failures) > MAX_REPORTED:
            failures = [*failures[:MAX_REPORTED],
                        AuditFailure(None, f"and {len(failures) - MAX_REPORTED} more failures")]
        return failures


def chain_failures(rows: Iterable[AuditRow], key: bytes,
                   anchors: Sequence[Anchor] = ()) -> list[AuditFailure]:
    """Every row that breaks the chain, and every anchor the table contradicts."""
    check = ChainCheck(key, anchors)
    for row in rows:
        check.add(row)
    return check.result()


def anchor_failures(anchors: Sequence[Anchor], state: ChainCheck) -> list[AuditFailure]:
    failures: list[AuditFailure] = []
    anchored = state.anchored
    ahead = [a for a in anchors if a.authentic and (state.last_id is None or a.row_id > state.last_id)]
    if ahead:
        furthest = max(ahead, key=lambda a: a.row_id)
        ends = f"ends at row {state.last_id}" if state.last_id is not None else "is empty"
        failures.append(AuditFailure(furthest.row_id, f"deleted: the log {ends}, but the anchor "
                                     f"of {furthest.at.isoformat()} records row {furthest.row_id} "
                                     "(rows at the end of the log were deleted)"))
    for anchor in anchors:
        if not anchor.authentic:
            failures.append(AuditFailure(None, f"line {anchor.line} of the anchor file was "
                                         "altered (its HMAC does not match)"))
        elif anchor in ahead:
            continue
        elif anchor.row_id not in anchored:
            failures.append(AuditFailure(anchor.row_id, "deleted: the anchor of "
                                         f"{anchor.at.isoformat()} records it"))
        elif anchored[anchor.row_id] != anchor.mac:
            failures.append(AuditFailure(anchor.row_id, "changed since the anchor of "
                                         f"{anchor.at.isoformat()} recorded its hash"))
        if (anchor.authentic and anchor.first_keyed is not None
                and anchor.first_keyed != state.first_keyed):
            failures.append(AuditFailure(state.first_keyed, "the keyed chain now starts at "
                                         f"another row than {anchor.first_keyed}, where the "
                                         f"anchor of {anchor.at.isoformat()} saw it start"))
    return failures


