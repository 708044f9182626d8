"""The integrity checks: a hearing's recordings now (pages, approval, the hearing record), and
everything — every recording, every document and the audit log — by `reception verify` and the
periodic job, which stores the result and says so in the audit log."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

import structlog

from reception.domain.hearings.model import HearingId, Recording
from reception.domain.integrity import (
    Finding,
    IntegrityCheckId,
    IntegrityReport,
    RecordingCheck,
    Subject,
    Trigger,
)
from reception.services import audit
from reception.services.audit import AuditService
from reception.services.integrity.ports import EvidenceFiles
from reception.services.ports import Clock, UnitOfWork, UnitOfWorkFactory

log = structlog.get_logger(__name__)
ORIGINAL = "as-recorded original"
NOT_ATTESTED = ("its SHA-256 in the database is not the one the audit log recorded when it was "
                "stored: the database row was changed")
# Audit entries that record a file's SHA-256 when it was stored (under the keyed chain, so a
# file and its database row rewritten together still contradict the log).
RECORDINGS_STORED = "hearing.recordings_stored"
DOCUMENTS_ADDED = ("case.document_upload", "case.form_generate")


class IntegrityService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, files: EvidenceFiles,
                 audit_log: AuditService) -> None:
        self._uow, self._clock, self._files, self._audit = uow, clock, files, audit_log

    async def verify_hearing(self, hearing_id: HearingId) -> list[RecordingCheck]:
        """Check each of the hearing's files now and store the result with each recording."""
        async with self._uow() as uow:
            recordings = await uow.hearings.recordings(hearing_id)
        checks = [await self._check(r) for r in recordings]
        await self._store(checks)
        return checks

    async def check_all(self, trigger: Trigger) -> IntegrityReport:
        started = self._clock.now()
        findings: list[Finding] = []
        checks: list[RecordingCheck] = []
        documents = 0
        audit_failures, audit_rows = await self._audit.check()
        async with self._uow() as uow:
            attested = await _attested(uow)
            async for recording in uow.integrity.recordings():
                check = await self._check(recording)
                checks.append(_without_chains(check))
                findings += [Finding(Subject.RECORDING, recording.path,
                                     _after(str(p), recording.path)) for p in check.problems]
                if attested.get(recording.path, recording.sha256) != recording.sha256:
                    findings.append(Finding(Subject.RECORDING, recording.path, NOT_ATTESTED))
            async for document in uow.integrity.documents():
                documents += 1
                findings += [Finding(Subject.DOCUMENT, document.label, problem) for problem in
                             await self._files.check_document(document.store, document.sha256,
                                                              document.size_bytes)]
                if attested.get(document.id, document.sha256) != document.sha256:
                    findings.append(Finding(Subject.DOCUMENT, document.label, NOT_ATTESTED))
        findings += [Finding(Subject.AUDIT, f"row {f.row_id}" if f.row_id is not None
                             else "anchor", f.problem) for f in audit_failures]
        report = IntegrityReport(IntegrityCheckId(uuid.uuid4()), started, self._clock.now(),
                                 trigger, len(checks), documents, audit_rows, tuple(findings))
        await self._store(checks, report)
        log.info("integrity.checked", ok=report.ok, failures=len(findings), trigger=trigger.value,
                 recordings=len(checks), documents=documents, audit_rows=audit_rows)
        return report

    async def latest(self) -> IntegrityReport | None:
        async with self._uow() as uow:
            return await uow.integrity.latest()

    async def _check(self, recording: Recording) -> RecordingCheck:
        problems, now = await self._files.check_recording(recording.path, recording.chain,
                                                          recording.sha256)
        if recording.original_path is not None:
            original, _ = await self._files.check_recording(
                recording.original_path, recording.original_chain, None)
            problems += [replace(p, text=f"{ORIGINAL} {p}", original=True) for p in original]
        return RecordingCheck(recording, self._clock.now(), tuple(problems), now)

    async def _store(self, checks: Sequence[RecordingCheck],
                     report: IntegrityReport | None = None) -> None:
        async with self._uow() as uow:
            for check in checks:
                await uow.integrity.record_verification(
                    check.recording.hearing_id, check.recording.path, check.checked_at, check.ok,
                    "\n".join(str(p) for p in check.problems) or None)
            if report is not None:
                await uow.integrity.add(report)
                await uow.audit.append(audit.record(
                    report.finished_at, None, "integrity.checked", "integrity", report.id,
                    details={"ok": report.ok, "trigger": report.trigger.value,
                             "recordings": report.recordings, "documents": report.documents,
                             "audit_rows": report.audit_rows, "failures": len(report.failures),
                             "first": [str(f) for f in report.failures[:5]]},
                    actor_label="system"))
            await uow.commit()


async def _attested(uow: UnitOfWork) -> dict[str, str]:
    """Recording path or document id -> the SHA-256 the audit log recorded when it was stored."""
    found: dict[str, str] = {}
    async for record in uow.audit.of_actions([RECORDINGS_STORED, *DOCUMENTS_ADDED]):
        hashes = record.details.get("sha256")
        if record.action == RECORDINGS_STORED and isinstance(hashes, dict):
            found.update({str(path): str(sha) for path, sha in hashes.items()})
        elif isinstance(hashes, str) and record.object_id is not None:
            found[record.object_id] = hashes
    return found


def _without_chains(check: RecordingCheck) -> RecordingCheck:
    """Keep only what is stored of a check (chains can be long; thousands are checked)."""
    r = check.recording
    light = Recording(r.hearing_id, r.member_id, r.kind, r.path, r.sha256, r.size_bytes, r.state,
                      r.started_at)
    return RecordingCheck(light, check.checked_at, check.problems, check.sha256_now)


def _after(problem: str, path: str) -> str:
    """A problem without the path it starts with (the finding names the file already)."""
    return problem[len(path) + 2:] if problem.startswith(f"{path}: ") else problem


def checked_at(checks: Sequence[RecordingCheck]) -> datetime | None:
    return max((c.checked_at for c in checks), default=None)
