"""A denouncer's identifying data (LTC Art. 23(1)): kept only sealed in the vault.

Who is sealed is decided here, once: every party in the role of denouncer, and in a
denunciation everyone on the denouncing side (a petitioner whose letter turned out to be a
denunciation, group members, their representative) — LTC Arts. 8(3), 47, 56."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from reception.domain.cases.case import ProcessKind
from reception.domain.cases.case_file import Party, PartyRole
from reception.domain.cases.refs import PSEUDONYM_PREFIX

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

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


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
