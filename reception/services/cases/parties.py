"""The one way parties enter a case file: through the vault when the law seals them.

Registration, a petition turning into a complaint or denunciation, a further denunciation
taken over by the superior agency — every path that writes parties calls `seal_new` or
`carry_into`; the repository refuses anything else for a sealed role
(`domain/cases/denouncer.check_sealed`), and a database trigger refuses it again."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace

from reception.domain.cases.case import ProcessKind
from reception.domain.cases.case_file import CaseFile, Party, PartyRole
from reception.domain.cases.denouncer import (
    DenouncerIdentity,
    carried_role,
    identity_of,
    must_seal,
)
from reception.domain.cases.refs import pseudonym
from reception.domain.cases.views import search_key
from reception.services.ports import UnitOfWork

PRINCIPAL_ROLES = (PartyRole.COMPLAINANT, PartyRole.DENOUNCER, PartyRole.PETITIONER)


@dataclass(frozen=True)
class NewParty:
    role: PartyRole
    full_name: str
    address: str | None = None
    id_type: str | None = None
    id_number: str | None = None
    contact: str | None = None
    organisation: str | None = None


def _sealed(role: PartyRole, position: int, letter: int, vault_id: uuid.UUID) -> Party:
    return Party(uuid.uuid4(), role, position, pseudonym(letter), vault_id=vault_id)


async def seal_new(uow: UnitOfWork, kind: ProcessKind, new: Sequence[NewParty]) -> list[Party]:
    """The parties of a case being registered, sealed where `must_seal` says so."""
    parties: list[Party] = []
    positions: dict[PartyRole, int] = {}
    letters = 0
    for p in new:
        position = positions[p.role] = positions.get(p.role, -1) + 1
        if must_seal(kind, p.role):
            role = carried_role(kind, p.role)
            vault_id = await uow.vault.put(DenouncerIdentity(
                p.full_name, p.address or "", p.id_number, p.id_type, p.contact))
            parties.append(_sealed(role, position, letters, vault_id))
            letters += 1
        else:
            parties.append(Party(uuid.uuid4(), p.role, position, p.full_name, p.address, p.id_type,
                                 p.id_number, p.contact, p.organisation))
    return parties


async def carry_into(uow: UnitOfWork, kind: ProcessKind, parties: Sequence[Party]) -> list[Party]:
    """The parties of a case opened from another (spawn): each takes its role in the new
    case, and is sealed on the way in if that role is sealed there."""
    carried: list[Party] = []
    letters = 0
    for party in parties:
        role = carried_role(kind, party.role)
        if not must_seal(kind, role):
            carried.append(replace(party, id=uuid.uuid4(), role=role))
            continue
        vault_id = party.vault_id or await uow.vault.put(identity_of(party))
        carried.append(_sealed(role, party.position, letters, vault_id))
        letters += 1
    return carried


async def seal_source(uow: UnitOfWork, case: CaseFile) -> None:
    """A petition whose content is a denunciation: its petitioner is a denouncer from the day
    the letter was received (LTC Art. 47), so the petition's own copy is sealed as well, and
    the name the lists show becomes the pseudonym."""
    letters = 0
    principal: Party | None = None
    for party in await uow.cases.parties(case.id):
        if not must_seal(ProcessKind.DENUNCIATION, party.role):
            continue
        vault_id = party.vault_id or await uow.vault.put(identity_of(party))
        sealed = replace(_sealed(party.role, party.position, letters, vault_id), id=party.id)
        letters += 1
        await uow.cases.replace_party(case.id, sealed)
        principal = principal or sealed
    if principal is not None:
        await uow.cases.set_principal(case.id, principal.display_name,
                                      search_key(principal.display_name), None)


def principal_of(parties: Sequence[Party]) -> Party:
    return next((p for r in PRINCIPAL_ROLES for p in parties if p.role is r), parties[0])
