"""Official forms as PDF, drawn from the case file (docs/law.md §3.4, 3.5, 3.7, 3.9).

Denouncers appear by pseudonym in every form by construction: the renderer only ever sees
`Party.display_name`, and the real identity is in the vault."""

from __future__ import annotations

from datetime import date
from typing import Any

from reception.adapters.forms_pdf.layout import FormContent, render
from reception.domain.cases.case import ProcessKind
from reception.domain.cases.case_file import CaseFile, Party, PartyRole, StoredEvent

COMMON = {
    "receipt_02": "Giấy biên nhận thông tin, tài liệu, bằng chứng (Mẫu 02/TCD)",
    "refusal_01": "Thông báo từ chối tiếp công dân (Mẫu 01/TCD)",
}
BY_KIND: dict[ProcessKind, dict[str, str]] = {
    ProcessKind.COMPLAINT: {
        "complaint_acceptance": "Thông báo về việc thụ lý giải quyết khiếu nại",
        "dialogue_minutes": "Biên bản đối thoại (Mẫu 14)",
        "first_decision": "Quyết định giải quyết khiếu nại (dự thảo)",
    },
    ProcessKind.DENUNCIATION: {
        "denunciation_acceptance": "Quyết định thụ lý tố cáo",
        "denounced_notice": "Thông báo nội dung tố cáo cho người bị tố cáo",
    },
}


def _people(parties: list[Party], *roles: PartyRole) -> str:
    chosen = [p for p in parties if p.role in roles]
    return "; ".join(
        ", ".join(x for x in (p.display_name, p.organisation, p.address,
                              f"{p.id_type or 'CCCD'} số {p.id_number}" if p.id_number else None) if x)
        for p in chosen) or "……………………………………"


def _event_day(events: list[StoredEvent], *actions: str) -> str:
    for stored in reversed(events):
        if stored.event.action in actions:
            return stored.event.on.strftime("%d/%m/%Y")
    return "……/……/………"


def _fact(events: list[StoredEvent], name: str) -> str:
    for stored in reversed(events):
        if name in stored.event.facts and stored.event.facts[name] not in (None, ""):
            value = stored.event.facts[name]
            return value.strftime("%d/%m/%Y") if isinstance(value, date) else str(value)
    return ""


