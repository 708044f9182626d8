"""The chain's format: its constants, how a link is computed, the sidecar and its records,
and moving (or copying aside) a recording with its chain."""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reception.adapters.files import FILE_MODE

FORMAT = "reception-chain 1 sha256"
SUFFIX = ".chain"
GENESIS = hashlib.sha256(FORMAT.encode()).digest()
READ_BLOCK = 1 << 20


def sidecar_of(path: Path) -> Path:
    return path.with_name(path.name + SUFFIX)


def next_link(previous: bytes, header: str, *parts: bytes) -> bytes:
    digest = hashlib.sha256(previous)
    digest.update(header.encode())
    for part in parts:
        digest.update(part)
    return digest.digest()


@dataclass(frozen=True, slots=True)
class Record:
    kind: str  # "a" append, "p" patch, "t" sealed tail, "c" close
    seq: int
    offset: int
    length: int
    link: str
    original: bytes = b""


def read_chain(path: Path) -> str | None:
    """The sidecar's text (what the database keeps a copy of), or None if there is none."""
    try:
        return sidecar_of(path).read_text(encoding="ascii")
    except FileNotFoundError:
        return None


def head_of(chain: str) -> str | None:
    records, _ = parse(chain)
    return records[-1].link if records else None


def parse(text: str) -> tuple[list[Record], list[str]]:
    """Records, and the problems of lines that are not records. A last line without its
    newline is a record cut by a crash: left out (sealing chains those bytes again)."""
    lines = text.split("\n")
    problems: list[str] = []
    if not lines or lines[0] != FORMAT:
        return [], ["the chain does not start with its format line"]
    body = lines[1:-1]  # the piece after the last newline is empty, or a torn line
    records = []
    for number, line in enumerate(body, start=2):
        parts = line.split(" ")
        try:
            if parts[0] in ("a", "t") and len(parts) == 5:
                records.append(Record(parts[0], int(parts[1]), int(parts[2]), int(parts[3]), parts[4]))
            elif parts[0] == "p" and len(parts) == 6:
                records.append(
                    Record(
                        "p",
                        int(parts[1]),
                        int(parts[2]),
                        int(parts[3]),
                        parts[4],
                        base64.b64decode(parts[5], validate=True),
                    )
                )
            elif parts[0] == "c" and len(parts) == 4:
                records.append(Record("c", int(parts[1]), 0, int(parts[2]), parts[3]))
            else:
                raise ValueError(line)
        except ValueError:
            problems.append(f"line {number} of the chain is not a record")
    return records, problems


def hex_bytes(text: str) -> bytes | None:
    try:
        value = bytes.fromhex(text)
    except ValueError:
        return None
    return value if len(value) == 32 else None


def blocks(file: BinaryIO, start: int, end: int) -> Iterator[tuple[int, bytes]]:
    file.seek(start)
    offset = start
    while offset < end:
        chunk = file.read(min(READ_BLOCK, end - offset))
        if not chunk:
            return
        yield offset, chunk
        offset += len(chunk)


def rename(source: Path, target: Path) -> None:
    """Move a recording and its chain together."""
    os.replace(source, target)
    if sidecar_of(source).exists():
        os.replace(sidecar_of(source), sidecar_of(target))


def detach(source: Path, target: Path) -> None:
    """Copy a recording and its chain to `target`, then remove `source` and its chain. Unlike
    a rename, the copy is a new file: a writer that still holds `source` open (a media node
    taken for dead that wakes up) writes on into a file no name points to any more, and never
    into the copy. The chain is copied before the recording, so a writer caught in between
    leaves at most bytes without a record (sealed as such), never a record without its bytes.
    Partial copies of an earlier attempt are replaced."""
    sidecar = sidecar_of(source)
    if sidecar.exists():
        _copy(sidecar, sidecar_of(target))
    _copy(source, target)
    source.unlink()
    sidecar.unlink(missing_ok=True)


def _copy(source: Path, target: Path) -> None:
    temporary = target.with_name(target.name + ".copying")
    shutil.copyfile(source, temporary)  # kernel-side copy where the platform has one
    os.chmod(temporary, FILE_MODE)
    os.replace(temporary, target)
