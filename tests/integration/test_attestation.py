"""Every stored file is attested in the audit log when it is stored, whatever the way in, and
the integrity check fails a stored file the log never attested. For each way of storing a file
(PATHS: every kind of stored file in `Stored` has one at least): what it stored verifies; a row
inserted in the database beside a matching file (no attestation) is named by kind, id and
file; the file swapped with its row's hash updated contradicts the log. Files stored before
attestation are attested once by `reception verify --attest-existing`, and never again."""

from __future__ import annotations

import ast
import hashlib
import os
import subprocess
import sys
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import pytest
from quart import Quart

from reception.adapters.media.recording import chain
from reception.domain.integrity import Trigger
from reception.domain.organisation import StaffMember
from reception.services.booking.rules import Upload
from tests.conftest import asyncpg_dsn
from tests.integration.booking.test_booking_refusals import PDF
from tests.integration.cases.helpers import ALL_CASE_ROLES, client_for, staff
from tests.integration.hearings.factory import make_official
from tests.integration.test_integrity import EVIDENCE, petition, run
from tests.integration.transcript_review.seed import SeededHearing, seed_hearing

OTHER_PDF = b"%PDF-1.4\n% not what was stored\n%%EOF\n"


@dataclass(frozen=True)
class StoredRow:
    """A stored file's row: its table, the column and value that name it, its kind (as the
    check names it) and the file (relative to DATA_DIR)."""

    kind: str
    table: str
    key_column: str
    key: str
    file: Path


def document_row(kind: str, table: str, key: object, sha256: str, store: str) -> StoredRow:
    return StoredRow(kind, table, "id", str(key), Path(store) / sha256[:2] / sha256)


async def _case(app: Quart) -> tuple[StaffMember, str]:
    head = await staff(app, "head", *ALL_CASE_ROLES, code="SO")
    return head, (await petition(await client_for(app, "head")))["id"]


async def _hearing(app: Quart, tmp_path: Path) -> tuple[SeededHearing, StaffMember]:
    container = app.container  # type: ignore[attr-defined]
    official = await make_official(container.staff)
    return await seed_hearing(container.uow_factory, official, tmp_path / "recordings",
                              evidence=EVIDENCE), official


async def case_upload(app: Quart, tmp_path: Path) -> StoredRow:
    head, case_id = await _case(app)
    document = await app.container.cases.files.upload(  # type: ignore[attr-defined]
        head, uuid.UUID(case_id), "Đơn", PDF)
    return document_row("case_document", "case_document", document.id, document.sha256,
                        "case_documents")


async def generated_form(app: Quart, tmp_path: Path) -> StoredRow:
    head, case_id = await _case(app)
    document = await app.container.cases.files.generate(  # type: ignore[attr-defined]
        head, uuid.UUID(case_id), "receipt_02")
    return document_row("case_document", "case_document", document.id, document.sha256,
                        "case_documents")


async def receipt(app: Quart, tmp_path: Path) -> StoredRow:
    head, case_id = await _case(app)
    files = app.container.cases.files  # type: ignore[attr-defined]
    await files.receipt(head, uuid.UUID(case_id))
    detail = await files.detail(head, uuid.UUID(case_id))
    [kept] = detail.documents  # the agency's copy (the citizen's is handed over)
    return document_row("case_document", "case_document", kept.id, kept.sha256,
                        "case_documents")


async def _attached(app: Quart, tmp_path: Path) -> SeededHearing:
    """A held hearing whose citizen attached a PDF with their link."""
    held, _ = await _hearing(app, tmp_path)
    await app.container.booking.bookings.add_documents(  # type: ignore[attr-defined]
        held.seeded.token, [Upload("qd-12.pdf", PDF)])
    return held


async def booking_upload(app: Quart, tmp_path: Path) -> StoredRow:
    held = await _attached(app, tmp_path)
    async with app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        [document] = await uow.bookings.documents(held.seeded.booking.id)
    return document_row("booking_document", "booking_document", document.id, document.sha256,
                        "uploads")


