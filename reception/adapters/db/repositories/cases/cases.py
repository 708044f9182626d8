"""SQL repository of case files; every read takes a CaseScope so out-of-scope ids are not found."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    Uuid,
    and_,
    bindparam,
    delete,
    exists,
    false,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession

from reception.adapters.db.engine import read_rows
from reception.adapters.db.repositories.organisation import _member
from reception.adapters.db.tables import cases as t
from reception.adapters.db.tables import organisation as o
from reception.domain.cases.case import CaseId, ComplaintSubject, ProcessKind
from reception.domain.cases.case_file import (
    Assignment,
    CaseFile,
    CaseParts,
    CaseScope,
    Channel,
    ContestedDecision,
    Dispatch,
    Document,
    ObligationRow,
    Party,
    PartyRole,
    Publication,
    StoredEvent,
)
from reception.domain.cases.denouncer import check_sealed
from reception.domain.cases.facts import facts_from_json, facts_to_json
from reception.domain.integrity import Attestation, Stored, require
from reception.domain.law.events import CaseEvent
from reception.domain.organisation import AgencyId, StaffId


def scope_filter(scope: CaseScope) -> ColumnElement[bool]:
    clauses: list[ColumnElement[bool]] = []
    if scope.agency_ids:
        clauses.append(t.CaseFile.agency_id.in_(scope.agency_ids))
    if scope.assigned_to is not None:
        clauses.append(exists().where(t.CaseAssignment.case_id == t.CaseFile.id,
                                      t.CaseAssignment.staff_id == scope.assigned_to))
    return or_(*clauses) if clauses else false()


# The enums by stored value: a dict lookup per column instead of an Enum call (the case list
# builds fifty case files per page); an unknown value still raises, from the Enum call.
_KINDS = {k.value: k for k in ProcessKind}
_SUBJECTS = {s.value: s for s in ComplaintSubject}
_CHANNELS = {c.value: c for c in Channel}


def to_case(row: Any) -> CaseFile:
    contested = (ContestedDecision(row.contested_number, row.contested_date, row.contested_issuer or "")
                 if row.contested_number else None)
    return CaseFile(
        id=row.id, agency_id=AgencyId(row.agency_id), reference=row.reference,
        kind=_KINDS.get(row.kind) or ProcessKind(row.kind),
        subject=_SUBJECTS.get(row.subject) or ComplaintSubject(row.subject), instance=row.instance,
        state=row.state, version=row.version,
        channel=_CHANNELS.get(row.channel) or Channel(row.channel), opened_on=row.opened_on,
        summary=row.summary, principal_name=row.principal_name, parent_id=row.parent_id,
        content_type=row.content_type, contested=contested,
        principal_id_number=row.principal_id_number,
        assignee_id=StaffId(row.assignee_id) if row.assignee_id else None, closed=row.closed,
        next_due=row.next_due, next_rule=row.next_rule, resolved_on=row.resolved_on,
        resolved_on_time=row.resolved_on_time)


# Row to domain, for ORM rows and for the rows case_parts.py decodes (attribute access alike).
def to_event(r: Any) -> StoredEvent:
    return StoredEvent(
        CaseEvent(CaseId(str(r.case_id)), r.seq, r.on, r.action, r.actor_role, r.from_state,
                  r.to_state, r.legal_basis, facts_from_json(r.facts)),
        r.at, StaffId(r.actor_id) if r.actor_id else None, r.actor_label, r.note)


def to_party(r: Any) -> Party:
    return Party(r.id, PartyRole(r.role), r.position, r.display_name, r.address, r.id_type,
                 r.id_number, r.contact, r.organisation, r.vault_id)


def to_assignment(r: Any) -> Assignment:
    return Assignment(StaffId(r.staff_id), r.lead, r.assigned_on)


def to_document(r: Any) -> Document:
    return Document(r.id, r.case_id, r.origin, r.title, r.media_type, r.size_bytes, r.sha256,
                    r.form_key, r.published, StaffId(r.created_by) if r.created_by else None,
                    r.created_at)


def to_dispatch(r: Any) -> Dispatch:
    return Dispatch(r.id, r.case_id, r.recipient, r.channel, r.sent_on, r.delivered_on,
                    r.document_id)


def to_publication(r: Any) -> Publication:
    return Publication(r.id, r.case_id, r.medium, r.start_on, r.end_on, r.document_id)


def _state_columns(case: CaseFile) -> dict[str, object]:
    return dict(state=case.state, version=case.version, closed=case.closed, next_due=case.next_due,
                next_rule=case.next_rule, resolved_on=case.resolved_on,
                resolved_on_time=case.resolved_on_time, content_type=case.content_type,
                assignee_id=case.assignee_id)


# The case page's children in one round trip: UNION ALL of each table's rows as JSON, decoded
# back to the columns' Python types from the table definitions (to_jsonb writes dates,
# timestamps and UUIDs as ISO strings). The password hash never leaves the database.
_PART_TABLES: dict[str, Table] = {tag: cast(Table, model.__table__) for tag, model in (
    ("e", t.CaseEventRow), ("p", t.CaseParty), ("d", t.CaseDocument), ("s", t.CaseDispatch),
    ("u", t.CasePublication), ("a", t.CaseAssignment), ("m", o.StaffUser))}
PARTS = text(" UNION ALL ".join(
    f"SELECT '{tag}' AS tag, to_jsonb(x) AS data FROM {table.name} x WHERE x.case_id = :case_id"
    if tag != "m" else
    "SELECT 'm', to_jsonb(x) - 'password_hash' FROM staff_user x WHERE x.agency_id = :agency_id"
    for tag, table in _PART_TABLES.items())).bindparams(
    bindparam("case_id", type_=Uuid), bindparam("agency_id", type_=Uuid)).columns(
    tag=String, data=JSONB)
_FROM_JSON: dict[type, Callable[[Any], Any]] = {
    uuid.UUID: uuid.UUID, date: date.fromisoformat, datetime: datetime.fromisoformat}


def _converters(table: Table) -> list[tuple[str, Callable[[Any], Any] | None]]:
    out: list[tuple[str, Callable[[Any], Any] | None]] = []
    for column in table.columns:
        try:
            python_type: type | None = column.type.python_type
        except NotImplementedError:
            python_type = None
        out.append((column.name, _FROM_JSON.get(python_type) if python_type else None))
    return out


_COLUMNS = {tag: _converters(table) for tag, table in _PART_TABLES.items()}


def _decode(tag: str, data: dict[str, Any]) -> SimpleNamespace:
    values = {}
    for name, convert in _COLUMNS[tag]:
        value = data.get(name)
        values[name] = convert(value) if convert is not None and value is not None else value
    return SimpleNamespace(**values)


class SqlCases:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def next_number(self, agency_id: AgencyId, year: int, prefix: str) -> int:
        fresh = insert(t.CaseCounter).values(agency_id=agency_id, year=year, prefix=prefix, last=1)
        statement = fresh.on_conflict_do_update(
            index_elements=[t.CaseCounter.agency_id, t.CaseCounter.year, t.CaseCounter.prefix],
            set_={"last": t.CaseCounter.last + 1}).returning(t.CaseCounter.last)
        return int((await self._s.execute(statement)).scalar_one())

    async def add(self, case: CaseFile, *, name_key: str, secret_hash: str) -> None:
        contested = case.contested
        self._s.add(t.CaseFile(
            id=case.id, agency_id=case.agency_id, reference=case.reference, kind=case.kind.value,
            subject=case.subject.value, instance=case.instance, parent_id=case.parent_id,
            channel=case.channel.value, opened_on=case.opened_on, summary=case.summary,
            principal_name=case.principal_name, name_key=name_key,
            principal_id_number=case.principal_id_number, secret_hash=secret_hash,
            contested_number=contested.number if contested else None,
            contested_date=contested.issued_on if contested else None,
            contested_issuer=contested.issuer if contested else None, **_state_columns(case)))
        await self._s.flush()

    async def get(self, case_id: uuid.UUID, scope: CaseScope, *, lock: bool = False) -> CaseFile | None:
        # Core, not ORM: a hot read (every case page); to_case reads the row's columns alike.
        query = select(*t.CaseFile.__table__.c).where(t.CaseFile.id == case_id, scope_filter(scope))
        if lock:  # one action at a time per case: the second waits, then sees the new state
            query = query.with_for_update()
        rows = await read_rows(self._s, query)
        return to_case(rows[0]) if rows else None

    async def by_reference(self, reference: str) -> Sequence[tuple[CaseFile, str]]:
        rows = await self._s.scalars(select(t.CaseFile).where(t.CaseFile.reference == reference))
        return [(to_case(r), r.secret_hash) for r in rows]

    async def save_state(self, case: CaseFile) -> None:
        await self._s.execute(update(t.CaseFile).where(t.CaseFile.id == case.id)
                              .values(**_state_columns(case), updated_at=func.now()))

    async def secret_hash(self, case_id: uuid.UUID) -> str | None:
        return await self._s.scalar(select(t.CaseFile.secret_hash).where(t.CaseFile.id == case_id))

    async def set_secret_hash(self, case_id: uuid.UUID, secret_hash: str) -> None:
        await self._s.execute(update(t.CaseFile).where(t.CaseFile.id == case_id)
                              .values(secret_hash=secret_hash))

    async def append_event(self, stored: StoredEvent, agency_id: AgencyId) -> None:
        e = stored.event
        self._s.add(t.CaseEventRow(
            case_id=uuid.UUID(e.case_id), seq=e.seq, on=e.on, at=stored.at, actor_id=stored.actor_id,
            actor_label=stored.actor_label, actor_role=e.actor_role, action=e.action,
            from_state=e.from_state, to_state=e.to_state, legal_basis=e.legal_basis,
            facts=facts_to_json(e.facts), note=stored.note))
        await self._s.flush()

    async def events(self, case_id: uuid.UUID) -> list[StoredEvent]:
        rows = await self._s.scalars(select(t.CaseEventRow).where(t.CaseEventRow.case_id == case_id)
                                     .order_by(t.CaseEventRow.seq))
        return [to_event(r) for r in rows]

    async def _check_sealed(self, case_id: uuid.UUID, party: Party) -> None:
        """Refuse a denouncer's identity outside the vault, whatever path wrote it."""
        kind = await self._s.scalar(select(t.CaseFile.kind).where(t.CaseFile.id == case_id))
        check_sealed(ProcessKind(kind) if kind else ProcessKind.DENUNCIATION, party)

    async def add_party(self, case_id: uuid.UUID, party: Party) -> None:
        await self._check_sealed(case_id, party)
        self._s.add(t.CaseParty(
            id=party.id, case_id=case_id, role=party.role.value, position=party.position,
            display_name=party.display_name, address=party.address, id_type=party.id_type,
            id_number=party.id_number, contact=party.contact, organisation=party.organisation,
            vault_id=party.vault_id))
        await self._s.flush()

    async def replace_party(self, case_id: uuid.UUID, party: Party) -> None:
        """Rewrite a party in place (sealing a petitioner who turned out to denounce)."""
        await self._check_sealed(case_id, party)
        await self._s.execute(update(t.CaseParty).where(
            t.CaseParty.case_id == case_id, t.CaseParty.id == party.id).values(
            role=party.role.value, position=party.position, display_name=party.display_name,
            address=party.address, id_type=party.id_type, id_number=party.id_number,
            contact=party.contact, organisation=party.organisation, vault_id=party.vault_id))

    async def set_principal(self, case_id: uuid.UUID, name: str, name_key: str,
                            id_number: str | None) -> None:
        await self._s.execute(update(t.CaseFile).where(t.CaseFile.id == case_id).values(
            principal_name=name, name_key=name_key, principal_id_number=id_number))

    async def parties(self, case_id: uuid.UUID) -> list[Party]:
        rows = await self._s.scalars(select(t.CaseParty).where(t.CaseParty.case_id == case_id)
                                     .order_by(t.CaseParty.role, t.CaseParty.position))
        return [to_party(r) for r in rows]

    async def replace_obligations(self, case_id: uuid.UUID, rows: Sequence[ObligationRow]) -> None:
        await self._s.execute(delete(t.CaseObligation).where(t.CaseObligation.case_id == case_id))
        self._s.add_all([t.CaseObligation(case_id=case_id, rule_id=o.rule_id, article=o.article,
                                          started_on=o.started_on, due=o.due, paused=o.paused)
                         for o in rows])
        await self._s.flush()

    async def assign(self, case_id: uuid.UUID, staff_id: StaffId, *, lead: bool, on: date) -> None:
        statement = insert(t.CaseAssignment).values(case_id=case_id, staff_id=staff_id, lead=lead,
                                                    assigned_on=on).on_conflict_do_nothing()
        await self._s.execute(statement)

    async def assignments(self, case_id: uuid.UUID) -> list[Assignment]:
        rows = await self._s.scalars(select(t.CaseAssignment).where(t.CaseAssignment.case_id == case_id))
        return [to_assignment(r) for r in rows]

    async def add_document(self, doc: Document, attestation: Attestation) -> None:
        require(attestation, Stored.CASE_DOCUMENT, doc.id, doc.sha256)
        self._s.add(t.CaseDocument(
            id=doc.id, case_id=doc.case_id, origin=doc.origin, form_key=doc.form_key, title=doc.title,
            media_type=doc.media_type, size_bytes=doc.size_bytes, sha256=doc.sha256,
            published=doc.published, created_by=doc.created_by))
        await self._s.flush()

    async def documents(self, case_id: uuid.UUID, *, published_only: bool = False) -> list[Document]:
        query = select(t.CaseDocument).where(t.CaseDocument.case_id == case_id)
        if published_only:
            query = query.where(t.CaseDocument.published)
        rows = await self._s.scalars(query.order_by(t.CaseDocument.created_at, t.CaseDocument.id))
        return [to_document(r) for r in rows]

    async def publish_document(self, case_id: uuid.UUID, document_id: uuid.UUID) -> bool:
        result = await self._s.execute(update(t.CaseDocument).where(
            and_(t.CaseDocument.case_id == case_id, t.CaseDocument.id == document_id))
            .values(published=True))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def add_dispatch(self, d: Dispatch) -> None:
        self._s.add(t.CaseDispatch(id=d.id, case_id=d.case_id, document_id=d.document_id,
                                   recipient=d.recipient, channel=d.channel, sent_on=d.sent_on,
                                   delivered_on=d.delivered_on))
        await self._s.flush()

    async def set_delivered(self, case_id: uuid.UUID, dispatch_id: uuid.UUID, on: date) -> bool:
        result = await self._s.execute(update(t.CaseDispatch).where(
            t.CaseDispatch.case_id == case_id, t.CaseDispatch.id == dispatch_id).values(delivered_on=on))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def dispatches(self, case_id: uuid.UUID) -> list[Dispatch]:
        rows = await self._s.scalars(select(t.CaseDispatch).where(t.CaseDispatch.case_id == case_id)
                                     .order_by(t.CaseDispatch.sent_on, t.CaseDispatch.id))
        return [to_dispatch(r) for r in rows]

    async def add_publication(self, p: Publication) -> None:
        self._s.add(t.CasePublication(id=p.id, case_id=p.case_id, document_id=p.document_id,
                                      medium=p.medium, start_on=p.start_on, end_on=p.end_on))
        await self._s.flush()

    async def parts(self, case_id: uuid.UUID, agency_id: AgencyId) -> CaseParts:
        """One statement for the whole page: each child table's rows as JSON, tagged."""
        rows = await read_rows(self._s, PARTS, {"case_id": case_id, "agency_id": agency_id})
        found: dict[str, list[Any]] = {tag: [] for tag in _PART_TABLES}
        for row in rows:
            found[row.tag].append(_decode(row.tag, row.data))
        return CaseParts(
            events=[to_event(r) for r in sorted(found["e"], key=lambda r: r.seq)],
            parties=[to_party(r) for r in sorted(found["p"], key=lambda r: (r.role, r.position))],
            documents=[to_document(r) for r in sorted(found["d"],
                                                      key=lambda r: (r.created_at, r.id))],
            dispatches=[to_dispatch(r) for r in sorted(found["s"], key=lambda r: (r.sent_on, r.id))],
            publications=[to_publication(r) for r in found["u"]],
            assignments=[to_assignment(r) for r in found["a"]],
            staff=[_member(r) for r in sorted(found["m"], key=lambda r: r.login)])

    async def publications(self, case_id: uuid.UUID) -> list[Publication]:
        rows = await self._s.scalars(select(t.CasePublication)
                                     .where(t.CasePublication.case_id == case_id))
        return [to_publication(r) for r in rows]
