"""The one place a recording file is opened for writing.

Every byte of every recording goes through the object this returns, so whatever must see the
bytes as they are flushed (the per-chunk chained hash of reception/adapters/media/chain.py)
plugs in here and nowhere else. PyAV writes through it and closes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO


def open_output(path: Path) -> BinaryIO:
    # Unbuffered: the muxer flushes every packet (docs/media.md pitfall 8) and a SIGKILL must find it
    # in the file, not in a Python buffer. "x": a recording is never silently overwritten.
    return open(path, "xb", buffering=0)  # noqa: SIM115 - the muxer closes it
