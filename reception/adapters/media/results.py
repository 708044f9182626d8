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
    """A recorder's files could not be closed."""


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
    A file no packet ever reached is not kept: `audio`/`evidence` is None and
    `media_arrived` is False for a member whose media never arrived (no file of silence).
    """

    participant_id: str
    audio: RecordedFile | None
    evidence: RecordedFile | None
    started_at: datetime
    stopped_at: datetime
    first_audio_at: datetime | None
    first_video_at: datetime | None
    audio_seconds: float  # length of the audio timeline: received packets and filled gaps
    video_frames: int  # received VP8 frames in the evidence
    video_frames_dropped: int  # received but not recorded: before a keyframe, after a loss
    errors: tuple[str, ...] = ()  # mux/read failures; files were closed regardless
    audio_packets: int = 0  # received Opus packets in the files
    silence_seconds: float = 0.0  # filled gaps (silence frames), also in the manifest
    gaps: tuple[list[int], ...] = ()  # filled spans [start_ms, end_ms)
    repaired: bool = False  # the recorder died and could not close: its files were repaired
    audio_before_start: int = 0  # received audio packets timed before the start: not in the file

    @property
    def media_arrived(self) -> bool:
        return self.audio_packets > 0 or self.video_frames > 0


@dataclass(frozen=True)
class RepairResult:
    path: Path
    crashed_copy: Path
    sha256: str
    duration_seconds: float
    packets: int


@dataclass(frozen=True)
class ParticipantView:
    """A participant as the hub sees it; `recorder` is "none", "recording" or "failed"."""

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
