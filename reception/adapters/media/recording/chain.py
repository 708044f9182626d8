"""A recording file hashed as it is written: every chunk the muxer flushes is chained to the one
before it and recorded in a sidecar (`<file>.chain`) at once, so a file is verifiable from its
first byte, not only once it is closed (docs/media.md pitfall 12, docs/evidence.md).

`open_output(path)` is the one factory: a writable binary file object that PyAV muxes into
(`av.open(open_output(path), "w", format="webm")`); it knows nothing of codecs or recorders.
`check(path)` / `verify(path)` re-read the file and its chain and name every failure by chunk
and byte offset.

The chain. Link 0 is SHA-256 of the format tag; link i = SHA-256(link i-1 ‖ record header ‖
the record's bytes). Records, one line each in the sidecar:

- `a SEQ OFFSET LENGTH LINK`: bytes appended at the end of the file (the muxer's flushes);
- `p SEQ OFFSET LENGTH LINK ORIGINAL`: bytes written over earlier bytes (the WebM muxer seeks
  back once, when closing, to fill in the duration and the index of the header); the bytes it
  replaced are kept (base64), so the appended stream can still be checked chunk by chunk;
- `t SEQ OFFSET LENGTH LINK`: bytes found after the last record when a crashed file was sealed
  for repair (written before the crash, chained after it: marked as such);
- `c SEQ SIZE LINK`: the file was closed at SIZE bytes; nothing may follow.

A file is written before its record, so a crash leaves at most one unrecorded chunk, which
sealing (`seal`) chains as `t`. The sidecar is a convenience copy: the hearing service keeps
the same text in the database, and verification against that copy ignores a rewritten sidecar.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from reception.adapters.files import FILE_MODE

FORMAT = "reception-chain 1 sha256"
SUFFIX = ".chain"
GENESIS = hashlib.sha256(FORMAT.encode()).digest()
READ_BLOCK = 1 << 20
MAX_REPORTED = 20  # chunk failures named one by one per file; the rest are counted


def sidecar_of(path: Path) -> Path:
    return path.with_name(path.name + SUFFIX)


def _link(previous: bytes, header: str, *parts: bytes) -> bytes:
    digest = hashlib.sha256(previous)
    digest.update(header.encode())
    for part in parts:
        digest.update(part)
    return digest.digest()


# -- writing ------------------------------------------------------------------------------
class ChainedOutput(io.RawIOBase):
    """Writes go to the file first, then their record to the sidecar (one line, flushed)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        # Exclusive: a recording is never silently overwritten; read access keeps overwritten
        # bytes. Mode 0640 whatever the umask, as every file of personal data (files.py).
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            os.fchmod(self._fd, FILE_MODE)
            sidecar = os.open(sidecar_of(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
            os.fchmod(sidecar, FILE_MODE)
            self._sidecar = open(sidecar, "w", encoding="ascii")  # noqa: SIM115
        except BaseException:
            os.close(self._fd)
            raise
        self.path = path
        self._position = 0
        self._size = 0
        self._seq = 0
        self._link = GENESIS
        self._record(f"{FORMAT}\n")

    @property
    def head(self) -> str:
        return self._link.hex()

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._position, os.SEEK_END: self._size}[whence]
        if base + offset < 0:
            raise OSError("seek before the start of a recording")
        self._position = base + offset
        return self._position

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        chunk = bytes(data)
        if not chunk:
            return 0
        if self._position > self._size:
            raise OSError("a recording cannot have holes")
        overlap = min(len(chunk), self._size - self._position)
        if overlap:
            self._overwrite(chunk[:overlap])
        if overlap < len(chunk):
            self._append(chunk[overlap:])
        return len(chunk)

    def close(self) -> None:
        if self.closed:
            return
        try:
            header = f"c {self._seq} {self._size}\n"
            self._link = _link(self._link, header)
            self._record(f"c {self._seq} {self._size} {self._link.hex()}\n")
        finally:
            os.close(self._fd)
            self._sidecar.close()
            super().close()

    def _append(self, chunk: bytes) -> None:
        try:
            _write_all(self._fd, chunk, self._size)
        except OSError:
            with contextlib.suppress(OSError):  # the write's error is what to report
                os.ftruncate(self._fd, self._size)  # a half-written chunk is not in the chain
            raise
        header = f"a {self._seq} {self._size} {len(chunk)}\n"
        self._link = _link(self._link, header, chunk)
        self._record(f"a {self._seq} {self._size} {len(chunk)} {self._link.hex()}\n")
        self._size += len(chunk)
        self._position = self._size
        self._seq += 1

    def _overwrite(self, chunk: bytes) -> None:
        original = os.pread(self._fd, len(chunk), self._position)
        _write_all(self._fd, chunk, self._position)
        header = f"p {self._seq} {self._position} {len(chunk)}\n"
        self._link = _link(self._link, header, chunk, original)
        self._record(f"p {self._seq} {self._position} {len(chunk)} {self._link.hex()} "
                     f"{base64.b64encode(original).decode()}\n")
        self._position += len(chunk)
        self._seq += 1

    def _record(self, line: str) -> None:
        self._sidecar.write(line)
        self._sidecar.flush()  # one write(2) per record: a SIGKILL leaves it in the file


def _write_all(fd: int, data: bytes, offset: int) -> None:
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, offset)
        view, offset = view[written:], offset + written


