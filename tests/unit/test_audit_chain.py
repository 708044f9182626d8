"""The audit hash chain names the first row that was altered, removed or reordered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from reception.domain.audit import GENESIS, AuditRecord, entry_hash, first_broken


def _chain(n: int) -> list[tuple[int, AuditRecord, str, str]]:
    rows, prev = [], GENESIS
    start = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    for i in range(n):
        record = AuditRecord(start + timedelta(minutes=i), None, "system", f"act{i}", "case",
                             str(i), None, {"n": i})
        digest = entry_hash(prev, record)
        rows.append((i + 1, record, prev, digest))
        prev = digest
    return rows


def test_an_intact_chain_verifies() -> None:
    assert first_broken(_chain(5)) is None
    assert first_broken([]) is None


def test_an_edited_row_is_named() -> None:
    rows = _chain(5)
    row_id, record, prev, digest = rows[2]
    rows[2] = (row_id, AuditRecord(record.at, record.actor_id, "intruder", record.action,
                                   record.object_type, record.object_id, None, record.details),
               prev, digest)
    assert first_broken(rows) == 3


def test_a_deleted_row_breaks_the_next_one() -> None:
    rows = _chain(5)
    del rows[1]
    assert first_broken(rows) == 3
