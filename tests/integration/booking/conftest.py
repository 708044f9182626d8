"""Booking fixtures: a pinned clock, a real local SMTP server (aiosmtpd) and an app whose
booking services use both."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage as Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from quart import Quart

from reception.app import create_app
from reception.domain.booking import LOCAL_TZ, SessionKind
from reception.domain.organisation import StaffMember, StaffRole
from reception.services.booking.calendar import NewSession
from tests.e2e.conftest import free_port
from tests.integration.conftest import make_settings, make_staff

# Tuesday 1 December 2026, 09:00 in Hanoi: an ordinary working day.
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=LOCAL_TZ)


@dataclass
class PinnedClock:
    at: datetime = NOW

    def now(self) -> datetime:
        return self.at


@dataclass
class Inbox:
    messages: list[Message] = field(default_factory=list)
    refusals: int = 0  # the next N messages get "451 try again later", as a greylister does

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        if self.refusals > 0:
            self.refusals -= 1
            return "451 4.3.0 Try again later"
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[attr-defined,arg-type]
        return "250 OK"

    def link_token(self, index: int = -1) -> str:
        body = self.messages[index].get_body(("plain",)).get_content()  # type: ignore[union-attr]
        match = re.search(r"\?t=([A-Za-z0-9_-]+)", body)
        assert match, body
        return match.group(1)


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def clock() -> PinnedClock:
    return PinnedClock()


@pytest.fixture
async def booking_app(tmp_path: Path, clean_db: str, smtp: tuple[Inbox, int],
                      clock: PinnedClock) -> AsyncIterator[Quart]:
    settings = make_settings(tmp_path, clean_db, SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp[1]),
                             SMTP_TLS="false", OUTBOX_POLL_SECONDS="3600",
                             UPLOAD_MAX_BYTES="100000")
    application = create_app(settings, clean_db, clock)
    async with application.test_app():
        yield application


async def official_with_session(app: Quart, *, days_ahead: int = 14, login: str = "canbo",
                                kind: SessionKind = SessionKind.REGULAR,
                                hours: tuple[int, int] = (8, 11)) -> tuple[StaffMember, datetime]:
    """A receptionist with a session `days_ahead` calendar days after NOW; its first slot."""
    member = await make_staff(app, login, StaffRole.RECEPTIONIST)
    day = (NOW + timedelta(days=days_ahead)).date()
    start = datetime(day.year, day.month, day.day, hours[0], tzinfo=LOCAL_TZ)
    end = datetime(day.year, day.month, day.day, hours[1], tzinfo=LOCAL_TZ)
    services = app.container.booking  # type: ignore[attr-defined]
    session, _ = await services.calendar.add_session(None, NewSession(
        member.agency_id, kind, member.id, start, end, 30))
    return member, start


def booking_form(slot: str, **extra: str) -> dict[str, str]:
    return {"slot": slot, "subject": "complaint", "description": "Đất đai bị thu hồi sai quy định",
            "full_name": "Nguyễn Văn An", "id_number": "001085012345", "phone": "0912345678",
            "email": "an@example.vn", "address": "12 Hàng Bông, Hà Nội", "group_size": "1",
            **extra}
