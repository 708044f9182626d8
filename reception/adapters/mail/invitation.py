"""The `.ics` invitation (RFC 5545) a citizen adds to their phone's calendar."""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, Event

from reception.domain.booking import Booking


def invitation(booking: Booking, *, summary: str, link: str | None, organizer_host: str,
               stamp: datetime, cancelled: bool = False) -> str:
    calendar = Calendar()
    calendar.add("prodid", "-//tiep-dan-truc-tuyen//booking//VI")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", f"{booking.id}@{organizer_host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", booking.starts_at)
    event.add("dtend", booking.ends_at)
    event.add("sequence", booking.sequence)
    event.add("summary", f"{summary} {booking.reference}")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if link:
        event.add("url", link)
        event.add("description", link)
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical.decode()
