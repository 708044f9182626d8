"""What signing needs from the edge: a signer that turns a rendered PDF into a signed one
(PAdES, adapters/signing with pyHanko), a verifier that reads the signatures of any PDF, and
the register of signed documents (adapters/db)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from reception.domain.documents.signed import SignedDocument
from reception.domain.hearings.model import HearingId
from reception.domain.integrity import Attestation
from reception.i18n_marker import N_
from reception.services.errors import Conflict


class SigningFailed(Conflict):
    """The document could not be signed; nothing was issued or stored."""


NO_CERTIFICATE = N_("This agency has no usable signing certificate, so nothing was issued. "
                    "Tell the administrator.")
TIMESTAMP_UNAVAILABLE = N_("The timestamp authority did not answer, so nothing was issued. "
                           "Try again in a moment.")
CERTIFICATE_INVALID = N_("The agency's signing certificate is not valid now, so nothing was "
                         "issued. Tell the administrator.")


@dataclass(frozen=True)
class SigningRequest:
    """Who issues the document and what the visible signature block shows."""

    agency_code: str  # selects the agency's certificate
    agency_name: str
    signer_name: str  # the person issuing it (the certificate is the agency's)
    signer_role: str  # in Vietnamese, as printed: "Thủ trưởng cơ quan"
    reason: str  # e.g. "Ban hành: Giấy biên nhận …"
    code: str  # verification code printed on the document
    verification_url: str  # what the QR code opens


@dataclass(frozen=True)
class SignedPdf:
    data: bytes
    signed_at: datetime  # the timestamp authority's time when there is one, else the signer's
    timestamped: bool
    ltv: bool  # validation data (chain, CRLs) embedded: verifiable offline (PAdES B-LT)
    digest: str  # hex SHA-256 of the signed byte ranges (the CMS message digest)
    certificate_subject: str
    certificate_serial: str
    demo: bool  # signed with the embedded demo CA: no legal value


class DocumentSigner(Protocol):
    async def sign(self, pdf: bytes, request: SigningRequest) -> SignedPdf:
        """Sign `pdf` (off the event loop); raises SigningFailed."""
        ...


@dataclass(frozen=True)
class SignatureCheck:
    """What a validator found about one signature of a PDF."""

    field: str
    signer_subject: str
    signed_at: datetime | None
    timestamped: bool
    intact: bool  # the signed bytes hash to what was signed
    trusted: bool  # the certificate chains to a trusted root and was valid when signing
    revoked: bool
    expired: bool
    modified_after: bool  # the file was changed after this signature (beyond validation data)
    covers_whole_file: bool
    digest: str  # hex of the message digest the signature covers
    code: str | None  # verification code the signature dictionary carries
    problem: str | None  # the validator's words, for logs and the command line


class SignatureVerifier(Protocol):
    async def check(self, pdf: bytes) -> list[SignatureCheck]:
        """Every signature in `pdf` (empty when there is none or it is not a PDF)."""
        ...


class PublishedTrust(Protocol):
    """What this installation publishes so that anyone can validate its signatures with their
    own tools: the root certificate(s) it signs under, and (demo CA only) its CRL."""

    def root_certificates_pem(self) -> bytes: ...
    def revocation_list(self) -> bytes | None: ...


class SignedDocumentRepository(Protocol):
    async def add(self, document: SignedDocument, attestation: Attestation | None) -> None:
        """A hearing record (a file of its own) is refused without the attestation of its
        SHA-256 (services/integrity/attestation); a case form's signature has none (its file
        is the case document's, attested as such)."""
        ...

    async def by_code(self, code: str) -> SignedDocument | None: ...
    async def by_digest(self, digest: str) -> SignedDocument | None: ...
    async def of_hearing(self, hearing_id: HearingId) -> SignedDocument | None: ...
    async def countersign(self, document_id: uuid.UUID, at: datetime, by: str) -> bool:
        """Record the first counter-signature event; False when one was already recorded."""
        ...

    def every(self) -> AsyncIterator[SignedDocument]: ...
