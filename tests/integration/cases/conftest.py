"""Case tests that start from a walk-in reception use the booking app (a clock they move)."""

from tests.integration.booking.conftest import booking_app, clock, smtp  # noqa: F401
