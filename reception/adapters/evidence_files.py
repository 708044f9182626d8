"""Re-reading the stored evidence for the integrity checks, in a worker thread: recordings
against their chain (adapters/media/recording/chain/) and the SHA-256 stored when they were closed,
documents (case documents, generated forms, booking attachments) against the SHA-256 that
names them."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import replace
from pathlib import Path

from reception.adapters.media.recording import chain
from reception.domain.integrity import FileProblem

BLOCK = 1 << 20


class EvidenceFileChecks:
    def __init__(self, recordings_dir: Path, document_roots: dict[str, Path]) -> None:
        self._recordings = recordings_dir.resolve()
        self._documents = document_roots  # store name -> directory of files named by SHA-256

    async def check_recording(self, path: str, recorded_chain: str | None,
                              sha256: str | None) -> tuple[list[FileProblem], str | None]:
        return await asyncio.to_thread(self._recording, path, recorded_chain, sha256)

    async def check_document(self, store: str, sha256: str,
                             size_bytes: int | None) -> list[str]:
        return await asyncio.to_thread(self._document, store, sha256, size_bytes)

    def _recording(self, path: str, recorded_chain: str | None,
                   sha256: str | None) -> tuple[list[FileProblem], str | None]:
        file = (self._recordings / path).resolve()
        if not file.is_relative_to(self._recordings):
            return [FileProblem("missing", f"{path}: outside the recordings store")], None
        if not file.is_file():
            return [FileProblem("missing", f"{path}: the file is missing")], None
        if recorded_chain is None:  # recorded before chains: its closing hash is all there is
            now = _sha256(file)
            problems = [] if sha256 is None or now == sha256 else [FileProblem(
                "hash", f"{path}: its SHA-256 is {now}, not the {sha256} stored when it was "
                "closed (it was recorded before per-chunk chains; no chunk can be named)")]
            return problems, now
        checked = chain.check(file, recorded_chain)
        problems = [FileProblem(f.kind, str(replace(f, file=path)), f.chunk, f.offset, f.length)
                    for f in checked.failures]
        if sha256 is not None and checked.sha256 is not None and checked.sha256 != sha256:
            problems.append(FileProblem("hash", f"{path}: its SHA-256 is {checked.sha256}, not "
                                        f"the {sha256} stored when it was closed"))
        return problems, checked.sha256

    def _document(self, store: str, sha256: str, size_bytes: int | None) -> list[str]:
        root = self._documents.get(store)
        if root is None:
            return [f"no store {store!r}"]
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            return [f"{sha256!r} is not a SHA-256"]
        file = root / sha256[:2] / sha256
        if not file.is_file():
            return ["the file is missing"]
        now = _sha256(file)
        problems = [] if now == sha256 else [f"its content now hashes to {now}, not {sha256}"]
        size = file.stat().st_size
        if size_bytes is not None and size != size_bytes:
            problems.append(f"it has {size} bytes, not the {size_bytes} recorded")
        return problems


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()
