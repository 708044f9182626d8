"""Plain value objects the media adapter hands to the service layer (no aiortc types)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


class MediaError(Exception):
    """Base class of the media adapter's errors."""


class UnknownRoom(MediaError):
    def __init__(self, room_id: str) -> None:
        super().__init__(f"no media room {room_id!r}")
        self.room_id = room_id


class RoomEnded(MediaError):
    def __init__(self, room_id: str) -> None:
        super().__init__(f"media room {room_id!r} has ended")
        self.room_id = room_id


class UnknownParticipant(MediaError):
    def __init__(self, room_id: str, participant_id: str) -> None:
        super().__init__(f"no participant {participant_id!r} in media room {room_id!r}")
        self.room_id = room_id
        self.participant_id = participant_id


class NotAdmitted(MediaError):
    def __init__(self, room_id: str, participant_id: str) -> None:
        super().__init__(f"cannot record participant {participant_id!r} while not admitted to {room_id!r}")
        self.room_id = room_id
        self.participant_id = participant_id


class RecorderFailed(MediaError):
    """An encode/mux job or a reading task of a recorder raised; files were still closed."""


@dataclass(frozen=True)
class SessionDescription:
    sdp: str
    type: str


@dataclass(frozen=True)
class RecordedFile:
    path: Path
    sha256: str
    size_bytes: int


@dataclass(frozen=True)
class RecordingResult:
    """One participant's recording, closed and hashed.

    `started_at` is the wall-clock instant (UTC) that timestamp 0 of both files stands for, so
    recordings of different participants can be played together. `first_audio_at` and
    `first_video_at` say when each track's first frame actually arrived (None: never).
    """

    participant_id: str
    audio: RecordedFile
    evidence: RecordedFile
    started_at: datetime
    stopped_at: datetime
    first_audio_at: datetime | None
    first_video_at: datetime | None
    audio_seconds: float
    video_frames: int
    video_frames_dropped: int
    errors: tuple[str, ...] = ()  # encode/mux/read failures; files were closed regardless
    repaired: bool = False  # the recorder died and could not close: its files were repaired


@dataclass(frozen=True)
class RepairResult:
    path: Path
    crashed_copy: Path
    sha256: str
    duration_seconds: float
    packets: int


@dataclass(frozen=True)
class ParticipantView:
    participant_id: str
    connection_state: str
    admitted: bool
    recording: bool
    muted: bool
    receive_only: bool
    audio_only: bool
    recorder_state: str = "none"  # "none" | "recording" | "failed" | "stopping" | ...
    recorder_problem: str | None = None  # what made the last recorder fail to start or die
    recording_since: datetime | None = None