class PdfForms:
    def forms(self, case: CaseFile) -> dict[str, str]:
        return {**COMMON, **BY_KIND.get(case.kind, {})}

    def render(self, form_key: str, case: CaseFile, parties: list[Party],
               events: list[StoredEvent], agency_name: str, today: date) -> bytes:
        builder = getattr(self, f"_{form_key}")
        content: FormContent = builder(case, parties, events, agency_name, today)
        return render(content)

    def _base(self, case: CaseFile, agency: str, today: date, code: str, basis: str,
              title: str) -> dict[str, Any]:
        return dict(form_code=code, legal_basis=basis, agency=agency,
                    number=f"{case.reference}", place_date=today, title=title)

    def _receipt_02(self, case: CaseFile, parties: list[Party],
                    events: list[StoredEvent], agency: str, today: date) -> FormContent:
        return FormContent(**self._base(case, agency, today, "Mẫu 02/TCD", "Nghị định 154/2026/NĐ-CP",
                                        "Giấy biên nhận thông tin, tài liệu, bằng chứng"),
                           fields=[("Thời gian, địa điểm tiếp nhận", f"{case.opened_on:%d/%m/%Y}, {agency}"),
                                   ("Người cung cấp", _people(parties, PartyRole.COMPLAINANT,
                                                              PartyRole.DENOUNCER, PartyRole.PETITIONER)),
                                   ("Mã hồ sơ để tra cứu", case.reference),
                                   ("Tóm tắt nội dung", case.summary),
                                   ("Danh mục thông tin, tài liệu (tên, số trang, tình trạng)", "")],
                           paragraphs=["Giấy biên nhận được lập thành 02 bản, người cung cấp giữ 01 bản."],
                           second_signer="NGƯỜI CUNG CẤP")

    def _refusal_01(self, case: CaseFile, parties: list[Party],
                    events: list[StoredEvent], agency: str, today: date) -> FormContent:
        return FormContent(**self._base(case, agency, today, "Mẫu 01/TCD",
                                        "Luật Tiếp công dân Điều 9(3); Nghị định 154/2026/NĐ-CP Điều 4(1)",
                                        "Thông báo từ chối tiếp công dân"),
                           fields=[("Kính gửi", _people(parties, PartyRole.COMPLAINANT,
                                                        PartyRole.DENOUNCER, PartyRole.PETITIONER)),
                                   ("Ngày đến", f"{case.opened_on:%d/%m/%Y}"),
                                   ("Tóm tắt nội dung", case.summary),
                                   ("Lý do từ chối", _fact(events, "ground")),
                                   ("Nơi nhận", "Như trên; Lưu: VT, hồ sơ.")],
                           signer="THỦ TRƯỞNG CƠ QUAN")

    def _complaint_acceptance(self, case: CaseFile, parties: list[Party],
                              events: list[StoredEvent], agency: str, today: date) -> FormContent:
        contested = case.contested
        return FormContent(**self._base(case, agency, today, "Mẫu 03", "Nghị định 124/2020/NĐ-CP",
                                        "Thông báo về việc thụ lý giải quyết khiếu nại"),
                           fields=[("Người khiếu nại", _people(parties, PartyRole.COMPLAINANT)),
                                   ("Người bị khiếu nại", _people(parties, PartyRole.COMPLAINEE)),
                                   ("Quyết định, hành vi bị khiếu nại",
                                    f"Số {contested.number}, {contested.issuer}" if contested else ""),
                                   ("Nội dung khiếu nại", case.summary),
                                   ("Ngày thụ lý", _event_day(events, "accept"))],
                           paragraphs=["Căn cứ Luật Khiếu nại, khiếu nại đủ điều kiện thụ lý và đã "
                                       "được thụ lý giải quyết."],
                           signer="NGƯỜI GIẢI QUYẾT KHIẾU NẠI")

    def _dialogue_minutes(self, case: CaseFile, parties: list[Party],
                          events: list[StoredEvent], agency: str, today: date) -> FormContent:
        return FormContent(**self._base(case, agency, today, "Mẫu 14", "Nghị định 124/2020/NĐ-CP (sửa đổi)",
                                        "Biên bản đối thoại"),
                           fields=[("Thời gian, địa điểm", _fact(events, "dialogue_date")),
                                   ("Chủ trì", _fact(events, "chaired_by")),
                                   ("Người khiếu nại", _people(parties, PartyRole.COMPLAINANT,
                                                               PartyRole.REPRESENTATIVE)),
                                   ("Người bị khiếu nại", _people(parties, PartyRole.COMPLAINEE)),
                                   ("Người có quyền, nghĩa vụ liên quan",
                                    _people(parties, PartyRole.THIRD_PARTY)),
                                   ("Tóm tắt kết quả xác minh", ""), ("Ý kiến của người tham gia", ""),
                                   ("Nội dung đã thống nhất", ""), ("Nội dung còn ý kiến khác nhau", "")],
                           paragraphs=["Biên bản đã được đọc lại cho những người tham gia nghe và ký "
                                       "xác nhận; lập thành 03 bản."],
                           signer="NGƯỜI CHỦ TRÌ", second_signer="NGƯỜI KHIẾU NẠI")

    def _first_decision(self, case: CaseFile, parties: list[Party],
                        events: list[StoredEvent], agency: str, today: date) -> FormContent:
        return FormContent(**self._base(case, agency, today, "Quyết định", "Luật Khiếu nại Điều 31",
                                        "Quyết định giải quyết khiếu nại lần đầu"),
                           fields=[("Người khiếu nại", _people(parties, PartyRole.COMPLAINANT)),
                                   ("Người bị khiếu nại", _people(parties, PartyRole.COMPLAINEE)),
                                   ("Nội dung khiếu nại", case.summary),
                                   ("Kết quả xác minh", ""), ("Kết quả đối thoại", ""),
                                   ("Căn cứ pháp luật", "Luật Khiếu nại năm 2011 (sửa đổi, bổ sung)"),
                                   ("Kết luận", ""),
                                   ("Giữ nguyên, sửa đổi, bổ sung hoặc hủy bỏ quyết định", ""),
                                   ("Bồi thường (nếu có)", "")],
                           paragraphs=["Trong thời hạn luật định kể từ ngày nhận được quyết định này, "
                                       "nếu không đồng ý, người khiếu nại có quyền khiếu nại lần hai "
                                       "hoặc khởi kiện vụ án hành chính tại Tòa án."],
                           signer="NGƯỜI GIẢI QUYẾT KHIẾU NẠI")

    def _denunciation_acceptance(self, case: CaseFile, parties: list[Party],
                                 events: list[StoredEvent], agency: str, today: date) -> FormContent:
        return FormContent(**self._base(case, agency, today, "Mẫu 04", "Luật Tố cáo Điều 29(2)",
                                        "Quyết định thụ lý tố cáo"),
                           fields=[("Ngày thụ lý", _event_day(events, "accept")),
                                   ("Người tố cáo", _people(parties, PartyRole.DENOUNCER)),
                                   ("Người bị tố cáo", _people(parties, PartyRole.DENOUNCED)),
                                   ("Nội dung được thụ lý", case.summary),
                                   ("Thời hạn giải quyết", "Theo Điều 30 Luật Tố cáo")],
                           signer="NGƯỜI GIẢI QUYẾT TỐ CÁO")

    def _denounced_notice(self, case: CaseFile, parties: list[Party],
                          events: list[StoredEvent], agency: str, today: date) -> FormContent:
        # Sent to the denounced person: never any denouncer data, not even the pseudonym list.
        return FormContent(**self._base(case, agency, today, "Thông báo", "Luật Tố cáo Điều 29(3)",
                                        "Thông báo về nội dung tố cáo"),
                           fields=[("Kính gửi", _people(parties, PartyRole.DENOUNCED)),
                                   ("Nội dung bị tố cáo", case.summary),
                                   ("Ngày thụ lý", _event_day(events, "accept"))],
                           paragraphs=["Người bị tố cáo có quyền giải trình và cung cấp thông tin, tài "
                                       "liệu, chứng cứ (Luật Tố cáo Điều 10)."],
                           signer="NGƯỜI GIẢI QUYẾT TỐ CÁO")
