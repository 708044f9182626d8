"""An interpreter's, lawyer's or representative's link (handed out by the booking's official)
opens the device test, the consent, the waiting room and the hearing, never the citizen's
booking: every route of the URL map under /my-booking and /api/v1/join that manages the booking,
sent with that link, is refused in Vietnamese, shows nothing of the citizen and changes nothing;
the party's own pages lead to the waiting room and never to the citizen's booking."""

from __future__ import annotations

import html
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from quart import Quart
from quart.typing import TestClientProtocol as Client

from reception.domain.booking import BookingId, Participant, ParticipantId, ParticipantRole
from reception.services.booking.rules import new_token
from tests.integration.conftest import form_token
from tests.integration.hearings.factory import Seeded, make_official, seed_booking
from tests.integration.security.conftest import signed_in
from tests.integration.transcript_review.seed import seed_hearing

CITIZEN_LINK = re.compile(r"^/(my-booking|api/v1/join)(/|$)")
# What a party's link is for (and the approved transcripts of the hearings they took part in;
# acknowledging one is the citizen's, refused below like the rest).
PARTY_WAY = {"booking.waiting_room", "booking.consent", "hearings.citizen_page",
             "api_booking.join_status", "api_booking.join_device_check",
             "api_booking.join_consent", "transcript_review.citizen_page"}
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


async def _world(app: Quart) -> tuple[Seeded, str]:
    """A booking starting in five minutes and the link its official hands an interpreter."""
    container = app.container  # type: ignore[attr-defined]
    official = await make_official(container.staff, "canbo", "TT")
    seeded = await seed_booking(container.uow_factory, official)
    staff, csrf = await signed_in(app, "canbo")
    response = await staff.post(f"/staff/bookings/{seeded.booking.id}/parties", form={
        "name": "Lê Thị Phiên Dịch", "kind": "interpreter", "csrf_token": csrf})
    page = await response.get_data(as_text=True)
    link = re.search(r'id="party-link" type="text" readonly value="([^"]+)"', page)
    assert response.status_code == 200 and link, page
    return seeded, parse_qs(urlsplit(html.unescape(link.group(1))).query)["t"][0]


