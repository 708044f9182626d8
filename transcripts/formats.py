"""A transcript as WebVTT, SRT, plain text and JSON; times count from the hearing start."""

from __future__ import annotations

import html
import io
import json
from datetime import datetime
from typing import Any

from webvtt import Caption, WebVTT
from webvtt.models import Timestamp

from .merge import FORMAT_ID, canonical_json, transcript_to_dict
from .values import Transcript, TranscriptLine


def _offset(transcript: Transcript, moment: datetime) -> float:
    # Lines before the hearing start (a participant whose recording began early) clamp to 0:
    # subtitle formats have no negative times.
    return max(0.0, (moment - transcript.started_at).total_seconds())


def _timestamp(transcript: Transcript, moment: datetime) -> str:
    return str(Timestamp.from_seconds(_offset(transcript, moment)))


def _without_tags(text: str) -> str:
    # SRT has no escapes and players read "<...>" as markup (webvtt-py's SRT writer drops it),
    # and a WebVTT voice name ends at ">": angle brackets become look-alike quotes.
    return " ".join(text.replace("<", "‹").replace(">", "›").split())


def _captions(transcript: Transcript, with_voice: bool) -> list[Caption]:
    captions = []
    for number, line in enumerate(transcript.lines, start=1):
        if with_voice:
            # One line per cue: a blank line would end the cue and what follows would be read
            # as another caption (another speaker, another time).
            body = (f"<v {_without_tags(line.speaker) or '?'}>"
                    f"{html.escape(_one_line(line.text), quote=False)}")
        else:
            body = _without_tags(f"{line.speaker}: {line.text}")
        captions.append(
            Caption(
                start=_timestamp(transcript, line.start),
                end=_timestamp(transcript, line.end),
                text=body,
                identifier=str(number) if with_voice else None,
            )
        )
    return captions


def to_vtt(transcript: Transcript) -> str:
    """WebVTT with one `<v Speaker>` voice span per cue."""
    return WebVTT(captions=_captions(transcript, with_voice=True)).content


def to_srt(transcript: Transcript) -> str:
    """SubRip; SRT has no voice tags, so each cue starts with "Speaker: "."""
    out = io.StringIO()
    WebVTT(captions=_captions(transcript, with_voice=False)).write(out, format="srt")
    return out.getvalue()


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _one_line(text: str) -> str:
    # Whitespace runs, line breaks (U+2028 and the like) included, become one space.
    return " ".join(text.split())


def to_text(transcript: Transcript) -> str:
    """Readable minutes: "[hh:mm:ss] Speaker (role): text" per line, always one line per line
    (a line break in a speaker's name or a line's text could otherwise forge a line)."""
    return "".join(
        f"[{_clock(_offset(transcript, line.start))}] {_one_line(line.speaker)} "
        f"({_one_line(line.role)}): {_one_line(line.text)}\n"
        for line in transcript.lines
    )


def to_json(transcript: Transcript) -> str:
    """Canonical JSON (the same bytes that `transcript_hash` digests)."""
    return canonical_json(transcript).decode("utf-8")


def _line_from(data: dict[str, Any]) -> TranscriptLine:
    return TranscriptLine(
        start=datetime.fromisoformat(data["start"]),
        end=datetime.fromisoformat(data["end"]),
        participant_id=str(data["participant_id"]),
        speaker=str(data["speaker"]),
        role=str(data["role"]),
        text=str(data["text"]),
        confidence=float(data["confidence"]),
        doubts=tuple(str(doubt) for doubt in data.get("doubts", ())),
        repeats=int(data.get("repeats", 1)),
    )


def from_json(text: str) -> Transcript:
    """Inverse of `to_json`; ValueError on another format or missing fields."""
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") != FORMAT_ID:
        raise ValueError(f"not a {FORMAT_ID} document")
    try:
        return Transcript(
            started_at=datetime.fromisoformat(data["started_at"]),
            lines=tuple(_line_from(line) for line in data["lines"]),
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"malformed {FORMAT_ID} document: {exc!r}") from exc


__all__ = ["from_json", "to_json", "to_srt", "to_text", "to_vtt", "transcript_to_dict"]
