"""E-mail: compose a message in the citizen's language, and deliver it over SMTP (aiosmtplib)
or, with no SMTP server configured (`make run`), write it to the log."""

from __future__ import annotations

from email.header import Header
from email.message import EmailMessage

import aiosmtplib
import structlog

from reception.domain.booking import LOCAL_TZ, Booking
from reception.domain.labels import WEEKDAYS
from reception.i18n import translations
from reception.i18n_marker import N_
from reception.redaction import redact_text
from reception.services.booking.ports import OutgoingMail

log = structlog.get_logger("reception.mail")

SUBJECTS = {
    "confirmation": N_("Online reception booked: {reference}"),
    "rescheduled": N_("Online reception moved: {reference}"),
    "cancelled": N_("Online reception cancelled: {reference}"),
    "reminder_24h": N_("Reminder: online reception tomorrow, {reference}"),
    "reminder_1h": N_("Reminder: online reception in one hour, {reference}"),
}
OPENINGS = {
    "confirmation": N_("Your online reception is booked."),
    "rescheduled": N_("Your online reception has a new time."),
    "cancelled": N_("Your online reception is cancelled. You can book a new time at any moment."),
    "reminder_24h": N_("Your online reception is tomorrow."),
    "reminder_1h": N_("Your online reception starts in one hour."),
}
BODY = N_("Hello {name},\n\n{opening}\n\nReference: {reference}\nTime: {time}\n"
          "Agency: {agency}\n\nYour private link (do not share it):\n{link}\n\n"
          "With this link you can see, move or cancel the booking, add documents, test your "
          "camera and microphone, and join the waiting room at your time.\n"
          "The session is recorded in audio and video as the law requires (Decree 154/2026, "
          "Article 24).\n\nAfter the reception you receive a receipt with your case reference and "
          "a secret code; with them you follow your case at {status_url}\n")
SALUTATION = N_("Sir or Madam")
LINK_GONE = N_("(no link: the booking is cancelled)")
LINK_IN_CONFIRMATION = N_("(open the private link from your confirmation e-mail)")


class MailComposer:
    """Builds subject and body from the catalogs; the same words the pages use."""

    def compose(self, kind: str, booking: Booking, agency_name: str,
                link: str | None, status_url: str = "") -> tuple[str, str]:
        t = translations(booking.locale if booking.locale in ("vi", "en") else "vi").gettext
        local = booking.starts_at.astimezone(LOCAL_TZ)
        subject = t(SUBJECTS[kind]).format(reference=booking.reference)
        weekday = t(WEEKDAYS[local.weekday()])
        # A denouncer's name is in the vault, not in the outbox: a salutation without it.
        name = t(SALUTATION) if booking.sealed_identity else booking.citizen.full_name
        body = t(BODY).format(name=name, opening=t(OPENINGS[kind]),
                              reference=booking.reference,
                              time=f"{local:%H:%M}, {weekday}, {local:%d/%m/%Y}",
                              agency=agency_name,
                              link=link or t(LINK_GONE if kind == "cancelled" else LINK_IN_CONFIRMATION),
                              status_url=status_url)
        return subject, body


def build_message(mail: OutgoingMail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to_address
    if mail.subject.isascii():
        message["Subject"] = mail.subject
    else:
        # Python 3.11's folder puts the space between two encoded-words outside both, where
        # readers drop it ("công dântrực", CPython gh-92081). The legacy encoder keeps spaces
        # inside the words; set_raw stops the policy from folding its short lines again.
        message.set_raw("Subject", Header(mail.subject, "utf-8", header_name="Subject").encode())
    message.set_content(mail.body)
    if mail.ics:
        message.add_attachment(mail.ics.encode(), maintype="text", subtype="calendar",
                               filename="invitation.ics", params={"method": "REQUEST"})
    return message


class SmtpMailer:
    def __init__(self, host: str, port: int, sender: str, *, user: str | None = None,
                 password: str | None = None, tls: bool = True, timeout: float = 20) -> None:
        self._host, self._port, self._sender = host, port, sender
        self._user, self._password, self._tls, self._timeout = user, password, tls, timeout

    async def send(self, mail: OutgoingMail) -> None:
        await aiosmtplib.send(build_message(mail, self._sender), hostname=self._host,
                              port=self._port, username=self._user, password=self._password,
                              start_tls=self._tls, timeout=self._timeout)


class LogMailer:
    """No SMTP server configured: the message goes to the log (and stays in the outbox)."""

    async def send(self, mail: OutgoingMail) -> None:
        # The body carries the citizen's private link: the log gets it redacted, as the outbox
        # keeps sent mails (the outbox row still holds the link until it is sent).
        # A denouncer's address comes from the vault for sending only: not into the log.
        to = "(vault)" if mail.sealed_recipient else mail.to_address
        log.info("mail not sent (no SMTP_HOST)", to=to, subject=mail.subject,
                 body=redact_text(mail.body))
