"""Building audit records for an actor; the log itself is an adapter (hash-chained rows)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from reception.domain.audit import AuditRecord, first_broken
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


class AuditService:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def verify(self) -> int | None:
        """Id of the first audit row that breaks the hash chain, or None when intact."""
        async with self._uow() as uow:
            return first_broken([entry async for entry in uow.audit.entries()])
