"""Pure rules of booking: ID number format, slots on working days only, overlap with held time,
statutory refusals carrying their article."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest

from reception.domain.booking import (
    LOCAL_TZ,
    Channel,
    ReceptionSession,
    SessionId,
    SessionKind,
    Subject,
    free_slots,
    reference,
)
from reception.domain.citizen_id import is_valid_id_number
from reception.domain.law.workdays import WorkingCalendar
from reception.domain.organisation import AgencyId, StaffId
from reception.services.booking.rules import booking_findings, check_slot
from reception.services.errors import Invalid

TODAY = date(2026, 12, 1)
OFFICIAL = StaffId(uuid.uuid4())
NOW = datetime(2026, 12, 1, 9, tzinfo=LOCAL_TZ)


def session(day: date, kind: SessionKind = SessionKind.REGULAR) -> ReceptionSession:
    start = datetime(day.year, day.month, day.day, 8, tzinfo=LOCAL_TZ)
    return ReceptionSession(SessionId(uuid.uuid4()), AgencyId(uuid.uuid4()), kind, OFFICIAL,
                            start, start + timedelta(hours=1, minutes=45), 30, NOW)


@pytest.mark.parametrize(("number", "valid"), [
    ("001085012345", True),  # Hà Nội, man born 1985
    ("079203000001", True),  # TP HCM, woman born 2003
    ("00108501234", False),  # 11 digits
    ("0010850123456", False),  # 13 digits
    ("003085012345", False),  # 003 is no province code
    ("00108501234a", False),
    ("001230000001", False),  # born 2030: in the future
    ("001485012345", False),  # born 2185
    # The same number with one digit of another script: \d and int() take them, NFC keeps them.
    ("00108501234\uff15", False),  # fullwidth ５
    ("00108501234\u0665", False),  # Arabic-Indic ٥
    ("00108501234\u06f5", False),  # Persian ۵
    ("00108501234\u096b", False),  # Devanagari ५
    ("\u09e6\u09e6\u09e7085012345", False),  # Bengali ০০১
])
def test_a_citizen_id_number_is_checked_for_its_format(number: str, valid: bool) -> None:
    assert is_valid_id_number(number, today=TODAY) is valid


def test_a_session_is_cut_into_whole_slots_and_held_time_is_not_free() -> None:
    s = session(date(2026, 12, 15))
    taken = [(OFFICIAL, s.starts_at, s.starts_at + timedelta(minutes=30))]
    slots = free_slots([s], taken, now=NOW, calendar=WorkingCalendar())
    assert [x.starts_at.strftime("%H:%M") for x in slots] == ["08:30", "09:00"]


def test_a_holiday_gives_no_slots() -> None:
    new_year = session(date(2027, 1, 1))  # Tết Dương lịch
    assert free_slots([new_year], [], now=NOW, calendar=WorkingCalendar()) == []


def test_a_slot_in_the_past_or_on_a_holiday_or_too_close_is_refused() -> None:
    calendar = WorkingCalendar()
    past = session(date(2026, 11, 30))
    with pytest.raises(Invalid, match="passed"):
        check_slot(past, past.starts_at, now=NOW, calendar=calendar, channel=Channel.ONLINE)
    holiday = session(date(2027, 1, 1))
    with pytest.raises(Invalid, match="holiday"):
        check_slot(holiday, holiday.starts_at, now=NOW, calendar=calendar, channel=Channel.ONLINE)
    soon = session(date(2026, 12, 3))
    with pytest.raises(Invalid) as refused:
        check_slot(soon, soon.starts_at, now=NOW, calendar=calendar, channel=Channel.ONLINE)
    assert refused.value.params["article"] == "ND154 Art. 23(1)"
    # An ad-hoc (urgent) session is internal: staff book walk-ins in it, citizens online never.
    urgent = session(date(2026, 12, 3), SessionKind.AD_HOC)
    with pytest.raises(Invalid, match="not a reception slot"):
        check_slot(urgent, urgent.starts_at, now=NOW, calendar=calendar, channel=Channel.ONLINE)
    assert check_slot(urgent, urgent.starts_at, now=NOW, calendar=calendar,
                      channel=Channel.WALK_IN).starts_at == urgent.starts_at


def test_a_denunciation_online_needs_the_identity_protection_waiver() -> None:
    codes = {f.code for f in booking_findings(Channel.ONLINE, Subject.DENUNCIATION, False, False,
                                              1, 0) if f.severity == "violation"}
    assert codes == {"ONLINE-TC"}
    assert not [f for f in booking_findings(Channel.ONLINE, Subject.DENUNCIATION, True, False, 1, 0)
                if f.severity == "violation"]


@pytest.mark.parametrize("channel", [Channel.WALK_IN, Channel.PHONE])
def test_a_denunciation_in_person_or_by_phone_keeps_identity_protection(channel: Channel) -> None:
    """ND154 Art. 20(4) conditions online reception only: in person, protection is not waived."""
    assert booking_findings(channel, Subject.DENUNCIATION, False, False, 1, 0) == []
    # The group rule (LTCD Art. 29) holds at the office too.
    assert [f.code for f in booking_findings(channel, Subject.COMPLAINT, False, False, 6, 0)] == [
        "GROUP-REPS"]


@pytest.mark.parametrize(("size", "reps", "ok"), [(4, 0, True), (5, 0, False), (5, 2, True),
                                                 (10, 3, False), (11, 5, True)])
def test_a_group_of_five_or_more_appoints_representatives(size: int, reps: int, ok: bool) -> None:
    found = [f for f in booking_findings(Channel.ONLINE, Subject.COMPLAINT, False, False, size, reps)
             if f.code == "GROUP-REPS"]
    assert (not found) is ok


def test_the_reference_is_human_readable() -> None:
    assert reference(2026, 123) == "TD-2026-000123"


def test_an_ad_hoc_session_may_be_held_on_a_holiday() -> None:
    urgent = session(date(2027, 1, 1), SessionKind.AD_HOC)
    assert len(free_slots([urgent], [], now=NOW, calendar=WorkingCalendar())) == 3
