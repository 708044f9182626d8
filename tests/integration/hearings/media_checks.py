"""Helpers of the hearing media tests: joining and offering through the HTTP API with a real
aiortc peer, the stored recordings of a hearing, and loudness of a recorded file over time."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import av
import numpy as np
from quart.typing import TestClientProtocol

from reception.domain.hearings.model import HearingId, Recording
from tests.integration.hearings.conftest import Room
from tests.integration.media.media_peers import Client, wait_until

SILENT = 1e-3  # RMS of a window of Opus-coded digital silence is ~0
SPEAKING = 0.01  # the speech fixtures' RMS over 0.5 s is 0.03-0.2


async def join_and_offer(room: Room, client: Client, token: str | None = None, *,
                         audio_only: bool = False, staff: TestClientProtocol | None = None,
                         csrf: str | None = None, receive_only: bool = False) -> dict[str, Any]:
    """Join (a new single-use ticket) and make one offer; returns the join answer."""
    if staff is not None:  # another official's own session
        headers = {"X-CSRF-Token": csrf or ""}
        joined = await (await staff.post(room.api("/join"), json={"receive_only": receive_only},
                                         headers=headers)).get_json()
        response = await staff.post(room.api("/offer"), json={
            "ticket": joined["ticket"], "sdp": await client.offer()}, headers=headers)
    else:
        path = room.api("/join-by-link") if token else room.api("/join")
        joined = await (await room.post(path, token=token)).get_json()
        response = await room.post(room.api("/offer"), {
            "ticket": joined["ticket"], "sdp": await client.offer(), "audio_only": audio_only},
            token)
    assert response.status_code == 200, await response.get_data(as_text=True)
    answer = await response.get_json()
    await client.accept(answer["sdp"], answer["type"])
    return joined  # type: ignore[no-any-return]


async def official_hears_citizen(room: Room) -> tuple[Client, Client, str]:
    """The official and the admitted citizen, both speaking, the citizen's audio arriving;
    (official, citizen, the citizen's member id)."""
    official = Client(speech="official.wav", luma=190)
    citizen = Client(speech="citizen.wav", luma=60)
    await join_and_offer(room, official)
    citizen_id = (await join_and_offer(room, citizen, room.seeded.token))["member_id"]
    await room.post(room.api(f"/members/{citizen_id}/admit"))
    await wait_until(lambda: official.audio_frames > 100, 15, "the citizen's audio")
    return official, citizen, citizen_id


async def stored_recordings(room: Room) -> Sequence[Recording]:
    async with room.app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        recordings: Sequence[Recording] = await uow.hearings.recordings(
            HearingId(uuid.UUID(room.hearing_id)))
    return recordings


def audio_levels(path: Path, window: float = 0.5) -> list[float]:
    """RMS of each `window` seconds of the file's (first) audio stream, from time 0."""
    chunks = []
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            samples = frame.to_ndarray().astype(np.float32)
            if frame.format.name.startswith("s16"):
                samples /= 32768.0
            chunks.append(samples.reshape(-1, len(frame.layout.channels)).mean(axis=1)
                          if not frame.format.is_planar else samples.mean(axis=0))
            rate = frame.sample_rate
    audio = np.concatenate(chunks)
    size = int(rate * window)
    return [float(np.sqrt(np.mean(audio[i:i + size] ** 2)))
            for i in range(0, len(audio) - size + 1, size)]


def levels_between(levels: list[float], start: float, end: float,
                   window: float = 0.5) -> list[float]:
    """The windows lying wholly inside [start, end] seconds."""
    first, last = int(np.ceil(start / window)), int(np.floor(end / window))
    return levels[first:last]
