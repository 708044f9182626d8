"""The one way a citizen enters a booking: through the vault when they come to denounce.

`seal` is called by every path that makes a booking (online, walk-in, phone); the repository
refuses an unsealed denunciation (`domain/cases/denouncer.check_sealed_booking`) and a database
constraint refuses it again. Only the system reads the vault back, for what it does for the
citizen themselves: the e-mails it sends them, and the case file opened from the reception,
where the identity is sealed again (services/cases/parties.py)."""

from __future__ import annotations

import uuid
from dataclasses import replace

from reception.domain.booking import Booking, Citizen, ParticipantRole, Subject
from reception.domain.cases.denouncer import (
    SEALED_CITIZEN,
    citizen_identity,
    citizen_of,
    may_play_denouncer,
    seals_booking,
)
from reception.domain.hearings.model import Hearing, MemberId
from reception.domain.organisation import StaffMember
from reception.services.ports import UnitOfWork


async def seal(uow: UnitOfWork, subject: Subject,
               citizen: Citizen) -> tuple[Citizen, uuid.UUID | None]:
    """The citizen as the booking stores them, and the vault entry holding them if sealed."""
    if not seals_booking(subject):
        return citizen, None
    return SEALED_CITIZEN, await uow.vault.put(citizen_identity(citizen))


async def citizen_behind(uow: UnitOfWork, booking: Booking) -> Citizen:
    """The real citizen of a booking, for the system's own use only (never shown to staff)."""
    if booking.sealed_identity is None:
        return booking.citizen
    identity = await uow.vault.get(booking.sealed_identity)
    if identity is None:  # the constraint keeps the vault row; a restore without it would not
        raise LookupError(f"vault entry {booking.sealed_identity} of {booking.reference}")
    return citizen_of(identity)


async def seal_earlier_bookings(uow: UnitOfWork) -> int:
    """Seal the denunciations booked before this rule existed (run by `reception migrate`, in
    the caller's unit of work): the booking, its citizen's link and its e-mails. Hearings held
    and transcribed before keep the names they were recorded under."""
    earlier = await uow.bookings.unsealed_denunciations()
    for booking in earlier:
        await seal_booked(uow, booking)
    await uow.bookings.confirm_sealed()
    return len(earlier)


async def seal_booked(uow: UnitOfWork, booking: Booking) -> Booking:
    """Seal a booking made unsealed: one booked before the rule, or one whose matter turns
    out to be a denunciation when its case is opened (the citizen is a denouncer from the day
    they came, LTC Art. 47): the booking, the citizen's link and the booking's e-mails."""
    if booking.sealed_identity is not None:
        return booking
    vault_id = await uow.vault.put(citizen_identity(booking.citizen))
    sealed = replace(booking, citizen=SEALED_CITIZEN, sealed_identity=vault_id)
    await uow.bookings.update(sealed)
    for participant in await uow.participants.of_booking(booking.id):
        if participant.role is ParticipantRole.CITIZEN:
            await uow.participants.update(
                replace(participant, display_name=SEALED_CITIZEN.full_name))
    await uow.outbox.seal_recipient(booking.id, vault_id, booking.citizen.full_name,
                                    SEALED_CITIZEN.full_name)
    return sealed


async def unplayable_members(uow: UnitOfWork, actor: StaffMember,
                             hearing: Hearing) -> frozenset[MemberId]:
    """The members of a sealed hearing whose recordings `actor` may not play: everyone who is
    not staff (the denouncer, and their interpreter, lawyer or representative) unless `actor`
    held the hearing or heads the agency. Every way to play a recording asks this."""
    booking = await uow.bookings.get(hearing.booking_id)
    if booking is None or booking.sealed_identity is None:
        return frozenset()
    members = await uow.hearings.members(hearing.id)
    held_it = any(m.staff_id == actor.id for m in members)
    if may_play_denouncer(actor.roles, held_it):
        return frozenset()
    return frozenset(m.id for m in members if m.staff_id is None)
