"""Staff of the agency who do not receive a booking change nothing of it: every booking action
route of the URL map (each action the agenda and the API dispatch), sent by a colleague in each
staff role who is neither the booking's official nor an official of its hearing, is refused with
a sentence in Vietnamese, and the booking, its participants, hearings and officials stay as they
were. The booking's own official still acts; the head may still give a booking to another
official (they distribute the receptions)."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest
from quart import Quart
from quart.typing import TestClientProtocol as Client

from reception.domain.booking import BookingId
from reception.domain.organisation import StaffRole
from reception.web.booking.agenda import ACTIONS
from tests.integration.conftest import make_staff
from tests.integration.hearings.factory import Seeded, make_official, seed_booking
from tests.integration.security.conftest import signed_in

# The Vietnamese words of a refusal: "only the official(s) ..." or "you are not allowed".
REFUSALS = ("Chỉ cán bộ", "Bạn không có quyền")
# Booking routes that are not a booking's reception: the case file opened from it follows the
# case access matrix (tests/integration/cases).
CASE_FILE = "receptions."


def booking_calls(app: Quart) -> list[tuple[str, str]]:
    """(method, rule) of every route that acts on one booking, each `<action>` spelled out."""
    calls = []
    for rule in app.url_map.iter_rules():
        if "<uuid:booking_id>" not in rule.rule or rule.endpoint.startswith(CASE_FILE):
            continue
        paths = ([rule.rule.replace("<action>", a) for a in ACTIONS] if "<action>" in rule.rule
                 else [rule.rule])
        calls += [(m, p) for p in paths for m in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return calls


async def _world(app: Quart) -> dict[str, Any]:
    """Two bookings of the agency that started a minute ago, their citizens waiting: one not
    opened yet, one with its hearing open; and an official free to take a booking."""
    container = app.container  # type: ignore[attr-defined]
    official = await make_official(container.staff, "canbo", "TT")
    colleague = await make_official(container.staff, "canbo2", "TT")
    free = await make_official(container.staff, "ranh", "TT")
    fresh = await seed_booking(container.uow_factory, official, starts_in=timedelta(minutes=-1))
    heard = await seed_booking(container.uow_factory, colleague, starts_in=timedelta(minutes=-1),
                               name="Trần Thị Bình")
    hearing = await container.hearings.open(colleague, heard.booking.id)
    return {"fresh": fresh, "heard": heard, "free": free, "colleague": colleague,
            "hearing": hearing}


async def _snapshot(app: Quart, seeded: Seeded) -> tuple[Any, ...]:
    """Everything a booking action could change."""
    async with app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        booking_id = BookingId(seeded.booking.id)
        hearings = sorted(await uow.hearings.of_booking(booking_id), key=lambda h: str(h.id))
        return (await uow.bookings.get(booking_id),
                sorted(await uow.participants.of_booking(booking_id), key=lambda p: str(p.id)),
                hearings, [await uow.hearings.members(h.id) for h in hearings],
                [await uow.hearing_officials.of_hearing(h.id) for h in hearings])


async def _send(client: Client, csrf: str, method: str, path: str, free: str) -> Any:
    body = {"official_id": free, "name": "Lê Văn Luật", "kind": "lawyer"}
    if method == "GET":
        return await client.get(path)
    if path.startswith("/api/"):
        return await client.open(path, method=method, json=body, headers={"X-CSRF-Token": csrf})
    return await client.open(path, method=method, form={**body, "csrf_token": csrf})


async def _refusal(response: Any) -> str:
    """The sentence the refusal says ('' if it says none)."""
    if response.content_type.startswith("application/"):
        return str((await response.get_json()).get("detail", ""))
    return html.unescape(await response.get_data(as_text=True))


@pytest.mark.parametrize("roles", [(StaffRole.INSPECTOR,), (StaffRole.RECEPTIONIST,),
                                   (StaffRole.CASE_MANAGER,), (StaffRole.HEAD,),
                                   (StaffRole.ADMINISTRATOR,)], ids=lambda r: r[0].value)
async def test_staff_who_do_not_receive_a_booking_change_nothing_of_it(
    sec_app: Quart, roles: tuple[StaffRole, ...]
) -> None:
    world = await _world(sec_app)
    await make_staff(sec_app, "outsider", *roles, agency_code="TT")
    client, csrf = await signed_in(sec_app, "outsider")
    calls = booking_calls(sec_app)
    assert len(calls) >= 2 * len(ACTIONS) + 3
    reached = []
    for seeded in (world["fresh"], world["heard"]):
        for method, rule in calls:
            if StaffRole.HEAD in roles and rule.endswith("/reassign"):
                continue  # the head distributes the receptions (below)
            before = await _snapshot(sec_app, seeded)
            response = await _send(client, csrf, method,
                                   rule.replace("<uuid:booking_id>", str(seeded.booking.id)),
                                   str(world["free"].id))
            said = await _refusal(response)
            if (response.status_code not in (403, 404) or not any(r in said for r in REFUSALS)
                    or await _snapshot(sec_app, seeded) != before):
                reached.append((seeded.booking.reference, method, rule, response.status_code))
    assert reached == [], "\n".join(map(str, reached))


async def test_the_head_gives_a_booking_to_another_official_and_its_official_acts(
    sec_app: Quart
) -> None:
    world = await _world(sec_app)
    await make_staff(sec_app, "thutruong", StaffRole.HEAD, agency_code="TT")
    admin = await make_staff(sec_app, "quantri", StaffRole.ADMINISTRATOR, agency_code="TT")
    head, head_csrf = await signed_in(sec_app, "thutruong")
    fresh = world["fresh"].booking.id
    # Not to someone who receives nobody: the booking would be left with no one to act on it.
    refused = await head.post(f"/api/v1/bookings/{fresh}/reassign",
                              json={"official_id": str(admin.id)},
                              headers={"X-CSRF-Token": head_csrf})
    assert refused.status_code == 409
    assert "cán bộ tiếp công dân" in (await refused.get_json())["detail"]
    moved = await head.post(f"/api/v1/bookings/{fresh}/reassign",
                            json={"official_id": str(world["free"].id)},
                            headers={"X-CSRF-Token": head_csrf})
    assert moved.status_code == 200, await moved.get_data(as_text=True)

    new_official, csrf = await signed_in(sec_app, "ranh")  # now theirs: they open its hearing
    opened = await new_official.post(f"/api/v1/bookings/{fresh}/open", json={},
                                     headers={"X-CSRF-Token": csrf})
    assert opened.status_code == 200 and (await opened.get_json())["status"] == "opened"
    former, former_csrf = await signed_in(sec_app, "canbo")  # no longer theirs
    refused = await former.post(f"/api/v1/bookings/{fresh}/no-show", json={},
                                headers={"X-CSRF-Token": former_csrf})
    assert refused.status_code == 403


async def test_an_official_added_to_the_hearing_acts_on_its_booking(sec_app: Quart) -> None:
    world = await _world(sec_app)
    heard = world["heard"].booking.id
    officials = sec_app.container.services.security.hearing_officials  # type: ignore[attr-defined]
    await officials.add(world["colleague"], world["hearing"].id, world["free"].id)
    added, csrf = await signed_in(sec_app, "ranh")

    response = await added.post(f"/staff/bookings/{heard}/parties", form={
        "name": "Lê Thị Phiên Dịch", "kind": "interpreter", "csrf_token": csrf})

    assert response.status_code == 200, await response.get_data(as_text=True)
