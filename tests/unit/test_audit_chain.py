"""The audit chain names every row that was rewritten (also with the chain recomputed by someone
without the key), deleted from the middle or cut from the end, and rows written before the
key existed stay checked and sealed by the first keyed row."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from reception.domain.audit import (
    GENESIS,
    Anchor,
    AuditRecord,
    AuditRow,
    anchor_mac,
    chain_failures,
    entry_hash,
    entry_mac,
)

KEY = b"k" * 32
START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def _record(i: int) -> AuditRecord:
    return AuditRecord(START + timedelta(minutes=i), None, "system", f"act{i}", "case", str(i),
                       None, {"n": i})


def _chain(n: int, *, unkeyed: int = 0, key: bytes = KEY) -> list[AuditRow]:
    """n rows; the first `unkeyed` as written before the audit key (plain SHA-256)."""
    rows, prev = [], GENESIS
    for i in range(n):
        record = _record(i)
        keyed = i >= unkeyed
        digest = entry_mac(key, prev, record) if keyed else entry_hash(prev, record)
        rows.append(AuditRow(i + 1, record, prev, digest, keyed))
        prev = digest
    return rows


def _anchor(row: AuditRow) -> Anchor:
    return Anchor(1, row.id, row.hash, START + timedelta(hours=1), authentic=True)


def _named(rows: list[AuditRow], anchors: list[Anchor] | None = None) -> list[int | None]:
    return [f.row_id for f in chain_failures(rows, KEY, anchors or [])]


def test_an_intact_chain_verifies() -> None:
    rows = _chain(5)
    assert chain_failures(rows, KEY, [_anchor(rows[-1])]) == []
    assert chain_failures([], KEY) == []


def test_a_rewritten_row_is_named() -> None:
    rows = _chain(5)
    rows[2] = replace(rows[2], record=replace(rows[2].record, actor_label="intruder"))
    assert _named(rows) == [3]


def test_a_rewritten_row_with_the_chain_recomputed_without_the_key_is_named() -> None:
    rows = _chain(5)
    forged, prev = list(rows[:2]), rows[1].hash
    for row in rows[2:]:  # the attacker recomputes every later hash, with a key of their own
        record = replace(row.record, actor_label="intruder") if row.id == 3 else row.record
        digest = entry_mac(b"x" * 32, prev, record)
        forged.append(AuditRow(row.id, record, prev, digest))
        prev = digest
    assert _named(forged) == [3, 4, 5]


def test_an_unkeyed_forgery_of_the_whole_log_is_caught_by_its_anchor() -> None:
    rows = _chain(5)
    anchor = _anchor(rows[3])
    forged, prev = [], GENESIS
    for row in rows:  # every row marked "written before the key" and rehashed with SHA-256
        digest = entry_hash(prev, row.record)
        forged.append(AuditRow(row.id, row.record, prev, digest, keyed=False))
        prev = digest
    assert _named(forged) == []  # on its own, a consistent unkeyed log
    assert _named(forged, [anchor]) == [4]


def test_a_deleted_middle_row_breaks_the_next_one() -> None:
    rows = _chain(5)
    del rows[1]
    assert _named(rows) == [3]


def test_deleted_last_rows_are_found_by_the_anchor() -> None:
    rows = _chain(6)
    anchor = _anchor(rows[-1])
    assert _named(rows[:4]) == []  # without the anchor the shorter log is consistent
    failures = chain_failures(rows[:4], KEY, [anchor])
    assert [f.row_id for f in failures] == [6]
    assert "ends at row 4" in failures[0].problem
    assert _named([], [anchor]) == [6]  # everything deleted


def test_an_edited_anchor_line_is_reported() -> None:
    rows = _chain(3)
    at = START
    forged = Anchor(1, 2, rows[1].hash, at, authentic=False)
    assert [str(f) for f in chain_failures(rows, KEY, [forged])] == [
        "audit anchor: line 1 of the anchor file was altered (its HMAC does not match)"]
    assert anchor_mac(KEY, 2, rows[1].hash, at, None) != anchor_mac(b"x" * 32, 2, rows[1].hash,
                                                                   at, None)


def test_rows_written_before_the_key_are_checked_and_sealed_by_the_first_keyed_row() -> None:
    rows = _chain(6, unkeyed=3)
    assert _named(rows) == []
    rewritten, prev = [], GENESIS
    for row in rows[:3]:  # rewrite an old row and recompute the old (unkeyed) chain
        record = replace(row.record, actor_label="intruder") if row.id == 2 else row.record
        digest = entry_hash(prev, record)
        rewritten.append(AuditRow(row.id, record, prev, digest, keyed=False))
        prev = digest
    assert _named([*rewritten, *rows[3:]]) == [4]  # the first keyed row no longer follows
    late = replace(rows[4], keyed=False, hash=entry_hash(rows[4].prev_hash, rows[4].record))
    assert 5 in _named([*rows[:4], late, replace(rows[5], prev_hash=late.hash)])
