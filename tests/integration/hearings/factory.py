"""Test data for hearings: an agency, an official and a booking of theirs starting soon, written
through the booking repositories (the scheduling rules are tested with the booking services)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from reception.domain.booking import (
    Booking,
    BookingId,
    BookingStatus,
    Channel,
    Citizen,
    Participant,
    ParticipantId,
    ParticipantRole,
    ReceptionSession,
    SessionId,
    SessionKind,
    Subject,
    reference,
)
from reception.domain.organisation import AgencyLevel, StaffMember, StaffRole
from reception.services.booking.rules import new_token
from reception.services.booking.sealing import seal
from reception.services.staff import NewAgency, NewStaff, StaffService

PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class Seeded:
    booking: Booking
    citizen: Participant
    token: str


async def make_official(staff: StaffService, login: str = "canbo", agency_code: str = "TT"
                        ) -> StaffMember:
    agencies = {a.code: a for a in await staff.list_agencies()}
    agency = agencies.get(agency_code) or await staff.create_agency(
        None, NewAgency(agency_code, f"Thanh tra {agency_code}", AgencyLevel.PROVINCE))
    return await staff.create_staff(None, NewStaff(
        agency.id, login, f"Cán bộ {login}", PASSWORD, frozenset({StaffRole.RECEPTIONIST})))


async def seed_booking(uow: Callable[[], Any], official: StaffMember, *,
                       starts_in: timedelta = timedelta(minutes=5),
                       token_valid_for: timedelta = timedelta(days=30),
                       consent: bool = True, name: str = "Nguyễn Văn An",
                       subject: Subject = Subject.COMPLAINT) -> Seeded:
    now = datetime.now(UTC)
    starts = (now + starts_in).replace(microsecond=0)
    async with uow() as work:
        session = ReceptionSession(SessionId(uuid.uuid4()), official.agency_id, SessionKind.AD_HOC,
                                   official.id, starts, starts + timedelta(hours=1), 30, now)
        await work.reception_sessions.add(session)
        number = await work.bookings.next_number()
        # A denunciation's citizen goes to the vault, as every booking path does.
        stored, sealed = await seal(work, subject, Citizen(name, "001090000001", "Hà Nội",
                                                           "0912345678"))
        booking = Booking(
            BookingId(uuid.uuid4()), reference(now.year, number), official.agency_id, session.id,
            official.id, starts, starts + timedelta(minutes=30), BookingStatus.BOOKED,
            Channel.ONLINE, subject, "Khiếu nại quyết định thu hồi đất.", stored,
            created_at=now, sealed_identity=sealed)
        await work.bookings.add(booking)
        token, token_hash = new_token()
        citizen = Participant(ParticipantId(uuid.uuid4()), booking.id, ParticipantRole.CITIZEN,
                              stored.full_name)
        await work.participants.add(citizen, token_hash, now + token_valid_for)
        if consent:
            citizen = replace(citizen, consent_given_at=now, consent_text_version="test",
                              waiting_since=now, device_checked_at=now)
            await work.participants.update(citizen)
        await work.commit()
    return Seeded(booking, citizen, token)
