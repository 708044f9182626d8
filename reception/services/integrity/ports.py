"""Ports of the integrity checks: the stored evidence to list (SQL) and the files to re-read
(recordings with their chains, documents named by their SHA-256)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from reception.domain.hearings.model import HearingId, Recording
from reception.domain.integrity import FileProblem, IntegrityReport, RecordingCheck, Stored
from reception.domain.transcripts.transcript import Transcript


@dataclass(frozen=True, slots=True)
class StoredDocument:
    store: str  # "case" (case documents, generated forms included) or "upload" (booking)
    id: str
    label: str  # what a person recognises: the case reference and title, or the file name
    sha256: str
    size_bytes: int | None  # None: not recorded (the file's SHA-256 is checked alone)
    kind: Stored = Stored.CASE_DOCUMENT  # with `id`, what its attestation is found by

    @property
    def file(self) -> str:
        """Where it lies: the store's directory and the name its SHA-256 gives it."""
        return f"{STORE_DIRECTORIES.get(self.store, self.store)}/{self.sha256[:2]}/{self.sha256}"


@dataclass(frozen=True, slots=True)
class ApprovedTranscript:
    transcript: Transcript
    booking_reference: str  # what a person finds the hearing by


STORE_DIRECTORIES = {"case": "case_documents", "upload": "uploads"}  # under DATA_DIR


class IntegrityRepository(Protocol):
    def recordings(self) -> AsyncIterator[Recording]:
        """Every stored recording file, oldest hearing first."""
        ...

    def documents(self) -> AsyncIterator[StoredDocument]: ...
    async def approved_transcripts(self) -> Sequence[ApprovedTranscript]:
        """Every approved transcript, oldest approval first."""
        ...

    async def record_verification(self, hearing_id: HearingId, path: str, at: datetime,
                                  ok: bool, problem: str | None) -> None: ...
    async def add(self, report: IntegrityReport) -> None: ...
    async def latest(self) -> IntegrityReport | None: ...


class EvidenceFiles(Protocol):
    """Re-reading stored files (in a worker thread: a recording can be large)."""

    async def check_recording(self, path: str, chain: str | None,
                              sha256: str | None) -> tuple[list[FileProblem], str | None]:
        """(problems, SHA-256 now) of a recording against its chain and its stored hash (None:
        none stored, as for the as-recorded original of a repaired file); a file with no chain
        (recorded before chains) is checked against its hash alone."""
        ...

    async def check_document(self, store: str, sha256: str,
                             size_bytes: int | None) -> list[str]: ...


class RecordingVerifier(Protocol):
    """What other services ask of the integrity service: check a hearing's files now."""

    async def verify_hearing(self, hearing_id: HearingId) -> Sequence[RecordingCheck]: ...
