"""Re-reading a recording against its chain: every failure named by chunk and byte offset."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from reception.adapters.media.recording.chain.records import (
    GENESIS,
    READ_BLOCK,
    Record,
    hex_bytes,
    next_link,
    parse,
    read_chain,
)

MAX_REPORTED = 20  # chunk failures named one by one per file; the rest are counted


@dataclass(frozen=True, slots=True)
class ChainFailure:
    """One thing wrong with a recording, named so that a person can find it."""

    file: str
    chunk: int | None  # the record's sequence number
    offset: int | None  # byte offset in the file
    problem: str
    # What kind of failure (pages say it in the reader's language): "altered", "truncated",
    # "size", "gap", "order", "unchained", "chain_differs", "no_chain", "malformed",
    # "unreadable", "more".
    kind: str = "altered"
    length: int | None = None  # bytes of the chunk concerned

    def __str__(self) -> str:
        where = "" if self.chunk is None else f" chunk {self.chunk}"
        at = "" if self.offset is None else f" at byte {self.offset}"
        return f"{self.file}:{where}{at}: {self.problem}"


@dataclass(frozen=True)
class ChainCheck:
    failures: list[ChainFailure]
    sha256: str | None  # of the whole file as it is now (None: unreadable)
    size: int | None
    head: str | None  # the last link of the chain checked
    chunks: int = 0
    closed: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


class _View:
    """The file as it was appended: later overwrites are undone from the bytes they kept."""

    def __init__(self, file: BinaryIO, size: int) -> None:
        self._file, self.size = file, size
        self._undone: list[tuple[int, bytes]] = []  # applied in order: the last one wins

    def read(self, offset: int, length: int) -> bytes:
        return self.read_both(offset, length)[1]

    def read_both(self, offset: int, length: int) -> tuple[bytes, bytes]:
        """(the bytes in the file now, the bytes as appended)."""
        self._file.seek(offset)
        raw = self._file.read(length)
        data: bytes | bytearray = raw
        for start, replaced in self._undone:
            lo, hi = max(start, offset), min(start + len(replaced), offset + len(raw))
            if lo < hi:
                data = bytearray(data) if isinstance(data, bytes) else data
                data[lo - offset : hi - offset] = replaced[lo - start : hi - start]
        return raw, bytes(data)

    def replace(self, offset: int, data: bytes) -> None:
        self._undone.append((offset, data))


def check(path: Path, recorded: str | None = None) -> ChainCheck:
    """Check `path` against its chain: the database's copy `recorded` when given (a sidecar
    that differs from it is itself a failure), else the sidecar."""
    name = path.name
    failures: list[ChainFailure] = []
    sidecar = read_chain(path)
    if recorded is not None and sidecar != recorded:
        failures.append(
            ChainFailure(
                name,
                None,
                None,
                "the chain beside the file differs from the copy in the database"
                if sidecar is not None
                else "the chain beside the file is missing",
                "chain_differs",
            )
        )
    text = recorded if recorded is not None else sidecar
    if text is None:
        return ChainCheck(
            [ChainFailure(name, None, None, "the file has no chain", "no_chain")], None, None, None
        )
    records, problems = parse(text)
    failures += [ChainFailure(name, None, None, p, "malformed") for p in problems]
    try:
        file = path.open("rb")
    except OSError as error:
        return ChainCheck(
            [
                *failures,
                ChainFailure(name, None, None, f"the file cannot be read ({error.strerror})", "unreadable"),
            ],
            None,
            None,
            records[-1].link if records else None,
            len(records),
        )
    with file:
        size = os.fstat(file.fileno()).st_size
        digest = hashlib.sha256()  # of the whole file, fed by the same pass where it can be
        found, hashed_to = _check_records(name, file, size, records, digest)
        failures += found
        if hashed_to is None:  # records out of order: hash the file in a pass of its own
            digest = hashlib.sha256()
            hashed_to = 0
        file.seek(hashed_to)
        for block in iter(lambda: file.read(READ_BLOCK), b""):
            digest.update(block)
    closed = bool(records) and records[-1].kind == "c"
    notes = [] if closed else ["the chain is not closed (still recording, or cut by a crash)"]
    failures = _capped(name, failures)
    return ChainCheck(
        failures, digest.hexdigest(), size, records[-1].link if records else None, len(records), closed, notes
    )


def _capped(name: str, failures: list[ChainFailure]) -> list[ChainFailure]:
    """At most MAX_REPORTED chunk failures named, in order, the rest counted; what is wrong with
    the whole file (its size, its chain) is always named: with short clusters one chunk cut out
    makes every later chunk differ, and the file's new size must not drown among them."""
    whole = {"size", "unchained", "chain_differs", "no_chain", "malformed", "unreadable"}
    chunks = [f for f in failures if f.kind not in whole]
    if len(chunks) <= MAX_REPORTED:
        return failures
    named = {id(f) for f in chunks[:MAX_REPORTED]}
    more = len(chunks) - MAX_REPORTED
    return [
        *(f for f in failures if f.kind in whole or id(f) in named),
        ChainFailure(name, None, None, f"and {more} more failures", "more", more),
    ]