async def reception_attachment(app: Quart, tmp_path: Path) -> StoredRow:
    """A reception's attachment copied into the case opened from it."""
    held = await _attached(app, tmp_path)
    container = app.container  # type: ignore[attr-defined]
    client = await client_for(app, "canbo")
    response = await client.post(f"/receptions/{held.seeded.booking.id}/case", form={
        "kind": "petition", "summary": "Kiến nghị về đường làng", "csrf_token": client.csrf})
    assert response.status_code == 303, await response.get_data(as_text=True)
    case_id = urlsplit(response.headers["Location"]).path.rsplit("/", 1)[1]
    async with container.uow_factory() as uow:
        [document] = await uow.cases.documents(uuid.UUID(case_id))
    return document_row("case_document", "case_document", document.id, document.sha256,
                        "case_documents")


async def hearing_record(app: Quart, tmp_path: Path) -> StoredRow:
    held, official = await _hearing(app, tmp_path)
    container = app.container  # type: ignore[attr-defined]
    await container.transcript_review.approve(official, held.hearing.id, checked=True)
    async with container.uow_factory() as uow:
        record = await uow.signed_documents.of_hearing(held.hearing.id)
    assert record is not None
    return document_row("signed_document", "signed_document", record.id, record.sha256,
                        "case_documents")


async def recording(app: Quart, tmp_path: Path) -> StoredRow:
    held, official = await _hearing(app, tmp_path)
    path = f"{held.hearing.id}/{held.citizen_member.id}.evidence.webm"
    return StoredRow("recording", "hearing_recording", "path", path, Path("recordings") / path)


# Every way of storing a file with its hash row (services/integrity/attestation.add_*).
PATHS: dict[str, Callable[[Quart, Path], Awaitable[StoredRow]]] = {
    "case upload": case_upload, "generated form": generated_form, "receipt": receipt,
    "booking upload": booking_upload, "reception attachment": reception_attachment,
    "hearing record": hearing_record, "recording": recording}
KINDS = {"case upload": "case_document", "generated form": "case_document",
         "receipt": "case_document", "booking upload": "booking_document",
         "reception attachment": "case_document", "hearing record": "signed_document",
         "recording": "recording"}


async def _sql(database_url: str, statement: str, *args: object) -> None:
    connection = await asyncpg.connect(dsn=asyncpg_dsn(database_url))
    try:
        await connection.execute(statement, *args)
    finally:
        await connection.close()


async def insert_beside(database_url: str, row: StoredRow, data_dir: Path) -> str:
    """What someone with the database and the disk can do: a new row, a copy of `row`'s,
    beside a matching file. Returns the key that names it."""
    fresh = uuid.uuid4()
    changes = {"id": f"'{fresh}'"}
    key = str(fresh)
    if row.table == "signed_document":  # unique columns, and a hearing has one record
        changes |= {"code": f"'{fresh.hex[:16]}'", "digest": f"'{fresh.hex}'",
                    "hearing_id": "NULL"}
    if row.table == "hearing_recording":  # named by its path: a copy of the file elsewhere
        key = f"{row.key.split('/')[0]}/{fresh}.evidence.webm"
        original = data_dir / row.file
        copy = original.with_name(f"{fresh}.evidence.webm")
        copy.write_bytes(original.read_bytes())
        chain.sidecar_of(copy).write_bytes(chain.sidecar_of(original).read_bytes())
        changes["path"] = f"'{key}'"
    sets = ", ".join(f"{column} = {value}" for column, value in changes.items())
    await _sql(database_url, f"CREATE TEMP TABLE forged AS SELECT * FROM {row.table} "
                             f"WHERE {row.key_column} = '{row.key}'; "
                             f"UPDATE forged SET {sets}; "
                             f"INSERT INTO {row.table} SELECT * FROM forged")
    return key


