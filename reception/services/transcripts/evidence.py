"""Evidence links: an official quotes a passage of a hearing — a time range, and the
speaker or the whole room — as support for an item of a case file (a claim, a verification
finding, a dialogue point), with a note. The link stores times only; the case file shows the
current text of the lines in that range, so corrections made later show through, and says so
when the lines come from an approved transcript that no longer matches its fingerprint
(fingerprint.py).

Creating needs the case in reach for Permission.REGISTER on ObjectType.EVIDENCE and the hearing's
transcript in reach for Permission.VIEW; anything else is not found. Creation is audit-logged.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from reception.domain.access import ObjectType, Permission
from reception.domain.cases.case_file import CaseFile
from reception.domain.cases.refs import parse_reference
from reception.domain.hearings.model import HearingId, MemberId
from reception.domain.organisation import StaffMember
from reception.domain.transcripts.transcript import EvidenceItem, EvidenceLink, EvidenceLinkId, valid_range
from reception.i18n_marker import N_
from reception.services import audit
from reception.services.booking.sealing import unplayable_members
from reception.services.cases.support import CASE_NOT_FOUND, load, scope
from reception.services.errors import Invalid, NotFound
from reception.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from reception.services.transcripts.fingerprint import approved_check_of
from reception.services.transcripts.search_ports import HearingLabel, QuoteLine
from reception.services.transcripts.views import hearing_zero, playable_recordings, playing_at

NO_HEARING = N_("This hearing does not exist.")
MAX_PASSAGE_MS = 30 * 60 * 1000  # a quote, not the whole hearing
MAX_NOTE = 4000


@dataclass(frozen=True, slots=True)
class NewEvidence:
    hearing_id: HearingId
    start_ms: int
    end_ms: int
    item: EvidenceItem
    item_ref: str
    note: str = ""
    member_id: MemberId | None = None  # None: the whole room
    case_id: uuid.UUID | None = None
    case_reference: str | None = None  # when the official types the case's reference


@dataclass(frozen=True, slots=True)
class Passage:
    """A time range of a hearing with the lines in it (the case page, the link form)."""

    hearing: HearingLabel
    start_ms: int
    end_ms: int
    member_id: MemberId | None
    lines: Sequence[QuoteLine]
    # The recording that plays it: the quoted speaker's (or the first speaker's), and where
    # the hearing's time zero lies in that file (members who joined late start later).
    recording_member: MemberId | None = None
    recording_kind: str | None = None
    recording_offset_s: float = 0.0
    # Which of the speaker's files (its name): a recorder restart leaves several.
    recording_file: str | None = None
    # The lines come from an approved transcript changed since: not the approved record.
    altered: bool = False

    @property
    def speakers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(line.speaker for line in self.lines))


@dataclass(frozen=True, slots=True)
class EvidenceQuote:
    link: EvidenceLink
    passage: Passage


class EvidenceService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow, self._clock = uow, clock

    async def passage(self, actor: StaffMember, hearing_id: HearingId, start_ms: int,
                      end_ms: int, member_id: MemberId | None = None) -> Passage:
        """What would be quoted (the form that creates a link shows it first)."""
        _check_range(start_ms, end_ms)
        async with self._uow() as uow:
            label = await _visible_hearing(uow, actor, hearing_id)
            return await _passage(uow, await _unplayable(uow, actor, hearing_id), label,
                                  start_ms, end_ms, member_id, await _altered(uow, hearing_id))

    async def link(self, actor: StaffMember, new: NewEvidence) -> EvidenceLink:
        _check_range(new.start_ms, new.end_ms)
        item_ref, note = " ".join(new.item_ref.split()), new.note.strip()
        if not 1 <= len(item_ref) <= 255:
            raise Invalid(N_("Name the item of the case file this passage supports."))
        if len(note) > MAX_NOTE:
            raise Invalid(N_("The note is longer than {n} characters."), n=MAX_NOTE)
        async with self._uow() as uow:
            case = await self._case(uow, actor, new)
            label = await _visible_hearing(uow, actor, new.hearing_id)
            members = {m.id for m in await uow.hearings.members(new.hearing_id)}
            if new.member_id is not None and new.member_id not in members:
                raise NotFound(N_("This person was not in this hearing."))
            link = EvidenceLink(
                EvidenceLinkId(uuid.uuid4()), case.id, new.hearing_id, new.start_ms, new.end_ms,
                new.member_id, new.item, item_ref, note, actor.id, self._clock.now())
            await uow.evidence.add(link)
            await uow.audit.append(audit.record(
                link.created_at, actor, "evidence.link", "evidence_link", link.id,
                agency_id=case.agency_id,
                details={"case": case.reference, "hearing": str(new.hearing_id),
                         "booking": label.booking_reference, "start_ms": new.start_ms,
                         "end_ms": new.end_ms, "member": str(new.member_id or ""),
                         "item": new.item.value, "item_ref": item_ref}))
            await uow.commit()
            return link

    async def for_case(self, actor: StaffMember, case_id: uuid.UUID) -> Sequence[EvidenceQuote]:
        """The case's links, oldest first, each with the current text of its passage."""
        async with self._uow() as uow:
            case = await load(uow, actor, case_id, Permission.VIEW, ObjectType.EVIDENCE)
            links = await uow.evidence.for_case(case.id)
            labels = await uow.evidence.hearings(list({link.hearing_id for link in links}))
            hidden = {h: await _unplayable(uow, actor, h) for h in labels}
            altered = {h: await _altered(uow, h) for h in labels}  # once per hearing
            return [EvidenceQuote(link, await _passage(
                uow, hidden[link.hearing_id], labels[link.hearing_id], link.start_ms,
                link.end_ms, link.member_id, altered[link.hearing_id])) for link in links]

    @staticmethod
    async def _case(uow: UnitOfWork, actor: StaffMember, new: NewEvidence) -> CaseFile:
        if new.case_id is not None:
            return await load(uow, actor, new.case_id, Permission.REGISTER, ObjectType.EVIDENCE)
        reference = parse_reference(new.case_reference or "")
        for found, _ in await uow.cases.by_reference(str(reference)) if reference else ():
            try:
                return await load(uow, actor, found.id, Permission.REGISTER, ObjectType.EVIDENCE)
            except NotFound:
                continue
        raise NotFound(CASE_NOT_FOUND)


