"""The page layout shared by every form: the national motto header (Quốc hiệu, tiêu ngữ),
the issuing agency and number, the title, fields and paragraphs, and the signature block."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from fpdf import FPDF

from reception.adapters.forms_pdf.fonts import font_files
from reception.adapters.forms_pdf.signature_area import SIGNATURE_HEIGHT, with_signature_field

FAMILY = "DejaVuSerif"


@dataclass(frozen=True)
class FormContent:
    form_code: str  # e.g. "Mẫu 02/TCD"
    legal_basis: str
    agency: str
    number: str
    place_date: date
    title: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    signer: str = "NGƯỜI TIẾP NHẬN"
    second_signer: str | None = None


def render(content: FormContent) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=20)
    for style, path in font_files().items():
        pdf.add_font(FAMILY, style=style, fname=str(path))
    pdf.set_title(content.title)
    pdf.set_creator("Tiếp dân trực tuyến")
    pdf.add_page()
    pdf.set_margins(20, 15, 15)
    width = pdf.epw / 2
    pdf.set_font(FAMILY, "", 9)
    pdf.cell(0, 5, f"{content.form_code} — {content.legal_basis}", align="R",
             new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 2
    pdf.set_xy(pdf.l_margin, y)
    pdf.set_font(FAMILY, "B", 10)
    pdf.multi_cell(width - 5, 5, content.agency.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 10)
    pdf.multi_cell(width - 5, 5, f"Số: {content.number}", align="C")
    pdf.set_xy(pdf.l_margin + width, y)
    pdf.set_font(FAMILY, "B", 9)
    pdf.multi_cell(width, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
                   align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FAMILY, "I", 10)
    d = content.place_date
    pdf.multi_cell(width, 6, f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}", align="C")
    pdf.ln(8)
    pdf.set_x(pdf.l_margin)
    pdf.set_font(FAMILY, "B", 13)
    pdf.multi_cell(0, 7, content.title.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for label, value in content.fields:
        pdf.set_font(FAMILY, "B", 11)
        pdf.multi_cell(0, 6, f"{label}:", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, "", 11)
        pdf.multi_cell(0, 6, value or "……………………………………", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    for paragraph in content.paragraphs:
        pdf.set_font(FAMILY, "", 11)
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.ln(8)
    pdf.set_font(FAMILY, "B", 11)
    if content.second_signer:
        y = pdf.get_y()
        pdf.multi_cell(width, 6, content.second_signer, align="C")
        pdf.set_xy(pdf.l_margin + width, y)
    else:
        pdf.set_x(pdf.l_margin + width)
    pdf.multi_cell(width, 6, f"{content.signer}\n(Ký, ghi rõ họ tên)", align="C")
    # The agency's digital signature goes under the signer's title: reserve the room here and
    # mark it with an empty signature field that the signing step fills.
    if pdf.get_y() + SIGNATURE_HEIGHT > pdf.h - pdf.b_margin:
        pdf.add_page()
    box = (pdf.l_margin + width, pdf.get_y() + 1, width, SIGNATURE_HEIGHT)
    return with_signature_field(bytes(pdf.output()), page=pdf.page - 1, box_mm=box,
                                page_height_mm=pdf.h)
