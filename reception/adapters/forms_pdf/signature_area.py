"""The room every official form keeps for the agency's digital signature: an empty PDF
signature field under the signer's title, which the signing step (adapters/signing) fills
with the visible signature block (signer, role, time, verification code and QR)."""

from __future__ import annotations

from io import BytesIO

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.fields import SigFieldSpec, append_signature_field

SIGNATURE_FIELD = "ChuKySoCoQuan"  # "the agency's digital signature"
SIGNATURE_HEIGHT = 30.0  # mm
POINTS_PER_MM = 72 / 25.4


def with_signature_field(pdf: bytes, *, page: int, box_mm: tuple[float, float, float, float],
                         page_height_mm: float) -> bytes:
    """`pdf` with an empty signature field at `box_mm` (x, y from the top, width, height)
    on the 0-based `page`."""
    x, y, width, height = box_mm
    left, right = x * POINTS_PER_MM, (x + width) * POINTS_PER_MM
    top = (page_height_mm - y) * POINTS_PER_MM
    bottom = top - height * POINTS_PER_MM
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    append_signature_field(writer, SigFieldSpec(
        SIGNATURE_FIELD, on_page=page, box=(round(left), round(bottom), round(right), round(top))))
    out = BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    return out.getvalue()
