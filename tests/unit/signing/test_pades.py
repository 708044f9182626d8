"""PAdES signing and validation against the demo CA, with pyHanko's own validator behind our
verifier: a signed form verifies; a flipped byte, an incremental update after signing, an
expired and a revoked certificate are each reported as what they are."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import SigFieldSpec, append_signature_field
from pyhanko.stamp import TextStamp, TextStampStyle

from reception.adapters.signing.demo_pki import DemoPki
from reception.adapters.signing.pades import PadesSigner
from reception.adapters.signing.validation import PadesVerifier
from tests.unit.signing.conftest import CODE, form_pdf, request


async def test_a_signed_form_is_intact_trusted_timestamped_and_carries_its_code(
        make_signer: Callable[..., PadesSigner], verifier: PadesVerifier) -> None:
    before = datetime.now(UTC)
    signed = await make_signer().sign(form_pdf(), request())
    [check] = await verifier.check(signed.data)

    assert check.intact and check.trusted and not check.modified_after, check.problem
    assert not check.revoked and not check.expired and check.timestamped
    assert check.code == CODE and check.digest == signed.digest
    assert signed.timestamped and signed.ltv and signed.demo
    assert before - timedelta(seconds=1) <= signed.signed_at <= datetime.now(UTC)
    assert "DEMO" in check.signer_subject and "TTT" in check.signer_subject
    # B-LT: the chain and the CRL travel inside the document (its security store)
    dss = PdfFileReader(BytesIO(signed.data)).root["/DSS"]
    assert len(dss["/CRLs"]) >= 1 and len(dss["/Certs"]) >= 2


async def test_a_flipped_byte_breaks_the_signature(
        make_signer: Callable[..., PadesSigner], verifier: PadesVerifier) -> None:
    data = bytearray((await make_signer().sign(form_pdf(), request())).data)
    data[1500] ^= 0x01  # inside the first signed byte range (the page content)
    [check] = await verifier.check(bytes(data))
    assert not check.intact and not check.trusted


async def test_an_incremental_update_after_signing_is_reported_as_a_modification(
        make_signer: Callable[..., PadesSigner], verifier: PadesVerifier) -> None:
    signed = (await make_signer().sign(form_pdf(), request())).data
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    stamp = TextStamp(writer, TextStampStyle(stamp_text="ĐÃ SỬA SAU KHI KÝ"))
    stamp.apply(0, 50, 700)  # new content drawn on the page, appended as a revision
    out = BytesIO()
    writer.write(out)

    [check] = await verifier.check(out.getvalue())
    assert check.intact  # the signed revision itself is unchanged …
    assert check.modified_after and not check.covers_whole_file  # … but the file is not


async def test_an_added_signature_field_after_signing_is_a_modification_too(
        make_signer: Callable[..., PadesSigner], verifier: PadesVerifier) -> None:
    signed = (await make_signer().sign(form_pdf(), request())).data
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    append_signature_field(writer, SigFieldSpec("Khac", on_page=0, box=(10, 10, 100, 40)))
    out = BytesIO()
    writer.write(out)
    [check] = await verifier.check(out.getvalue())
    assert check.intact and not check.covers_whole_file


async def test_an_expired_certificate_is_reported_as_expired(
        pki: DemoPki, make_signer: Callable[..., PadesSigner], verifier: PadesVerifier) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=400)
    expired = pki.issue("Thanh tra hết hạn", "EXP", not_before=long_ago,
                        not_after=long_ago + timedelta(days=30))
    signed = await make_signer(ltv=False, issued=expired).sign(form_pdf(), request())
    [check] = await verifier.check(signed.data)
    assert check.intact and check.expired and not check.trusted and not check.revoked


async def test_a_revoked_certificate_is_reported_as_revoked(
        pki: DemoPki, make_signer: Callable[..., PadesSigner], verifier: PadesVerifier) -> None:
    lost = pki.issue("Thanh tra mất khóa", "REV")
    pki.revoke(lost.certificate)  # the key was reported lost, then someone signed with it
    signed = await make_signer(ltv=False, issued=lost).sign(form_pdf(), request())
    [check] = await verifier.check(signed.data)
    assert check.intact and check.revoked and not check.trusted


@pytest.mark.parametrize("data", [b"", b"not a pdf at all", b"%PDF-1.7\n%%EOF"])
async def test_what_is_not_a_signed_pdf_has_no_signatures(data: bytes,
                                                          verifier: PadesVerifier) -> None:
    assert await verifier.check(data) == []
    assert await verifier.check(form_pdf()) == []  # rendered, not yet signed
