"""Files that hold personal data (recordings, citizens' attachments, case documents) are
readable by the service's own user and group only: 0640 files in 0750 folders, whatever the
process umask says."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import structlog

from reception.services.errors import FileAltered

log = structlog.get_logger(__name__)

FILE_MODE = 0o640
DIR_MODE = 0o750


def private_dir(path: Path) -> Path:
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o777 != DIR_MODE:
        path.chmod(DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty (or keep it) with mode 0640, so a library that then opens it for
    writing by name (PyAV, for example) writes into a file nobody else can read."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically (temporary file, then rename), mode 0640."""
    private_dir(path.parent)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.part")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb", closefd=False) as out:
            out.write(data)
    finally:
        os.close(fd)
    os.replace(temporary, path)  # a reader never sees half a file


def read_addressed(path: Path, sha256: str, store: str) -> bytes:
    """The bytes of a file named by its SHA-256, checked against that name: a file changed on
    disk is refused (FileAltered, 409 at the edge) and the operator warned in the log."""
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        log.warning("stored_file.altered", store=store, sha256=sha256, bytes=len(data))
        raise FileAltered(sha256)
    return data
