"""Third parties of a hearing: an official adds an interpreter, a lawyer or a representative
to a booking, and that person gets a secret link of their own. Like the citizen, they read the
recording notice and consent in the waiting room, join with their link, are admitted by the
official, and are recorded in files of their own.

The link is shown once to the official (only its hash is stored) who passes it on.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from reception.domain.booking import (
    Booking,
    BookingId,
    BookingStatus,
    Participant,
    ParticipantId,
    ParticipantRole,
)
from reception.domain.organisation import StaffMember
from reception.i18n_marker import N_
from reception.services import audit
from reception.services.booking.rules import new_token
from reception.services.errors import Conflict, Invalid
from reception.services.hearings.officials import conducted_booking
from reception.services.ports import Clock, UnitOfWork, UnitOfWorkFactory

# A third party's link outlives the slot by a day: hearings overrun, and no later use needs it.
LINK_VALID_AFTER_SLOT = timedelta(days=1)
ADDABLE = frozenset({BookingStatus.BOOKED, BookingStatus.OPENED, BookingStatus.ADMITTED})
MAX_NAME = 120


class PartyKind(enum.StrEnum):
    INTERPRETER = "interpreter"
    LAWYER = "lawyer"
    REPRESENTATIVE = "representative"


@dataclass(frozen=True)
class AddedParty:
    participant: Participant
    kind: PartyKind
    token: str  # shown once; never stored
    expires_at: datetime


class HearingPartiesService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow, self._clock = uow, clock

    async def add(self, actor: StaffMember, booking_id: BookingId, name: str,
                  kind: PartyKind) -> AddedParty:
        """Add a third party to an open booking the actor receives; returns their link."""
        name = " ".join(name.split())
        if not name or len(name) > MAX_NAME:
            raise Invalid(N_("Enter the person's full name (at most {max} characters)."),
                          max=MAX_NAME)
        now = self._clock.now()
        async with self._uow() as uow:
            booking = await self._booking(uow, actor, booking_id)
            if booking.status not in ADDABLE or booking.ends_at <= now:
                raise Conflict(N_("This booking is closed; nobody can be added to it."))
            token, token_hash = new_token()
            expires_at = booking.ends_at + LINK_VALID_AFTER_SLOT
            party = Participant(ParticipantId(uuid.uuid4()), booking.id,
                                ParticipantRole.THIRD_PARTY, name)
            await uow.participants.add(party, token_hash, expires_at)
            await uow.audit.append(audit.record(
                now, actor, "booking.party_added", "booking", booking.id,
                agency_id=booking.agency_id,
                details={"participant": str(party.id), "kind": kind.value}))
            await uow.commit()
        return AddedParty(party, kind, token, expires_at)

    async def of_booking(self, actor: StaffMember, booking_id: BookingId) -> Sequence[Participant]:
        """The booking's third parties (the citizen is listed elsewhere)."""
        async with self._uow() as uow:
            booking = await self._booking(uow, actor, booking_id)
            people = await uow.participants.of_booking(booking.id)
        return [p for p in people if p.role is ParticipantRole.THIRD_PARTY]

    @staticmethod
    async def _booking(uow: UnitOfWork, actor: StaffMember, booking_id: BookingId) -> Booking:
        # A party's link lets someone into the hearing: only its officials hand one out.
        return await conducted_booking(uow, actor, booking_id)