def verify(path: Path, recorded: str | None = None) -> list[ChainFailure]:
    """Every failure of `path` against its chain; an empty list: the file is as recorded."""
    return check(path, recorded).failures


def _check_records(
    name: str, file: BinaryIO, size: int, records: list[Record], digest: hashlib._Hash
) -> tuple[list[ChainFailure], int | None]:
    """The failures, and how far `digest` has hashed the file (None: not in order)."""
    failures: list[ChainFailure] = []
    hashed_to: int | None = 0
    view = _View(file, size)
    # Undo the overwrites, newest first: what each one wrote is what the view shows before it
    # is undone (checked below through its link), what it replaced is what the view shows after.
    written: dict[int, bytes] = {}
    for record in reversed(records):
        if record.kind == "p":
            written[record.seq] = view.read(record.offset, record.length)
            view.replace(record.offset, record.original)
    previous, end = GENESIS, 0
    for index, record in enumerate(records):
        if record.seq != index:
            failures.append(
                ChainFailure(name, record.seq, None, f"record {index} is missing or out of order", "order")
            )
        if record.kind == "c":
            header = f"c {record.seq} {record.length}\n"
            parts: tuple[bytes, ...] = ()
            if index != len(records) - 1:
                failures.append(
                    ChainFailure(name, record.seq, None, "records follow the closing record", "order")
                )
            if record.length != size:
                failures.append(_size_failure(name, record.seq, size, record.length))
        else:
            header = f"{record.kind} {record.seq} {record.offset} {record.length}\n"
            if record.kind == "p":
                parts = (written[record.seq], record.original)
                if record.offset + record.length > end:
                    failures.append(
                        ChainFailure(
                            name,
                            record.seq,
                            record.offset,
                            "an overwrite beyond the written bytes",
                            "gap",
                            record.length,
                        )
                    )
            else:
                if record.offset != end:
                    failures.append(
                        ChainFailure(
                            name,
                            record.seq,
                            record.offset,
                            f"the chunk should start at byte {end}",
                            "gap",
                            record.length,
                        )
                    )
                raw, data = view.read_both(record.offset, record.length)
                parts = (data,)
                if hashed_to is not None and record.offset == hashed_to:
                    digest.update(raw)
                    hashed_to += len(raw)
                else:
                    hashed_to = None
                if len(data) < record.length:
                    failures.append(
                        ChainFailure(
                            name,
                            record.seq,
                            record.offset + len(data),
                            f"the file ends at byte {size}: {record.length - len(data)} bytes of "
                            "this chunk are missing (truncated)",
                            "truncated",
                            record.length - len(data),
                        )
                    )
                end = record.offset + record.length
        expected = next_link(previous, header, *parts)
        stored = hex_bytes(record.link)
        cut = record.kind in ("a", "t") and record.offset + record.length > size
        if not cut and (stored is None or expected != stored):
            failures.append(
                ChainFailure(
                    name,
                    record.seq,
                    record.offset if record.kind != "c" else None,
                    _mismatch(record),
                    "altered",
                    record.length if record.kind != "c" else None,
                )
            )
        previous = stored if stored is not None else expected
    if records and records[-1].kind != "c" and size > end:  # a shorter file: named above
        failures.append(
            ChainFailure(
                name,
                None,
                end,
                f"{size - end} bytes after the last chained chunk are not in the chain",
                "unchained",
                size - end,
            )
        )
    return failures, hashed_to


def _size_failure(name: str, seq: int, size: int, recorded: int) -> ChainFailure:
    if size < recorded:
        return ChainFailure(
            name,
            seq,
            size,
            f"the file was closed at {recorded} bytes and now ends at byte {size} (truncated)",
            "size",
            recorded - size,
        )
    return ChainFailure(
        name,
        seq,
        recorded,
        f"the file was closed at {recorded} bytes; {size - recorded} bytes were added after it",
        "unchained",
        size - recorded,
    )


def _mismatch(record: Record) -> str:
    if record.kind == "c":
        return "the closing record does not follow from the chain"
    what = {"a": "chunk", "t": "sealed tail", "p": "overwritten header"}[record.kind]
    return (
        f"the {what} of {record.length} bytes (bytes {record.offset}-"
        f"{record.offset + record.length - 1}) is not what was recorded"
    )
