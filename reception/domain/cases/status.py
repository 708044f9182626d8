"""Case status for humans: open obligations with due dates, days left and overdue flags, and
the actions each role may take now. Overdue is computed here from `today`, never stored.

Only the office's duties are obligations (docs/law.md §1 "Whose"): the time a party has (the
complainant's second-complaint window, LKN Art. 33(1)) and the day something takes effect (a
decision's legal effect, LKN Art. 44) run as clocks too, but they are `dates` for information,
never overdue and never the case's next due day."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from reception.domain.cases.case import Case, CaseId, ProcessKind
from reception.domain.law.deadlines import Deadline
from reception.domain.law.rulebook import Confidence, Nature, RuleBook, default_rulebook
from reception.domain.law.timers import expiry_windows, timer_deadline
from reception.domain.law.workdays import WorkingCalendar, default_calendar
from reception.domain.law.workflow import AllowedAction, Role
from reception.domain.processes.registry import process_for


@dataclass(frozen=True, slots=True)
class Obligation:
    deadline: Deadline  # carries article, confidence, unit, clock start, calendar version
    days_left: int  # calendar days; negative when overdue
    overdue: bool
    paused: bool

    @property
    def confidence(self) -> Confidence:
        return self.deadline.confidence

    @property
    def day(self) -> date:
        """The day to show: the last day of a duty or a party's window; for an effect, the day
        it takes effect, the day after its period ends ("sau 30 ngày", LKN Art. 44)."""
        if self.deadline.nature is Nature.EFFECT:
            return self.deadline.due + timedelta(days=1)
        return self.deadline.due

    @property
    def other_readings(self) -> tuple[Deadline, ...]:
        """The readings of the law not used for alerts (docs/law.md §4.1: the stricter one is
        used, the others are shown beside it)."""
        used = self.deadline
        key = (used.due, used.article, used.unit, used.period)
        return tuple(c for c in used.candidates if (c.due, c.article, c.unit, c.period) != key)

    @property
    def uncertain(self) -> bool:
        """[M]/[L] or several readings of the law: the product shows the doubt (§0 preamble)."""
        return self.confidence is not Confidence.H or bool(self.deadline.candidates)


@dataclass(frozen=True, slots=True)
class CaseStatus:
    case_id: CaseId
    kind: ProcessKind
    state: str
    state_vn: str
    closed: bool
    suspended: bool
    obligations: tuple[Obligation, ...]  # the office's duties, earliest first
    actions: dict[Role, tuple[AllowedAction, ...]]
    dates: tuple[Obligation, ...] = ()  # parties' windows and effect days: never overdue

    @property
    def overdue(self) -> tuple[Obligation, ...]:
        return tuple(o for o in self.obligations if o.overdue)


def case_status(
    case: Case,
    today: date,
    *,
    rules: RuleBook | None = None,
    calendar: WorkingCalendar | None = None,
    roles: Iterable[Role] = tuple(Role),
) -> CaseStatus:
    rules = rules or default_rulebook()
    calendar = calendar or default_calendar()
    process = process_for(case)
    obligations = []
    for timer in case.running_timers:
        deadline = timer_deadline(case, timer, rules, calendar, today)
        obligations.append(
            Obligation(
                deadline, deadline.days_left(today), deadline.is_overdue(today), deadline.paused
            )  # fmt: skip
        )
    for window in expiry_windows(case, rules, calendar, today):  # a party's: never overdue
        obligations.append(Obligation(window, window.days_left(today), False, window.paused))
    obligations.sort(key=lambda o: (o.deadline.due, o.deadline.rule_id))
    duties = tuple(o for o in obligations if o.deadline.nature is Nature.DUTY)
    dates = tuple(o for o in obligations if o.deadline.nature is not Nature.DUTY)
    actions = {
        role: tuple(process.allowed_actions(case, role, today, rules=rules, calendar=calendar))
        for role in roles
    }
    spec = process.state(case.state)
    return CaseStatus(
        case_id=case.id,
        kind=case.kind,
        state=case.state,
        state_vn=spec.vn,
        closed=spec.terminal,
        suspended=case.is_suspended,
        obligations=duties,
        actions={r: a for r, a in actions.items() if a},
        dates=dates,
    )
