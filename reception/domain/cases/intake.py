"""Reception → case file: what a reception (a booking and the hearings held for it) brings into
the case it opens. The petition's content was received at the reception, so the case's clocks
run from the reception day (LTCD Art. 28(1): R-3 counts from receipt of the content; LKN Arts. 27,
36 and LTC Art. 24 count acceptance from receipt; docs/law.md §4.3)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from reception.domain.booking import LOCAL_TZ, Booking, BookingId, BookingStatus, Subject
from reception.domain.cases.case import ProcessKind
from reception.domain.hearings.model import Hearing
from reception.domain.organisation import StaffId

# The process a booking's subject opens; the official may choose another before opening.
KIND_FOR_SUBJECT: dict[Subject, ProcessKind] = {
    Subject.COMPLAINT: ProcessKind.COMPLAINT,
    Subject.DENUNCIATION: ProcessKind.DENUNCIATION,
    Subject.PETITION: ProcessKind.RECOMMENDATION,
    Subject.REFLECTION: ProcessKind.RECOMMENDATION,
}
# A reception that never took place brings nothing to a case file.
NOT_HELD = frozenset({BookingStatus.CANCELLED, BookingStatus.NO_SHOW})
# The official may open the case once the reception has begun (the waiting room opens an hour
# before the slot, ND154 Art. 23(1)).
BEGINS_BEFORE_SLOT = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class ReceptionLink:
    case_id: uuid.UUID
    booking_id: BookingId
    received_on: date
    linked_by: StaffId
    linked_at: datetime


def reception_day(booking: Booking, hearings: Sequence[Hearing]) -> date:
    """The day the content was received: the first hearing's, else the booking's slot day."""
    if hearings:
        return min(h.opened_at for h in hearings).astimezone(LOCAL_TZ).date()
    return booking.day


def took_place(booking: Booking, now: datetime) -> bool:
    """The reception happened (or is happening): not cancelled or missed, and its time came."""
    return booking.status not in NOT_HELD and booking.starts_at - BEGINS_BEFORE_SLOT <= now


def hearing_windows(length_ms: int, longest_ms: int) -> list[tuple[int, int]]:
    """The hearing cut into passages an evidence link may quote (at most `longest_ms` each)."""
    length = max(length_ms, 1)
    return [(start, min(start + longest_ms, length)) for start in range(0, length, longest_ms)]
