"""Who takes part in a hearing as an official: the booking's official (who receives the
citizen) and the officials added to that hearing by them or by the agency's head. Being staff
of the agency is not enough: a case manager, an inspector or an administrator who was not
assigned cannot join, watch the waiting room or act in the room.

The same rule decides who acts on the booking itself (`conducted_booking`): opening its hearing,
adding an interpreter, lawyer or representative, asking the citizen to wait, marking a no-show,
finishing. Giving the booking to another official is also the head's (`may_reassign`): the head
distributes the agency's receptions. Reading the agenda stays open to the agency's staff."""

from __future__ import annotations

import uuid

from reception.domain.booking import Booking, BookingId
from reception.domain.hearings.model import Hearing, HearingId
from reception.domain.organisation import StaffId, StaffMember, StaffRole
from reception.i18n_marker import N_
from reception.services import audit
from reception.services.errors import Forbidden, Invalid, NotFound
from reception.services.ports import Clock, UnitOfWork, UnitOfWorkFactory

NOT_ASSIGNED = N_("Only the officials of this hearing may take part in it. "
                  "Ask the receiving official to add you.")
NOT_RECEIVING = N_("Only the official who receives this booking may do this. Ask the head "
                   "of the agency to give the booking to you.")
NO_BOOKING = N_("This booking does not exist.")
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


async def conducts_booking(uow: UnitOfWork, actor: StaffMember, booking: Booking) -> bool:
    """Whether `actor` receives the booking's citizen: its official, or an official of its
    open hearing (`conducts`)."""
    if not actor.roles & RECEIVING_ROLES:
        return False
    if booking.official_id == actor.id:
        return True
    hearing = await uow.hearings.open_for_booking(booking.id)
    return hearing is not None and await conducts(uow, actor, hearing)


async def may_change(uow: UnitOfWork, actor: StaffMember, booking: Booking, *,
                     or_head: bool = False) -> bool:
    """Whether `actor` may change the booking; `or_head`: the head may too (reassigning)."""
    return (or_head and StaffRole.HEAD in actor.roles) or await conducts_booking(uow, actor,
                                                                                booking)


async def conducted_booking(uow: UnitOfWork, actor: StaffMember, booking_id: BookingId, *,
                            lock: bool = False, or_head: bool = False) -> Booking:
    """The booking `actor` is about to change: another agency's is NotFound (never a hint it
    exists), one they may not change (`may_change`) is Forbidden."""
    booking = await uow.bookings.get(booking_id, lock=lock)
    if booking is None or booking.agency_id != actor.agency_id:
        raise NotFound(NO_BOOKING)
    if not await may_change(uow, actor, booking, or_head=or_head):
        raise Forbidden(NOT_RECEIVING)
    return booking


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
