"""SignatureVerifier with pyHanko: each signature of a PDF is validated the AdES way (ETSI EN
319 102-1, what `pyhanko sign adesverify` does): integrity, the chain to the trust roots at
the time the timestamp proves, revocation from the CRLs embedded in the document (and, in
production, fetched from the CA), and whether anything but validation data was added after
the signature. A PDF that cannot be read has no signatures."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from io import BytesIO

import structlog
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate, AdESPassed
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel
from pyhanko.sign.general import find_unique_cms_attribute
from pyhanko.sign.validation.ades import ades_lta_validation
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.policy_decl import (
    LocalKnowledge,
    PdfSignatureValidationSpec,
    SignatureValidationSpec,
)
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
from pyhanko_certvalidator.policy_decl import (
    REQUIRE_REVINFO,
    CertRevTrustPolicy,
    FreshnessReqType,
)
from pyhanko_certvalidator.registry import SimpleTrustManager
from pyhanko_certvalidator.revinfo.archival import CRLContainer

from reception.adapters.signing.trust import TrustSettings
from reception.domain.documents.signed import normalise_code
from reception.services.signing.ports import SignatureCheck

log = structlog.get_logger(__name__)
REVOKED = {AdESFailure.REVOKED, AdESIndeterminate.REVOKED_NO_POE,
           AdESIndeterminate.REVOKED_CA_NO_POE}
EXPIRED = {AdESIndeterminate.EXPIRED, AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
           AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED, AdESIndeterminate.NOT_YET_VALID}
# pyHanko and fontTools narrate at INFO/WARNING what the result already says.
for _name in ("pyhanko", "pyhanko_certvalidator", "fontTools"):
    logging.getLogger(_name).setLevel(logging.ERROR)


class PadesVerifier:
    def __init__(self, trust: TrustSettings) -> None:
        self._trust = trust

    async def check(self, pdf: bytes) -> list[SignatureCheck]:
        return await asyncio.to_thread(self._check, pdf)

    def _check(self, pdf: bytes) -> list[SignatureCheck]:
        try:
            reader = PdfFileReader(BytesIO(pdf), strict=False)
            signatures = list(reader.embedded_regular_signatures)
        except (PdfError, ValueError, KeyError, TypeError, IndexError) as error:
            log.info("document.unreadable_pdf", error=str(error)[:200])
            return []
        return [asyncio.run(self._one(signature)) for signature in signatures]

    def _spec(self) -> PdfSignatureValidationSpec:
        policy = CertValidationPolicySpec(
            trust_manager=SimpleTrustManager.build(trust_roots=self._trust.root_certificates()),
            revinfo_policy=CertRevTrustPolicy(
                REQUIRE_REVINFO, freshness=None,
                freshness_req_type=FreshnessReqType.MAX_DIFF_REVOCATION_VALIDATION))
        known = LocalKnowledge(
            known_certs=self._trust.other_certificates(),
            known_crls=[CRLContainer(c) for c in self._trust.crl_objects()])
        return PdfSignatureValidationSpec(
            SignatureValidationSpec(cert_validation_policy=policy, local_knowledge=known),
            diff_policy=DEFAULT_DIFF_POLICY)

    async def _one(self, signature: EmbeddedPdfSignature) -> SignatureCheck:
        problem: str | None = None
        status: PdfSignatureStatus | None = None
        indication: object = None
        try:
            result = await ades_lta_validation(signature, self._spec(),
                                               timing_info=ValidationTimingInfo.now())
            status, indication, problem = result.api_status, result.ades_subindic, result.failure_msg
        except Exception as error:  # noqa: BLE001 — a hostile PDF must give an answer, not a 500
            problem = f"{type(error).__name__}: {error}"[:300]
        digest = find_unique_cms_attribute(signature.signer_info["signed_attrs"], "message_digest")
        token = next(extract_tst_data_iter(signature.signer_info, signed=False), None)
        signed_at: datetime | None = signature.self_reported_timestamp
        if token is not None:
            signed_at = token["encap_content_info"]["content"].parsed["gen_time"].native
        if status is not None and status.trust_problem_indic is not None:
            indication = status.trust_problem_indic  # the chain's own verdict is the precise one
        level = status.modification_level if status else None
        coverage = status.coverage if status else None
        contact = signature.sig_object.get("/ContactInfo")
        certificate = signature.signer_cert
        valid = certificate["tbs_certificate"]["validity"]
        expired = indication in EXPIRED or (signed_at is not None and not (
            valid["not_before"].native <= signed_at <= valid["not_after"].native))
        revoked = indication in REVOKED or bool(status and status.revoked)
        return SignatureCheck(
            field=str(signature.field_name),
            signer_subject=certificate.subject.human_friendly,
            signed_at=signed_at, timestamped=token is not None,
            intact=bool(status and status.intact),
            # pyHanko's own bottom line on the chain (what `pyhanko sign validate` prints),
            # narrowed by what we know more precisely
            trusted=bool(status and status.trusted) and not revoked and not expired,
            revoked=revoked, expired=expired,
            modified_after=coverage is not SignatureCoverageLevel.ENTIRE_FILE and (
                level is None or level > ModificationLevel.LTA_UPDATES
                or not (status and status.docmdp_ok)),
            covers_whole_file=coverage is SignatureCoverageLevel.ENTIRE_FILE,
            digest=digest.native.hex(),
            code=normalise_code(str(contact).rsplit("/", 1)[-1]) if contact else None,
            problem=problem if indication is not AdESPassed.OK else None)
