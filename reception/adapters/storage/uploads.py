"""Citizens' attachments on disk under data_dir/uploads (outside the web root), each file named
by its SHA-256; and the content sniffer that decides what a file really is."""

from __future__ import annotations

import hashlib
from pathlib import Path

import puremagic

from reception.adapters.files import read_addressed, write_private


class DiskFileStore:
    def __init__(self, root: Path) -> None:
        self._root = root

    def _path(self, sha256: str) -> Path:
        return self._root / sha256[:2] / sha256

    def save(self, data: bytes) -> tuple[str, bool]:
        digest = hashlib.sha256(data).hexdigest()
        path = self._path(digest)
        if path.exists():  # same content, same name: nothing to write twice
            return digest, False
        write_private(path, data)  # 0640, atomic: a reader never sees half a file
        return digest, True

    def remove(self, sha256: str) -> None:
        self._path(sha256).unlink(missing_ok=True)

    def read(self, sha256: str) -> bytes:
        """The stored bytes, checked against their SHA-256 (FileAltered when changed on disk)."""
        return read_addressed(self._path(sha256), sha256, "uploads")


class MagicSniffer:
    """puremagic reads signatures from the bytes; the file name plays no part."""

    def media_types(self, data: bytes) -> frozenset[str]:
        try:
            matches = puremagic.magic_string(data[:8192])
        except (puremagic.PureError, ValueError):
            return frozenset()
        # Only signatures at the very start: a PDF header buried in an executable is no PDF.
        return frozenset(m.mime_type for m in matches if m.mime_type and m.offset == 0)
