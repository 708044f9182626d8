"""Writing a chained recording (`open_output`) and sealing the chain a crash left open."""

from __future__ import annotations

import base64
import contextlib
import io
import os
from pathlib import Path
from typing import BinaryIO

from reception.adapters.files import FILE_MODE, write_private
from reception.adapters.media.recording.chain.records import (
    FORMAT,
    GENESIS,
    blocks,
    hex_bytes,
    next_link,
    parse,
    read_chain,
    sidecar_of,
)


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
        self._fenced = False
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
        if not chunk or self._fenced:
            return len(chunk)
        if self._position > self._size:
            raise OSError("a recording cannot have holes")
        overlap = min(len(chunk), self._size - self._position)
        if overlap:
            self._overwrite(chunk[:overlap])
        if overlap < len(chunk):
            self._append(chunk[overlap:])
        return len(chunk)

    def fence(self) -> None:
        """From now on nothing reaches the file or its chain: writes are dropped and closing
        writes no closing record. For a recording another media node has taken over (its
        node was taken for dead): its container can then be closed without touching a byte."""
        self._fenced = True

    def close(self) -> None:
        if self.closed:
            return
        if self._fenced:
            os.close(self._fd)
            self._sidecar.close()
            super().close()
            return
        try:
            header = f"c {self._seq} {self._size}\n"
            self._link = next_link(self._link, header)
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
        self._link = next_link(self._link, header, chunk)
        self._record(f"a {self._seq} {self._size} {len(chunk)} {self._link.hex()}\n")
        self._size += len(chunk)
        self._position = self._size
        self._seq += 1

    def _overwrite(self, chunk: bytes) -> None:
        original = os.pread(self._fd, len(chunk), self._position)
        _write_all(self._fd, chunk, self._position)
        header = f"p {self._seq} {self._position} {len(chunk)}\n"
        self._link = next_link(self._link, header, chunk, original)
        self._record(
            f"p {self._seq} {self._position} {len(chunk)} {self._link.hex()} "
            f"{base64.b64encode(original).decode()}\n"
        )
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


def seal(path: Path) -> str:
    """Close the chain of a file a crash left open: bytes after the last record become one
    `t` record (recorded before the crash, chained now), then the closing record. A file with
    no chain at all (recorded before chains existed) gets one made of `t` records.
    Returns the closed chain's text."""
    sidecar = sidecar_of(path)
    text = read_chain(path)
    records, problems = parse(text) if text is not None else ([], [])
    if text is None or problems:
        kept = [f"{FORMAT}\n"]
        records = []
    else:
        kept = [f"{FORMAT}\n", *(line + "\n" for line in text.split("\n")[1:-1])]
    if records and records[-1].kind == "c":
        return "".join(kept)
    link = hex_bytes(records[-1].link) if records else GENESIS
    assert link is not None
    end = max((r.offset + r.length for r in records if r.kind != "p"), default=0)
    seq = len(records)
    size = path.stat().st_size
    with path.open("rb") as file:
        for offset, chunk in blocks(file, end, size):
            header = f"t {seq} {offset} {len(chunk)}\n"
            link = next_link(link, header, chunk)
            kept.append(f"t {seq} {offset} {len(chunk)} {link.hex()}\n")
            seq += 1
    link = next_link(link, f"c {seq} {size}\n")
    kept.append(f"c {seq} {size} {link.hex()}\n")
    closed = "".join(kept)
    write_private(sidecar, closed.encode("ascii"))
    return closed
