"""What every page of a hearing shows, as one JSON value pushed on each change: the hearing and
its recording phase (recording, paused, closed), its members with their connection and their
recorder's true state, who waits outside, whom each of the viewer's slots shows, and the files
recorded so far with their length and whether they were verified against their chains."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from reception.domain.booking import Participant
from reception.domain.hearings.lifecycle import RecordingPhase, recording_phase
from reception.domain.hearings.model import (
    Hearing,
    HearingMember,
    HearingStatus,
    MemberId,
    Recording,
)
from reception.services.hearings.ports import RecorderStatus, RoomView

NONE = RecorderStatus("none")


def snapshot(hearing: Hearing, members: Sequence[HearingMember], waiting: Sequence[Participant],
             media: RoomView | None, viewer: MemberId | None,
             recordings: Sequence[Recording] = (), now: datetime | None = None, *,
             staff: bool = False) -> dict[str, Any]:
    room = str(hearing.id)
    live = media is not None and hearing.status is HearingStatus.OPEN
    states = media.connections if media is not None and live else {}
    recorders = media.recorders if media is not None and live else {}
    phase = recording_phase(hearing, live and media is not None and media.flowing)
    names = {m.id: m.display_name for m in members}
    # Who keeps the hearing paused (the media side's rule, for display): connected, sending,
    # admitted, and their recorder not running.
    unrecorded = [m for m in members if m.admitted_at is not None and not m.receive_only
                  and m.removed_at is None and states.get(str(m.id)) == "connected"
                  and recorders.get(str(m.id), NONE).state != "recording"]
    return {
        "hearing": {
            "id": room, "status": hearing.status.value, "phase": phase.value,
            "recording": phase is RecordingPhase.RECORDING,
            "started_at": _iso(hearing.recording_started_at),
            "ended_at": _iso(hearing.ended_at or hearing.interrupted_at),
            "transcription": hearing.transcription.value if hearing.transcription else None,
            # Whose recorder stops the hearing (paused): named on every page.
            "unrecorded": [{"id": str(m.id), "name": m.display_name} for m in unrecorded],
        },
        "you": str(viewer) if viewer else None,
        "members": [_member(m, states, recorders.get(str(m.id), NONE), now, staff)
                    for m in members],
        "waiting": [{"id": str(p.id), "name": p.display_name, "role": p.role.value}
                    for p in waiting] if viewer is not None else [],
        "slots": [{"mid": mid, "kind": kind, "member": shown}
                  for mid, kind, shown in (media.slots or [] if media and viewer
                                           and str(viewer) in states else [])],
        "recordings": [_recording(r, names.get(r.member_id, "")) for r in recordings],
    }


def _member(m: HearingMember, states: dict[str, str], recorder: RecorderStatus,
            now: datetime | None, staff: bool) -> dict[str, Any]:
    seconds = ((now - recorder.since).total_seconds()
               if recorder.state == "recording" and recorder.since and now else None)
    return {
        "id": str(m.id), "role": m.role.value, "name": m.display_name,
        "admitted": m.admitted_at is not None, "removed": m.removed_at is not None,
        "muted": m.muted, "connection": states.get(str(m.id), "none"),
        "recording": recorder.state == "recording",  # their recorder runs, not "should run"
        "recorder": {"state": recorder.state, "seconds": seconds,
                     "problem": recorder.problem if staff else None},
    }


def _recording(r: Recording, name: str) -> dict[str, Any]:
    return {"member": str(r.member_id), "name": name, "kind": r.kind,
            "file": r.path.rsplit("/", 1)[-1], "seconds": r.duration_seconds,
            "bytes": r.size_bytes, "sha256": r.sha256, "state": r.state,
            "verified": r.verified, "verified_at": _iso(r.verified_at)}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
