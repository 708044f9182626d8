"""Ports of reception scheduling: repositories, the mailer, the message composer and the file
store. Adapters implement them; unit tests use small fakes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from reception.domain.booking import (
    Booking,
    BookingId,
    Document,
    Participant,
    ParticipantId,
    ReceptionSession,
    SessionId,
)
from reception.domain.integrity import Attestation
from reception.domain.organisation import AgencyId, StaffId


class SlotTaken(Exception):
    """The database refused a booking that would double-book an official."""


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    dedupe_key: str  # one message per key, ever: reminders are enqueued idempotently
    to_address: str
    subject: str
    body: str
    send_after: datetime
    booking_id: BookingId | None = None
    ics: str | None = None
    # A denouncer's address is not stored here: the vault entry it is read from when sent.
    sealed_recipient: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class QueuedMail:
    id: int
    mail: OutgoingMail
    attempts: int


class ReceptionSessionRepository(Protocol):
    async def add(self, session: ReceptionSession) -> None: ...
    async def get(self, session_id: SessionId) -> ReceptionSession | None: ...
    async def between(self, agency_id: AgencyId, start: datetime, end: datetime,
                      official_id: StaffId | None = None) -> Sequence[ReceptionSession]: ...


class BookingRepository(Protocol):
    async def next_number(self) -> int: ...
    async def add(self, booking: Booking) -> None:
        """Raises SlotTaken when the official's time is already held."""
        ...

    async def update(self, booking: Booking) -> None:
        """Raises SlotTaken when the new time or official is already held."""
        ...

    async def get(self, booking_id: BookingId, *, lock: bool = False) -> Booking | None: ...
    async def taken(self, agency_id: AgencyId, start: datetime,
                    end: datetime) -> Sequence[tuple[StaffId, datetime, datetime]]: ...
    async def for_official(self, official_id: StaffId, start: datetime,
                           end: datetime) -> Sequence[Booking]: ...
    async def for_agency(self, agency_id: AgencyId, start: datetime,
                         end: datetime) -> Sequence[Booking]: ...
    async def starting_between(self, start: datetime, end: datetime) -> Sequence[Booking]:
        """Bookings still booked whose start is after `start` and at most `end`."""
        ...

    async def add_document(self, document: Document, attestation: Attestation) -> None:
        """Refused without the attestation of its SHA-256 (services/integrity/attestation)."""
        ...

    async def documents(self, booking_id: BookingId) -> Sequence[Document]: ...
    async def unsealed_denunciations(self) -> Sequence[Booking]:
        """Denunciations booked before their citizens were sealed (services/booking/sealing.py)."""
        ...

    async def confirm_sealed(self) -> None:
        """Have the database hold every booking, old ones included, to the sealing rule."""
        ...


class ParticipantRepository(Protocol):
    async def add(self, participant: Participant, token_hash: str | None = None,
                  token_expires_at: datetime | None = None) -> None: ...
    async def update(self, participant: Participant) -> None: ...
    async def get(self, participant_id: ParticipantId) -> Participant | None: ...
    async def by_token_hash(self, token_hash: str) -> tuple[Participant, datetime] | None:
        """The participant and the token's expiry."""
        ...

    async def set_token(self, participant_id: ParticipantId, token_hash: str,
                        expires_at: datetime) -> None: ...
    async def of_booking(self, booking_id: BookingId) -> Sequence[Participant]: ...


class OutboxRepository(Protocol):
    async def add(self, mail: OutgoingMail, now: datetime) -> bool:
        """False when a message with the same dedupe key exists already."""
        ...

    async def claim_due(self, now: datetime, limit: int) -> Sequence[QueuedMail]: ...
    async def mark_sent(self, message_id: int, at: datetime, redacted_body: str,
                        redacted_ics: str | None) -> None: ...
    async def mark_failed_attempt(self, message_id: int, error: str, retry_at: datetime | None,
                                  at: datetime) -> None: ...
    async def for_booking(self, booking_id: BookingId) -> Sequence[QueuedMail]: ...
    async def withdraw(self, booking_id: BookingId, kinds: Sequence[str], at: datetime,
                       reason: str) -> int:
        """Stop unsent messages of these kinds for the booking (kept, marked failed with the
        reason); return how many."""
        ...

    async def seal_recipient(self, booking_id: BookingId, vault_id: uuid.UUID, name: str,
                             pseudonym: str) -> None:
        """The booking's messages name the vault entry instead of the address, and the
        pseudonym instead of the name in their text."""
        ...


class Mailer(Protocol):
    """Delivers one message; raises on failure (the outbox retries)."""

    async def send(self, mail: OutgoingMail) -> None: ...


class FileStore(Protocol):
    def save(self, data: bytes) -> tuple[str, bool]:
        """Store the bytes; return their SHA-256 (hex), which names the file, and whether the
        file is new (only new files are removed when the transaction fails)."""
        ...

    def remove(self, sha256: str) -> None: ...
    def read(self, sha256: str) -> bytes: ...


class ContentSniffer(Protocol):
    def media_types(self, data: bytes) -> frozenset[str]:
        """The types the content's own bytes claim (never its name)."""
        ...
