"""A small JSON file beside each recording, so a restart can find and repair crashed files.

Written (atomically) when recording starts, when each track's first frame arrives, and when
the files are closed; a manifest still saying "recording" after a restart marks a crash.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from reception.adapters.files import write_private

RECORDING = "recording"
CLOSED = "closed"
REPAIRED = "repaired"  # was cut short by a crash; the hearing counts as interrupted
EMPTY = "empty"  # no media ever arrived: no file is kept or reported


@dataclass(frozen=True)
class Manifest:
    participant_id: str
    audio_file: str
    evidence_file: str
    started_at: datetime
    state: str = RECORDING
    first_audio_at: datetime | None = None
    first_video_at: datetime | None = None
    stopped_at: datetime | None = None
    # Written when the files close: filled audio spans [start_ms, end_ms) (silence frames,
    # not received media) and received packets per kind.
    gaps: list[list[int]] = field(default_factory=list)
    packets: dict[str, int] = field(default_factory=dict)
    # Received audio packets placed before the recording's start (captured just before it: the
    # jitter buffer's delay, a backlog), so not in the file: written when the files close.
    audio_before_start: int = 0
    # Name of this recording's files: the participant's id, or `<id>-<n>` for the n-th recording
    # of someone whose recorder had to be started again (it died mid-hearing).
    stem: str | None = None

    @staticmethod
    def path_for(directory: Path, participant_id: str) -> Path:
        return directory / f"{participant_id}.manifest.json"

    def write(self, directory: Path) -> None:
        data = {
            key: value.isoformat() if isinstance(value, datetime) else value
            for key, value in asdict(self).items()
        }
        target = self.path_for(directory, self.stem or self.participant_id)
        # Atomic (a crash leaves the old or the new manifest, never half) and 0640 like the
        # recordings it names.
        write_private(target, json.dumps(data, indent=1).encode("utf-8"))

    @classmethod
    def read(cls, path: Path) -> Manifest:
        data = json.loads(path.read_text(encoding="utf-8"))
        for key in ("started_at", "first_audio_at", "first_video_at", "stopped_at"):
            if data.get(key) is not None:
                data[key] = datetime.fromisoformat(data[key])
        return cls(**data)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
