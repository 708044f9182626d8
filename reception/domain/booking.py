"""Online reception booking (tiếp công dân trực tuyến): the reception calendar, free slots and
what a citizen's booking holds. Pure: "now" and the working calendar are arguments.

Sessions (buổi tiếp) are the three kinds of docs/law.md §2.1: regular hours of the citizen-reception
office (thường xuyên), the head's periodic days (định kỳ, LTCD Art. 18) and ad-hoc sessions
(đột xuất, LTCD Art. 18(3)). A session is cut into slots of `slot_minutes`, each received by the
session's official; non-working days (Vietnamese holidays) yield no regular or periodic slots.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NewType
from zoneinfo import ZoneInfo

from reception.domain.law.workdays import WorkingCalendar
from reception.domain.organisation import AgencyId, StaffId
from reception.domain.reception import check_lead_time

SessionId = NewType("SessionId", uuid.UUID)
BookingId = NewType("BookingId", uuid.UUID)
ParticipantId = NewType("ParticipantId", uuid.UUID)

# Vietnam keeps no daylight saving time; every reception day is a local (ICT) date.
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class SessionKind(enum.StrEnum):
    REGULAR = "regular"  # thường xuyên: the citizen-reception office's hours
    PERIODIC = "periodic"  # định kỳ: the head of agency receives in person
    AD_HOC = "ad_hoc"  # đột xuất: urgent, outside the published schedule


class Subject(enum.StrEnum):
    COMPLAINT = "complaint"  # khiếu nại
    DENUNCIATION = "denunciation"  # tố cáo
    PETITION = "petition"  # kiến nghị
    REFLECTION = "reflection"  # phản ánh


class Channel(enum.StrEnum):
    ONLINE = "online"  # booked by the citizen on the web
    WALK_IN = "walk_in"  # registered by staff for a citizen at the office
    PHONE = "phone"  # registered by staff during a phone call


class BookingStatus(enum.StrEnum):
    BOOKED = "booked"
    OPENED = "opened"  # the official opened the hearing; the waiting room admits
    ADMITTED = "admitted"  # the citizen is in the hearing
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


# Statuses that hold the official's time (the exclusion constraint's predicate).
HOLDS_TIME = frozenset({BookingStatus.BOOKED, BookingStatus.OPENED, BookingStatus.ADMITTED,
                        BookingStatus.COMPLETED})
CHANGEABLE = frozenset({BookingStatus.BOOKED})


class ParticipantRole(enum.StrEnum):
    CITIZEN = "citizen"
    OFFICIAL = "official"
    THIRD_PARTY = "third_party"


@dataclass(frozen=True, slots=True)
class ReceptionSession:
    id: SessionId
    agency_id: AgencyId
    kind: SessionKind
    official_id: StaffId
    starts_at: datetime
    ends_at: datetime
    slot_minutes: int
    published_at: datetime

    @property
    def day(self) -> date:
        return self.starts_at.astimezone(LOCAL_TZ).date()


@dataclass(frozen=True, slots=True)
class Slot:
    session_id: SessionId
    official_id: StaffId
    kind: SessionKind
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True, slots=True)
class Citizen:
    full_name: str
    id_number: str  # số định danh cá nhân (12 digits)
    address: str
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Booking:
    id: BookingId
    reference: str
    agency_id: AgencyId
    session_id: SessionId
    official_id: StaffId
    starts_at: datetime
    ends_at: datetime
    status: BookingStatus
    channel: Channel
    subject: Subject
    description: str
    citizen: Citizen
    locale: str = "vi"
    group_size: int = 1
    representatives: tuple[str, ...] = ()
    identity_protection_waived: bool = False
    online_ground: str = "other"
    created_at: datetime | None = None
    notified_at: datetime | None = None
    hearing_opened_at: datetime | None = None
    sequence: int = 0  # iCalendar SEQUENCE: bumped on every reschedule
    # A denunciation's citizen lives in the vault; `citizen` is then only the pseudonym
    # (domain/cases/denouncer.py seals_booking).
    sealed_identity: uuid.UUID | None = None

    @property
    def day(self) -> date:
        return self.starts_at.astimezone(LOCAL_TZ).date()


@dataclass(frozen=True, slots=True)
class Participant:
    """Someone in a booking's hearing: what the video hearing builds on."""

    id: ParticipantId
    booking_id: BookingId
    role: ParticipantRole
    display_name: str
    staff_id: StaffId | None = None
    device_checked_at: datetime | None = None
    consent_given_at: datetime | None = None
    consent_refused_at: datetime | None = None
    consent_text_version: str | None = None
    waiting_since: datetime | None = None
    asked_to_wait_at: datetime | None = None
    admitted_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Document:
    id: uuid.UUID
    booking_id: BookingId
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


def reference(year: int, number: int) -> str:
    """The human reference read out on the phone, e.g. TD-2026-000123."""
    return f"TD-{year}-{number:06d}"


def slots_of(session: ReceptionSession) -> list[Slot]:
    length = timedelta(minutes=session.slot_minutes)
    slots, start = [], session.starts_at
    while start + length <= session.ends_at:
        slots.append(Slot(session.id, session.official_id, session.kind, start, start + length))
        start += length
    return slots


def free_slots(sessions: Iterable[ReceptionSession],
               taken: Sequence[tuple[StaffId, datetime, datetime]], *, now: datetime,
               calendar: WorkingCalendar) -> list[Slot]:
    """Slots that start after `now`, on working days, not overlapping a booking that holds the
    same official's time."""
    result = []
    for session in sessions:
        if not is_open_on(session, calendar):
            continue
        for slot in slots_of(session):
            if slot.starts_at <= now:
                continue
            if any(o == slot.official_id and s < slot.ends_at and slot.starts_at < e
                   for o, s, e in taken):
                continue
            result.append(slot)
    return sorted(result, key=lambda s: (s.starts_at, str(s.official_id)))


def offered_to(channel: Channel, slot: Slot, today: date, calendar: WorkingCalendar) -> bool:
    """Whether `channel` may book `slot`. A citizen booking online sees only the published
    sessions (regular and periodic; an ad-hoc session is the agency's urgent decision, LTCD
    Art. 18(3), kept internal) and only days far enough ahead for the participants to be
    notified 5 working days before (R-7a, ND154 Art. 23(1)). Staff book a walk-in or a phone
    call in any session."""
    if channel is not Channel.ONLINE:
        return True
    if slot.kind is SessionKind.AD_HOC:
        return False
    return not check_lead_time("R-7a", today, slot.starts_at.astimezone(LOCAL_TZ).date(),
                               calendar=calendar)


def is_open_on(session: ReceptionSession, calendar: WorkingCalendar) -> bool:
    """Regular and periodic sessions never fall on holidays; an ad-hoc session is an urgent
    decision of the agency (LTCD Art. 18(3)) and may be held on any day."""
    return session.kind is SessionKind.AD_HOC or calendar.is_working_day(session.day)


def fits_session(session: ReceptionSession, starts_at: datetime) -> Slot | None:
    """The slot of `session` that starts exactly at `starts_at`, if there is one."""
    return next((s for s in slots_of(session) if s.starts_at == starts_at), None)