async def swap(database_url: str, row: StoredRow, data_dir: Path) -> None:
    """Another file in place of the stored one, and its row's hash (and chain) updated."""
    if row.table == "hearing_recording":
        file = data_dir / row.file
        data = bytearray(file.read_bytes())
        data[5000] ^= 0x01
        file.write_bytes(data)
        chain.sidecar_of(file).unlink()
        forged_chain = chain.seal(file)
        await _sql(database_url, "UPDATE hearing_recording SET sha256 = $1, chain = $2 "
                                 "WHERE path = $3", hashlib.sha256(data).hexdigest(),
                   forged_chain, row.key)
        return
    sha = hashlib.sha256(OTHER_PDF).hexdigest()
    file = data_dir / row.file.parent.parent / sha[:2] / sha
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(OTHER_PDF)
    size = {"case_document": ", size_bytes = $3", "booking_document": ", size = $3"}
    statement = f"UPDATE {row.table} SET sha256 = $1{size.get(row.table, '')} WHERE id = $2"
    await _sql(database_url, statement, sha, uuid.UUID(row.key),
               *([len(OTHER_PDF)] if row.table in size else []))


async def failures(app: Quart) -> list[str]:
    report = await app.container.integrity.check_all(Trigger.MANUAL)  # type: ignore[attr-defined]
    return [str(f) for f in report.failures]


def test_every_kind_of_stored_file_has_a_way_in_here() -> None:
    from reception.domain.integrity import Stored

    assert set(KINDS.values()) == {kind.value for kind in Stored}


def test_file_rows_are_added_only_through_the_attesting_helpers() -> None:
    """The code's own list of the ways in: every call that adds a file's row."""
    root = Path(__file__).parents[2] / "reception"
    calls = []
    for source in root.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("add_document", "add_recording")):
                calls.append(source.relative_to(root.parent).as_posix())
    assert calls and set(calls) == {"reception/services/integrity/attestation.py"}, calls


@pytest.mark.parametrize("way", sorted(PATHS))
async def test_a_stored_file_verifies_and_an_unattested_or_swapped_one_is_named(
    app: Quart, clean_db: str, tmp_path: Path, way: str
) -> None:
    row = await PATHS[way](app, tmp_path)
    assert (tmp_path / row.file).is_file()
    assert await failures(app) == []

    forged = await insert_beside(clean_db, row, tmp_path)
    found = await failures(app)
    [unattested] = [f for f in found if "not attested" in f]
    file = forged if row.table == "hearing_recording" else row.file.name  # the same bytes
    assert f"never recorded the SHA-256 of {KINDS[way]} {forged}" in unattested, unattested
    assert file in unattested

    await swap(clean_db, row, tmp_path)
    changed = [f for f in await failures(app) if "is not the one the audit log recorded" in f]
    assert len(changed) == 1 and f"{KINDS[way]} {row.key}" in changed[0], changed


async def test_verify_names_an_unattested_row_and_files_stored_before_are_attested_once(
    app: Quart, clean_db: str, tmp_path: Path
) -> None:
    row = await case_upload(app, tmp_path)
    assert run("verify", clean_db, tmp_path).returncode == 0
    before = await insert_beside(clean_db, row, tmp_path)  # as if stored before attestation
    result = run("verify", clean_db, tmp_path)
    assert result.returncode == 1
    assert (" · Đơn: not attested: the audit log never recorded the SHA-256 of case_document "
            f"{before} (case_documents/{row.file.parent.name}/{row.file.name}) when it was "
            "stored; files stored before attestation are attested once by `reception verify "
            "--attest-existing`") in result.stderr, result.stderr
    assert result.stderr.startswith("FAILED document ")

    result = run_args(["verify", "--attest-existing"], clean_db, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "attested document" in result.stdout and before in result.stdout
    assert "1 file(s) stored before attestation" in result.stdout

    after = await insert_beside(clean_db, row, tmp_path)  # inserted after the baseline
    again = run_args(["verify", "--attest-existing"], clean_db, tmp_path)
    assert again.returncode == 1 and "a baseline is recorded once" in again.stderr
    assert f"case_document {after}" in again.stderr and before not in again.stderr


def run_args(arguments: list[str], database_url: str,
             data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "DATA_DIR": str(data_dir),
           "SECRET_KEY": "test-secret", "LOG_JSON": "false", "LOG_LEVEL": "WARNING"}
    return subprocess.run([sys.executable, "-m", "reception.cli", *arguments], env=env,
                          text=True, capture_output=True, timeout=120, check=False)
