"""Wiring of reception scheduling (called once from bootstrap.Container): adapters chosen from
settings, services built on them."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from reception.adapters.mail.invitation import invitation
from reception.adapters.mail.smtp import LogMailer, MailComposer, SmtpMailer
from reception.adapters.storage.uploads import DiskFileStore, MagicSniffer
from reception.domain.booking import Booking
from reception.domain.law.workdays import default_calendar
from reception.i18n import translations
from reception.i18n_marker import N_
from reception.services.booking.agenda import AgendaService
from reception.services.booking.bookings import BookingService, UploadLimits
from reception.services.booking.calendar import CalendarService
from reception.services.booking.mail import BookingMail
from reception.services.booking.outbox import OutboxService
from reception.services.booking.ports import Mailer
from reception.services.booking.waiting_room import WaitingRoomService
from reception.services.hearings.events import RoomEvents
from reception.services.ports import Clock, UnitOfWorkFactory
from reception.services.registry import BookingServices
from reception.settings import Settings

INVITATION_SUMMARY = N_("Online citizen reception")


def mailer_for(settings: Settings) -> Mailer:
    if not settings.smtp_host:
        return LogMailer()
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    return SmtpMailer(settings.smtp_host, settings.smtp_port, settings.smtp_from,
                      user=settings.smtp_user, password=password, tls=settings.smtp_tls)


def build_booking_services(settings: Settings, uow: UnitOfWorkFactory, clock: Clock,
                           events: RoomEvents) -> BookingServices:
    calendar = default_calendar()
    host = urlsplit(settings.base_url()).hostname or "localhost"

    def make_invitation(booking: Booking, *, link: str | None, cancelled: bool,
                        stamp: datetime) -> str:
        summary = translations(booking.locale).gettext(INVITATION_SUMMARY)
        return invitation(booking, summary=summary, link=link, organizer_host=host,
                          stamp=stamp, cancelled=cancelled)

    mail = BookingMail(MailComposer(), make_invitation, settings.base_url())
    limits = UploadLimits(settings.upload_max_bytes, settings.uploads_per_booking,
                          settings.join_link_days_after_slot)
    bookings = BookingService(uow, clock, calendar, DiskFileStore(settings.data_dir / "uploads"),
                              MagicSniffer(), mail, limits)
    return BookingServices(
        calendar=CalendarService(uow, clock, calendar), bookings=bookings,
        agenda=AgendaService(uow, clock, calendar, bookings),
        waiting_room=WaitingRoomService(uow, clock, events),
        outbox=OutboxService(uow, mailer_for(settings), mail, clock), mail=mail,
        mail_is_logged=not settings.smtp_host)
