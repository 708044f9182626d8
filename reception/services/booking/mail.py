"""Which e-mails a booking produces and when: written to the outbox inside the caller's unit
of work. The join link is in the body until the message is sent, then redacted."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from reception.domain.booking import Booking
from reception.services.booking.ports import OutgoingMail
from reception.services.booking.sealing import citizen_behind
from reception.services.ports import UnitOfWork

# The token in a sent message's stored body is replaced, so the outbox never keeps live links.
TOKEN_IN_LINK = re.compile(r"(\?t=)[A-Za-z0-9_-]{20,}")

@dataclass(frozen=True, slots=True)
class Reminder:
    """Sent once the start is at most `before` away, but not if it is `until` away or less:
    a server down for a day must not send "tomorrow" an hour before the session."""

    kind: str
    before: timedelta
    until: timedelta


REMINDERS = (Reminder("reminder_24h", timedelta(hours=24), timedelta(hours=1)),
             Reminder("reminder_1h", timedelta(hours=1), timedelta(0)))
REMINDER_KINDS = tuple(r.kind for r in REMINDERS)


class Composer(Protocol):
    def compose(self, kind: str, booking: Booking, agency_name: str,
                link: str | None, status_url: str = "") -> tuple[str, str]: ...


class InvitationMaker(Protocol):
    def __call__(self, booking: Booking, *, link: str | None, cancelled: bool,
                 stamp: datetime) -> str: ...


def redact(body: str) -> str:
    return TOKEN_IN_LINK.sub(r"\1…", body)


class BookingMail:
    def __init__(self, composer: Composer, invitation: InvitationMaker, public_url: str) -> None:
        self._composer, self._invitation = composer, invitation
        self._public_url = public_url.rstrip("/")

    def link(self, token: str) -> str:
        return f"{self._public_url}/my-booking?t={token}"

    def status_url(self) -> str:
        """Where citizens follow their case file with the reference and secret on the receipt."""
        return f"{self._public_url}/status"

    async def enqueue(self, uow: UnitOfWork, kind: str, booking: Booking, token: str | None,
                      now: datetime, send_after: datetime | None = None) -> bool:
        """Queue one message (idempotent per booking, kind and version); False if none.
        A sealed booking's address stays in the vault: the message names the vault entry and
        the sender reads the address just before sending."""
        if not (await citizen_behind(uow, booking)).email:
            return False
        agency = await uow.agencies.get(booking.agency_id)
        link = self.link(token) if token else None
        subject, body = self._composer.compose(kind, booking, agency.name if agency else "", link,
                                               self.status_url())
        ics = None
        if kind in ("confirmation", "rescheduled", "cancelled"):
            # No link in the attachment: calendar apps fold lines and sync to clouds.
            ics = self._invitation(booking, link=None, cancelled=kind == "cancelled", stamp=now)
        key = f"{booking.id}:{kind}:{booking.sequence}:{booking.starts_at.isoformat()}"
        return await uow.outbox.add(OutgoingMail(
            key, booking.citizen.email or "", subject, body, send_after or now, booking.id, ics,
            booking.sealed_identity), now)

    def invitation_file(self, booking: Booking, token: str, now: datetime) -> str:
        """The `.ics` the citizen downloads from their page: it may carry their link."""
        return self._invitation(booking, link=self.link(token),
                                cancelled=booking.status.value == "cancelled", stamp=now)