async def _visible_hearing(uow: UnitOfWork, actor: StaffMember, hearing_id: HearingId
                           ) -> HearingLabel:
    label = await uow.evidence.hearing(hearing_id)
    reach = await scope(uow, actor, Permission.VIEW, ObjectType.TRANSCRIPT)
    if label is None or label.agency_id not in reach.agency_ids:
        raise NotFound(NO_HEARING)
    return label


async def _unplayable(uow: UnitOfWork, actor: StaffMember,
                      hearing_id: HearingId) -> frozenset[MemberId]:
    hearing = await uow.hearings.get(hearing_id)
    return await unplayable_members(uow, actor, hearing) if hearing else frozenset()


async def _altered(uow: UnitOfWork, hearing_id: HearingId) -> bool:
    """The hearing's transcript was approved and no longer matches its fingerprint."""
    check = await approved_check_of(uow, hearing_id)
    return check is not None and not check.intact


async def _passage(uow: UnitOfWork, hidden: frozenset[MemberId], label: HearingLabel,
                   start_ms: int, end_ms: int, member_id: MemberId | None,
                   altered: bool = False) -> Passage:
    """`hidden`: members whose recording the reader may not play (no player for them)."""
    lines = await uow.evidence.quote(label.hearing_id, start_ms, end_ms, member_id)
    speaker = member_id or (lines[0].member_id if lines else None)
    hearing = await uow.hearings.get(label.hearing_id)
    recordings = await uow.hearings.recordings(label.hearing_id)
    if hearing is None or speaker is None or speaker in hidden:
        return Passage(label, start_ms, end_ms, member_id, lines, altered=altered)
    # After a recorder restart the passage plays from the file running at its start.
    chosen = playing_at(playable_recordings(hearing_zero(hearing, recordings), recordings,
                                            prefer="audio"), speaker, start_ms)
    if chosen is None:
        return Passage(label, start_ms, end_ms, member_id, lines, altered=altered)
    return Passage(label, start_ms, end_ms, member_id, lines, speaker, chosen.kind,
                   chosen.offset_seconds, chosen.file, altered)


def _check_range(start_ms: int, end_ms: int) -> None:
    if not valid_range(start_ms, end_ms) or end_ms - start_ms > MAX_PASSAGE_MS:
        raise Invalid(N_("Choose a passage: a start before its end, at most {minutes} minutes."),
                      minutes=MAX_PASSAGE_MS // 60_000)
