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

    @property
    def ok(self) -> bool:
        return not self.failures
