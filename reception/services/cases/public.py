"""What a citizen sees with their case reference and secret: the state in plain words, the
next legal deadline and the published documents. A wrong pair answers exactly like an unknown
reference (404), so references cannot be probed."""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass
from datetime import date

from reception.domain.cases.case_file import CaseFile, Document
from reception.domain.cases.refs import parse_reference
from reception.domain.cases.status import Obligation
from reception.domain.cases.views import local_today, public_phase
from reception.i18n_marker import N_
from reception.services.cases.files import DocumentStorage, read_document
from reception.services.cases.support import obligations, process_of, rebuild
from reception.services.cases.workflow import secret_hash
from reception.services.errors import NotFound
from reception.services.ports import Clock, UnitOfWork, UnitOfWorkFactory

UNKNOWN = N_("No case file matches this reference and secret code.")


@dataclass(frozen=True)
class PublicStatus:
    reference: str
    phase: str  # msgid, translated at the edge
    statute_term: str  # the Vietnamese name of the state in the statute
    next_deadline: Obligation | None  # the office's next duty
    documents: list[Document]
    state: str = ""  # the statute's state, named through the label table at the edge
    steps: tuple[tuple[date, str], ...] = ()  # (day, action) of each step taken, oldest first
    dates: tuple[Obligation, ...] = ()  # the citizen's own windows, the days decisions take effect


class PublicStatusService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, storage: DocumentStorage) -> None:
        self._uow = uow
        self._clock = clock
        self._storage = storage

    async def _find(self, uow: UnitOfWork, reference: str, secret: str) -> CaseFile:
        parsed = parse_reference(reference)
        if parsed is None:
            raise NotFound(UNKNOWN)
        wanted = secret_hash(secret.strip())
        for case, stored in await uow.cases.by_reference(str(parsed)):
            if hmac.compare_digest(stored, wanted):
                return case
        raise NotFound(UNKNOWN)

    async def status(self, reference: str, secret: str) -> PublicStatus:
        today = local_today(self._clock.now())
        async with self._uow() as uow:
            case = await self._find(uow, reference, secret)
            domain = await rebuild(uow, case)
            status, _ = obligations(domain, today)
            running = [o for o in status.obligations if not o.paused]
            steps = tuple((s.event.on, s.event.action) for s in await uow.cases.events(case.id))
            # A closed case's only other clock is the office's keeping of the file (P-7): not
            # the citizen's. An open one shows their windows and the days decisions take effect.
            dates = () if status.closed else status.dates
            return PublicStatus(case.reference, public_phase(case.state),
                                process_of(case).state(case.state).vn,
                                running[0] if running else None,
                                await uow.cases.documents(case.id, published_only=True),
                                case.state, steps, dates)

    async def document(self, reference: str, secret: str,
                       document_id: uuid.UUID) -> tuple[Document, bytes]:
        async with self._uow() as uow:
            case = await self._find(uow, reference, secret)
            found = [d for d in await uow.cases.documents(case.id, published_only=True)
                     if d.id == document_id]
            if not found:
                raise NotFound(N_("No such document in this case file."))
            return found[0], await read_document(uow, self._storage, self._clock, None, case,
                                                 found[0])
