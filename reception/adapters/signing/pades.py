"""PAdES signatures with pyHanko: the rendered form's empty signature field is filled with the
agency's signature, a visible block (signer, function, time, verification code, QR code to
the public verification page), an RFC 3161 timestamp when a TSA is configured, and the
validation data (chain, CRLs) in the document security store — PAdES B-LT, so the signature
still verifies offline years later. Signing is CPU work: it runs in a worker thread."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

import structlog
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError, find_unique_cms_attribute
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator.errors import PathValidationError, ValidationError

from reception.adapters.forms_pdf.signature_area import POINTS_PER_MM, SIGNATURE_FIELD
from reception.adapters.forms_pdf.signature_block import signature_block
from reception.adapters.signing.appearance import PdfPageContent
from reception.adapters.signing.keys import KeySource, KeyUnavailable
from reception.adapters.signing.trust import TrustSettings
from reception.domain.booking import LOCAL_TZ
from reception.domain.documents.signed import display_code
from reception.services.signing.ports import (
    CERTIFICATE_INVALID,
    NO_CERTIFICATE,
    TIMESTAMP_UNAVAILABLE,
    SignedPdf,
    SigningFailed,
    SigningRequest,
)

log = structlog.get_logger(__name__)
# The demo embeds validation data without fetching, by design; pyHanko warns about it each time.
logging.getLogger("pyhanko.sign.signers.pdf_signer").setLevel(logging.ERROR)

DEMO_WARNING = "BẢN DEMO — KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"
DEFAULT_BOX = (87.5, 30.0)  # mm, when the document has no prepared signature field


@dataclass(frozen=True)
class SigningOptions:
    ltv: bool = True  # embed validation data (PAdES B-LT)


class PadesSigner:
    """DocumentSigner with pyHanko."""

    def __init__(self, keys: KeySource, trust: TrustSettings, options: SigningOptions,
                 timestamper: Callable[[], TimeStamper | None]) -> None:
        """`timestamper` is asked once, on first use (the demo TSA is made lazily)."""
        self._keys, self._trust, self._options = keys, trust, options
        self._timestamper = functools.cache(timestamper)

    async def sign(self, pdf: bytes, request: SigningRequest) -> SignedPdf:
        started = time.perf_counter()
        try:
            signed = await asyncio.to_thread(self._sign, pdf, request)
        except KeyUnavailable as error:
            log.error("document.signing_failed", agency=request.agency_code, error=str(error))
            raise SigningFailed(NO_CERTIFICATE) from error
        except TimestampRequestError as error:
            log.error("document.signing_failed", agency=request.agency_code, error=str(error))
            raise SigningFailed(TIMESTAMP_UNAVAILABLE) from error
        except (SigningError, ValidationError, PathValidationError) as error:
            log.error("document.signing_failed", agency=request.agency_code, error=str(error))
            raise SigningFailed(CERTIFICATE_INVALID) from error
        log.info("document.signed", agency=request.agency_code, code=request.code,
                 ms=round((time.perf_counter() - started) * 1000, 1), bytes_before=len(pdf),
                 bytes_after=len(signed.data), timestamped=signed.timestamped, ltv=signed.ltv)
        return signed

    def _sign(self, pdf: bytes, request: SigningRequest) -> SignedPdf:
        signer = self._keys.signer_for(request.agency_code, request.agency_name)
        context = self._trust.context() if self._options.ltv else None
        meta = signers.PdfSignatureMetadata(
            field_name=SIGNATURE_FIELD, md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES, location=request.agency_name,
            reason=request.reason, name=request.signer_name,
            contact_info=request.verification_url,
            certify=True, docmdp_permissions=fields.MDPPerm.FILL_FORMS,
            embed_validation_info=self._options.ltv, validation_context=context,
            use_pades_lta=self._options.ltv and self._timestamper() is not None,
            signer_key_usage={"non_repudiation"})
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        box = _field_box(writer)
        now = datetime.now(LOCAL_TZ)
        site = request.verification_url.rsplit("/", 1)[0]
        appearance = signature_block(
            [f"Ký số bởi: {request.signer_name}", f"{request.signer_role} — {request.agency_name}",
             f"Thời gian ký: {now:%H:%M:%S ngày %d/%m/%Y}",
             f"Mã kiểm tra: {display_code(request.code)}", f"Kiểm tra tại: {site}"],
            request.verification_url, *(box or DEFAULT_BOX),
            warning=DEMO_WARNING if self._keys.demo else None)
        style = StaticStampStyle(background=PdfPageContent(appearance), border_width=0)
        pdf_signer = signers.PdfSigner(
            meta, signer=signer, timestamper=self._timestamper(), stamp_style=style,
            new_field_spec=None if box else fields.SigFieldSpec(
                SIGNATURE_FIELD, box=(0, 0, round(DEFAULT_BOX[0] * POINTS_PER_MM),
                                      round(DEFAULT_BOX[1] * POINTS_PER_MM))))
        data = pdf_signer.sign_pdf(writer).getvalue()
        return _describe(data, now, ltv=self._options.ltv, demo=self._keys.demo)


def _field_box(writer: IncrementalPdfFileWriter) -> tuple[float, float] | None:
    """Width and height (mm) of the form's empty signature field, if it has one."""
    for name, _, reference in fields.enumerate_sig_fields(writer.prev, filled_status=False):
        if name == SIGNATURE_FIELD:
            x1, y1, x2, y2 = (float(v) for v in reference.get_object()["/Rect"])
            return abs(x2 - x1) / POINTS_PER_MM, abs(y2 - y1) / POINTS_PER_MM
    return None


def _describe(data: bytes, claimed: datetime, *, ltv: bool, demo: bool) -> SignedPdf:
    """Read back what was signed: the digest, the certificate and the timestamp's time."""
    signature = PdfFileReader(BytesIO(data)).embedded_regular_signatures[-1]
    digest = find_unique_cms_attribute(signature.signer_info["signed_attrs"], "message_digest")
    token = next(extract_tst_data_iter(signature.signer_info, signed=False), None)
    signed_at = claimed
    if token is not None:
        signed_at = token["encap_content_info"]["content"].parsed["gen_time"].native
    certificate = signature.signer_cert
    return SignedPdf(data=data, signed_at=signed_at, timestamped=token is not None, ltv=ltv,
                     digest=digest.native.hex(), certificate_subject=certificate.subject.human_friendly,
                     certificate_serial=format(certificate.serial_number, "x"), demo=demo)
