"""The message handed to the SMTP server: Vietnamese subjects survive encoding word for word."""

from __future__ import annotations

from datetime import datetime
from email import message_from_bytes, policy

import pytest
from aiosmtplib.email import flatten_message

from reception.adapters.mail.smtp import build_message
from reception.domain.booking import LOCAL_TZ
from reception.services.booking.ports import OutgoingMail


@pytest.mark.parametrize("subject", [
    "Nhắc lịch: ngày mai tiếp công dân trực tuyến, TD-2026-000001",
    "Nhắc lịch: một giờ nữa tiếp công dân trực tuyến, TD-2026-000001",
    "Đã hủy lịch tiếp công dân trực tuyến: TD-2026-000001 " + "và một số từ dài hơn nữa " * 4,
    "Reminder: online reception in one hour, TD-2026-000001",
])
def test_a_long_subject_reaches_the_reader_with_every_space(subject: str) -> None:
    mail = OutgoingMail("k", "an@example.vn", subject, "Xin chào", datetime(2026, 12, 1,
                                                                            tzinfo=LOCAL_TZ))
    wire = flatten_message(build_message(mail, "tiepdan@example.vn"))  # what aiosmtplib sends
    assert all(len(line) <= 78 for line in wire.split(b"\r\n"))
    assert message_from_bytes(wire, policy=policy.default)["Subject"] == subject


def test_the_confirmation_gives_the_day_and_where_to_follow_the_case() -> None:
    import uuid

    from reception.adapters.mail.smtp import MailComposer
    from reception.domain.booking import (
        Booking,
        BookingId,
        BookingStatus,
        Channel,
        Citizen,
        SessionId,
        Subject,
    )
    from reception.domain.organisation import AgencyId, StaffId

    start = datetime(2026, 12, 14, 8, 0, tzinfo=LOCAL_TZ)
    booking = Booking(BookingId(uuid.uuid4()), "TD-2026-000001", AgencyId(uuid.uuid4()),
                      SessionId(uuid.uuid4()), StaffId(uuid.uuid4()), start, start, BookingStatus.BOOKED,
                      Channel.ONLINE, Subject.COMPLAINT, "Khiếu nại", Citizen("An", "001085012345", "Huế"))
    _, body = MailComposer().compose("confirmation", booking, "Thanh tra tỉnh",
                                     "https://tiepdan.gov.vn/my-booking?t=x", "https://tiepdan.gov.vn/status")
    assert "08:00, Thứ Hai, 14/12/2026" in body and "https://tiepdan.gov.vn/status" in body
