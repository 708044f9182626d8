"""Every signed document in the register, checked again: the stored file is the one that was
signed (its SHA-256), its signature is intact, trusted, not revoked, and nothing was added
after it. `reception verify-signatures` prints what this returns (to be folded into
`reception verify` with the recordings', documents' and audit log's checks)."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from reception.domain.documents.signed import SignedDocument
from reception.services.cases.files import DocumentStorage
from reception.services.errors import FileAltered
from reception.services.ports import UnitOfWorkFactory
from reception.services.signing.ports import SignatureVerifier


@dataclass(frozen=True)
class SignatureFinding:
    document: SignedDocument
    problem: str | None  # None: verified

    @property
    def ok(self) -> bool:
        return self.problem is None


class SignatureAudit:
    def __init__(self, uow: UnitOfWorkFactory, verifier: SignatureVerifier,
                 storage: DocumentStorage) -> None:
        self._uow, self._verifier, self._storage = uow, verifier, storage

    async def verify_all(self) -> AsyncIterator[SignatureFinding]:
        async with self._uow() as uow:
            documents = [d async for d in uow.signed_documents.every()]
        for document in documents:
            yield SignatureFinding(document, await self._problem(document))

    async def _problem(self, document: SignedDocument) -> str | None:
        changed = "the stored file was changed (its SHA-256 differs from the register)"
        try:
            data = self._storage.read(document.sha256)
        except OSError:
            return "the signed file is missing from the document store"
        except FileAltered:  # the store checks what it returns
            return changed
        if hashlib.sha256(data).hexdigest() != document.sha256:
            return changed
        checks = [c for c in await self._verifier.check(data) if c.digest == document.digest]
        if not checks:
            return "the file carries no signature with the registered digest"
        check = checks[0]
        for failed, problem in ((not check.intact, "the signature does not match the content"),
                                (check.modified_after, "the file was changed after signing"),
                                (check.revoked, "the signing certificate is revoked"),
                                (check.expired, "the certificate was not valid when signing"),
                                (not check.trusted, f"untrusted: {check.problem}")):
            if failed:
                return problem
        return None
