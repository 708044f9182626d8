"""SQL register of signed documents (services/signing/ports.SignedDocumentRepository)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from reception.adapters.db.tables.signing import SignedDocumentRow as Row
from reception.domain.documents.signed import DocumentKind, SignedDocument
from reception.domain.hearings.model import HearingId
from reception.domain.integrity import Attestation, Stored, require
from reception.domain.organisation import AgencyId, StaffId


def _domain(r: Row) -> SignedDocument:
    return SignedDocument(
        r.id, r.code, DocumentKind(r.kind), r.title, r.reference, AgencyId(r.agency_id),
        r.sha256, r.digest, StaffId(r.signer_id), r.signer_name, r.signer_role,
        r.certificate_subject, r.certificate_serial, r.signed_at, r.timestamped, r.ltv,
        r.demo, r.sealed, case_id=r.case_id, document_id=r.document_id,
        hearing_id=HearingId(r.hearing_id) if r.hearing_id else None,
        countersigned_at=r.countersigned_at, countersigned_by=r.countersigned_by)


class SqlSignedDocuments:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, d: SignedDocument, attestation: Attestation | None) -> None:
        if d.kind is DocumentKind.HEARING_RECORD:  # a file of its own (a case form's is not)
            require(attestation, Stored.SIGNED_RECORD, d.id, d.sha256)
        self._s.add(Row(
            id=d.id, code=d.code, kind=d.kind.value, title=d.title[:255],
            reference=d.reference, agency_id=d.agency_id, sha256=d.sha256, digest=d.digest,
            signer_id=d.signer_id, signer_name=d.signer_name[:255], signer_role=d.signer_role,
            certificate_subject=d.certificate_subject, certificate_serial=d.certificate_serial,
            signed_at=d.signed_at, timestamped=d.timestamped, ltv=d.ltv, demo=d.demo,
            sealed=d.sealed, case_id=d.case_id, document_id=d.document_id,
            hearing_id=d.hearing_id, countersigned_at=d.countersigned_at,
            countersigned_by=d.countersigned_by))
        await self._s.flush()

    async def _one(self, *where: object) -> SignedDocument | None:
        row = await self._s.scalar(select(Row).where(*where))  # type: ignore[arg-type]
        return _domain(row) if row else None

    async def by_code(self, code: str) -> SignedDocument | None:
        return await self._one(Row.code == code)

    async def by_digest(self, digest: str) -> SignedDocument | None:
        return await self._one(Row.digest == digest)

    async def of_hearing(self, hearing_id: HearingId) -> SignedDocument | None:
        return await self._one(Row.hearing_id == hearing_id)

    async def countersign(self, document_id: uuid.UUID, at: datetime, by: str) -> bool:
        result = await self._s.execute(update(Row).where(
            Row.id == document_id, Row.countersigned_at.is_(None))
            .values(countersigned_at=at, countersigned_by=by))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def every(self) -> AsyncIterator[SignedDocument]:
        result = await self._s.stream_scalars(select(Row).order_by(Row.signed_at, Row.id))
        async for row in result:
            yield _domain(row)
