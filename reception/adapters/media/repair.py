"""Repair of recordings cut short by a crash: remux with codec copy (no re-encoding).

A WebM file killed mid-write has no duration, no cues and maybe a truncated last cluster;
PyAV still demuxes it up to the damage. Copying its packets into a fresh container gives a
file with a proper duration and index. The crashed original is kept beside it (evidence).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av

from .manifest import EMPTY, RECORDING, REPAIRED, Manifest, sha256_of
from .results import RepairResult

logger = logging.getLogger(__name__)


def probe_duration(path: Path) -> float:
    """Seconds from the first to the end of the last packet, read packet by packet.

    The container's own duration field is absent in a crashed file, so it is not trusted.
    """
    with av.open(str(path)) as container:
        start: float | None = None
        end = 0.0
        for packet in container.demux():
            if packet.pts is None or packet.time_base is None:
                continue
            at = float(packet.pts * packet.time_base)
            length = float((packet.duration or 0) * packet.time_base)
            start = at if start is None else min(start, at)
            end = max(end, at + length)
    return 0.0 if start is None else end - min(start, 0.0)


def repair_recording(path: Path) -> RepairResult:
    """Remux `path` in place; the damaged original is renamed `<name>.crashed<suffix>`.

    A file cut before its first packet (only a header, or less) cannot be opened: it is
    repaired into nothing (`packets` 0, no file at `path`)."""
    crashed = path.with_name(f"{path.stem}.crashed{path.suffix}")
    os.replace(path, crashed)
    temporary = path.with_name(f"{path.stem}.repairing{path.suffix}")
    try:
        packets = _remux(crashed, temporary)
    except (av.error.EOFError, av.error.InvalidDataError):
        temporary.unlink(missing_ok=True)
        logger.info("Recording(%s) state crashed -> empty (no packet before the crash)", path.name)
        return RepairResult(path=path, crashed_copy=crashed, sha256="", duration_seconds=0.0,
                            packets=0)
    os.replace(temporary, path)
    result = RepairResult(
        path=path,
        crashed_copy=crashed,
        sha256=sha256_of(path),
        duration_seconds=probe_duration(path),
        packets=packets,
    )
    logger.info("Recording(%s) state crashed -> repaired (%d packets)", path.name, packets)
    return result


def _remux(source: Path, target: Path) -> int:
    packets = 0
    with av.open(str(source)) as reading, av.open(str(target), "w", format="webm") as writing:
        streams: dict[int, Any] = {}
        for stream in reading.streams:
            if stream.type in ("audio", "video"):
                streams[stream.index] = writing.add_stream_from_template(stream)
        try:
            for packet in reading.demux(*[reading.streams[i] for i in streams]):
                if packet.dts is None:  # demuxer's end-of-stream marker
                    continue
                packet.stream = streams[packet.stream.index]
                writing.mux(packet)
                packets += 1
        except av.error.InvalidDataError:
            pass  # the truncated tail; everything before it has been copied
    return packets


def _repaired_or_none(path: Path) -> RepairResult:
    """The repair of `path`, or an empty result when the file is gone (removed as empty just
    before a crash)."""
    if not path.exists():
        return RepairResult(path, path, "", 0.0, 0)
    return repair_recording(path)


@dataclass(frozen=True)
class RecoveredRecording:
    """A participant's recording found unfinished after a restart, now repaired."""

    manifest: Manifest
    audio: RepairResult
    evidence: RepairResult


def recover_directory(directory: Path) -> list[RecoveredRecording]:
    """Repair every recording in `directory` whose manifest says it was never closed.

    A repaired file holding no packet (no media had arrived) is not kept: there is nothing to
    hear or see, and a file of nothing is no recording (its crashed original stays)."""
    recovered = []
    for manifest_path in sorted(directory.glob("*.manifest.json")):
        manifest = Manifest.read(manifest_path)
        if manifest.state != RECORDING:
            continue
        audio = _repaired_or_none(directory / manifest.audio_file)
        evidence = _repaired_or_none(directory / manifest.evidence_file)
        for result in (audio, evidence):
            if result.packets == 0:
                result.path.unlink(missing_ok=True)
        state = REPAIRED if evidence.packets else EMPTY
        repaired = Manifest(**{**manifest.__dict__, "state": state})
        repaired.write(directory)
        recovered.append(RecoveredRecording(repaired, audio, evidence))
    return recovered
