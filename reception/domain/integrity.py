"""Integrity of the evidence: what a check of recordings, documents and the audit log found.
The checks themselves are elsewhere (recordings: adapters/media/recording/chain/; the audit log:
domain/audit.py); this is the vocabulary their results are reported and stored in."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NewType

from reception.domain.hearings.model import Recording

IntegrityCheckId = NewType("IntegrityCheckId", uuid.UUID)


class Subject(enum.StrEnum):
    RECORDING = "recording"
    DOCUMENT = "document"
    AUDIT = "audit"
    TRANSCRIPT = "transcript"  # an approved transcript against its fingerprint


class Stored(enum.StrEnum):
    """What kind of stored file a hash row names; with its id, the key its attestation (the
    SHA-256 the keyed audit log recorded when it was stored) is found by."""

    CASE_DOCUMENT = "case_document"  # uploads, generated forms, receipts, copied attachments
    BOOKING_DOCUMENT = "booking_document"  # citizens' attachments to a booking
    SIGNED_RECORD = "signed_document"  # a signed document that is no case document: hearing record
    RECORDING = "recording"  # id: the path relative to the recordings directory


@dataclass(frozen=True, slots=True)
class Attestation:
    """That a stored file's SHA-256 went into the audit log in this unit of work. The
    repositories ask for one with every file's row (services/integrity/attestation.py makes
    them), so a way of storing files cannot forget the audit log."""

    kind: Stored
    object_id: str
    sha256: str

    def names(self, kind: Stored, object_id: object, sha256: str) -> bool:
        return (self.kind, self.object_id, self.sha256) == (kind, str(object_id), sha256)


def require(attestation: Attestation | None, kind: Stored, object_id: object,
            sha256: str) -> None:
    """For the repositories: refuse a file's row without its attestation."""
    if attestation is None:
        raise ValueError(f"{kind.value} {object_id} ({sha256}) is stored without attestation")
    if not attestation.names(kind, object_id, sha256):
        raise ValueError(f"{kind.value} {object_id} ({sha256}) is stored with the attestation "
                         f"of {attestation.kind.value} {attestation.object_id} "
                         f"({attestation.sha256})")


class Trigger(enum.StrEnum):
    COMMAND = "command"  # `reception verify`
    PERIODIC = "periodic"  # the workers' scheduled job
    MANUAL = "manual"  # an administrator's "check now"


@dataclass(frozen=True, slots=True)
class Finding:
    """One failure, named so that a person can find it: which file (and chunk, byte offset) or
    which audit row, and what is wrong."""

    subject: Subject
    where: str
    problem: str

    def __str__(self) -> str:
        return f"{self.subject.value} {self.where}: {self.problem}"


@dataclass(frozen=True, slots=True)
class FileProblem:
    """One thing wrong with a stored file: its kind (what a page says, in the reader's
    language), where (chunk, byte offset, length) and the technical text (command output, log).

    Kinds: "altered" (a chunk is not what was recorded), "truncated" (bytes of a chunk are
    missing), "size" (the file is shorter than when it was closed), "unchained" (bytes that no
    chain covers), "gap" / "order" (chunks moved or missing), "chain_differs" (the chain beside
    the file is not the one in the database), "no_chain", "malformed", "unreadable", "missing",
    "hash" (its SHA-256 is not the one stored when it was closed), "more" (`length` more)."""

    kind: str
    text: str
    chunk: int | None = None
    offset: int | None = None
    length: int | None = None
    original: bool = False  # about the as-recorded original kept beside a repaired file

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class RecordingCheck:
    """One recording file (and, after a crash repair, its as-recorded original) checked now
    against its chain and the SHA-256 stored when it was closed."""

    recording: Recording
    checked_at: datetime
    problems: tuple[FileProblem, ...]  # empty: the file is exactly as recorded
    sha256_now: str | None  # of the file as it is now (None: unreadable)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class IntegrityReport:
    id: IntegrityCheckId
    started_at: datetime
    finished_at: datetime
    trigger: Trigger
    recordings: int
    documents: int
    audit_rows: int
    failures: Sequence[Finding]
    transcripts: int = 0  # approved transcripts checked (said by the command, not stored)

    @property
    def ok(self) -> bool:
        return not self.failures
