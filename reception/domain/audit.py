"""Hash chain of the audit log: each entry commits to its predecessor, so editing, deleting or
reordering any row breaks every hash after it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

GENESIS = "0" * 64


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


def entry_hash(prev_hash: str, record: AuditRecord) -> str:
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
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def first_broken(chain: Iterable[tuple[int, AuditRecord, str, str]]) -> int | None:
    """Id of the first row whose stored prev/hash do not match the chain, or None if intact.

    `chain` yields (row id, record, stored prev_hash, stored hash) in id order.
    """
    expected_prev = GENESIS
    for row_id, record, prev_hash, stored in chain:
        if prev_hash != expected_prev or entry_hash(prev_hash, record) != stored:
            return row_id
        expected_prev = stored
    return None
