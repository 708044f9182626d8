"""The case as a frozen value: plain fields a repository can build from rows, reconstructible
by replaying its append-only event list (STYLE rule 3). Overdue is never stored here."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import NewType

from reception.domain.law.deadlines import Pause

CaseId = NewType("CaseId", str)


class ProcessKind(enum.StrEnum):
    """The statutory processes of docs/law.md §2."""

    RECEPTION_SESSION = "reception_session"  # buổi tiếp công dân (§2.1.1)
    VISIT = "visit"  # lượt tiếp (§2.1.2)
    PETITION = "petition"  # xử lý đơn (§2.2)
    COMPLAINT = "complaint"  # giải quyết khiếu nại (§2.3)
    DENUNCIATION = "denunciation"  # giải quyết tố cáo (§2.4)
    PROTECTION = "protection"  # bảo vệ người tố cáo (§2.4.4)
    RECOMMENDATION = "recommendation"  # kiến nghị, phản ánh


class ComplaintSubject(enum.StrEnum):
    ADMINISTRATIVE = "administrative"  # quyết định hành chính, hành vi hành chính
    DISCIPLINARY = "disciplinary"  # quyết định kỷ luật cán bộ, công chức (§1.4)


@dataclass(frozen=True, slots=True)
class Timer:
    """A statutory clock the case started; its deadline is computed, not stored."""

    rule_id: str
    started_on: date
    stopped_on: date | None = None

    @property
    def running(self) -> bool:
        return self.stopped_on is None


@dataclass(frozen=True, slots=True)
class Case:
    id: CaseId
    kind: ProcessKind
    state: str
    opened_on: date  # receipt / creation: the relevant date for rule versions (§0.2)
    scheduled_on: date | None = None  # reception day of a session
    instance: int = 1  # complaints: lần đầu (1) or lần hai (2)
    subject: ComplaintSubject = ComplaintSubject.ADMINISTRATIVE
    complex: bool = False  # vụ việc phức tạp, written finding kept (ND124 Art. 3a)
    especially_complex: bool = False  # denunciations: ≥ 2 criteria (ND31 Art. 3(2))
    remote: bool = False  # vùng sâu, vùng xa đi lại khó khăn (§5 q8)
    online: bool = False  # reception session held online (LTCD Art. 3a)
    group_size: int = 1  # people with the same content (LTCD Art. 29)
    forced_dismissal: bool = False  # disciplinary sanction buộc thôi việc (LKN Art. 48)
    identity_protection_waived: bool = False  # denouncer waives protection (ND154 Art. 20)
    previous_state: str | None = None  # where a suspension resumes to
    dialogue_on: date | None = None  # the dialogue day its notice set (ND124 Art. 28(1))
    timers: tuple[Timer, ...] = ()
    pauses: tuple[Pause, ...] = ()  # suspension ledger
    extensions: tuple[int, ...] = ()  # days added by each extension decision (LTC Art. 30)
    withdrawn_items: tuple[str, ...] = ()  # partial withdrawals (LKN Art. 10 as amended)
    markers: frozenset[str] = frozenset()  # EMERGENCY_SUSPENSION, PREVENTIVE_MEASURES, ...
    transfers: int = 0  # "chuyển đơn một lần" (TT05 Art. 14(1))
    version: int = 0  # number of events applied

    @property
    def running_timers(self) -> tuple[Timer, ...]:
        return tuple(t for t in self.timers if t.running)

    @property
    def is_suspended(self) -> bool:
        return any(p.resumed_on is None for p in self.pauses)
