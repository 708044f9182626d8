"""Which table governs a case: by kind, and for complaints by subject and instance."""

from __future__ import annotations

from reception.domain.cases.case import Case, ComplaintSubject, ProcessKind
from reception.domain.law.workflow import Process
from reception.domain.processes.complaint import complaint_process
from reception.domain.processes.denunciation import DENUNCIATION
from reception.domain.processes.petition import PETITION
from reception.domain.processes.protection import PROTECTION
from reception.domain.processes.recommendation import RECOMMENDATION
from reception.domain.processes.session import RECEPTION_SESSION
from reception.domain.processes.visit import VISIT

SIMPLE = {
    ProcessKind.RECEPTION_SESSION: RECEPTION_SESSION,
    ProcessKind.VISIT: VISIT,
    ProcessKind.PETITION: PETITION,
    ProcessKind.DENUNCIATION: DENUNCIATION,
    ProcessKind.PROTECTION: PROTECTION,
    ProcessKind.RECOMMENDATION: RECOMMENDATION,
}


def process_for(case: Case) -> Process:
    if case.kind is ProcessKind.COMPLAINT:
        return complaint_process(case.subject, case.instance)
    return SIMPLE[case.kind]


def all_processes() -> tuple[Process, ...]:
    """Every table, in docs/law.md order (for diagrams and docs)."""
    complaints = tuple(
        complaint_process(subject, instance) for subject in ComplaintSubject for instance in (1, 2)
    )
    return (RECEPTION_SESSION, VISIT, PETITION, *complaints, DENUNCIATION, PROTECTION,
            RECOMMENDATION)  # fmt: skip
