"""A denouncer's identifying data (LTC Art. 23(1)): kept only sealed in the vault.

Who is sealed is decided here, once: every party in the role of denouncer, and in a
denunciation everyone on the denouncing side (a petitioner whose letter turned out to be a
denunciation, group members, their representative) — LTC Arts. 8(3), 47, 56; and the citizen
of a reception booked or recorded to denounce, from the booking on, before any case exists."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from reception.domain.booking import Booking, Citizen, Subject
from reception.domain.cases.case import ProcessKind
from reception.domain.cases.case_file import Party, PartyRole
from reception.domain.cases.refs import PSEUDONYM_PREFIX
from reception.domain.hearings.model import HearingMember, MemberId
from reception.domain.organisation import StaffMember, StaffRole

# In a denunciation these are all denouncers, whatever role the letter first gave them.
DENOUNCING_SIDE = frozenset({PartyRole.DENOUNCER, PartyRole.PETITIONER, PartyRole.COMPLAINANT,
                             PartyRole.GROUP_MEMBER, PartyRole.REPRESENTATIVE})


class UnsealedIdentity(Exception):
    """A write would store a denouncer's identity outside the vault (a programming error)."""


@dataclass(frozen=True, slots=True)
class DenouncerIdentity:
    full_name: str
    address: str
    id_number: str | None = None
    id_type: str | None = None
    contact: str | None = None
    # Kept apart for a sealed booking: the system itself writes to the denouncer.
    phone: str | None = None
    email: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


# What a sealed booking, its hearing and its transcript show of the citizen: the pseudonym the
# case opened from it gives its first denouncer.
SEALED_CITIZEN = Citizen(f"{PSEUDONYM_PREFIX}A", "", "")


def seals_booking(subject: Subject) -> bool:
    """A citizen who comes to denounce is protected from the reception on (LTC Arts. 8(3), 47(2):
    confidentiality applies by default), whatever channel: their identity goes to the vault as
    the booking is made, and the booking keeps the pseudonym."""
    return subject is Subject.DENUNCIATION


def citizen_identity(citizen: Citizen) -> DenouncerIdentity:
    contact = " · ".join(x for x in (citizen.phone, citizen.email) if x) or None
    return DenouncerIdentity(citizen.full_name, citizen.address, citizen.id_number, "CCCD",
                             contact, citizen.phone, citizen.email)


def citizen_of(identity: DenouncerIdentity) -> Citizen:
    return Citizen(identity.full_name, identity.id_number or "", identity.address,
                   identity.phone, identity.email)


def check_sealed_booking(booking: Booking) -> None:
    """Refuse to store a booking that should be sealed and holds anything but the pseudonym."""
    if seals_booking(booking.subject) and (booking.sealed_identity is None
                                           or booking.citizen != SEALED_CITIZEN):
        raise UnsealedIdentity(f"booking {booking.id}: the denouncer must be in the vault")


def must_seal(kind: ProcessKind, role: PartyRole) -> bool:
    """Whether a party of this role in a case of this kind is kept only in the vault."""
    return role is PartyRole.DENOUNCER or (kind is ProcessKind.DENUNCIATION
                                           and role in DENOUNCING_SIDE)


def carried_role(kind: ProcessKind, role: PartyRole) -> PartyRole:
    """The role a party takes in the case its petition turns into: the petitioner becomes the
    complainant of a complaint and the denouncer of a denunciation."""
    if role is PartyRole.PETITIONER and kind is ProcessKind.COMPLAINT:
        return PartyRole.COMPLAINANT
    if role in (PartyRole.PETITIONER, PartyRole.COMPLAINANT) and kind is ProcessKind.DENUNCIATION:
        return PartyRole.DENOUNCER
    return role


def identity_of(party: Party) -> DenouncerIdentity:
    """What the vault keeps of a party that was stored in plain text."""
    return DenouncerIdentity(party.display_name, party.address or "", party.id_number,
                             party.id_type, party.contact)


def is_sealed_form(party: Party) -> bool:
    """A sealed party: a vault reference and a pseudonym, nothing that identifies the person."""
    return (party.vault_id is not None and party.display_name.startswith(PSEUDONYM_PREFIX)
            and party.address is None and party.id_type is None and party.id_number is None
            and party.contact is None and party.organisation is None)


def check_sealed(kind: ProcessKind, party: Party) -> None:
    """Raise UnsealedIdentity unless `party` may be stored as it is in a case of `kind`."""
    if must_seal(kind, party.role) and not is_sealed_form(party):
        raise UnsealedIdentity(f"a {party.role} of a {kind} is kept only in the vault")


def may_play_denouncer(roles: Iterable[StaffRole], held_it: bool) -> bool:
    """A denouncer's voice and face identify them as surely as their name (LTC Art. 56(1)):
    the recordings of the citizen's side of a sealed hearing play only for the officials who
    held it and for the head, who may reveal the identity anyway (LTC Art. 47)."""
    return held_it or StaffRole.HEAD in set(roles)


def unplayable(booking: Booking, members: Iterable[HearingMember],
               actor: StaffMember) -> frozenset[MemberId]:
    """The members of a hearing whose recordings `actor` may not play: in a sealed booking's
    hearing, everyone who is not staff (the denouncer, and their interpreter, lawyer or
    representative), unless `actor` held the hearing or heads the agency."""
    if booking.sealed_identity is None:
        return frozenset()
    present = list(members)
    if may_play_denouncer(actor.roles, any(m.staff_id == actor.id for m in present)):
        return frozenset()
    return frozenset(m.id for m in present if m.staff_id is None)
