"""Supervision of a participant's recorders, for the hub (docs/media.md pitfall 11): the names
of the files a replacement recorder writes, what stopped a recorder (said to the people in the
hearing and the audit log), and the files of a recorder that died and could not even close."""

from __future__ import annotations

import logging
from datetime import timedelta

from reception.adapters.media.recording.manifest import Manifest
from reception.adapters.media.recording.recorder import ParticipantRecorder
from reception.adapters.media.recording.repair import recover_recording
from reception.adapters.media.results import RecordedFile, RecordingResult, RepairResult

logger = logging.getLogger(__name__)


def stem_for(participant_id: str, recorders_started: int) -> str:
    """`<id>` for the first recorder, `<id>-2`, `<id>-3`, … for those that replace it."""
    return participant_id if recorders_started == 0 else f"{participant_id}-{recorders_started + 1}"


def problem_of(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror}: {error.filename}" if error.filename else error.strerror
    return str(error) or type(error).__name__


def salvage(recorder: ParticipantRecorder) -> list[RecordingResult]:
    """A dead recorder's files, repaired as after a crash (its manifest still says recording).
    Never raises: a new recorder must start whatever state these files are in (they stay on
    disk, with their manifest, for a restart's recovery)."""
    try:
        recovered = recover_recording(recorder.directory,
                                      Manifest.path_for(recorder.directory, recorder.stem))
    except Exception:
        logger.exception("Recorder(%s) files could not be repaired", recorder.stem)
        return []
    if recovered is None:
        return []
    manifest, audio, evidence = recovered.manifest, recovered.audio, recovered.evidence
    return [RecordingResult(
        participant_id=manifest.participant_id,
        audio=_file(audio), evidence=_file(evidence),
        started_at=manifest.started_at,
        stopped_at=manifest.started_at + timedelta(seconds=audio.duration_seconds),
        first_audio_at=manifest.first_audio_at, first_video_at=manifest.first_video_at,
        audio_seconds=audio.duration_seconds, video_frames=0, video_frames_dropped=0,
        errors=("closed by repair",), audio_packets=audio.packets, repaired=True)]


def _file(repaired: RepairResult) -> RecordedFile | None:
    """A repaired file; none when it held no packet (repaired into nothing)."""
    if repaired.packets == 0:
        return None
    return RecordedFile(repaired.path, repaired.sha256, repaired.path.stat().st_size)
