"""A room's participants and who-sees-whom: the slot wiring of outgoing tracks.

Each participant's offer decides how many others it can receive: every audio or video
m-line the server may send on is a *slot*. A browser offering one sendrecv audio and one
sendrecv video (the 1:1 case) receives one other participant; to see k others it adds
k - 1 recvonly transceivers of each kind. Slot i of a participant shows the i-th other
admitted, sending participant in join order, so renegotiation is never needed when people
come and go: slots are re-pointed (`Room.rewire`). `MediaHub.slots` tells the client which
participant each mid currently shows.

Nothing flows between parties while anyone who sends is not being recorded
(`Room.media_may_flow`, the one place of that rule: docs/media.md pitfall 11); slots then
show nobody, and the recorders keep receiving.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from aiortc import RTCPeerConnection

from reception.adapters.media.forwarding.forward import ForwardTrack
from reception.adapters.media.forwarding.source import Source
from reception.adapters.media.recording.recorder import ParticipantRecorder
from reception.adapters.media.results import RecordingResult

logger = logging.getLogger(__name__)
KINDS = ("audio", "video")


@dataclass(frozen=True)
class Slot:
    """An outgoing m-line of a participant's connection and whom it currently shows."""

    mid: str
    kind: str
    source_participant_id: str | None


@dataclass(eq=False)
class Participant:
    room_id: str
    participant_id: str
    admitted: bool = False
    receive_only: bool = False
    audio_only: bool = False
    muted: bool = False
    connection_state: str = "new"
    pc: RTCPeerConnection | None = None
    sources: dict[str, Source] = field(default_factory=dict)
    slots: list[tuple[str, ForwardTrack]] = field(default_factory=list)  # (mid, track)
    recorder: ParticipantRecorder | None = None
    # Recording supervision (hub.start_recording): the last failure, the recordings of earlier
    # recorders that died, and a lock so that two starts never race for the same files.
    recorder_problem: str | None = None
    recorders_started: int = 0
    finished: list[RecordingResult] = field(default_factory=list)
    recording_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def __post_init__(self) -> None:
        label = f"{self.room_id}/{self.participant_id}"
        self.sources = {kind: Source(self.participant_id, f"{label}/{kind}", kind) for kind in KINDS}

    @property
    def label(self) -> str:
        return f"{self.room_id}/{self.participant_id}"

    @property
    def sends_media(self) -> bool:
        return self.admitted and not self.receive_only

    @property
    def recording(self) -> bool:
        """Their recorder runs: what they send reaches their files."""
        return self.recorder is not None and self.recorder.running

    @property
    def recorder_state(self) -> str:
        return "none" if self.recorder is None else self.recorder.state

    def apply_gates(self) -> None:
        """Nothing of a participant leaves its sources unless admitted (and, audio, unmuted):
        not to other participants, not to the recorder (a muted span is a gap in the file)."""
        self.sources["audio"].relaying = self.admitted and not self.muted
        self.sources["video"].relaying = self.admitted

    def set_state(self, field_name: str, new: object) -> None:
        old = getattr(self, field_name)
        if old != new:
            logger.info("Participant(%s) %s %s -> %s", self.label, field_name, old, new)
            setattr(self, field_name, new)

    def stop_slots(self) -> None:
        for _, track in self.slots:
            track.stop()
        self.slots = []


class Room:
    def __init__(self, room_id: str) -> None:
        self.room_id = room_id
        self.participants: dict[str, Participant] = {}  # insertion order is join order

    def participant(self, participant_id: str) -> Participant | None:
        return self.participants.get(participant_id)

    def join(self, participant_id: str) -> Participant:
        existing = self.participants.get(participant_id)
        if existing is not None:
            return existing
        participant = Participant(self.room_id, participant_id)
        participant.apply_gates()
        self.participants[participant_id] = participant
        logger.info("Room(%s) participants +%s", self.room_id, participant_id)
        return participant

    def leave(self, participant_id: str) -> Participant | None:
        participant = self.participants.pop(participant_id, None)
        if participant is not None:
            logger.info("Room(%s) participants -%s", self.room_id, participant_id)
            self.rewire()
        return participant

    def media_may_flow(self) -> bool:
        """Media flows between parties only while every admitted, connected participant who
        sends is being recorded (their consent is stored before their recorder starts)."""
        return all(p.recording for p in self.participants.values()
                   if p.sends_media and p.connection_state == "connected")

    def rewire(self) -> None:
        """Point every participant's outgoing slots at the others, in join order; at nobody
        while media may not flow."""
        flowing = self.media_may_flow()
        for viewer in self.participants.values():
            shown = [
                other
                for other in self.participants.values()
                if other is not viewer and other.sends_media and viewer.admitted and flowing
            ]
            counters = dict.fromkeys(KINDS, 0)
            for _, track in viewer.slots:
                index = counters[track.kind]
                counters[track.kind] += 1
                track.point_at(shown[index].sources[track.kind] if index < len(shown) else None)

    def slots_of(self, participant_id: str) -> list[Slot]:
        participant = self.participants[participant_id]
        return [
            Slot(mid, track.kind, track.source.owner if track.source else None)
            for mid, track in participant.slots
        ]
