"""Only times the law lets a citizen book are offered, and every time offered can be booked:
online bookings need 5 working days' notice (R-7a, ND154 Art. 23(1)); ad-hoc (urgent) sessions
stay internal, booked by staff for walk-ins; a booking moves to an earlier day as well as a
later one; agencies without free times are not offered."""

from __future__ import annotations

from datetime import datetime, timedelta

from quart import Quart

from reception.domain.booking import LOCAL_TZ, SessionKind
from reception.services.booking.calendar import NewSession
from tests.integration.booking.conftest import NOW, booking_form, official_with_session


async def _session(app: Quart, official: object, day: datetime, kind: SessionKind,
                   hours: tuple[int, int] = (8, 11)) -> None:
    start = day.replace(hour=hours[0], minute=0)
    await app.container.booking.calendar.add_session(None, NewSession(  # type: ignore[attr-defined]
        official.agency_id, kind, official.id, start, start.replace(hour=hours[1])))  # type: ignore[attr-defined]


async def _offered(client: object) -> list[dict[str, str]]:
    response = await client.get("/api/v1/reception/agencies/TT/slots")  # type: ignore[attr-defined]
    return (await response.get_json())["items"]  # type: ignore[no-any-return]


async def test_every_time_offered_online_is_bookable_and_only_those(booking_app: Quart) -> None:
    official, _ = await official_with_session(booking_app, days_ahead=14)
    for days in range(1, 10):  # every working day of the next week and a half has a session
        if (NOW + timedelta(days=days)).weekday() < 5:
            await _session(booking_app, official, NOW + timedelta(days=days), SessionKind.REGULAR)
    await _session(booking_app, official, NOW + timedelta(days=8), SessionKind.AD_HOC, (13, 14))
    client = booking_app.test_client()
    offered = await _offered(client)
    days = sorted({datetime.fromisoformat(s["starts_at"]).astimezone(LOCAL_TZ).date() for s in offered})
    # Tue 1/12 + 5 working days: the first day participants can be notified in time is Tue 8/12.
    assert days[0].isoformat() == "2026-12-08" and all(s["kind"] != "ad_hoc" for s in offered)
    # Different citizens (one person may hold only a few bookings a day: web/security/limits.py).
    for n, slot in enumerate(offered[:: max(1, len(offered) // 12)]):
        response = await client.post("/api/v1/bookings", json=booking_form(
            slot["slot"], id_number=f"0010850{n:05d}", full_name=f"Nguyễn Văn {chr(65 + n)}"))
        assert response.status_code == 201, await response.get_json()


async def test_a_booking_moves_to_an_earlier_day_when_a_time_is_free(booking_app: Quart) -> None:
    official, late = await official_with_session(booking_app, days_ahead=14)
    await _session(booking_app, official, NOW + timedelta(days=8), SessionKind.REGULAR)
    client = booking_app.test_client()
    offered = await _offered(client)
    later = next(s for s in offered if datetime.fromisoformat(s["starts_at"]) == late)
    booked = await (await client.post("/api/v1/bookings", json=booking_form(later["slot"]))).get_json()
    earlier = min(await _offered(client), key=lambda s: s["starts_at"])
    assert datetime.fromisoformat(earlier["starts_at"]) < late
    response = await client.post("/api/v1/join/reschedule", json={"slot": earlier["slot"]},
                                 headers={"X-Join-Token": booked["token"]})
    assert response.status_code == 200, await response.get_json()
    assert (await response.get_json())["starts_at"] == earlier["starts_at"]