def open_output(path: Path) -> BinaryIO:
    """The file object every recording is written through. PyAV muxes into it but does not
    close a file object it was given: close it after the container, which writes the closing
    record (a file object dropped unclosed is closed, and its chain with it, when collected)."""
    return ChainedOutput(path)  # type: ignore[return-value]  # RawIOBase is a binary file


# -- reading ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Record:
    kind: str  # "a" append, "p" patch, "t" sealed tail, "c" close
    seq: int
    offset: int
    length: int
    link: str
    original: bytes = b""


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


def read_chain(path: Path) -> str | None:
    """The sidecar's text (what the database keeps a copy of), or None if there is none."""
    try:
        return sidecar_of(path).read_text(encoding="ascii")
    except FileNotFoundError:
        return None


def head_of(chain: str) -> str | None:
    records, _ = _parse(chain)
    return records[-1].link if records else None


def _parse(text: str) -> tuple[list[Record], list[str]]:
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
                records.append(Record(parts[0], int(parts[1]), int(parts[2]), int(parts[3]),
                                      parts[4]))
            elif parts[0] == "p" and len(parts) == 6:
                records.append(Record("p", int(parts[1]), int(parts[2]), int(parts[3]),
                                      parts[4], base64.b64decode(parts[5], validate=True)))
            elif parts[0] == "c" and len(parts) == 4:
                records.append(Record("c", int(parts[1]), 0, int(parts[2]), parts[3]))
            else:
                raise ValueError(line)
        except ValueError:
            problems.append(f"line {number} of the chain is not a record")
    return records, problems


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
                data[lo - offset:hi - offset] = replaced[lo - start:hi - start]
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
        failures.append(ChainFailure(name, None, None, "the chain beside the file differs from "
                                     "the copy in the database" if sidecar is not None else
                                     "the chain beside the file is missing", "chain_differs"))
    text = recorded if recorded is not None else sidecar
    if text is None:
        return ChainCheck([ChainFailure(name, None, None, "the file has no chain", "no_chain")],
                          None, None, None)
    records, problems = _parse(text)
    failures += [ChainFailure(name, None, None, p, "malformed") for p in problems]
    try:
        file = path.open("rb")
    except OSError as error:
        return ChainCheck([*failures, ChainFailure(
            name, None, None, f"the file cannot be read ({error.strerror})", "unreadable")],
                          None, None, records[-1].link if records else None, len(records))
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
    return ChainCheck(failures, digest.hexdigest(), size, records[-1].link if records else None,
                      len(records), closed, notes)


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
    return [*(f for f in failures if f.kind in whole or id(f) in named),
            ChainFailure(name, None, None, f"and {more} more failures", "more", more)]


def verify(path: Path, recorded: str | None = None) -> list[ChainFailure]:
    """Every failure of `path` against its chain; an empty list: the file is as recorded."""
    return check(path, recorded).failures


