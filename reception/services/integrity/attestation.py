"""Attesting stored files: every way of storing a document or a recording with its hash row
goes through one of the `add_*` functions here, which record the file's SHA-256 in the keyed
audit log in the same unit of work (`evidence.stored`). The repositories refuse a file's row
without the attestation made here, so a new way of storing files cannot forget it; the
integrity check then fails any stored file whose hash the log never recorded (checks.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from reception.domain.audit import AuditRecord
from reception.domain.booking import Booking
from reception.domain.booking import Document as BookingDocument
from reception.domain.cases.case_file import Document as CaseDocument
from reception.domain.documents.signed import DocumentKind, SignedDocument
from reception.domain.hearings.model import Hearing, Recording
from reception.domain.integrity import Attestation, Stored
from reception.domain.organisation import StaffMember
from reception.services import audit
from reception.services.ports import UnitOfWork

ATTESTED = "evidence.stored"
# The one-off attestation of the files stored before attestation existed (`reception verify
# --attest-existing`): what their rows said then, stated as such (docs/evidence.md §3).
BASELINE = "evidence.baseline"
# Entries that recorded files' hashes before `evidence.stored` existed (still read: they are
# the attestations of the files they name).
RECORDINGS_STORED = "hearing.recordings_stored"
DOCUMENTS_ADDED = ("case.document_upload", "case.form_generate")
ATTESTING = (ATTESTED, BASELINE, RECORDINGS_STORED, *DOCUMENTS_ADDED)

Attested = dict[tuple[Stored, str], str]  # (kind, id) -> the SHA-256 the audit log recorded


async def attest(uow: UnitOfWork, at: datetime, actor: StaffMember | None, kind: Stored,
                 object_id: object, sha256: str, *, agency_id: object,
                 actor_label: str | None = None,
                 about: tuple[str, object] | None = None) -> Attestation:
    """Record in the audit log (the caller's unit of work) that this file was stored with
    this SHA-256; the returned attestation is what the repository asks for with its row.
    `about`: the audited object when the file's id is none (a recording's path is too long
    for the log's object id: its hearing)."""
    object_type, audited = about or (kind.value, object_id)
    await uow.audit.append(audit.record(
        at, actor, ATTESTED, object_type, audited, agency_id=agency_id, actor_label=actor_label,
        details={"stored": kind.value, "id": str(object_id), "sha256": sha256}))
    return Attestation(kind, str(object_id), sha256)


async def add_case_document(uow: UnitOfWork, at: datetime, actor: StaffMember,
                            agency_id: object, document: CaseDocument) -> None:
    """A case document (upload, generated form, receipt, a reception's attachment)."""
    await uow.cases.add_document(document, await attest(
        uow, at, actor, Stored.CASE_DOCUMENT, document.id, document.sha256,
        agency_id=agency_id))


async def add_booking_document(uow: UnitOfWork, at: datetime, actor: StaffMember | None,
                               booking: Booking, document: BookingDocument) -> None:
    """A booking's attachment; `actor` None: the citizen sent it."""
    await uow.bookings.add_document(document, await attest(
        uow, at, actor, Stored.BOOKING_DOCUMENT, document.id, document.sha256,
        agency_id=booking.agency_id, actor_label=None if actor else "citizen"))


async def add_signed_record(uow: UnitOfWork, at: datetime, actor: StaffMember,
                            record: SignedDocument) -> None:
    """A signed document kept as a file of its own (a hearing record)."""
    assert record.kind is DocumentKind.HEARING_RECORD
    await uow.signed_documents.add(record, await attest(
        uow, at, actor, Stored.SIGNED_RECORD, record.id, record.sha256,
        agency_id=record.agency_id))


async def add_recordings(uow: UnitOfWork, at: datetime, hearing: Hearing,
                         recordings: Sequence[Recording]) -> None:
    """A hearing's closed recording files (named by their path)."""
    for recording in recordings:
        await uow.hearings.add_recording(recording, await attest(
            uow, at, None, Stored.RECORDING, recording.path, recording.sha256,
            agency_id=hearing.agency_id, actor_label="system", about=("hearing", hearing.id)))


async def attested(uow: UnitOfWork) -> Attested:
    """Every stored file's SHA-256 as the audit log recorded it (the latest, if twice)."""
    found: Attested = {}
    async for record in uow.audit.of_actions(ATTESTING):
        try:
            found.update(_named(record))
        except (KeyError, ValueError):  # a row rewritten: the audit log's check names it
            continue
    return found


def _named(record: AuditRecord) -> Attested:
    """The attestations one audit entry holds."""
    details, hashes = record.details, record.details.get("sha256")
    if record.action == ATTESTED and isinstance(hashes, str):
        return {(Stored(str(details["stored"])), str(details["id"])): hashes}
    if record.action == RECORDINGS_STORED and isinstance(hashes, dict):
        return {(Stored.RECORDING, str(path)): str(sha) for path, sha in hashes.items()}
    if record.action == BASELINE and isinstance(hashes, dict):
        return {(Stored(kind), str(object_id)): str(sha)
                for kind, by_id in hashes.items() for object_id, sha in by_id.items()}
    if record.action in DOCUMENTS_ADDED and isinstance(hashes, str) and record.object_id:
        return {(Stored.CASE_DOCUMENT, record.object_id): hashes}
    return {}


async def record_baseline(uow: UnitOfWork, at: datetime,
                          objects: Sequence[tuple[Stored, str, str]]) -> None:
    """The one-off attestation of files stored before attestation existed: (kind, id, SHA-256
    their row holds now), in one audit entry that says what it is."""
    hashes: dict[str, dict[str, str]] = {}
    for kind, object_id, sha256 in objects:
        hashes.setdefault(kind.value, {})[object_id] = sha256
    await uow.audit.append(audit.record(
        at, None, BASELINE, "integrity", None, actor_label="reception verify --attest-existing",
        details={"files": len(objects), "sha256": hashes,
                 "meaning": "stored before attestation; their rows' hashes as found now"}))


async def baseline_at(uow: UnitOfWork) -> datetime | None:
    """When the one-off baseline was recorded (None: never)."""
    found = [record.at async for record in uow.audit.of_actions([BASELINE])]
    return found[0] if found else None
