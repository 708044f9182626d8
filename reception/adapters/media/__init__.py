"""Media adapter: aiortc media hub, per-participant recorder, crash repair, ICE settings.

Services use `MediaHub` (plain str/bool in, dataclasses out) and never import aiortc.
"""

from .chain import open_output
from .hub import MediaHub
from .ice import IceServer, parse_ice_servers, turn_rest_credentials
from .recorder import ParticipantRecorder
from .repair import RecoveredRecording, probe_duration, recover_directory, repair_recording
from .results import (
    MediaError,
    NotAdmitted,
    ParticipantView,
    RecordedFile,
    RecorderFailed,
    RecordingResult,
    RepairResult,
    RoomEnded,
    SessionDescription,
    UnknownParticipant,
    UnknownRoom,
)
from .room import Slot

__all__ = [
    "IceServer",
    "MediaError",
    "MediaHub",
    "NotAdmitted",
    "ParticipantRecorder",
    "ParticipantView",
    "RecordedFile",
    "RecorderFailed",
    "RecordingResult",
    "RecoveredRecording",
    "RepairResult",
    "RoomEnded",
    "SessionDescription",
    "Slot",
    "UnknownParticipant",
    "UnknownRoom",
    "open_output",
    "parse_ice_servers",
    "probe_duration",
    "recover_directory",
    "repair_recording",
    "turn_rest_credentials",
]
