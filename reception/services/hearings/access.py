"""Pieces of the hearing service: the booking steps it relies on (waiting room and agenda
of reception scheduling), recording rows from closed files, and who
waits outside (the room state every page shows is in room_state.py)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from reception.domain.booking import Booking, Participant
from reception.domain.hearings.model import (
    HearingId,
    HearingMember,
    MemberId,
    Recording,
)
from reception.domain.organisation import StaffMember
from reception.services.hearings.ports import ClosedFile
from reception.services.ports import UnitOfWork

TICKET_VALID_FOR = timedelta(seconds=120)  # one offer, soon after the page asked for it


class BookingSteps(Protocol):
    """Booking state changes the hearing triggers; their rules live with the booking (agenda
    and waiting room). Each runs inside the hearing's unit of work and never commits."""

    async def open_in(self, uow: UnitOfWork, actor: StaffMember, booking: Booking,
                      now: datetime) -> Booking: ...
    async def admit_in(self, uow: UnitOfWork, actor: StaffMember, booking: Booking,
                       participant: Participant, now: datetime) -> Participant: ...
    async def complete_in(self, uow: UnitOfWork, actor: StaffMember, booking: Booking) -> Booking: ...


@dataclass(frozen=True)
class Join:
    hearing_id: HearingId
    member_id: MemberId
    ticket: str  # single use: one offer
    ice_servers: list[dict[str, Any]]


def recordings_of(hearing_id: HearingId, files: Sequence[ClosedFile]) -> list[Recording]:
    return [Recording(hearing_id, MemberId(uuid.UUID(f.member_id)), f.kind, str(f.path), f.sha256,
                      f.size_bytes, f.state, f.started_at, f.stopped_at, f.first_audio_at,
                      f.first_video_at, f.duration_seconds, f.video_frames, f.chain,
                      str(f.original_path) if f.original_path else None, f.original_chain)
            for f in files]


def waiting_participants(people: Sequence[Participant],
                         members: Sequence[HearingMember]) -> list[Participant]:
    """The booking's participants who consented and wait on the waiting-room page, not yet
    admitted and not yet in the hearing's room: the console lists them to admit."""
    present = {m.participant_id for m in members}
    return [p for p in people if p.staff_id is None and p.consent_given_at is not None
            and p.waiting_since is not None and p.admitted_at is None and p.id not in present]
