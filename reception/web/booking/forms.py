"""Forms of the booking pages (citizen and staff share them) and their conversion to the
service's input."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timedelta

from pydantic import BaseModel, EmailStr, Field, field_validator
from quart.datastructures import FileStorage
from werkzeug.datastructures import MultiDict

from reception.domain.booking import LOCAL_TZ, Channel, Citizen, SessionId, Slot, Subject
from reception.domain.text import is_one_line
from reception.i18n_marker import N_
from reception.services.booking.bookings import NewBooking
from reception.services.booking.rules import Upload
from reception.services.errors import Invalid
from reception.web.text import OneLine

SLOT_DAYS = 28  # how far ahead citizens see free slots
ID_SEPARATORS = re.compile(r"[\s.\-]")


class BookingForm(BaseModel):
    slot: str = Field(pattern=r"^[0-9a-f-]{36}\|[0-9T:+.-]{19,40}$")
    subject: Subject
    description: str = Field(min_length=10, max_length=2000)
    full_name: OneLine = Field(min_length=2, max_length=255)
    id_number: str = Field(pattern=r"^[0-9]{12}$")  # ASCII digits only, as domain/citizen_id.py
    phone: str | None = Field(default=None, pattern=r"^\+?[0-9 .-]{8,20}$")
    email: EmailStr | None = None
    address: OneLine = Field(min_length=5, max_length=500)
    group_size: int = Field(default=1, ge=1, le=500)
    representatives: str = Field(default="", max_length=2000)
    identity_protection_waived: bool = False
    remote_or_vulnerable: bool = False

    @field_validator("phone", "email", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return value or None

    @field_validator("representatives")
    @classmethod
    def _one_name_per_line(cls, value: str) -> str:
        """One representative per line: each line is a name (domain/text.py)."""
        if not all(is_one_line(line) for line in value.splitlines()):
            raise ValueError("a line holds a control character")
        return value

    @field_validator("id_number", mode="before")
    @classmethod
    def _digits_only(cls, value: object) -> object:
        """'001 190 045 678' as printed on the card, or typed in groups: the 12 digits."""
        return ID_SEPARATORS.sub("", value) if isinstance(value, str) else value


TOO_LARGE = N_("The files are too large to send: at most {n} files of {mb} MB each. Your other "
               "answers are kept; choose smaller files or photos.")
MESSAGES = {
    "slot": N_("Choose a time from the list."),
    "subject": N_("Choose what your matter is about."),
    "description": N_("Describe your matter in 10 to 2000 characters."),
    "full_name": N_("Enter your full name."),
    "id_number": N_("The citizen ID number must have 12 digits and start with a province "
                    "code, as printed on your citizen identity card."),
    "phone": N_("Enter a phone number of 8 to 20 digits, or leave it empty."),
    "email": N_("Enter a valid e-mail address or leave it empty."),
    "address": N_("Enter your address."),
    "group_size": N_("Enter how many people come with the same matter (1 if only you)."),
    "representatives": N_("Write one name per line, without invisible control characters."),
}


def form_fields(form: MultiDict[str, str]) -> dict[str, object]:
    data: dict[str, object] = {k: v.strip() for k, v in form.items() if k != "csrf_token"}
    data["identity_protection_waived"] = form.get("identity_protection_waived") == "on"
    data["remote_or_vulnerable"] = form.get("remote_or_vulnerable") == "on"
    data["group_size"] = form.get("group_size") or "1"
    return data


def slot_value(slot: Slot) -> str:
    return f"{slot.session_id}|{slot.starts_at.isoformat()}"


def parse_slot(value: str) -> tuple[SessionId, datetime]:
    try:
        session, start = value.split("|", 1)
        return SessionId(uuid.UUID(session)), datetime.fromisoformat(start)
    except ValueError:
        raise Invalid(N_("Choose a time from the list.")) from None


def to_new_booking(data: BookingForm, locale: str,
                   channel: Channel = Channel.ONLINE) -> NewBooking:
    session_id, starts_at = parse_slot(data.slot)
    representatives = tuple(r.strip() for r in data.representatives.splitlines() if r.strip())
    return NewBooking(
        session_id, starts_at, data.subject, data.description,
        Citizen(data.full_name, data.id_number, data.address, data.phone,
                str(data.email) if data.email else None), locale, data.group_size,
        representatives, data.identity_protection_waived, data.remote_or_vulnerable, channel)


def uploads_of(files: MultiDict[str, FileStorage], name: str = "documents") -> list[Upload]:
    result = []
    for storage in files.getlist(name):
        if storage and storage.filename:
            result.append(Upload(storage.filename, storage.read()))
    return result


def slot_window(now: datetime) -> tuple[datetime, datetime]:
    start = now.astimezone(LOCAL_TZ)
    return start, start + timedelta(days=SLOT_DAYS)


def group_by_day(slots: list[Slot]) -> list[tuple[date, list[Slot]]]:
    days: dict[date, list[Slot]] = {}
    for slot in slots:
        days.setdefault(slot.starts_at.astimezone(LOCAL_TZ).date(), []).append(slot)
    return list(days.items())


def pick_day(days: list[tuple[date, list[Slot]]], requested: str | None,
             chosen_slot: object = None) -> date | None:
    """The day whose times the picker shows: the one asked for, the chosen slot's, or the first.
    Times are picked day by day, so a phone never scrolls through every slot of four weeks."""
    offered = [day for day, _ in days]
    if isinstance(chosen_slot, str) and chosen_slot:
        try:
            chosen = parse_slot(chosen_slot)[1].astimezone(LOCAL_TZ).date()
        except Invalid:
            chosen = None
        if chosen in offered:
            return chosen
    try:
        wanted = date.fromisoformat(requested or "")
    except ValueError:
        wanted = None
    if wanted in offered:
        return wanted
    return offered[0] if offered else None
