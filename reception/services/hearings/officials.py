"""Who takes part in a hearing as an official: the booking's official (who receives the
citizen) and the officials added to that hearing by them or by the agency's head. Being staff
of the agency is not enough: a case manager, an inspector or an administrator who was not
assigned cannot join, watch the waiting room or act in the room."""

from __future__ import annotations

import uuid

from reception.domain.hearings.model import Hearing, HearingId
from reception.domain.organisation import StaffId, StaffMember, StaffRole
from reception.i18n_marker import N_
from reception.services import audit
from reception.services.errors import Forbidden, Invalid, NotFound
from reception.services.ports import Clock, UnitOfWork, UnitOfWorkFactory

NOT_ASSIGNED = N_("Only the officials of this hearing may take part in it. "
                  "Ask the receiving official to add you.")
# Roles that receive citizens; an administrator account alone never sits in a hearing.
RECEIVING_ROLES = frozenset({StaffRole.RECEPTIONIST, StaffRole.INSPECTOR, StaffRole.HEAD,
                             StaffRole.CASE_MANAGER})


async def conducts(uow: UnitOfWork, actor: StaffMember, hearing: Hearing) -> bool:
    """Whether `actor` is one of the hearing's officials."""
    if not actor.roles & RECEIVING_ROLES:
        return False
    booking = await uow.bookings.get(hearing.booking_id)
    if booking is not None and booking.official_id == actor.id:
        return True
    return actor.id in await uow.hearing_officials.of_hearing(hearing.id)


async def require_official(uow: UnitOfWork, actor: StaffMember, hearing: Hearing) -> None:
    if not await conducts(uow, actor, hearing):
        raise Forbidden(NOT_ASSIGNED)


class HearingOfficialsService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow, self._clock = uow, clock

    async def add(self, actor: StaffMember, hearing_id: HearingId, staff_id: StaffId) -> None:
        """The booking's official (or an official already added, or the agency's head) adds
        another official of the agency to the hearing."""
        async with self._uow() as uow:
            hearing = await uow.hearings.get(hearing_id)
            if hearing is None or hearing.agency_id != actor.agency_id:
                raise NotFound(N_("This hearing does not exist."))
            head = StaffRole.HEAD in actor.roles
            if not head and not await conducts(uow, actor, hearing):
                raise Forbidden(NOT_ASSIGNED)
            member = await uow.staff.get(staff_id)
            if (member is None or member.agency_id != hearing.agency_id or not member.active
                    or not member.roles & RECEIVING_ROLES):
                raise Invalid(N_("Choose an active official of the agency."))
            await uow.hearing_officials.add(uuid.UUID(str(hearing.id)), member.id, actor.id)
            await audit.log_change(uow, self._clock.now(), actor, "hearing.official_added",
                                   "hearing", hearing, {"staff": str(member.id)})
            await uow.commit()
