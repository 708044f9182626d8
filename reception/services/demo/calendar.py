"""Demo reception calendar for `make run`: four weeks of regular hours at HN-TT and the head's
periodic day each month, so the booking page shows free times (idempotent)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from reception.domain.booking import LOCAL_TZ, SessionKind
from reception.domain.organisation import AgencyId
from reception.services.booking.calendar import CalendarService, NewSession
from reception.services.errors import Invalid
from reception.services.staff import StaffService

WEEKS = 4
# (weekday, start, end, kind, login): mornings at the reception office; the head on the 15th.
REGULAR = [(d, time(8), time(11, 30), "tiepdan") for d in range(5)]
REGULAR += [(d, time(14), time(16, 30), "thanhtra") for d in (1, 3)]


async def seed_demo_calendar(staff: StaffService, calendar: CalendarService,
                             today: date) -> list[str]:
    agency = next((a for a in await staff.list_agencies() if a.code == "HN-TT"), None)
    if agency is None:
        return []
    members = {m.login: m for m in await staff.list_staff()}
    start = datetime.combine(today, time.min, LOCAL_TZ)
    if await calendar.sessions(AgencyId(agency.id), start, start + timedelta(days=7 * WEEKS)):
        return []
    created = 0
    for offset in range(1, 7 * WEEKS):
        day = today + timedelta(days=offset)
        plans = [(a, b, SessionKind.REGULAR, login) for d, a, b, login in REGULAR
                 if d == day.weekday()]
        if day.day == 15 or (day.day in (16, 17) and day.weekday() == 0):
            plans = [(time(8), time(11), SessionKind.PERIODIC, "thutruong")]
        for begin, end, kind, login in plans:
            try:
                await calendar.add_session(None, NewSession(
                    AgencyId(agency.id), kind, members[login].id,
                    datetime.combine(day, begin, LOCAL_TZ), datetime.combine(day, end, LOCAL_TZ),
                    30))
                created += 1
            except Invalid:  # a holiday: no reception that day
                continue
    return [f"{created} reception sessions at HN-TT"]
