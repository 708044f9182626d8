"""The e-mail outbox worker: sends due messages with retries, and queues the 24 h and 1 h
reminders. Runs as a background loop while the server serves (app.py)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import structlog

from reception.services.booking.mail import REMINDERS, BookingMail, redact
from reception.services.booking.ports import Mailer, OutgoingMail
from reception.services.ports import Clock, UnitOfWork, UnitOfWorkFactory

log = structlog.get_logger("reception.outbox")

MAX_ATTEMPTS = 8
BATCH = 20


def retry_delay(attempts: int) -> timedelta:
    """After 1, 2, 3, ... failed attempts: 30 s, 1 min, 2 min, ... capped at one hour, so a
    greylisting server (451 once) is passed quickly and an outage is ridden out."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


async def addressed(uow: UnitOfWork, mail: OutgoingMail) -> OutgoingMail:
    """A message to a denouncer gets its address from the vault only to be sent."""
    if mail.sealed_recipient is None:
        return mail
    identity = await uow.vault.get(mail.sealed_recipient)
    if identity is None or not identity.email:
        raise LookupError(f"no address in vault entry {mail.sealed_recipient}")
    return replace(mail, to_address=identity.email)


class OutboxService:
    def __init__(self, uow: UnitOfWorkFactory, mailer: Mailer, mail: BookingMail,
                 clock: Clock) -> None:
        self._uow, self._mailer, self._mail, self._clock = uow, mailer, mail, clock

    async def deliver_due(self) -> int:
        """Send what is due; return how many were sent."""
        sent = 0
        async with self._uow() as uow:
            for queued in await uow.outbox.claim_due(self._clock.now(), BATCH):
                try:
                    await self._mailer.send(await addressed(uow, queued.mail))
                except Exception as error:  # any delivery failure is retried, then given up
                    attempts = queued.attempts + 1
                    retry = (None if attempts >= MAX_ATTEMPTS
                             else self._clock.now() + retry_delay(attempts))
                    log.warning("mail delivery failed", id=queued.id, attempts=attempts,
                                error=repr(error), gives_up=retry is None)
                    await uow.outbox.mark_failed_attempt(queued.id, repr(error), retry,
                                                         self._clock.now())
                    continue
                mail = queued.mail
                await uow.outbox.mark_sent(queued.id, self._clock.now(), redact(mail.body),
                                           redact(mail.ics) if mail.ics else None)
                sent += 1
            await uow.commit()
        return sent

    async def queue_reminders(self) -> int:
        """Queue each reminder whose moment has come, once, for bookings made before it."""
        now = self._clock.now()
        queued = 0
        async with self._uow() as uow:
            for reminder in REMINDERS:
                # starting_between only returns bookings still booked: none for cancelled ones.
                due = await uow.bookings.starting_between(now + reminder.until,
                                                          now + reminder.before)
                for booking in due:
                    # A booking made 3 h ahead gets no "tomorrow" reminder: its confirmation is fresh.
                    booked_before = booking.created_at is None or (
                        booking.created_at <= booking.starts_at - reminder.before)
                    if booked_before and await self._mail.enqueue(uow, reminder.kind, booking,
                                                                  None, now):
                        queued += 1
            await uow.commit()
        return queued

    async def run(self, interval: float, stop: asyncio.Event) -> None:
        """Loop until `stop` is set; errors are logged and the loop goes on."""
        while not stop.is_set():
            try:
                await self.queue_reminders()
                await self.deliver_due()
            except Exception:  # a database blip must not kill the worker
                log.exception("outbox round failed")
            try:
                await asyncio.wait_for(stop.wait(), timeout=interval)
            except TimeoutError:
                pass
