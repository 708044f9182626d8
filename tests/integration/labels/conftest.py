"""The page walk runs on the booking app (a pinned clock it moves, and a local SMTP server)."""

from tests.integration.booking.conftest import booking_app, clock, smtp  # noqa: F401
