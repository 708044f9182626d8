"""Checks shared by the booking use cases: the statute's findings turned into refusals a person
understands (with the article), slot validity, uploads, and join tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from reception.domain import reception as law
from reception.domain.booking import (
    LOCAL_TZ,
    Channel,
    ReceptionSession,
    SessionKind,
    Slot,
    Subject,
    fits_session,
    is_open_on,
    offered_to,
)
from reception.domain.citizen_id import is_valid_id_number
from reception.domain.law.workdays import WorkingCalendar
from reception.i18n_marker import N_
from reception.services.booking.ports import ContentSniffer
from reception.services.errors import Forbidden, Invalid

# Decree 154/2026 Art. 21–24: what the citizen is told before consenting; the version is stored.
CONSENT_TEXT_VERSION = "2026-11-v1"
ALLOWED_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png", "image/webp"})
# ND154 Art. 23(1): the connection is opened at least 1 hour before; the room opens with it.
WAITING_ROOM_OPENS = timedelta(hours=1)

# Finding code -> message for people (msgid); {article} comes from the finding.
FINDING_MESSAGES = {
    "R-1": N_("The reception schedule must be published at least 5 working days ahead. ({article})"),
    "R-7a": N_("Participants must be notified at least 5 working days before an online "
               "reception; this time is too close. Choose a later time. ({article})"),
    "R-7b": N_("The test connection must happen at least 1 working day before. ({article})"),
    "R-7c": N_("The connection must be opened at least 1 hour before the session. ({article})"),
    "R-8": N_("The head has fewer periodic reception days this month than the law requires. ({article})"),
    "ONLINE-TC": N_("A denunciation is received online only if you do not ask for your "
                    "identity to be protected. Tick the box to waive it, or come in person. ({article})"),
    "ONLINE-REQ": N_("This ground needs the citizen's own request. ({article})"),
    "ONLINE-OTHER": N_("Online reception on 'other' grounds: the head records the reasons. ({article})"),
    "ONLINE-INFRA": N_("Online reception needs audio and video recording of the whole session. ({article})"),
    "GROUP-REPS": N_("A group of 5 or more people with the same content appoints "
                     "representatives: 1 or 2 for 5 to 10 people, up to 5 for more than 10. ({article})"),
}


@dataclass(frozen=True, slots=True)
class Upload:
    filename: str
    data: bytes


def refuse(finding: law.Finding) -> Invalid:
    message = FINDING_MESSAGES.get(finding.code, N_("This is not allowed by law. ({article})"))
    return Invalid(message, article=finding.article)


def booking_findings(channel: Channel, subject: Subject, waived: bool, remote_or_vulnerable: bool,
                     group_size: int, representatives: int) -> list[law.Finding]:
    """A group appoints representatives whatever the channel (LTCD Art. 29). The online guards
    (ND154 Art. 20) concern only a reception held online: a denunciation brought in person or
    by phone is received without waiving identity protection (its refusal says "come in
    person" — refusing those too would leave a protected denouncer no way in)."""
    found = law.check_group_representatives(group_size, representatives)
    if channel is Channel.ONLINE:
        found += online_findings(subject, waived, remote_or_vulnerable)
    return found


def online_findings(subject: Subject, waived: bool, remote_or_vulnerable: bool) -> list[law.Finding]:
    ground = (law.OnlineGround.REMOTE_OR_VULNERABLE_REQUEST if remote_or_vulnerable
              else law.OnlineGround.OTHER)
    return law.check_online_eligibility(
        ground, is_denunciation=subject is Subject.DENUNCIATION, identity_protection_waived=waived,
        recording_available=True, citizen_requested=remote_or_vulnerable)


def check_identity(id_number: str, phone: str | None, email: str | None, now: datetime) -> None:
    if not is_valid_id_number(id_number, today=now.astimezone(LOCAL_TZ).date()):
        raise Invalid(N_("The citizen ID number must have 12 digits and start with a province "
                         "code, as printed on your citizen identity card."), field="id_number")
    if not phone and not email:
        raise Invalid(N_("Give a phone number or an e-mail address so that we can reach you."),
                      field="phone")


def check_slot(session: ReceptionSession, starts_at: datetime, *, now: datetime,
               calendar: WorkingCalendar, channel: Channel) -> Slot:
    """The slot is real, in the future, on a working day and (online) notified in time."""
    slot = fits_session(session, starts_at)
    if slot is None:
        raise Invalid(N_("This time is not a reception slot. Choose one from the list."))
    if slot.starts_at <= now:
        raise Invalid(N_("This time has already passed. Choose a later time."))
    if not is_open_on(session, calendar):
        raise Invalid(N_("{day} is a public holiday or a day off; there is no reception."),
                      day=session.day.strftime("%d/%m/%Y"))
    today = now.astimezone(LOCAL_TZ).date()
    # The same rule that offers slots (domain offered_to): citizens online book only published
    # sessions notified 5 working days ahead; ad-hoc sessions are urgent and internal (LTCD
    # Art. 18(3)), booked by staff for walk-ins and phone calls.
    if not offered_to(channel, slot, today, calendar):
        if session.kind is SessionKind.AD_HOC:
            raise Invalid(N_("This time is not a reception slot. Choose one from the list."))
        raise refuse(law.check_lead_time("R-7a", today, session.day, calendar=calendar)[0])
    return slot


def check_uploads(uploads: list[Upload], sniffer: ContentSniffer, *, max_bytes: int,
                  max_count: int, already: int = 0) -> list[tuple[Upload, str]]:
    if len(uploads) + already > max_count:
        raise Invalid(N_("At most {n} documents per booking."), n=max_count)
    checked = []
    for upload in uploads:
        if len(upload.data) > max_bytes:
            raise Invalid(N_("{name} is too large: at most {mb} MB per file."),
                          name=upload.filename, mb=round(max_bytes / 1024 / 1024, 1))
        types = sniffer.media_types(upload.data) & ALLOWED_TYPES
        if not types:
            raise Invalid(N_("{name} is not a PDF or an image (JPEG, PNG, WebP). Only those can "
                             "be attached."), name=upload.filename)
        checked.append((upload, sorted(types)[0]))
    return checked


def new_token() -> tuple[str, str]:
    """(token for the link, its SHA-256 for the database): the link is never stored."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_refused() -> Forbidden:
    return Forbidden(N_("This link is not valid or has expired. Check the link in your e-mail, "
                        "or call the citizen reception office."))
