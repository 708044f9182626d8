"""Building audit records for an actor, and checking the log (its HMAC chain and its anchors
outside the database, domain/audit.py); the log itself is an adapter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from reception.domain.audit import Anchor, AuditFailure, AuditRecord, ChainCheck
from reception.domain.organisation import StaffMember
from reception.services.ports import UnitOfWork, UnitOfWorkFactory


def record(
    at: datetime,
    actor: StaffMember | None,
    action: str,
    object_type: str,
    object_id: object | None,
    *,
    agency_id: object | None = None,
    details: Mapping[str, object] | None = None,
    actor_label: str | None = None,
) -> AuditRecord:
    return AuditRecord(
        at=at,
        actor_id=str(actor.id) if actor else None,
        actor_label=actor_label or (actor.login if actor else "system"),
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        agency_id=None if agency_id is None else str(agency_id),
        details=dict(details or {}),
    )


class AgencyObject(Protocol):
    """Anything audited by its id and the agency it belongs to (booking, hearing, ...)."""

    @property
    def id(self) -> object: ...
    @property
    def agency_id(self) -> object: ...


async def log_change(uow: UnitOfWork, at: datetime, actor: StaffMember | None, action: str,
                     object_type: str, obj: AgencyObject, details: Mapping[str, object],
                     *, actor_label: str | None = None) -> None:
    """Append the audit entry of a change to the caller's unit of work; the use case commits it
    together with the change (one transaction), never this helper."""
    await uow.audit.append(record(at, actor, action, object_type, obj.id,
                                  agency_id=obj.agency_id, details=details,
                                  actor_label=actor_label))


class AuditAnchors(Protocol):
    """The chain's heads recorded outside the database (adapters/audit_anchor.py)."""

    def read(self) -> Sequence[Anchor]: ...
    def record(self, row_id: int, mac: str, first_keyed: int | None = None,
               at: datetime | None = None) -> None: ...


class AuditService:
    def __init__(self, uow: UnitOfWorkFactory, key: bytes,
                 anchors: AuditAnchors | None = None) -> None:
        self._uow = uow
        self._key = key  # AUDIT_KEY: verification recomputes every row's HMAC
        self._anchors = anchors

    async def check(self) -> tuple[list[AuditFailure], int]:
        """Every failure of the log (rows and anchors) and how many rows were read. The head
        seen is anchored afterwards, with where the keyed chain starts."""
        anchors = self._anchors.read() if self._anchors is not None else []
        check = ChainCheck(self._key, anchors)
        async with self._uow() as uow:
            async for row in uow.audit.rows():
                check.add(row)
        if self._anchors is not None and check.last_id is not None:
            self._anchors.record(check.last_id, check.head, check.first_keyed)
        return check.result(), check.rows

    async def verify(self) -> int | None:
        """None when the log is intact; else the first row a failure names (0 when only the
        anchor file is at fault)."""
        failures, _ = await self.check()
        if not failures:
            return None
        return next((f.row_id for f in failures if f.row_id is not None), 0)
