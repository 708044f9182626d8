"""One official, one place at a time: a session overlapping another of the same official is
refused in words (the agenda form and the API), so no time is offered twice; another official
at the same hours, or the same official right after, is fine."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from quart import Quart

from reception.domain.organisation import StaffRole
from tests.integration.booking.conftest import official_with_session
from tests.integration.conftest import form_token, log_in, make_staff

TAKEN = "Cán bộ này đã có buổi tiếp từ 08:00 đến 11:00 ngày đó."


async def test_a_session_overlapping_the_officials_own_is_refused(booking_app: Quart) -> None:
    official, start = await official_with_session(booking_app)  # 08:00-11:00, 14 days ahead
    colleague = await make_staff(booking_app, "canbo2", StaffRole.RECEPTIONIST)
    staff = booking_app.test_client()
    assert await log_in(staff, "canbo") == 302
    token = await form_token(staff, "/agenda/")
    day = f"{start:%Y-%m-%d}"

    def session(official_id: object, begin: str, end: str) -> dict[str, str]:
        return {"kind": "ad_hoc", "official_id": str(official_id),
                "starts_at": f"{day}T{begin}:00+07:00", "ends_at": f"{day}T{end}:00+07:00"}

    overlapping = await staff.post("/api/v1/sessions", headers={"X-CSRF-Token": token},
                                   json=session(official.id, "10:30", "12:00"))
    assert overlapping.status_code == 409
    assert (await overlapping.get_json())["detail"] == TAKEN
    page = await staff.post("/agenda/sessions", form={
        "csrf_token": token, "date": day, "start": "07:30", "end": "08:30", "kind": "ad_hoc",
        "official_id": str(official.id), "slot_minutes": "30"})
    assert parse_qs(urlsplit(page.headers["Location"]).query)["notice"] == [TAKEN]

    for official_id, begin, end in ((colleague.id, "08:00", "11:00"),
                                    (official.id, "11:00", "12:00")):
        added = await staff.post("/api/v1/sessions", headers={"X-CSRF-Token": token},
                                 json=session(official_id, begin, end))
        assert added.status_code == 201, await added.get_data(as_text=True)
