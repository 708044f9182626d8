"""The visible digital-signature block, drawn as a one-page PDF the size of the signature
field: a QR code that opens the public verification page, and the lines that say who signed,
in which function, when, and the code to type in. The signing step uses it as the signature
field's appearance (fpdf2 draws Vietnamese with DejaVu; the QR code comes from segno)."""

from __future__ import annotations

import segno
from fpdf import FPDF

from reception.adapters.forms_pdf.fonts import font_files

FAMILY = "DejaVuSerif"
PADDING = 1.5  # mm


def signature_block(lines: list[str], url: str, width_mm: float, height_mm: float,
                    *, warning: str | None = None) -> bytes:
    pdf = FPDF(unit="mm", format=(width_mm, height_mm))
    pdf.set_margins(0, 0, 0)
    pdf.set_auto_page_break(False)
    pdf.add_font(FAMILY, fname=str(font_files()[""]))  # one face: each embedded face costs ~15 kB
    pdf.add_page()
    pdf.set_draw_color(30, 60, 140)
    pdf.set_line_width(0.3)
    pdf.rect(0.2, 0.2, width_mm - 0.4, height_mm - 0.4)
    side = height_mm - 2 * PADDING
    _qr(pdf, url, PADDING, PADDING, side)
    left = PADDING * 2 + side
    pdf.set_xy(left, PADDING)
    pdf.set_text_color(30, 60, 140)
    size = 6.5
    for index, line in enumerate(lines):
        pdf.set_font(FAMILY, "", size + (0.8 if index == 0 else 0))
        pdf.set_x(left)
        pdf.multi_cell(width_mm - left - PADDING, size * 0.42, line, new_x="LMARGIN", new_y="NEXT")
    if warning:
        pdf.set_text_color(170, 20, 20)
        pdf.set_font(FAMILY, "", size)
        pdf.set_x(left)
        pdf.multi_cell(width_mm - left - PADDING, size * 0.42, warning)
    return bytes(pdf.output())


def _qr(pdf: FPDF, url: str, x: float, y: float, side: float) -> None:
    matrix = segno.make(url, error="m").matrix
    modules = len(matrix) + 2  # one module of quiet zone each side (the border frames it)
    step = side / modules
    pdf.set_fill_color(0, 0, 0)
    for row, cells in enumerate(matrix):
        for col, dark in enumerate(cells):
            if dark:
                pdf.rect(x + (col + 1) * step, y + (row + 1) * step, step, step, style="F")
