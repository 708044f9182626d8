"""Official forms as PDF, drawn from the case file (docs/law.md §3.4, 3.5, 3.7, 3.9): the
parties with their roles, the dates and the people the case file records, in Vietnamese (the
forms' own language; labels come from the one label table through the Vietnamese catalog).

Denouncers appear by pseudonym in every form by construction: the renderer only ever sees
`Party.display_name`, and the real identity is in the vault."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from reception.adapters.forms_pdf.layout import FormContent, render
from reception.domain import labels
from reception.domain.cases.case import ProcessKind
from reception.domain.cases.case_file import CaseFile, Party, PartyRole, StoredEvent
from reception.domain.cases.questions import CHOICES
from reception.i18n import translations
from reception.services.cases.ports import FormInput

COMMON = {
    "receipt_02": "Giấy biên nhận thông tin, tài liệu, bằng chứng (Mẫu 02/TCD)",
    "refusal_01": "Thông báo từ chối tiếp công dân (Mẫu 01/TCD)",
}
BY_KIND: dict[ProcessKind, dict[str, str]] = {
    ProcessKind.COMPLAINT: {
        "complaint_acceptance": "Thông báo về việc thụ lý giải quyết khiếu nại",
        "dialogue_minutes": "Biên bản đối thoại (Mẫu 14)",
        "first_decision": "Quyết định giải quyết khiếu nại",
    },
    ProcessKind.DENUNCIATION: {
        "denunciation_acceptance": "Quyết định thụ lý tố cáo",
        "denounced_notice": "Thông báo nội dung tố cáo cho người bị tố cáo",
    },
}
BLANK = "……………………………………"
PRINCIPALS = (PartyRole.COMPLAINANT, PartyRole.DENOUNCER, PartyRole.PETITIONER)


def vi(msgid: str) -> str:
    return translations("vi").gettext(msgid)


def vi_day(day: date) -> str:
    """'Thứ Hai, ngày 14/12/2026'."""
    return f"{vi(labels.WEEKDAYS[day.weekday()])}, ngày {day:%d/%m/%Y}"


def _people(parties: Sequence[Party], *roles: PartyRole, with_role: bool = False) -> str:
    chosen = [p for p in parties if p.role in roles]
    return "; ".join(
        ", ".join(x for x in (
            f"{p.display_name} ({vi(labels.PARTY_ROLES[p.role])})" if with_role else p.display_name,
            p.organisation, p.address,
            f"{p.id_type or 'CCCD'} số {p.id_number}" if p.id_number else None) if x)
        for p in chosen) or BLANK


def _event(events: Sequence[StoredEvent], *actions: str) -> StoredEvent | None:
    return next((s for s in reversed(events) if s.event.action in actions), None)


def _event_day(events: Sequence[StoredEvent], *actions: str) -> str:
    found = _event(events, *actions)
    return vi_day(found.event.on) if found else "……/……/………"


def _fact(events: Sequence[StoredEvent], name: str) -> str:
    for stored in reversed(events):
        value = stored.event.facts.get(name)
        if value not in (None, ""):
            if isinstance(value, date):
                return vi_day(value)
            return vi(CHOICES[str(value)]) if str(value) in CHOICES else str(value)
    return ""


def _note(events: Sequence[StoredEvent], *actions: str) -> str:
    found = _event(events, *actions)
    return (found.note or "").strip() if found else ""


class PdfForms:
    def forms(self, case: CaseFile) -> dict[str, str]:
        return {**COMMON, **BY_KIND.get(case.kind, {})}

    def render(self, form_key: str, data: FormInput) -> bytes:
        builder = getattr(self, f"_{form_key}")
        content: FormContent = builder(data)
        return render(content)

    def _base(self, data: FormInput, code: str, basis: str, title: str) -> dict[str, Any]:
        return dict(form_code=code, legal_basis=basis, agency=data.agency_name,
                    number=data.case.reference, place_date=data.today, title=title)

    def _receipt_02(self, data: FormInput) -> FormContent:
        case = data.case
        listed = "\n".join(f"{n}. {d.title} ({max(1, d.size_bytes // 1024)} KB)"
                           for n, d in enumerate((d for d in data.documents if d.origin == "upload"), 1))
        fields = [("Thời gian, địa điểm tiếp nhận", f"{vi_day(case.opened_on)}, {data.agency_name}"),
                  ("Người cung cấp", _people(data.parties, *PRINCIPALS, with_role=True)),
                  ("Tóm tắt nội dung", case.summary),
                  ("Danh mục thông tin, tài liệu (tên, dung lượng)", listed),
                  ("Mã hồ sơ để tra cứu", case.reference)]
        paragraphs = ["Giấy biên nhận được lập thành 02 bản, người cung cấp giữ 01 bản."]
        if data.lookup is not None:
            fields.append(("Mã bí mật để tra cứu (chỉ người cung cấp giữ)", data.lookup.secret))
            paragraphs.insert(0, f"Công dân theo dõi việc giải quyết tại {data.lookup.url}, nhập mã "
                                 "hồ sơ và mã bí mật ghi trên giấy biên nhận này. Không đưa mã bí mật "
                                 "cho người khác.")
        else:
            fields.append(("Mã bí mật để tra cứu", "Đã ghi trên bản giao cho người cung cấp."))
        return FormContent(**self._base(data, "Mẫu 02/TCD", "Nghị định 154/2026/NĐ-CP",
                                        "Giấy biên nhận thông tin, tài liệu, bằng chứng"),
                           fields=fields, paragraphs=paragraphs, second_signer="NGƯỜI CUNG CẤP")

    def _refusal_01(self, data: FormInput) -> FormContent:
        case, parties, events = data.case, data.parties, data.events
        return FormContent(**self._base(data, "Mẫu 01/TCD",
                                        "Luật Tiếp công dân Điều 9(3); Nghị định 154/2026/NĐ-CP Điều 4(1)",
                                        "Thông báo từ chối tiếp công dân"),
                           fields=[("Kính gửi", _people(parties, *PRINCIPALS)),
                                   ("Ngày đến", vi_day(case.opened_on)),
                                   ("Tóm tắt nội dung", case.summary),
                                   ("Lý do từ chối", _fact(events, "ground")),
                                   ("Nơi nhận", "Như trên; Lưu: VT, hồ sơ.")],
                           signer="THỦ TRƯỞNG CƠ QUAN")

    def _complaint_acceptance(self, data: FormInput) -> FormContent:
        case, parties, events = data.case, data.parties, data.events
        return FormContent(**self._base(data, "Mẫu 03", "Nghị định 124/2020/NĐ-CP",
                                        "Thông báo về việc thụ lý giải quyết khiếu nại"),
                           fields=[("Người khiếu nại", _people(parties, PartyRole.COMPLAINANT)),
                                   ("Người bị khiếu nại", _people(parties, PartyRole.COMPLAINEE)),
                                   ("Quyết định, hành vi bị khiếu nại", _contested(case)),
                                   ("Nội dung khiếu nại", case.summary),
                                   ("Ngày nhận khiếu nại", vi_day(case.opened_on)),
                                   ("Ngày thụ lý", _event_day(events, "accept"))],
                           paragraphs=["Căn cứ Luật Khiếu nại, khiếu nại đủ điều kiện thụ lý và đã "
                                       "được thụ lý giải quyết."],
                           signer="NGƯỜI GIẢI QUYẾT KHIẾU NẠI")

    def _dialogue_minutes(self, data: FormInput) -> FormContent:
        parties, events = data.parties, data.events
        day = _fact(events, "dialogue_date")
        return FormContent(**self._base(data, "Mẫu 14", "Nghị định 124/2020/NĐ-CP (sửa đổi)",
                                        "Biên bản đối thoại"),
                           fields=[("Thời gian, địa điểm", f"{day}, tại trụ sở {data.agency_name}"
                                    if day else ""),
                                   ("Chủ trì", _fact(events, "chaired_by")),
                                   ("Người khiếu nại", _people(parties, PartyRole.COMPLAINANT,
                                                               PartyRole.REPRESENTATIVE, with_role=True)),
                                   ("Người bị khiếu nại", _people(parties, PartyRole.COMPLAINEE)),
                                   ("Người có quyền, nghĩa vụ liên quan",
                                    _people(parties, PartyRole.THIRD_PARTY)),
                                   ("Tóm tắt kết quả xác minh", _note(events, "report_verification")),
                                   ("Ý kiến của người tham gia", _note(events, "hold_dialogue")),
                                   ("Nội dung đã thống nhất", ""), ("Nội dung còn ý kiến khác nhau", "")],
                           paragraphs=["Biên bản đã được đọc lại cho những người tham gia nghe và ký "
                                       "xác nhận; lập thành 03 bản."],
                           signer="NGƯỜI CHỦ TRÌ", second_signer="NGƯỜI KHIẾU NẠI")

    def _first_decision(self, data: FormInput) -> FormContent:
        """The resolution decision (LKN Arts. 31, 40), prefilled from the case file: parties, the
        contested decision, the dates, the verification and the dialogue; the resolver writes
        the conclusion and the orders where the file has none yet."""
        case, parties, events = data.case, data.parties, data.events
        second = case.instance == 2
        verifiers = ", ".join(data.staff_names.get(a.staff_id, "") for a in data.assignments) or BLANK
        reported = _event(events, "report_verification")
        verification = (f"Báo cáo kết quả xác minh {vi_day(reported.event.on)} của {verifiers}: "
                        f"{reported.note or ''}".strip() if reported else "")
        held = _event(events, "hold_dialogue", "record_absence_without_reason")
        skipped = _event(events, "skip_dialogue", "decide_at_once")
        if held is not None:
            dialogue = f"Đối thoại {_fact(events, 'dialogue_date') or vi_day(held.event.on)}"
            chair = _fact(events, "chaired_by")
            dialogue += (f", chủ trì: {chair.lower()}" if chair else "") + (
                f". {held.note}" if held.note else "")
            if held.event.action == "record_absence_without_reason":
                dialogue += (" Người khiếu nại vắng mặt không có lý do chính đáng (Điều 30 khoản 6 "
                             "Luật Khiếu nại).")
        elif skipped is not None:
            dialogue = ("Không tổ chức đối thoại vì yêu cầu của người khiếu nại và kết quả xác minh là "
                        "phù hợp (Điều 30 khoản 1 Luật Khiếu nại).")
        else:
            dialogue = ""
        rights = ("Quyết định này là quyết định giải quyết khiếu nại lần hai. Nếu không đồng ý, người "
                  "khiếu nại có quyền khởi kiện vụ án hành chính tại Tòa án (Điều 40 Luật Khiếu nại)."
                  if second else
                  f"Trong thời hạn {45 if _remote(events) else 30} ngày kể từ ngày nhận được quyết "
                  "định này, nếu không đồng ý, người khiếu nại có quyền khiếu nại lần hai đến thủ "
                  "trưởng cấp trên trực tiếp hoặc khởi kiện vụ án hành chính tại Tòa án (Điều 33 "
                  "Luật Khiếu nại; Điều 116 Luật Tố tụng hành chính).")
        return FormContent(**self._base(
            data, "Quyết định", "Luật Khiếu nại Điều 40" if second else "Luật Khiếu nại Điều 31",
            f"Quyết định giải quyết khiếu nại lần {'hai' if second else 'đầu'}"),
            fields=[("Người khiếu nại", _people(parties, PartyRole.COMPLAINANT, PartyRole.REPRESENTATIVE,
                                                with_role=True)),
                    ("Người bị khiếu nại", _people(parties, PartyRole.COMPLAINEE)),
                    ("Quyết định, hành vi bị khiếu nại", _contested(case)),
                    ("Nội dung khiếu nại", case.summary),
                    ("Ngày nhận và ngày thụ lý khiếu nại",
                     f"Nhận {vi_day(case.opened_on)}; thụ lý {_event_day(events, 'accept')}"),
                    ("Kết quả xác minh", verification),
                    ("Kết quả đối thoại", dialogue),
                    ("Căn cứ pháp luật", "Luật Khiếu nại năm 2011 (sửa đổi, bổ sung năm 2025); Nghị "
                                         "định 124/2020/NĐ-CP (sửa đổi bởi Nghị định 155/2026/NĐ-CP)"
                                         + (f"; {_contested(case)}" if case.contested else "")),
                    ("Kết luận", _note(events, "draft_decision", "decide_at_once", "sign_decision")),
                    ("Giữ nguyên, sửa đổi, bổ sung hoặc hủy bỏ quyết định; bồi thường (nếu có)", ""),
                    ("Nơi nhận", "Người khiếu nại; người bị khiếu nại; thủ trưởng cấp trên trực tiếp; "
                                 "cơ quan thanh tra cùng cấp; người có quyền, nghĩa vụ liên quan; "
                                 "lưu: VT, hồ sơ.")],
            paragraphs=[rights], signer="NGƯỜI GIẢI QUYẾT KHIẾU NẠI")

    def _denunciation_acceptance(self, data: FormInput) -> FormContent:
        parties, events = data.parties, data.events
        return FormContent(**self._base(data, "Mẫu 04", "Luật Tố cáo Điều 29(2)",
                                        "Quyết định thụ lý tố cáo"),
                           fields=[("Ngày thụ lý", _event_day(events, "accept")),
                                   ("Người tố cáo", _people(parties, PartyRole.DENOUNCER)),
                                   ("Người bị tố cáo", _people(parties, PartyRole.DENOUNCED)),
                                   ("Nội dung được thụ lý", data.case.summary),
                                   ("Thời hạn giải quyết", "Theo Điều 30 Luật Tố cáo")],
                           signer="NGƯỜI GIẢI QUYẾT TỐ CÁO")

    def _denounced_notice(self, data: FormInput) -> FormContent:
        # Sent to the denounced person: never any denouncer data, not even the pseudonym list.
        return FormContent(**self._base(data, "Thông báo", "Luật Tố cáo Điều 29(3)",
                                        "Thông báo về nội dung tố cáo"),
                           fields=[("Kính gửi", _people(data.parties, PartyRole.DENOUNCED)),
                                   ("Nội dung bị tố cáo", data.case.summary),
                                   ("Ngày thụ lý", _event_day(data.events, "accept"))],
                           paragraphs=["Người bị tố cáo có quyền giải trình và cung cấp thông tin, tài "
                                       "liệu, chứng cứ (Luật Tố cáo Điều 10)."],
                           signer="NGƯỜI GIẢI QUYẾT TỐ CÁO")


def _contested(case: CaseFile) -> str:
    c = case.contested
    if c is None:
        return ""
    issued = f" ngày {c.issued_on:%d/%m/%Y}" if c.issued_on else ""
    return f"Quyết định số {c.number}{issued} của {c.issuer}"


def _remote(events: Sequence[StoredEvent]) -> bool:
    return any(s.event.facts.get("remote") is True for s in events)
