"""The one way a citizen enters a booking: through the vault when they come to denounce.

`seal` is called by every path that makes a booking (online, walk-in, phone); the repository
refuses an unsealed denunciation (`domain/cases/denouncer.check_sealed_booking`) and a database
constraint refuses it again. Only the system reads the vault back, for what it does for the
citizen themselves: the e-mails it sends them, and the case file opened from the reception,
where the identity is sealed again (services/cases/parties.py)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime

from reception.domain.booking import Booking, Citizen, ParticipantId, ParticipantRole, Subject
from reception.domain.cases.denouncer import (
    SEALED_CITIZEN,
    citizen_identity,
    citizen_of,
    seals_booking,
    unplayable,
)
from reception.domain.hearings.model import Hearing, MemberId
from reception.domain.organisation import StaffMember
from reception.services import audit
from reception.services.ports import UnitOfWork
from reception.services.transcripts.views import hash_of, hearing_zero


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


async def seal_earlier_bookings(uow: UnitOfWork, now: datetime) -> int:
    """Seal the denunciations booked before this rule existed (run by `reception migrate`, in
    the caller's unit of work): the booking, its citizen's link and its e-mails. Hearings held
    and transcribed before keep the names they were recorded under."""
    earlier = await uow.bookings.unsealed_denunciations()
    for booking in earlier:
        await seal_booked(uow, booking, now)
    if earlier:  # the migration validated the rule itself where nothing was left to seal
        await uow.bookings.confirm_sealed()
    return len(earlier)


async def seal_booked(uow: UnitOfWork, booking: Booking, now: datetime,
                      actor: StaffMember | None = None) -> Booking:
    """Seal a booking made unsealed: one booked before the rule, or one whose matter turns
    out to be a denunciation when its case is opened (the citizen is a denouncer from the day
    they came, LTC Art. 47): the booking, the citizen's link, the booking's e-mails, and the
    name the citizen had in its hearings and their transcripts."""
    if booking.sealed_identity is not None:
        return booking
    vault_id = await uow.vault.put(citizen_identity(booking.citizen))
    sealed = replace(booking, citizen=SEALED_CITIZEN, sealed_identity=vault_id)
    await uow.bookings.update(sealed)
    citizen_links = set()
    for participant in await uow.participants.of_booking(booking.id):
        if participant.role is ParticipantRole.CITIZEN:
            citizen_links.add(participant.id)
            await uow.participants.update(
                replace(participant, display_name=SEALED_CITIZEN.full_name))
    await uow.outbox.seal_recipient(booking.id, vault_id, booking.citizen.full_name,
                                    SEALED_CITIZEN.full_name)
    for hearing in await uow.hearings.of_booking(booking.id):
        await _seal_hearing(uow, hearing, citizen_links, now, actor)
    return sealed


async def _seal_hearing(uow: UnitOfWork, hearing: Hearing, citizen_links: set[ParticipantId],
                        now: datetime, actor: StaffMember | None) -> None:
    """The citizen's name in the hearing's member list and transcript becomes the pseudonym.
    An approved transcript's fingerprint covers its speaker labels: it is taken again, and the
    audit log keeps both fingerprints and why, so the change is accounted for, not tampering."""
    renamed = [m for m in await uow.hearings.members(hearing.id)
               if m.participant_id in citizen_links]
    for member in renamed:
        await uow.hearings.update_member(replace(member, display_name=SEALED_CITIZEN.full_name))
    transcript = await uow.transcript_review.for_hearing(hearing.id, lock=True)
    if not renamed or transcript is None:
        return
    await uow.transcript_review.rename_speaker(transcript.id, [m.id for m in renamed],
                                               SEALED_CITIZEN.full_name)
    if transcript.approved_hash is None:
        return
    zero = hearing_zero(hearing, await uow.hearings.recordings(hearing.id))
    fingerprint = hash_of(zero, await uow.transcript_review.segments(transcript.id))
    await uow.transcript_review.refingerprint(transcript.id, fingerprint)
    await uow.audit.append(audit.record(
        now, actor, "transcript.speaker_sealed", "hearing", hearing.id,
        agency_id=hearing.agency_id, actor_label=None if actor else "system",
        details={"from": transcript.approved_hash, "to": fingerprint,
                 "basis": "LTC Art. 47, 56"}))


async def unplayable_members(uow: UnitOfWork, actor: StaffMember,
                             hearing: Hearing) -> frozenset[MemberId]:
    """`domain/cases/denouncer.unplayable`, loaded: every way to play a recording asks this."""
    booking = await uow.bookings.get(hearing.booking_id)
    if booking is None or booking.sealed_identity is None:
        return frozenset()
    return unplayable(booking, await uow.hearings.members(hearing.id), actor)
