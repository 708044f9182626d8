"""Case documents on disk under data_dir/case_documents (outside the web root), each named by
its SHA-256, and the content check that decides what an upload really is."""

from __future__ import annotations

import hashlib
from pathlib import Path

import puremagic

from reception.adapters.files import read_addressed, write_private

# What a case file accepts: scans and photos of paper documents.
ACCEPTED_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
}


class DocumentStore:
    def __init__(self, root: Path) -> None:
        self._root = root

    def _path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256 hex digest")  # never let a name walk the tree
        return self._root / sha256[:2] / sha256

    def save(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        path = self._path(digest)
        if not path.exists():
            write_private(path, data)  # 0640, atomic: a reader never sees half a file
        return digest

    def read(self, sha256: str) -> bytes:
        """The stored bytes, checked against their SHA-256 (FileAltered when changed on disk)."""
        return read_addressed(self._path(sha256), sha256, "case_documents")


def sniff_media_type(data: bytes) -> str | None:
    """The accepted media type the bytes start with, or None (the file name plays no part)."""
    try:
        matches = puremagic.magic_string(data[:8192])
    except (puremagic.PureError, ValueError):
        return None
    for match in matches:
        if match.offset == 0 and match.mime_type in ACCEPTED_TYPES:
            return str(match.mime_type)
    return None