def _check_records(name: str, file: BinaryIO, size: int, records: list[Record],
                   digest: hashlib._Hash) -> tuple[list[ChainFailure], int | None]:
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
            failures.append(ChainFailure(name, record.seq, None, f"record {index} is missing "
                                         "or out of order", "order"))
        if record.kind == "c":
            header = f"c {record.seq} {record.length}\n"
            parts: tuple[bytes, ...] = ()
            if index != len(records) - 1:
                failures.append(ChainFailure(name, record.seq, None,
                                             "records follow the closing record", "order"))
            if record.length != size:
                failures.append(_size_failure(name, record.seq, size, record.length))
        else:
            header = f"{record.kind} {record.seq} {record.offset} {record.length}\n"
            if record.kind == "p":
                parts = (written[record.seq], record.original)
                if record.offset + record.length > end:
                    failures.append(ChainFailure(name, record.seq, record.offset,
                                                 "an overwrite beyond the written bytes", "gap",
                                                 record.length))
            else:
                if record.offset != end:
                    failures.append(ChainFailure(name, record.seq, record.offset,
                                                 f"the chunk should start at byte {end}", "gap",
                                                 record.length))
                raw, data = view.read_both(record.offset, record.length)
                parts = (data,)
                if hashed_to is not None and record.offset == hashed_to:
                    digest.update(raw)
                    hashed_to += len(raw)
                else:
                    hashed_to = None
                if len(data) < record.length:
                    failures.append(ChainFailure(
                        name, record.seq, record.offset + len(data),
                        f"the file ends at byte {size}: {record.length - len(data)} bytes of "
                        "this chunk are missing (truncated)", "truncated",
                        record.length - len(data)))
                end = record.offset + record.length
        expected = _link(previous, header, *parts)
        stored = _hex(record.link)
        cut = record.kind in ("a", "t") and record.offset + record.length > size
        if not cut and (stored is None or expected != stored):
            failures.append(ChainFailure(name, record.seq, record.offset if record.kind != "c"
                                         else None, _mismatch(record), "altered",
                                         record.length if record.kind != "c" else None))
        previous = stored if stored is not None else expected
    if records and records[-1].kind != "c" and size > end:  # a shorter file: named above
        failures.append(ChainFailure(name, None, end, f"{size - end} bytes after the last "
                                     "chained chunk are not in the chain", "unchained",
                                     size - end))
    return failures, hashed_to


def _size_failure(name: str, seq: int, size: int, recorded: int) -> ChainFailure:
    if size < recorded:
        return ChainFailure(name, seq, size, f"the file was closed at {recorded} bytes and now "
                            f"ends at byte {size} (truncated)", "size", recorded - size)
    return ChainFailure(name, seq, recorded, f"the file was closed at {recorded} bytes; "
                        f"{size - recorded} bytes were added after it", "unchained",
                        size - recorded)


def _mismatch(record: Record) -> str:
    if record.kind == "c":
        return "the closing record does not follow from the chain"
    what = {"a": "chunk", "t": "sealed tail", "p": "overwritten header"}[record.kind]
    return (f"the {what} of {record.length} bytes (bytes {record.offset}-"
            f"{record.offset + record.length - 1}) is not what was recorded")


def _hex(text: str) -> bytes | None:
    try:
        value = bytes.fromhex(text)
    except ValueError:
        return None
    return value if len(value) == 32 else None


# -- after a crash ------------------------------------------------------------------------
def seal(path: Path) -> str:
    """Close the chain of a file a crash left open: bytes after the last record become one
    `t` record (recorded before the crash, chained now), then the closing record. A file with
    no chain at all (recorded before chains existed) gets one made of `t` records.
    Returns the closed chain's text."""
    sidecar = sidecar_of(path)
    text = read_chain(path)
    records, problems = _parse(text) if text is not None else ([], [])
    if text is None or problems:
        kept = [f"{FORMAT}\n"]
        records = []
    else:
        kept = [f"{FORMAT}\n", *(line + "\n" for line in text.split("\n")[1:-1])]
    if records and records[-1].kind == "c":
        return "".join(kept)
    link = _hex(records[-1].link) if records else GENESIS
    assert link is not None
    end = max((r.offset + r.length for r in records if r.kind != "p"), default=0)
    seq = len(records)
    size = path.stat().st_size
    with path.open("rb") as file:
        for offset, chunk in _blocks(file, end, size):
            header = f"t {seq} {offset} {len(chunk)}\n"
            link = _link(link, header, chunk)
            kept.append(f"t {seq} {offset} {len(chunk)} {link.hex()}\n")
            seq += 1
    link = _link(link, f"c {seq} {size}\n")
    kept.append(f"c {seq} {size} {link.hex()}\n")
    closed = "".join(kept)
    temporary = sidecar.with_name(sidecar.name + ".tmp")
    temporary.write_text(closed, encoding="ascii")
    os.replace(temporary, sidecar)
    return closed


def _blocks(file: BinaryIO, start: int, end: int) -> Iterator[tuple[int, bytes]]:
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
