"""Who may take part in a hearing: links open only their own booking's hearing, refused links
(expired, cancelled, replayed requests) get nothing, a waiting participant receives no media
and is not recorded, and a forged DTLS fingerprint never connects."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace
from datetime import timedelta

import pytest

from reception.domain.booking import BookingStatus, Participant, ParticipantId, ParticipantRole
from reception.services.booking.rules import new_token
from tests.integration.hearings.conftest import Room, open_room
from tests.integration.hearings.factory import make_official, seed_booking
from tests.integration.media.media_peers import Client, wait_until


async def join_and_offer(room: Room, client: Client, token: str | None = None) -> dict[str, str]:
    path = room.api("/join-by-link") if token else room.api("/join")
    joined = await (await room.post(path, token=token)).get_json()
    response = await room.post(room.api("/offer"), {"ticket": joined["ticket"],
                                                    "sdp": await client.offer()}, token)
    assert response.status_code == 200, await response.get_data(as_text=True)
    answer = await response.get_json()
    await client.accept(answer["sdp"], answer["type"])
    return joined  # type: ignore[no-any-return]


async def test_a_link_of_booking_a_cannot_join_or_watch_the_hearing_of_booking_b(room: Room) -> None:
    container = room.app.container  # type: ignore[attr-defined]
    other_official = await make_official(container.staff, login="canbo2")
    other = await seed_booking(container.uow_factory, other_official, name="Trần Thị Bình")

    refused = await room.post(room.api("/join-by-link"), token=other.token)
    watched = await room.app.test_client().get(room.api("/state"),
                                               headers={"X-Join-Token": other.token})
    own = await room.post(room.api("/join-by-link"), token=room.seeded.token)

    assert refused.status_code == 403 and watched.status_code == 403
    assert own.status_code == 200


async def test_expired_and_cancelled_links_and_replayed_offers_are_refused(room: Room) -> None:
    container = room.app.container  # type: ignore[attr-defined]
    async with container.uow_factory() as uow:  # a second person of the booking, link expired
        late = Participant(ParticipantId(uuid.uuid4()), room.seeded.booking.id,
                           ParticipantRole.THIRD_PARTY, "Phiên dịch viên")
        late_token, late_hash = new_token()
        await uow.participants.add(late, late_hash, container.clock.now() - timedelta(minutes=1))
        await uow.commit()
    expired = await room.post(room.api("/join-by-link"), token=late_token)

    joined = await (await room.post(room.api("/join-by-link"), token=room.seeded.token)).get_json()
    client = Client(speech="citizen.wav", luma=60)
    offer = {"ticket": joined["ticket"], "sdp": await client.offer()}
    first = await room.post(room.api("/offer"), offer, room.seeded.token)
    replayed = await room.post(room.api("/offer"), offer, room.seeded.token)
    await client.close()

    async with container.uow_factory() as uow:
        booking = await uow.bookings.get(room.seeded.booking.id)
        await uow.bookings.update(replace(booking, status=BookingStatus.CANCELLED))
        await uow.commit()
    cancelled = await room.post(room.api("/join-by-link"), token=room.seeded.token)

    assert expired.status_code == 403
    assert first.status_code == 200 and replayed.status_code == 403
    assert cancelled.status_code == 403


async def test_nobody_joins_before_consenting_to_the_recording(hearing_app: object) -> None:
    room = await open_room(hearing_app)  # type: ignore[arg-type]
    container = room.app.container  # type: ignore[attr-defined]
    unconsented = await seed_booking(container.uow_factory, room.official, consent=False,
                                     starts_in=timedelta(minutes=45))
    hearing = await container.hearings.open(room.official, unconsented.booking.id)

    response = await room.post(room.api("/join-by-link", str(hearing.id)), token=unconsented.token)

    assert response.status_code == 409


@pytest.mark.slow
async def test_a_waiting_participant_receives_no_media_and_nothing_of_theirs_is_recorded(
    room: Room, tmp_path: object
) -> None:
    container = room.app.container  # type: ignore[attr-defined]
    async with container.uow_factory() as uow:  # an interpreter with their own link, consented
        now = container.clock.now()
        interpreter = Participant(ParticipantId(uuid.uuid4()), room.seeded.booking.id,
                                  ParticipantRole.THIRD_PARTY, "Phiên dịch viên",
                                  consent_given_at=now, consent_text_version="test")
        token, token_hash = new_token()
        await uow.participants.add(interpreter, token_hash, now + timedelta(days=1))
        await uow.participants.update(interpreter)
        await uow.commit()
    official = Client(speech="official.wav", luma=190, extra_receive_slots=1)
    citizen = Client(speech="citizen.wav", luma=60, extra_receive_slots=1)
    waiting = Client(speech="citizen.wav", luma=120, extra_receive_slots=1)
    await join_and_offer(room, official)
    joined_citizen = await join_and_offer(room, citizen, room.seeded.token)
    joined_waiting = await join_and_offer(room, waiting, token)
    admitted = await room.post(room.api(f"/members/{joined_citizen['member_id']}/admit"))
    assert admitted.status_code == 204, await admitted.get_data(as_text=True)
    await wait_until(lambda: len(official.video_lumas) > 10 and len(citizen.video_lumas) > 10,
                     15, "media between the admitted")
    await asyncio.sleep(1.5)
    state = await (await room.staff.get(room.api("/state"))).get_json()
    await room.post(room.api("/end"))
    for client in (official, citizen, waiting):
        await client.close()

    members = {m["id"]: m for m in state["members"]}
    assert members[joined_waiting["member_id"]]["connection"] == "connected"
    assert not members[joined_waiting["member_id"]]["recording"]
    assert members[joined_citizen["member_id"]]["recording"]
    assert waiting.audio_frames == 0 and waiting.video_lumas == []
    assert all(abs(luma - 120) > 30 for luma in official.video_lumas + citizen.video_lumas)
    recorded = {p.name.split(".")[0] for p in (tmp_path / "recordings").rglob("*.webm")}  # type: ignore[operator]
    assert joined_citizen["member_id"] in recorded
    assert joined_waiting["member_id"] not in recorded


async def test_an_offer_with_a_modified_dtls_fingerprint_never_reaches_connected(room: Room) -> None:
    events = room.app.container.hearings.events  # type: ignore[attr-defined]
    client = Client(speech="citizen.wav", luma=60)
    joined = await (await room.post(room.api("/join"))).get_json()
    lines = [x for x in (await client.offer()).splitlines()
             if not x.startswith("a=fingerprint:sha-") or x.startswith("a=fingerprint:sha-256 ")]
    digest = next(x for x in lines if x.startswith("a=fingerprint:")).split()[1]
    tampered = "\r\n".join(lines).replace(digest, ("00" if digest[:2] != "00" else "11") + digest[2:])
    seen: list[str] = []
    async with events.listen(room.hearing_id, "test") as queue:
        response = await room.post(room.api("/offer"), {"ticket": joined["ticket"],
                                                        "sdp": tampered + "\r\n"})
        answer = await response.get_json()
        await client.accept(answer["sdp"], answer["type"])
        while "failed" not in seen:
            event = await asyncio.wait_for(queue.get(), timeout=20)
            seen.append(event.get("connection", ""))
    await client.close()

    assert "connecting" in seen and "connected" not in seen
