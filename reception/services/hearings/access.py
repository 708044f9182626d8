"""Pieces of the hearing service: the booking steps it relies on (waiting room and agenda
of reception scheduling), single-use signalling tickets, recording rows from closed files, and who
waits outside (the room state every page shows is in room_state.py)."""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from reception.domain.booking import Booking, Participant
from reception.domain.hearings.model import (
    HearingId,
    HearingMember,
    MemberId,
    Recording,
)
from reception.domain.organisation import StaffMember
from reception.i18n_marker import N_
from reception.services.errors import Forbidden
from reception.services.hearings.ports import ClosedFile
from reception.services.ports import UnitOfWork

TICKET_SECONDS = 120.0


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


class Tickets:
    """Each offer needs a fresh ticket bound to one hearing member; a replayed offer (same
    ticket) is refused, so a captured request cannot take over a live connection."""

    def __init__(self) -> None:
        self._open: dict[str, tuple[HearingId, MemberId, float]] = {}

    def issue(self, hearing_id: HearingId, member_id: MemberId) -> str:
        now = time.monotonic()
        self._open = {k: v for k, v in self._open.items() if v[2] > now}
        ticket = secrets.token_urlsafe(24)
        self._open[ticket] = (hearing_id, member_id, now + TICKET_SECONDS)
        return ticket

    def redeem(self, ticket: str, hearing_id: HearingId) -> MemberId:
        found = self._open.pop(ticket, None)
        if found is None or found[0] != hearing_id or found[2] <= time.monotonic():
            raise Forbidden(N_("This connection request is not valid any more. Reload the page."))
        return found[1]


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
