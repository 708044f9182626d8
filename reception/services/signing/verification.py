"""Verification by anyone, without an account: from the code printed on a document (or its QR
code), or from an uploaded PDF. The answer says whether the file is a genuine document of this
system, unaltered since signing, who signed it and when, its kind and its case reference — and
never anything sealed: for a denunciation only the reference and the kind (docs/law.md §3.11).
What may be shown is decided here, once, by building `PublicDocument`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from reception.domain.documents.signed import DocumentKind, SignedDocument, normalise_code
from reception.i18n_marker import N_
from reception.services.errors import Invalid, NotFound
from reception.services.ports import UnitOfWork, UnitOfWorkFactory
from reception.services.signing.ports import SignatureCheck, SignatureVerifier

UNKNOWN_CODE = N_("No document of this system has this verification code. Check the code "
                  "printed next to the signature.")
NOT_PDF = N_("This file is not a PDF document.")
NO_SIGNATURE = N_("This PDF carries no digital signature.")
NOT_OURS = N_("None of this PDF's signatures belongs to a document issued by this system.")
WRONG_DOCUMENT = N_("The signature does not belong to the document registered under its code.")
CHANGED = N_("The content was changed after signing: the signature no longer matches it.")
ADDED = N_("Something was added to the file after it was signed.")
REVOKED = N_("The signing certificate has been revoked.")
EXPIRED = N_("The signing certificate was not valid at the time of signing.")
UNTRUSTED = N_("The signing certificate was not issued by a trusted certification authority.")


@dataclass(frozen=True)
class PublicDocument:
    """What the public may see about a registered document."""

    code: str
    kind: DocumentKind
    title: str
    reference: str
    sealed: bool  # a denunciation: the fields below are withheld
    agency: str | None = None
    signer_name: str | None = None
    signer_role: str | None = None
    signed_at: datetime | None = None
    timestamped: bool = False
    ltv: bool = False
    demo: bool = False
    countersigned_at: datetime | None = None


@dataclass(frozen=True)
class Verdict:
    document: PublicDocument | None
    genuine: bool  # a document of this system, signed with a trusted certificate, unaltered
    unaltered: bool  # nothing changed or added since signing
    problems: list[str] = field(default_factory=list)  # msgids, most serious first
    signatures: int = 0


class DocumentVerification:
    def __init__(self, uow: UnitOfWorkFactory, verifier: SignatureVerifier,
                 max_bytes: int) -> None:
        self._uow, self._verifier, self.max_bytes = uow, verifier, max_bytes

    async def lookup(self, code_text: str) -> PublicDocument:
        code = normalise_code(code_text)
        if code is None:
            raise NotFound(UNKNOWN_CODE)
        async with self._uow() as uow:
            found = await uow.signed_documents.by_code(code)
            if found is None:
                raise NotFound(UNKNOWN_CODE)
            return await _public(uow, found)

    async def check(self, pdf: bytes) -> Verdict:
        if len(pdf) > self.max_bytes:
            raise Invalid(N_("The file is larger than {mb} MB."), mb=self.max_bytes // 2**20)
        if not pdf.startswith(b"%PDF-"):
            raise Invalid(NOT_PDF)
        checks = await self._verifier.check(pdf)
        if not checks:
            return Verdict(None, False, False, [NO_SIGNATURE])
        async with self._uow() as uow:
            for check in checks:
                registered = await uow.signed_documents.by_digest(check.digest)
                if registered is not None:
                    return _verdict(await _public(uow, registered), check, len(checks))
            for check in checks:  # a code we know on a signature we did not make
                claimed = await uow.signed_documents.by_code(check.code) if check.code else None
                if claimed is not None:
                    return Verdict(await _public(uow, claimed), False, False,
                                   [WRONG_DOCUMENT], len(checks))
        return Verdict(None, False, False, [NOT_OURS], len(checks))


def _verdict(document: PublicDocument, check: SignatureCheck, count: int) -> Verdict:
    problems = [message for failed, message in (
        (not check.intact, CHANGED), (check.intact and check.modified_after, ADDED),
        (check.revoked, REVOKED), (check.expired, EXPIRED),
        (check.intact and not (check.trusted or check.revoked or check.expired), UNTRUSTED))
        if failed]
    unaltered = check.intact and not check.modified_after
    return Verdict(document, unaltered and check.trusted and not problems, unaltered, problems,
                   count)


async def _public(uow: UnitOfWork, d: SignedDocument) -> PublicDocument:
    if d.sealed:  # a denunciation: the reference and the kind, nothing else
        return PublicDocument(d.code, d.kind, d.title, d.reference, True)
    agency = await uow.agencies.get(d.agency_id)
    return PublicDocument(d.code, d.kind, d.title, d.reference, False,
                          agency=agency.name if agency else None, signer_name=d.signer_name,
                          signer_role=d.signer_role, signed_at=d.signed_at,
                          timestamped=d.timestamped, ltv=d.ltv, demo=d.demo,
                          countersigned_at=d.countersigned_at)
