"""Media adapter: the aiortc media hub and its rooms (here), `forwarding/` (encoded frames
from each receiver to the other parties' senders, the aiortc hooks, ICE settings) and
`recording/` (packets muxed into chained WebM files, crash repair, recorder supervision).

Services use `MediaHub` (plain str/bool in, dataclasses out) and never import aiortc.
"""

from reception.adapters.media.forwarding.ice import IceServer, parse_ice_servers, turn_rest_credentials
from reception.adapters.media.hub import MediaHub
from reception.adapters.media.recording import chain
from reception.adapters.media.recording.chain import open_output
from reception.adapters.media.recording.recorder import ParticipantRecorder
from reception.adapters.media.recording.repair import (
    RecoveredRecording,
    probe_duration,
    recover_directory,
    repair_recording,
)
from reception.adapters.media.results import (
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
from reception.adapters.media.room import Slot

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
    "chain",
    "open_output",
    "parse_ice_servers",
    "probe_duration",
    "recover_directory",
    "repair_recording",
    "turn_rest_credentials",
]
