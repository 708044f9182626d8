"""Issuing an official document: the rendered PDF is signed the moment the responsible
official issues it (the agency's certificate; the visible block names the person and their
function), and the signature enters the register in the same unit of work as the document.
Nothing unsigned is ever issued: when signing fails, the use case fails and stores nothing."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from reception.domain.documents.issuers import signer_title
from reception.domain.documents.signed import DocumentKind, SignedDocument, make_code
from reception.domain.hearings.model import HearingId
from reception.domain.organisation import Agency, StaffMember
from reception.services.signing.ports import DocumentSigner, SignedPdf, SigningRequest


@dataclass(frozen=True)
class IssuedPdf:
    code: str
    signed: SignedPdf
    signer: StaffMember
    signer_role: str

    @property
    def data(self) -> bytes:
        return self.signed.data

    def record(self, *, kind: DocumentKind, title: str, reference: str, agency: Agency,
               sha256: str, sealed: bool, case_id: uuid.UUID | None = None,
               document_id: uuid.UUID | None = None,
               hearing_id: HearingId | None = None) -> SignedDocument:
        s = self.signed
        return SignedDocument(
            uuid.uuid4(), self.code, kind, title, reference, agency.id, sha256, s.digest,
            self.signer.id, self.signer.full_name, self.signer_role, s.certificate_subject,
            s.certificate_serial, s.signed_at, s.timestamped, s.ltv, s.demo, sealed,
            case_id=case_id, document_id=document_id, hearing_id=hearing_id)


class DocumentIssuer:
    """Signs what an official issues; `verify_url` is the public verification page."""

    def __init__(self, signer: DocumentSigner, verify_url: str,
                 random_bytes: Callable[[int], bytes] = secrets.token_bytes) -> None:
        self._signer = signer
        self._verify_url = verify_url.rstrip("/")
        self._random = random_bytes

    async def sign(self, pdf: bytes, *, agency: Agency, actor: StaffMember,
                   title: str) -> IssuedPdf:
        code = make_code(self._random(8))
        role = signer_title(actor.roles)
        signed = await self._signer.sign(pdf, SigningRequest(
            agency_code=agency.code, agency_name=agency.name, signer_name=actor.full_name,
            signer_role=role, reason=f"Ban hành: {title}", code=code,
            verification_url=f"{self._verify_url}/{code}"))
        return IssuedPdf(code, signed, actor, role)