def citizen_calls(app: Quart) -> list[tuple[str, str, str]]:
    """(endpoint, method, path) of every route a booking's link opens, but the party's way."""
    calls = []
    for rule in app.url_map.iter_rules():
        if CITIZEN_LINK.match(rule.rule) and rule.endpoint not in PARTY_WAY:
            path = rule.rule.replace("<answer>", "yes")
            calls += [(rule.endpoint, m, path) for m in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return calls


def _later_slot(seeded: Seeded) -> str:
    """The slot after the booking's, in its session: what moving the booking would ask for."""
    b = seeded.booking
    return f"{b.session_id}|{(b.starts_at + (b.ends_at - b.starts_at)).isoformat()}"


async def _send(client: Client, csrf: str, method: str, path: str, token: str,
                slot: str) -> Any:
    if path.startswith("/api/"):
        return await client.open(path, method=method, json={"slot": slot},
                                 headers={"X-Join-Token": token})
    if method == "GET":
        return await client.get(path, query_string={"t": token})
    return await client.open(path, method=method, query_string={"t": token},
                             form={"csrf_token": csrf, "slot": slot, "hearing_id": "x"})


async def _snapshot(app: Quart, seeded: Seeded) -> tuple[Any, ...]:
    async with app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        booking_id = BookingId(seeded.booking.id)
        return (await uow.bookings.get(booking_id), await uow.bookings.documents(booking_id),
                sorted(await uow.participants.of_booking(booking_id), key=lambda p: str(p.id)))


async def _said(response: Any) -> str:
    if response.content_type.startswith("application/"):
        return str((await response.get_json() or {}).get("detail", ""))
    return html.unescape(await response.get_data(as_text=True))


async def test_a_partys_link_never_opens_the_citizens_booking(sec_app: Quart) -> None:
    seeded, token = await _world(sec_app)
    party = sec_app.test_client()
    csrf = await form_token(party, f"/my-booking/waiting-room?t={token}")
    calls = citizen_calls(sec_app)
    assert {e for e, _, _ in calls} >= {"booking.manage", "booking.cancel", "booking.reschedule",
                                        "booking.add_documents", "booking.invitation",
                                        "api_booking.join_view", "api_booking.join_cancel",
                                        "api_booking.join_reschedule",
                                        "api_booking.join_documents"}
    citizen = seeded.booking.citizen
    reached = []
    for endpoint, method, path in calls:
        before = await _snapshot(sec_app, seeded)
        response = await _send(party, csrf, method, path, token, _later_slot(seeded))
        said = await _said(response)
        if (response.status_code not in (403, 404) or not VIETNAMESE.search(said)
                or any(secret in said for secret in (citizen.full_name, citizen.id_number,
                                                     seeded.booking.description))
                or await _snapshot(sec_app, seeded) != before):
            reached.append((endpoint, method, response.status_code))
    assert reached == [], "\n".join(map(str, reached))


async def test_a_party_is_told_what_their_link_is_for_and_led_to_the_waiting_room(
    sec_app: Quart
) -> None:
    seeded, token = await _world(sec_app)
    party = sec_app.test_client()

    api = await party.get("/api/v1/join", headers={"X-Join-Token": token})
    page = await party.get("/my-booking", query_string={"t": token})
    room = await party.get("/my-booking/waiting-room", query_string={"t": token})
    consented = await party.post("/api/v1/join/consent/yes", headers={"X-Join-Token": token})
    own = await sec_app.test_client().get("/my-booking", query_string={"t": seeded.token})

    problem = await api.get_json()
    assert api.status_code == 403 and problem["code"] == "forbidden"
    assert problem["detail"].startswith("Đường dẫn này chỉ dùng để tham gia phiên tiếp")
    text = html.unescape(await page.get_data(as_text=True))
    assert page.status_code == 403 and "Chỉ công dân đã đặt lịch" in text
    assert f'href="/my-booking/waiting-room?t={token}"' in text  # not a dead end
    room_text = html.unescape(await room.get_data(as_text=True))
    assert room.status_code == 200 and "Đường dẫn này chỉ dành riêng cho bạn" in room_text
    assert f'href="/my-booking?t={token}"' not in room_text and seeded.booking.citizen.full_name \
        not in room_text
    assert consented.status_code == 200 and (await consented.get_json())["state"] == "waiting"
    assert own.status_code == 200 and seeded.booking.citizen.full_name in html.unescape(
        await own.get_data(as_text=True))


async def test_a_partys_link_reads_only_the_hearings_they_took_part_in(
        sec_app: Quart, tmp_path: Path) -> None:
    """An interpreter brought in for a second hearing does not read what the citizen said in
    the first; the citizen reads both."""
    container = sec_app.container  # type: ignore[attr-defined]
    official = await make_official(container.staff, "canbo", "TT")
    held = await seed_hearing(container.uow_factory, official, tmp_path / "recordings")
    await container.transcript_review.approve(official, held.hearing.id, checked=True)
    token, token_hash = new_token()
    async with container.uow_factory() as uow:
        await uow.participants.add(Participant(
            ParticipantId(uuid.uuid4()), held.seeded.booking.id, ParticipantRole.THIRD_PARTY,
            "Lê Thị Phiên Dịch"), token_hash, datetime.now(UTC) + timedelta(days=1))
        await uow.commit()
    client = sec_app.test_client()
    said = "Tôi khiếu lại quyết định thu hồi đất."
    theirs = await client.get(f"/my-booking/transcript?t={token}")
    citizens = await client.get(f"/my-booking/transcript?t={held.seeded.token}")
    assert theirs.status_code == 200 and said not in await theirs.get_data(as_text=True)
    assert said in await citizens.get_data(as_text=True)
