"""`reception verify` and `reception audit-verify` on the real database and files: intact
evidence passes; each attack — on a recording (a flipped byte, a chunk cut out, a truncated
tail), on a generated form, on the audit log (a rewritten row, a row rewritten with the chain
recomputed without the key, the last rows deleted, a middle row deleted) — is named (file,
chunk, byte offset, row id) and makes the command fail."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import random
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from quart import Quart

from reception.adapters.media.recording import chain
from reception.bootstrap.container import Container
from reception.bootstrap.transcription import run_transcription_worker
from reception.domain.audit import AuditRecord, entry_hash
from reception.domain.integrity import Trigger
from reception.services import audit
from tests.conftest import asyncpg_dsn
from tests.integration.cases.helpers import ALL_CASE_ROLES, client_for, post, staff
from tests.integration.conftest import make_settings
from tests.integration.hearings.factory import make_official
from tests.integration.transcript_review.seed import SeededHearing, seed_hearing

EVIDENCE = random.Random(154).randbytes(10 * 1024)  # ten chunks of 1 KiB, none alike


def run(command: str, database_url: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "DATA_DIR": str(data_dir),
           "SECRET_KEY": "test-secret", "LOG_JSON": "false", "LOG_LEVEL": "WARNING"}
    return subprocess.run([sys.executable, "-m", "reception.cli", command], env=env, text=True,
                          capture_output=True, timeout=120, check=False)


@pytest.fixture
async def seeded(app: Quart, tmp_path: Path) -> SeededHearing:
    container = app.container  # type: ignore[attr-defined]
    official = await make_official(container.staff)
    return await seed_hearing(container.uow_factory, official, tmp_path / "recordings",
                              evidence=EVIDENCE)


def evidence_file(seeded: SeededHearing, tmp_path: Path) -> Path:
    return tmp_path / "recordings" / f"{seeded.hearing.id}/{seeded.citizen_member.id}.evidence.webm"


def flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[5000] ^= 0x01  # in the fifth chunk (bytes 4096-5119)
    path.write_bytes(data)


def cut(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:2048] + data[3072:])  # the third chunk


def truncate(path: Path) -> None:
    with path.open("r+b") as file:
        file.truncate(path.stat().st_size - 100)


ATTACKS: dict[str, tuple[Callable[[Path], None], str]] = {
    "flipped byte": (flip, "chunk 4 at byte 4096: the chunk of 1024 bytes"),
    "chunk cut out": (cut, "chunk 2 at byte 2048: the chunk of 1024 bytes"),
    "truncated tail": (truncate, "chunk 9 at byte 10140: the file ends at byte 10140: 100 bytes "
                                 "of this chunk are missing (truncated)"),
}



async def petition(client: Any) -> dict[str, Any]:
    """A petition registered by post through the API (a case with a party and a clock)."""
    return await post(client, "/api/v1/cases", {  # type: ignore[no-any-return]
        "kind": "petition", "channel": "post", "summary": "Kiến nghị về đường làng",
        "received_on": "2026-09-01",
        "parties": [{"role": "petitioner", "full_name": "Trần Thị Bình", "address": "Huế",
                     "id_number": "079123456789"}]}, 201)

async def test_intact_evidence_verifies(app: Quart, seeded: SeededHearing, clean_db: str,
                                        tmp_path: Path) -> None:
    result = run("verify", clean_db, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2 recording files, 0 documents" in result.stdout and "all intact" in result.stdout
    assert run("audit-verify", clean_db, tmp_path).returncode == 0


@pytest.mark.parametrize("attack", sorted(ATTACKS))
async def test_a_tampered_recording_is_named_by_file_chunk_and_offset(
    app: Quart, seeded: SeededHearing, clean_db: str, tmp_path: Path, attack: str
) -> None:
    tamper, expected = ATTACKS[attack]
    file = evidence_file(seeded, tmp_path)
    tamper(file)
    result = run("verify", clean_db, tmp_path)
    assert result.returncode == 1
    relative = f"{seeded.hearing.id}/{seeded.citizen_member.id}.evidence.webm"
    assert f"FAILED recording {relative}: {expected}" in result.stderr, result.stderr
    async with app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        stored = {r.path: r for r in await uow.hearings.recordings(seeded.hearing.id)}
    assert stored[relative].verified is False and stored[relative].verify_problem
    assert all(r.verified for path, r in stored.items() if path != relative)


async def test_a_chain_rewritten_beside_the_file_is_caught_by_the_database_copy(
    app: Quart, seeded: SeededHearing, clean_db: str, tmp_path: Path
) -> None:
    file = evidence_file(seeded, tmp_path)
    flip(file)
    chain.sidecar_of(file).unlink()
    chain.seal(file)  # a consistent new chain for the tampered file
    result = run("verify", clean_db, tmp_path)
    assert result.returncode == 1
    assert "the chain beside the file differs from the copy in the database" in result.stderr
    assert "chunk 4 at byte 4096" in result.stderr


async def test_a_recording_replaced_with_its_chain_and_database_row_contradicts_the_audit_log(
    app: Quart, seeded: SeededHearing, clean_db: str, tmp_path: Path
) -> None:
    relative = f"{seeded.hearing.id}/{seeded.citizen_member.id}.evidence.webm"
    async with app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        stored = {r.path: r.sha256 for r in await uow.hearings.recordings(seeded.hearing.id)}
        await uow.audit.append(audit.record(  # as the hearing service does when it stores them
            seeded.hearing.ended_at, None, "hearing.recordings_stored", "hearing",
            seeded.hearing.id, agency_id=seeded.hearing.agency_id, actor_label="system",
            details={"files": len(stored), "sha256": stored}))
        await uow.commit()
    file = evidence_file(seeded, tmp_path)
    flip(file)  # a forged file, with a chain of its own and its database row to match
    chain.sidecar_of(file).unlink()
    forged_chain = chain.seal(file)
    forged_sha = hashlib.sha256(file.read_bytes()).hexdigest()
    connection = await asyncpg.connect(dsn=asyncpg_dsn(clean_db))
    try:
        await connection.execute("UPDATE hearing_recording SET sha256 = $1, chain = $2 "
                                 "WHERE path = $3", forged_sha, forged_chain, relative)
    finally:
        await connection.close()
    result = run("verify", clean_db, tmp_path)
    assert result.returncode == 1
    assert (f"FAILED recording {relative}: its SHA-256 in the database is not the one the audit "
            "log recorded when it was stored") in result.stderr, result.stderr


async def test_a_tampered_generated_form_is_named(app: Quart, clean_db: str,
                                                  tmp_path: Path) -> None:
    await staff(app, "head", *ALL_CASE_ROLES, code="SO")
    client = await client_for(app, "head")
    case = await petition(client)
    document = await post(client, f"/api/v1/cases/{case['id']}/forms/receipt_02", {}, 201)
    assert run("verify", clean_db, tmp_path).returncode == 0
    stored = tmp_path / "case_documents" / document["sha256"][:2] / document["sha256"]
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 0x01
    stored.write_bytes(data)
    result = run("verify", clean_db, tmp_path)
    assert result.returncode == 1
    assert f"FAILED document {case['reference']} · " in result.stderr
    assert f"not {document['sha256']}" in result.stderr


# -- the audit log -----------------------------------------------------------------------
async def _sql(database_url: str, *statements: str) -> None:
    connection = await asyncpg.connect(dsn=asyncpg_dsn(database_url))
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


async def _rows(database_url: str) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(dsn=asyncpg_dsn(database_url))
    try:
        return list(await connection.fetch("SELECT * FROM audit_log ORDER BY id"))
    finally:
        await connection.close()


async def _recompute_without_key(database_url: str, from_id: int,
                                 until_id: int | None = None) -> None:
    """What the old chain allowed: rewrite a row and recompute every hash after it (plain
    SHA-256, the attacker has no key)."""
    rows = await _rows(database_url)
    connection = await asyncpg.connect(dsn=asyncpg_dsn(database_url))
    try:
        prev = next(r["hash"] for r in rows if r["id"] == from_id - 1)
        for row in (r for r in rows if r["id"] >= from_id
                    and (until_id is None or r["id"] <= until_id)):
            record = AuditRecord(row["at"], str(row["actor_id"]) if row["actor_id"] else None,
                                 "intruder" if row["id"] == from_id else row["actor_label"],
                                 row["action"], row["object_type"], row["object_id"],
                                 str(row["agency_id"]) if row["agency_id"] else None,
                                 json.loads(row["details"]))
            digest = entry_hash(prev, record)
            await connection.execute(
                "UPDATE audit_log SET actor_label = $1, prev_hash = $2, hash = $3 WHERE id = $4",
                record.actor_label, prev, digest, row["id"])
            prev = digest
    finally:
        await connection.close()


async def test_deleted_last_rows_of_the_audit_log_are_named(app: Quart, seeded: SeededHearing,
                                                     clean_db: str, tmp_path: Path) -> None:
    client = await client_for(app, "canbo")  # every page view appends to the log
    for _ in range(3):
        assert (await client.get(f"/staff/hearings/{seeded.hearing.id}/transcript")).status_code == 200
    rows = await _rows(clean_db)
    assert len(rows) >= 6 and all(r["keyed"] for r in rows)
    assert run("audit-verify", clean_db, tmp_path).returncode == 0  # anchors the head as well
    last = rows[-1]["id"]

    await _sql(clean_db, f"DELETE FROM audit_log WHERE id >= {last - 1}")  # the tail
    result = run("audit-verify", clean_db, tmp_path)
    assert result.returncode == 1
    assert f"audit log row {last}: deleted: the log ends at row {last - 2}" in result.stderr


async def test_a_rewritten_and_a_deleted_middle_row_are_named(
    app: Quart, seeded: SeededHearing, clean_db: str, tmp_path: Path
) -> None:
    client = await client_for(app, "canbo")
    for _ in range(3):
        await client.get(f"/staff/hearings/{seeded.hearing.id}/transcript")
    rows = await _rows(clean_db)
    rewritten, deleted = rows[2]["id"], rows[4]["id"]
    await _sql(clean_db,
               f"UPDATE audit_log SET details = '{{\"forged\": true}}' WHERE id = {rewritten}",
               f"DELETE FROM audit_log WHERE id = {deleted}")
    result = run("verify", clean_db, tmp_path)
    assert result.returncode == 1
    assert f"FAILED audit row {rewritten}: its content does not match its keyed hash" in result.stderr
    assert f"FAILED audit row {deleted}: deleted" in result.stderr  # its anchor names it
    assert f"FAILED audit row {deleted + 1}: does not follow row {deleted - 1}" in result.stderr


async def test_a_row_rewritten_with_the_chain_recomputed_without_the_key_is_named(
    app: Quart, seeded: SeededHearing, clean_db: str, tmp_path: Path
) -> None:
    client = await client_for(app, "canbo")
    for _ in range(3):
        await client.get(f"/staff/hearings/{seeded.hearing.id}/transcript")
    rows = await _rows(clean_db)
    target = rows[3]["id"]
    await _recompute_without_key(clean_db, target)
    result = run("audit-verify", clean_db, tmp_path)
    assert result.returncode == 1
    assert f"audit log row {target}: its content does not match its keyed hash" in result.stderr
    assert "does not follow" not in result.stderr  # the links are consistent: only the key tells


# -- the periodic check ------------------------------------------------------------------
async def test_workers_run_the_check_on_schedule_and_record_it(clean_db: str,
                                                               tmp_path: Path) -> None:
    settings = make_settings(tmp_path, clean_db, INTEGRITY_CHECK_CRON="* * * * * */2",
                             WORKER_POLL_SECONDS="0.2", WORKER_HEARTBEAT_SECONDS="0.5")
    container = Container(settings, clean_db)
    stop = asyncio.Event()
    worker = asyncio.create_task(run_transcription_worker(
        settings, container.jobs, container.transcription, stop,
        check_integrity=container.periodic_integrity_check))
    try:
        deadline = asyncio.get_running_loop().time() + 60
        while (latest := await container.integrity.latest()) is None:
            assert asyncio.get_running_loop().time() < deadline, "no periodic check ran"
            await asyncio.sleep(0.3)
    finally:
        stop.set()
        await worker
    async with container.uow_factory() as uow:
        trail = [(r.action, dict(r.details)) async for _, r, _, _ in uow.audit.entries()]
    await container.close()
    assert latest.trigger is Trigger.PERIODIC and latest.ok
    checked = [details for action, details in trail if action == "integrity.checked"]
    assert checked and checked[0]["trigger"] == "periodic" and checked[0]["ok"] is True


async def test_rows_written_before_the_key_stay_checked_and_the_keyed_chain_seals_them(
    app: Quart, clean_db: str, tmp_path: Path
) -> None:
    """What the migration leaves: rows of the old (unkeyed) chain, marked keyed = false; the
    server then appends keyed rows onto them."""
    connection = await asyncpg.connect(dsn=asyncpg_dsn(clean_db))
    try:
        prev = "0" * 64
        for n in range(3):
            record = AuditRecord(datetime(2026, 11, 1, 8, n, tzinfo=UTC), None, "system",
                                 f"old.{n}", "case", str(n), None, {"n": n})
            digest = entry_hash(prev, record)
            await connection.execute(
                "INSERT INTO audit_log (at, actor_label, action, object_type, object_id, "
                "details, prev_hash, hash, keyed) VALUES ($1, 'system', $2, 'case', $3, $4, $5, "
                "$6, false)", record.at, record.action, record.object_id,
                json.dumps({"n": n}), prev, digest)
            prev = digest
    finally:
        await connection.close()
    await make_official(app.container.staff)  # type: ignore[attr-defined]  # keyed rows follow
    rows = await _rows(clean_db)
    assert [r["keyed"] for r in rows[:3]] == [False] * 3 and all(r["keyed"] for r in rows[3:])
    assert rows[3]["prev_hash"] == rows[2]["hash"]
    assert run("audit-verify", clean_db, tmp_path).returncode == 0

    await _recompute_without_key(clean_db, 2, 3)  # rewrite an old row, recompute the old chain
    result = run("audit-verify", clean_db, tmp_path)
    assert result.returncode == 1
    assert "audit log row 4: does not follow row 3" in result.stderr
