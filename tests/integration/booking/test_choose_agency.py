"""'Show free times' with no agency chosen answers with a message at the list, not a page that
looks unchanged."""

from __future__ import annotations

from quart import Quart

from tests.integration.booking.conftest import official_with_session


async def test_showing_free_times_without_an_agency_asks_for_one(booking_app: Quart) -> None:
    await official_with_session(booking_app)
    client = booking_app.test_client()
    for query in ("agency=", "agency=KHONG-CO"):
        response = await client.get(f"/booking?{query}")
        page = await response.get_data(as_text=True)
        assert response.status_code == 422, query
        assert 'id="agency-error">Chọn cơ quan, đơn vị.</p>' in page
        assert 'aria-invalid="true" aria-describedby="agency-error"' in page
    chosen = await client.get("/booking?agency=TT")
    assert chosen.status_code == 200 and "agency-error" not in await chosen.get_data(as_text=True)
    assert (await client.get("/booking")).status_code == 200  # first visit: nothing to say yet
