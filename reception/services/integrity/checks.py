"""The integrity checks: a hearing's recordings now (pages, approval, the hearing record), and
everything — every recording, every document, every approved transcript and the audit log — by
`reception verify` and the periodic job, which stores the result and says so in the audit
log."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import structlog

from reception.domain.hearings.model import HearingId, Recording
from reception.domain.integrity import (
    Finding,
    IntegrityCheckId,
    IntegrityReport,
    RecordingCheck,
    Stored,
    Subject,
    Trigger,
)
from reception.domain.transcripts.transcript import Mismatch
from reception.services import audit
from reception.services.audit import AuditService
from reception.services.integrity.attestation import (
    Attested,
    attested,
    baseline_at,
    record_baseline,
)
from reception.services.integrity.ports import ApprovedTranscript, EvidenceFiles, StoredDocument
from reception.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from reception.services.transcripts.fingerprint import audited_all, fingerprint

log = structlog.get_logger(__name__)
ORIGINAL = "as-recorded original"
NOT_ATTESTED = ("its SHA-256 in the database is not the one the audit log recorded when it was "
                "stored: the database row was changed")
# A row the application never stored (inserted in the database beside a file), or one stored
# before attestation existed and not yet attested once (`reception verify --attest-existing`).
NEVER_ATTESTED = ("not attested: the audit log never recorded the SHA-256 of {what} ({file}) "
                  "when it was stored")
BEFORE_BASELINE = ("; files stored before attestation are attested once by "
                   "`reception verify --attest-existing`")
# An approved transcript whose lines no longer hash to a recorded fingerprint (Mismatch).
LINES_CHANGED = ("its lines now hash to {now}, not to the fingerprint stored with it "
                 "(approved_hash {stored}): its lines were changed after approval")
NOT_AUDITED = ("its lines now hash to {now}, not to the fingerprint the audit log recorded "
               "last for its hearing ({audited})")
TOGETHER = ": its lines and the fingerprint stored with it were changed together"
NEVER_AUDITED = ("the audit log records no fingerprint of it (no transcript.approved entry "
                 "for its hearing)")


@dataclass(frozen=True, slots=True)
class Baseline:
    """What `reception verify --attest-existing` did: the unattested files it attested as they
    are now, and those it left unattested because they fail their check now (still failures)."""

    recorded_at: datetime  # when the (one) baseline was recorded: earlier if it already was
    attested: tuple[str, ...]
    left: tuple[Finding, ...]
    now: bool  # False: a baseline existed already, nothing was attested again


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
            known, baseline = await attested(uow), await baseline_at(uow)
            async for recording in uow.integrity.recordings():
                check = await self._check(recording)
                checks.append(_without_chains(check))
                findings += [Finding(Subject.RECORDING, recording.path,
                                     _after(str(p), recording.path)) for p in check.problems]
                findings += _recording_attestation(recording, known, baseline)
            async for document in uow.integrity.documents():
                documents += 1
                findings += await self._document_findings(document)
                findings += _document_attestation(document, known, baseline)
        async with self._uow() as uow:
            transcripts = await uow.integrity.approved_transcripts()
            findings += await _transcript_findings(uow, transcripts)
        findings += [Finding(Subject.AUDIT, f"row {f.row_id}" if f.row_id is not None
                             else "anchor", f.problem) for f in audit_failures]
        report = IntegrityReport(IntegrityCheckId(uuid.uuid4()), started, self._clock.now(),
                                 trigger, len(checks), documents, audit_rows, tuple(findings),
                                 len(transcripts))
        await self._store(checks, report)
        log.info("integrity.checked", ok=report.ok, failures=len(findings), trigger=trigger.value,
                 recordings=len(checks), documents=documents, transcripts=len(transcripts),
                 audit_rows=audit_rows)
        return report

    async def attest_existing(self) -> Baseline:
        """Once, after upgrading: attest in the audit log, as they are now, the files stored
        before attestation existed, and say so (`evidence.baseline`). Files that fail their
        check now are left unattested; a second baseline is refused (a row inserted later
        would otherwise be attested by it)."""
        async with self._uow() as uow:
            known, before = await attested(uow), await baseline_at(uow)
            if before is not None:
                return Baseline(before, (), (), False)
            chosen: list[tuple[Stored, str, str]] = []
            named: list[str] = []
            left: list[Finding] = []
            async for recording in uow.integrity.recordings():
                if (Stored.RECORDING, recording.path) in known:
                    continue
                check = await self._check(recording)
                if check.ok:
                    chosen.append((Stored.RECORDING, recording.path, recording.sha256))
                    named.append(f"recording {recording.path}")
                else:
                    left += _recording_attestation(recording, known, None)
            async for document in uow.integrity.documents():
                if (document.kind, document.id) in known:
                    continue
                if await self._document_findings(document):
                    left += _document_attestation(document, known, None)
                else:
                    chosen.append((document.kind, document.id, document.sha256))
                    named.append(f"document {document.label} ({document.kind.value} "
                                 f"{document.id}, {document.file})")
        now = self._clock.now()
        async with self._uow() as uow:
            await record_baseline(uow, now, chosen)
            await uow.commit()
        return Baseline(now, tuple(named), tuple(left), True)

    async def _document_findings(self, document: StoredDocument) -> list[Finding]:
        return [Finding(Subject.DOCUMENT, document.label, problem) for problem in
                await self._files.check_document(document.store, document.sha256,
                                                 document.size_bytes)]

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
                             "transcripts": report.transcripts, "audit_rows": report.audit_rows,
                             "failures": len(report.failures),
                             "first": [str(f) for f in report.failures[:5]]},
                    actor_label="system"))
            await uow.commit()


async def _transcript_findings(uow: UnitOfWork,
                               transcripts: Sequence[ApprovedTranscript]) -> list[Finding]:
    """Each approved transcript's lines against the fingerprint stored with it and the one the
    audit log recorded last for its hearing, one finding per check that fails."""
    audited = await audited_all(uow)
    findings: list[Finding] = []
    for approved in transcripts:
        transcript = approved.transcript
        hearing = await uow.hearings.get(transcript.hearing_id)
        assert hearing is not None  # the transcript's foreign key
        check = fingerprint(hearing, await uow.hearings.recordings(hearing.id), transcript,
                            await uow.transcript_review.segments(transcript.id),
                            audited.get(str(hearing.id)))
        if check is None or check.intact:
            continue
        where = (f"of hearing {hearing.id} (booking {approved.booking_reference}, "
                 f"transcript {transcript.id})")
        for mismatch in check.mismatches:
            if mismatch is Mismatch.STORED:
                problem = LINES_CHANGED.format(now=check.now, stored=check.stored)
            elif check.audited is None:
                problem = NEVER_AUDITED
            else:
                problem = NOT_AUDITED.format(now=check.now, audited=check.audited)
                problem += TOGETHER if check.now == check.stored else ""
            findings.append(Finding(Subject.TRANSCRIPT, where, problem))
    return findings


def _recording_attestation(recording: Recording, known: Attested,
                           baseline: datetime | None) -> list[Finding]:
    what = f"recording {recording.path} of hearing {recording.hearing_id}"
    return _attestation(Subject.RECORDING, recording.path, known.get(
        (Stored.RECORDING, recording.path)), recording.sha256, what, recording.path, baseline)


def _document_attestation(document: StoredDocument, known: Attested,
                          baseline: datetime | None) -> list[Finding]:
    what = f"{document.kind.value} {document.id}"
    return _attestation(Subject.DOCUMENT, document.label, known.get(
        (document.kind, document.id)), document.sha256, what, document.file, baseline)


def _attestation(subject: Subject, where: str, recorded: str | None, sha256: str, what: str,
                 file: str, baseline: datetime | None) -> list[Finding]:
    """A stored file's row against the SHA-256 the audit log recorded when it was stored: a
    row with none was not stored by the application (or predates attestation and was never
    attested once), and passing it would let anyone with the database insert or swap one."""
    if recorded is None:
        problem = NEVER_ATTESTED.format(what=what, file=file)
        return [Finding(subject, where, problem + ("" if baseline else BEFORE_BASELINE))]
    changed = f"{NOT_ATTESTED}: {what} ({file})"
    return [] if recorded == sha256 else [Finding(subject, where, changed)]


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
