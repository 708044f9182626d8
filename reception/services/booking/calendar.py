"""The reception calendar of an agency: sessions (regular, periodic, ad-hoc), free slots, and
the statutory checks staff see (R-1 publication, R-8 heads' days)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from reception.domain import reception as law
from reception.domain.booking import (
    LOCAL_TZ,
    Channel,
    ReceptionSession,
    SessionId,
    SessionKind,
    Slot,
    free_slots,
    is_open_on,
    offered_to,
)
from reception.domain.law.workdays import WorkingCalendar
from reception.domain.organisation import AgencyId, AgencyLevel, StaffId, StaffMember, StaffRole
from reception.i18n_marker import N_
from reception.services import audit
from reception.services.errors import Conflict, Forbidden, Invalid, NotFound
from reception.services.ports import Clock, UnitOfWorkFactory

# R-8 holder per agency level (rules/time_limits.toml quotas).
HEAD_HOLDER = {AgencyLevel.COMMUNE: "commune_chairman", AgencyLevel.PROVINCE: "provincial_chairman"}
SCHEDULERS = frozenset({StaffRole.RECEPTIONIST, StaffRole.HEAD, StaffRole.ADMINISTRATOR})


@dataclass(frozen=True)
class NewSession:
    agency_id: AgencyId
    kind: SessionKind
    official_id: StaffId
    starts_at: datetime
    ends_at: datetime
    slot_minutes: int = 30


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, LOCAL_TZ)
    return start, start + timedelta(days=1)


class CalendarService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, calendar: WorkingCalendar) -> None:
        self._uow, self._clock, self._calendar = uow, clock, calendar

    async def add_session(self, actor: StaffMember | None,
                          new: NewSession) -> tuple[ReceptionSession, list[law.Finding]]:
        """Create a session; the findings (e.g. R-1 published late) are warnings for staff."""
        now = self._clock.now()
        if actor is not None and not (actor.roles & SCHEDULERS and actor.agency_id == new.agency_id):
            raise Forbidden(N_("Only the agency's reception staff or head can plan sessions."))
        if new.ends_at <= new.starts_at or new.starts_at <= now:
            raise Invalid(N_("A session starts in the future and ends after it starts."))
        if not 5 <= new.slot_minutes <= 240:
            raise Invalid(N_("A slot lasts between 5 and 240 minutes."))
        session = ReceptionSession(SessionId(uuid.uuid4()), new.agency_id, new.kind,
                                   new.official_id, new.starts_at, new.ends_at, new.slot_minutes,
                                   now)
        if not is_open_on(session, self._calendar):
            raise Invalid(N_("{day} is a public holiday or a day off; there is no reception."),
                          day=session.day.strftime("%d/%m/%Y"))
        async with self._uow() as uow:
            official = await uow.staff.get(new.official_id)
            if official is None or official.agency_id != new.agency_id or not official.active:
                raise NotFound(N_("This official does not work in the agency."))
            # One official, one place at a time: overlapping sessions offered every time twice.
            for other in await uow.reception_sessions.between(
                    new.agency_id, new.starts_at, new.ends_at, official_id=new.official_id):
                raise Conflict(N_("This official already has a reception session from {start} "
                                  "to {end} that day."),
                               start=f"{other.starts_at.astimezone(LOCAL_TZ):%H:%M}",
                               end=f"{other.ends_at.astimezone(LOCAL_TZ):%H:%M}")
            await uow.reception_sessions.add(session)
            await uow.audit.append(audit.record(
                now, actor, "reception_session.created", "reception_session", session.id,
                agency_id=new.agency_id, details={"kind": new.kind.value,
                                                  "starts_at": new.starts_at.isoformat()}))
            await uow.commit()
        return session, self.publication_findings(session)

    def publication_findings(self, session: ReceptionSession) -> list[law.Finding]:
        """R-1: the schedule is posted ≥ 5 working days ahead (ad-hoc sessions are urgent)."""
        if session.kind is SessionKind.AD_HOC:
            return []
        published = session.published_at.astimezone(LOCAL_TZ).date()
        return law.check_lead_time("R-1", published, session.day, calendar=self._calendar)

    async def free_slots(self, agency_id: AgencyId, start: datetime, end: datetime,
                         channel: Channel = Channel.ONLINE) -> list[Slot]:
        """Free slots `channel` may book: exactly those check_slot accepts (domain offered_to),
        so the list never offers a time the booking then refuses."""
        now = self._clock.now()
        today = now.astimezone(LOCAL_TZ).date()
        async with self._uow() as uow:
            sessions = await uow.reception_sessions.between(agency_id, start, end)
            taken = await uow.bookings.taken(agency_id, start, end)
        return [s for s in free_slots(sessions, taken, now=now, calendar=self._calendar)
                if offered_to(channel, s, today, self._calendar)]

    async def agencies_offering(self, start: datetime, end: datetime) -> frozenset[AgencyId]:
        """Agencies with at least one time a citizen can book online in the window."""
        async with self._uow() as uow:
            agencies = await uow.agencies.list()
        found = set()
        for agency in agencies:
            if await self.free_slots(AgencyId(agency.id), start, end):
                found.add(AgencyId(agency.id))
        return frozenset(found)

    async def sessions(self, agency_id: AgencyId, start: datetime,
                       end: datetime) -> Sequence[ReceptionSession]:
        async with self._uow() as uow:
            return await uow.reception_sessions.between(agency_id, start, end)

    async def head_days_findings(self, agency_id: AgencyId, year: int,
                                 month: int) -> list[law.Finding]:
        """R-8: the heads' periodic reception days held or planned in the month."""
        first = date(year, month, 1)
        last = date(year + month // 12, month % 12 + 1, 1)
        async with self._uow() as uow:
            agency = await uow.agencies.get(agency_id)
            sessions = await uow.reception_sessions.between(
                agency_id, local_day_bounds(first)[0], local_day_bounds(last)[0])
            periodic = [s for s in sessions if s.kind is SessionKind.PERIODIC]
            # R-8 counts the head's own days: a periodic session given to a deputy is no such day.
            heads = {o for o in {s.official_id for s in periodic}
                     if (m := await uow.staff.get(o)) is not None and StaffRole.HEAD in m.roles}
        if agency is None:
            raise NotFound(N_("This agency does not exist."))
        holder = HEAD_HOLDER.get(agency.level, "agency_head")
        days = [s.day for s in periodic if s.official_id in heads]
        return law.check_head_reception_days(holder, year, month, days)
