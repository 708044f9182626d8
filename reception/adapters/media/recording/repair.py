"""Repair of recordings cut short by a crash: remux with codec copy (no re-encoding).

A WebM file killed mid-write has no duration, no cues and maybe a truncated last cluster;
PyAV still demuxes it up to the damage. Copying its packets into a fresh container gives a
file with a proper duration and index. The crashed original is kept beside it (evidence) as a
copy, not a rename (`chain.detach`): the process that wrote it may only have been stalled (a
media node taken for dead, docs/media.md pitfall 13), and its open handle must lead to a file
nobody keeps, never to the evidence. The copy has its chain closed (`chain.seal`: the bytes
a crash left unrecorded are chained as a sealed tail); the repaired file is chained as it is
written, like a recording. A file cut before its first packet (only a header, or less) is
repaired into nothing: no file, 0 packets.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av

from reception.adapters.media.recording import chain
from reception.adapters.media.recording.manifest import EMPTY, RECORDING, REPAIRED, Manifest, sha256_of
from reception.adapters.media.results import RepairResult

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


def crashed_copy_of(path: Path) -> Path:
    return path.with_name(f"{path.stem}.crashed{path.suffix}")


def repair_recording(path: Path) -> RepairResult:
    """Remux `path` in place; the damaged original is renamed `<name>.crashed<suffix>`, its
    chain sealed. A file holding no packet is repaired into nothing (`packets` 0, no file at
    `path`): there is nothing to hear or see, and its crashed original stays."""
    crashed = crashed_copy_of(path)
    chain.detach(path, crashed)  # a copy: a stalled writer's handle no longer reaches it
    chain.seal(crashed)
    temporary = path.with_name(f"{path.stem}.repairing{path.suffix}")
    _remove(temporary)  # a repair cut short before
    try:
        packets = _remux(crashed, temporary)
    except (av.error.EOFError, av.error.InvalidDataError):  # not even a whole header
        packets = 0
    if packets == 0:
        _remove(temporary)
        logger.info("Recording(%s) state crashed -> empty (no packet before the crash)", path.name)
        return RepairResult(path=path, crashed_copy=crashed, sha256="", duration_seconds=0.0,
                            packets=0)
    chain.rename(temporary, path)
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
    reading = av.open(str(source))  # before the target exists: an unreadable file makes none
    with reading, chain.open_output(target) as output, \
            av.open(output, "w", format="webm") as writing:
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


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
    chain.sidecar_of(path).unlink(missing_ok=True)


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
    """Repair every recording in `directory` whose manifest says it was never closed."""
    recovered = []
    for manifest_path in sorted(directory.glob("*.manifest.json")):
        found = recover_recording(directory, manifest_path)
        if found is not None:
            recovered.append(found)
    return recovered


def recover_recording(directory: Path, manifest_path: Path) -> RecoveredRecording | None:
    """Repair the recording of one manifest, if it was never closed (after a restart, or a
    recorder that died and could not close). No packet in the evidence: the state is EMPTY."""
    manifest = Manifest.read(manifest_path)
    if manifest.state != RECORDING:
        return None
    audio = _repaired_or_none(directory / manifest.audio_file)
    evidence = _repaired_or_none(directory / manifest.evidence_file)
    state = REPAIRED if evidence.packets else EMPTY
    repaired = Manifest(**{**manifest.__dict__, "state": state})
    repaired.write(directory)
    return RecoveredRecording(repaired, audio, evidence)
