"""Per-speaker tracks -> one hearing transcript on the wall clock, and its fingerprint.

Each participant is recorded to a file of their own, so speaker attribution is exact and needs
no diarisation; only the files' start times differ, which `started_at` of each track carries.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from .values import SpeakerTrack, Transcript, TranscriptLine

FORMAT_ID = "tiep-dan-transcript/1"


def _lines_of(track: SpeakerTrack) -> Iterable[TranscriptLine]:
    started_at = track.started_at.astimezone(UTC)
    for segment in track.segments:
        yield TranscriptLine(
            start=started_at + timedelta(seconds=segment.start),
            end=started_at + timedelta(seconds=segment.end),
            participant_id=track.participant_id,
            speaker=track.display_name,
            role=track.role,
            text=segment.text,
            confidence=segment.confidence,
            doubts=tuple(str(doubt) for doubt in segment.doubts),
            repeats=segment.repeats,
        )


def merge_speakers(tracks: Iterable[SpeakerTrack], hearing_started_at: datetime | None = None) -> Transcript:
    """Interleave every track's lines by wall-clock start (ties: end, then participant id).

    `hearing_started_at` is the zero of subtitle times; by default the earliest track start.
    """
    tracks = list(tracks)
    if hearing_started_at is None:
        if not tracks:
            raise ValueError("merge_speakers needs hearing_started_at when there are no tracks")
        hearing_started_at = min(track.started_at for track in tracks)
    lines = sorted(
        (line for track in tracks for line in _lines_of(track)),
        key=lambda line: (line.start, line.end, line.participant_id),
    )
    return Transcript(started_at=hearing_started_at.astimezone(UTC), lines=tuple(lines))


def _iso(moment: datetime) -> str:
    # Always UTC, so one instant has one spelling and one hash whatever zone it arrived in.
    return moment.astimezone(UTC).isoformat()


def _line_dict(line: TranscriptLine) -> dict[str, object]:
    found: dict[str, object] = {
        "start": _iso(line.start),
        "end": _iso(line.end),
        "participant_id": line.participant_id,
        "speaker": line.speaker,
        "role": line.role,
        "text": line.text,
        "confidence": line.confidence,
    }
    if line.doubts:  # only when present: a transcript without doubts hashes as it always did
        found["doubts"] = list(line.doubts)
    if line.repeats > 1:
        found["repeats"] = line.repeats
    return found


def transcript_to_dict(transcript: Transcript) -> dict[str, object]:
    """Plain JSON-ready form; datetimes as ISO 8601 UTC, kept to the microsecond."""
    return {
        "format": FORMAT_ID,
        "started_at": _iso(transcript.started_at),
        "lines": [_line_dict(line) for line in transcript.lines],
    }


def canonical_json(transcript: Transcript) -> bytes:
    """One byte sequence per transcript: sorted keys, no spaces, UTF-8 (not \\u escapes)."""
    return json.dumps(
        transcript_to_dict(transcript), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def transcript_hash(transcript: Transcript) -> str:
    """SHA-256 hex of the canonical JSON: approval locks this value; any edit changes it."""
    return hashlib.sha256(canonical_json(transcript)).hexdigest()
