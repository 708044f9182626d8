"""Search over every transcript the asker may see: their agency's hearings, or their
agency tree's, as the authorisation matrix grants (Permission.VIEW on ObjectType.TRANSCRIPT);
or within one case file, across the hearings it quotes.

A case file and a hearing meet only through evidence links: a booking is not tied to a case
file (the citizen who books is not matched to a file's party), so "the hearings of a case" are
the hearings the case quotes. Every search is audit-logged (transcripts are personal data).

A hit from an approved transcript that the latest integrity check found changed since its
approval is marked so (the check is stored; fingerprinting every hit's transcript on each
search would read every line of each, fingerprint.py). A change made since that check shows on
the transcript's own page, not here.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace

from reception.domain.access import ObjectType, Permission
from reception.domain.integrity import IntegrityReport, Subject
from reception.domain.organisation import StaffMember
from reception.domain.transcripts.search_query import SearchQuery, parse_query
from reception.services import audit
from reception.services.cases.support import load, scope
from reception.services.ports import Clock, UnitOfWorkFactory
from reception.services.transcripts.search_ports import RANKED_TOGETHER, TranscriptHit

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: SearchQuery
    hits: Sequence[TranscriptHit]
    case_reference: str | None = None  # when searching within one case file
    offset: int = 0
    limit: int = PAGE_SIZE

    ranked_together: int = RANKED_TOGETHER

    @property
    def more(self) -> bool:
        """A next page may exist (the page came back full)."""
        return len(self.hits) == self.limit


class TranscriptSearch:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow, self._clock = uow, clock

    async def search(self, actor: StaffMember, text: str, *, case_id: uuid.UUID | None = None,
                     limit: int = PAGE_SIZE, offset: int = 0) -> SearchResults:
        """The newest matching lines first, best-ranked first within each group of
        RANKED_TOGETHER. An out-of-scope `case_id` is not found (404)."""
        query = parse_query(text)
        limit, offset = max(1, min(limit, MAX_PAGE_SIZE)), max(0, min(offset, 10_000))
        async with self._uow() as uow:
            case = (await load(uow, actor, case_id, Permission.VIEW) if case_id is not None
                    else None)
            if query.empty:
                return SearchResults(query, (), case.reference if case else None, offset, limit)
            visible = await scope(uow, actor, Permission.VIEW, ObjectType.TRANSCRIPT)
            hits = await uow.transcript_search.search(query, visible, case_id=case_id,
                                                      limit=limit, offset=offset)
            hits = _mark_altered(hits, await uow.integrity.latest()) if hits else hits
            await uow.audit.append(audit.record(
                self._clock.now(), actor, "transcript.search", "transcript", None,
                agency_id=actor.agency_id,
                details={"query": query.text, "case": case.reference if case else None,
                         "results": len(hits), "offset": offset}))
            await uow.commit()
        return SearchResults(query, hits, case.reference if case else None, offset, limit)


def _mark_altered(hits: Sequence[TranscriptHit],
                  report: IntegrityReport | None) -> Sequence[TranscriptHit]:
    """The hits whose hearing's approved transcript the report found changed, marked."""
    altered = [f.where for f in report.failures
               if f.subject is Subject.TRANSCRIPT] if report else []
    return [replace(h, altered=True) if any(str(h.hearing_id) in where for where in altered)
            else h for h in hits]
