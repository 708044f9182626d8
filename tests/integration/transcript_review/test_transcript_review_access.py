"""Who may see and change a hearing transcript: every route with an object id declares its
matrix entry; staff of another agency get 404 on every route and method; a role without the
permission gets 403; a citizen reads and acknowledges only their own booking's transcript."""

from __future__ import annotations

import re
from typing import Any

from quart import Quart
from sqlalchemy import text

from reception.domain.access import MATRIX
from reception.domain.organisation import StaffRole
from reception.web.cases.access import matrix_entry
from tests.integration.cases.helpers import client_for, headers, staff
from tests.integration.hearings.factory import make_official
from tests.integration.transcript_review.conftest import CHECKED, Desk
from tests.integration.transcript_review.seed import seed_hearing

BLUEPRINT = "transcript_review."
BODIES: dict[str, dict[str, Any]] = {
    "transcript_review.api_edit": {"json": {"text": "Sửa trộm", "version": 1}},
    "transcript_review.edit": {"form": {"text": "Sửa trộm", "version": "1"}},
    "transcript_review.approve": {"form": {"checked": "on"}},
    "transcript_review.api_confirm": {"json": {"version": 1}},
    "transcript_review.confirm": {"form": {"version": "1"}},
}


def _object_rules(app: Quart) -> list[Any]:
    return [r for r in app.url_map.iter_rules()
            if r.endpoint.startswith(BLUEPRINT) and "<uuid:" in r.rule]


async def test_every_transcript_route_with_an_object_id_is_in_the_matrix(desk: Desk) -> None:
    rules = _object_rules(desk.app)
    assert len(rules) >= 9
    assert [r.rule for r in rules if matrix_entry(desk.app.view_functions[r.endpoint]) is None] == []
    declared = {matrix_entry(desk.app.view_functions[r.endpoint]) for r in rules}
    assert declared <= {(p, o) for _, p, o in MATRIX}


async def test_staff_of_another_agency_get_404_on_every_route_and_method(desk: Desk) -> None:
    await staff(desk.app, "stranger", StaffRole.HEAD, StaffRole.RECEPTIONIST,
                StaffRole.CASE_MANAGER, code="KHAC")
    stranger = await client_for(desk.app, "stranger")
    ids = {"hearing_id": str(desk.seeded.hearing.id), "segment_id": str(desk.seeded.segment_ids[0]),
           "member_id": str(desk.seeded.citizen_member.id), "kind": "evidence", "fmt": "vtt"}
    checked = []
    for rule in _object_rules(desk.app):
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: ids[m.group(1)], rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            extra = dict(BODIES.get(rule.endpoint, {}))
            if "form" in extra:
                extra["form"] = {**extra["form"], "csrf_token": stranger.csrf}  # type: ignore[attr-defined]
            response = await stranger.open(path, method=method, headers=headers(stranger), **extra)
            checked.append((method, path, response.status_code))
    assert len(checked) >= 9 and all(status == 404 for *_, status in checked), checked
    own = await (await desk.client.get(f"{desk.api}")).get_json()
    assert own["segments"][0]["version"] == 1 and own["approved_hash"] is None  # nothing changed


async def test_an_administrator_of_the_same_agency_may_not_read_transcripts(desk: Desk) -> None:
    agencies = await desk.app.container.staff.list_agencies()  # type: ignore[attr-defined]
    code = next(a.code for a in agencies if a.id == desk.official.agency_id)
    await staff(desk.app, "quantri", StaffRole.ADMINISTRATOR, code=code)
    admin = await client_for(desk.app, "quantri")
    assert (await admin.get(desk.api)).status_code == 403
    assert (await admin.get(f"{desk.base}/transcript.vtt")).status_code == 403


async def approve(desk: Desk) -> None:
    response = await desk.client.post(f"{desk.api}/approve", json=CHECKED, headers=headers(desk.client))
    assert response.status_code == 200


async def test_the_citizen_reads_the_approved_transcript_and_acknowledges_it_once(
        desk: Desk) -> None:
    citizen, token = desk.app.test_client(), desk.seeded.seeded.token
    before = await (await citizen.get(f"/my-booking/transcript?t={token}")).get_data(as_text=True)
    early = await citizen.post("/my-booking/transcript/acknowledge", form={
        "t": token, "hearing_id": str(desk.seeded.hearing.id)})
    await approve(desk)
    page = await (await citizen.get(f"/my-booking/transcript?t={token}")).get_data(as_text=True)
    ack = await citizen.post("/my-booking/transcript/acknowledge", form={
        "t": token, "hearing_id": str(desk.seeded.hearing.id)})

    assert 'id="no-transcript"' in before and early.status_code == 409
    assert "Tôi khiếu lại quyết định thu hồi đất." in page and "<textarea" not in page
    assert ack.status_code == 302
    review = await (await desk.client.get(f"{desk.base}/transcript")).get_data(as_text=True)
    assert "Công dân đã xác nhận đã đọc lúc" in review
    shown = await (await citizen.get(f"/my-booking/transcript?t={token}")).get_data(as_text=True)
    assert "ack-done" in shown and 'class="button primary big ack"' not in shown
    async with desk.app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        actions = [r.action async for _, r, _, _ in uow.audit.entries()]
    assert "transcript.acknowledged" in actions and "transcript.viewed_by_citizen" in actions
    async with desk.app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        await uow.session.execute(text("UPDATE booking SET status = 'completed' WHERE id = :id"),
                                  {"id": desk.seeded.seeded.booking.id})
        await uow.commit()
    booking_page = await (await citizen.get(f"/my-booking?t={token}")).get_data(as_text=True)
    assert f'href="/my-booking/transcript?t={token}"' in booking_page  # the citizen finds it


async def test_a_citizen_with_another_bookings_link_gets_nothing_of_this_transcript(
        desk: Desk, tmp_path: Any) -> None:
    container = desk.app.container  # type: ignore[attr-defined]
    other_official = await make_official(container.staff, login="canbo2", agency_code="KHAC")
    other = await seed_hearing(container.uow_factory, other_official, tmp_path / "recordings",
                               name="Trần Thị Bình")
    await approve(desk)
    citizen = desk.app.test_client()

    page = await (await citizen.get(f"/my-booking/transcript?t={other.seeded.token}")
                  ).get_data(as_text=True)
    stolen = await citizen.post("/my-booking/transcript/acknowledge", form={
        "t": other.seeded.token, "hearing_id": str(desk.seeded.hearing.id)})
    forged = await citizen.get("/my-booking/transcript?t=forged-token-123")

    assert "Tôi khiếu lại" not in page and desk.seeded.seeded.booking.reference not in page
    assert stolen.status_code == 404 and forged.status_code == 403
    review = await (await desk.client.get(desk.api)).get_json()
    assert review["approved_hash"]  # approved, and still not acknowledged by anyone:
    async with container.uow_factory() as uow:
        transcript = await uow.transcript_review.for_hearing(desk.seeded.hearing.id)
    assert transcript.citizen_ack_at is None
