"""Ports of the video hearing: its repository and the media rooms (the aiortc hub behind a
small adapter). Services never see aiortc types: answers and recordings are plain values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from reception.domain.booking import BookingId, ParticipantId
from reception.domain.hearings.lifecycle import Effect
from reception.domain.hearings.model import Hearing, HearingId, HearingMember, MemberId, Recording
from reception.domain.integrity import Attestation
from reception.domain.organisation import StaffId


class HearingRepository(Protocol):
    async def add(self, hearing: Hearing) -> None: ...
    async def update(self, hearing: Hearing) -> None: ...
    async def get(self, hearing_id: HearingId, *, lock: bool = False) -> Hearing | None: ...
    async def open_for_booking(self, booking_id: BookingId) -> Hearing | None: ...
    async def of_booking(self, booking_id: BookingId) -> Sequence[Hearing]: ...
    async def unsettled(self) -> Sequence[Hearing]:
        """Open hearings, and closed ones whose recordings were never stored."""
        ...

    async def add_member(self, member: HearingMember) -> None: ...
    async def update_member(self, member: HearingMember) -> None: ...
    async def member(self, member_id: MemberId) -> HearingMember | None: ...
    async def members(self, hearing_id: HearingId) -> Sequence[HearingMember]: ...
    async def member_by_participant(self, hearing_id: HearingId,
                                    participant_id: ParticipantId) -> HearingMember | None: ...
    async def member_by_staff(self, hearing_id: HearingId,
                              staff_id: StaffId) -> HearingMember | None: ...
    async def add_recording(self, recording: Recording, attestation: Attestation) -> None:
        """Refused without the attestation of its SHA-256 (services/integrity/attestation)."""
        ...

    async def recordings(self, hearing_id: HearingId) -> Sequence[Recording]: ...


@dataclass(frozen=True, slots=True)
class Answer:
    sdp: str
    type: str


@dataclass(frozen=True, slots=True)
class ClosedFile:
    """One recording file as the media side closed (or repaired) it."""

    member_id: str
    kind: str  # "audio" or "evidence"
    path: Path
    sha256: str
    size_bytes: int
    state: str  # "closed" or "repaired"
    started_at: datetime
    stopped_at: datetime | None
    first_audio_at: datetime | None
    first_video_at: datetime | None
    duration_seconds: float | None
    video_frames: int | None
    # The file's chain (hashes of its chunks as written, docs/evidence.md) and, for a file
    # repaired after a crash, the as-recorded original kept beside it with its own chain.
    chain: str | None = None
    original_path: Path | None = None
    original_chain: str | None = None
    packets: int | None = None  # received packets in the file (filled gaps excluded)


@dataclass(frozen=True, slots=True)
class RecorderStatus:
    """One member's recorder as the media side sees it."""

    state: str  # "none" (never started), "recording", "failed" (could not start, or died)
    since: datetime | None = None  # when the running recorder started
    problem: str | None = None  # what made the last recorder fail


@dataclass(frozen=True, slots=True)
class MediaFlags:
    admitted: bool = False
    receive_only: bool = False
    audio_only: bool = False


class MediaRooms(Protocol):
    """Media of every open hearing (room id = hearing id, member id = hearing member id).

    Refusals (an ended room, an unknown member) raise services.errors.Conflict. Recorder
    state changes are reported to the hearing service's `recorder_changed` (wired at start).
    """

    async def answer(self, room: str, member: str, sdp: str, flags: MediaFlags) -> Answer: ...
    def admit(self, room: str, member: str) -> None: ...
    def set_muted(self, room: str, member: str, muted: bool) -> None: ...
    async def start_recording(self, room: str, member: str) -> bool: ...
    async def remove(self, room: str, member: str) -> list[ClosedFile]: ...
    async def end(self, room: str) -> list[ClosedFile]: ...
    def rooms(self) -> list[str]: ...  # open rooms
    def connection_states(self, room: str) -> dict[str, str]: ...
    def slots(self, room: str, member: str) -> list[tuple[str, str, str | None]]:
        """(mid, kind, member shown) of each outgoing m-line of `member`'s connection."""
        ...

    async def close(self) -> None:
        """Stop serving: end every room (closing recordings). Idempotent."""
        ...

    async def recover(self, room: str) -> list[ClosedFile]:
        """After a restart: repair the room's files a crash left open; all its files."""
        ...

    async def abandon(self, room: str) -> None:
        """Drop a room another node has adopted: connections closed, recorders dropped
        WITHOUT writing anything more to their files or manifests (the adopter owns them)."""
        ...

    def recorders(self, room: str) -> dict[str, RecorderStatus]:
        """Each member's recorder (members the media side knows); empty for no room."""
        ...

    def media_flowing(self, room: str) -> bool:
        """Does media flow between the parties now? Only while everyone who sends is
        recorded; False for a room with no media."""
        ...


@dataclass(frozen=True, slots=True)
class RoomView:
    """A room as its media node sees it, in one answer: each member's connection and recorder,
    whether media flows, and whom each outgoing slot of the viewer shows."""

    connections: dict[str, str]
    recorders: dict[str, RecorderStatus]
    flowing: bool = False
    slots: list[tuple[str, str, str | None]] | None = None


NO_MEDIA = RoomView({}, {})


@dataclass(frozen=True, slots=True)
class NodeAt:
    """The media node a hearing is pinned to."""

    name: str
    url: str  # its internal API
    alive: bool


@dataclass(frozen=True, slots=True)
class NodeRegistration:
    """One registration of a media node: its name and the generation the database gave it (a
    fencing token; a new one at each registration, ended when its hearings are adopted)."""

    name: str
    generation: int


class MediaNodeRepository(Protocol):
    async def register(self, name: str, url: str, host: str, pid: int) -> NodeRegistration: ...
    async def beat(self, node: NodeRegistration) -> bool: ...
    async def leave(self, node: NodeRegistration) -> None: ...
    async def on_host(self, host: str) -> Sequence[tuple[NodeRegistration, int]]: ...
    async def pin(self, hearing_id: HearingId, dead_after: timedelta) -> NodeAt | None: ...
    async def of_hearing(self, hearing_id: HearingId, dead_after: timedelta) -> NodeAt | None: ...
    async def holds(self, hearing_id: HearingId, node: NodeRegistration, *,
                    lock: bool = False) -> bool: ...
    async def claim(self, node: NodeRegistration, dead_after: timedelta) -> Sequence[HearingId]: ...


class HearingTicketRepository(Protocol):
    async def issue(self, ticket: str, hearing_id: HearingId, member_id: MemberId,
                    valid_for: timedelta) -> None: ...
    async def redeem(self, ticket: str, hearing_id: HearingId) -> MemberId | None: ...


class MediaNodes(Protocol):
    """The web side's way to a hearing's media node (its internal API). A node that cannot be
    reached raises services.errors.Unavailable; a refusal (an ended room, an unknown member)
    raises Conflict."""

    async def perform(self, node: NodeAt, hearing_id: HearingId,
                      effects: Sequence[Effect]) -> None: ...
    async def connect(self, node: NodeAt, hearing_id: HearingId, member_id: MemberId, sdp: str,
                      flags: MediaFlags, muted: bool) -> Answer: ...
    async def view(self, node: NodeAt, hearing_id: HearingId,
                   viewer: MemberId | None) -> RoomView: ...
