"""The hearing record (biên bản phiên tiếp công dân trực tuyến) as PDF: the fields of the online
reception record (docs/law.md §3.6, ND154 Arts. 21–24), the speakers' identities and the content
(§3.2, §3.3), the recording files with their hashes, each recording the machine could not
transcribe (its speaker's words are not in the lines: said in a section of its own, before them),
each damaged stretch of a recording (what was said in it is not in the lines: a section of its
own too), and the approved transcript, line by line. Drawn with the shared form layout; the document's
own language is Vietnamese."""

from __future__ import annotations

import math
from datetime import datetime

from reception.adapters.forms_pdf.layout import FormContent, render
from reception.domain.booking import LOCAL_TZ
from reception.domain.text import one_line
from reception.services.transcripts.review_ports import (
    HearingRecordData,
    RecordDamaged,
    RecordFile,
    RecordParty,
    RecordUntranscribed,
)

ROLES = {"citizen": "Công dân", "official": "Cán bộ tiếp công dân",
         "third_party": "Người tham gia khác", "observer": "Người dự (không ghi hình)"}
SUBJECTS = {"complaint": "Khiếu nại", "denunciation": "Tố cáo", "petition": "Kiến nghị",
            "reflection": "Phản ánh"}
RETENTION = ("Theo Luật Lưu trữ năm 2024 và danh mục hồ sơ, tài liệu của cơ quan; "
             "không xóa trước thời hạn bảo quản.")
BLANK = "……………………………………"
# Lines the machine was unsure of, which the approving official listened to before approval.
RESOLVED_MARKS = {"confirmed": " [*]", "corrected": " [**]"}
UNCERTAIN_NOTE = ("[*] Dòng máy nhận dạng chưa chắc chắn; cán bộ đã nghe lại bản ghi âm và xác "
                  "nhận đúng nội dung. [**] Dòng máy nhận dạng chưa chắc chắn; cán bộ đã nghe lại "
                  "và hiệu đính.")

# Recordings the machine could not transcribe (domain Unreadable values): why, and what follows.
UNTRANSCRIBED_TITLE = "LỜI NÓI KHÔNG ĐƯỢC CHUYỂN THÀNH VĂN BẢN (máy không đọc được bản ghi âm):"
UNREADABLE = {"missing": "tệp không có trong kho lưu trữ bản ghi",
              "empty": "tệp trống, không có âm thanh nào",
              "undecodable": "tệp bị hỏng hoặc không đọc được"}
# Stretches of recordings no audio could be decoded from (packets damaged or missing).
DAMAGED_TITLE = ("ĐOẠN GHI ÂM BỊ HỎNG, KHÔNG NGHE ĐƯỢC (thời điểm tính từ đầu phiên, như nội dung "
                 "ghi lời nói):")


def _when(moment: datetime | None) -> str:
    return moment.astimezone(LOCAL_TZ).strftime("%H:%M:%S ngày %d/%m/%Y") if moment else BLANK


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _party(p: RecordParty) -> str:
    identity = f", số định danh cá nhân {one_line(p.id_number)}" if p.id_number else ""
    address = f", địa chỉ: {one_line(p.address)}" if p.address else ""
    return f"{one_line(p.name)} ({ROLES.get(p.role, p.role)}){identity}{address}"


def _file(f: RecordFile) -> str:
    # No server path: the record is handed to citizens and other bodies; the file is found by
    # its hash, which is what proves it is the one recorded.
    kind = "ghi hình và âm thanh" if f.kind == "evidence" else "ghi âm"
    duration = f", thời lượng {_clock(f.duration_seconds)}" if f.duration_seconds else ""
    checked = (f"; đã kiểm tra khớp với bản ghi gốc (chuỗi băm từng đoạn) lúc {_when(f.verified_at)}"
               if f.verified_at else "; chưa được kiểm tra")
    return (f"{one_line(f.member)} — tệp {kind} ({f.size_bytes} byte{duration}); "
            f"mã băm SHA-256: {f.sha256}{checked}")


def _untranscribed(u: RecordUntranscribed) -> str:
    kind = "tệp ghi hình và âm thanh" if u.kind == "evidence" else "tệp ghi âm"
    return (f"- {one_line(u.member)} ({ROLES.get(u.role, u.role)}): {kind} bắt đầu lúc "
            f"{_when(u.started_at)}, "
            f"mã băm SHA-256: {u.sha256 or BLANK}, không chuyển được thành văn bản vì "
            f"{UNREADABLE.get(u.reason, UNREADABLE['undecodable'])}. Lời nói của người này trong "
            "tệp đó KHÔNG có trong nội dung ghi lời nói dưới đây; nội dung đó phải được xác định "
            "từ chính bản ghi âm, ghi hình.")


def _damaged(d: RecordDamaged) -> str:
    # Whole seconds widened outwards: the stretch is never stated shorter than it was.
    end = _clock(math.ceil(d.end_seconds))
    return (f"- Từ {_clock(d.start_seconds)} đến {end}, bản ghi âm của {one_line(d.member)} "
            f"({ROLES.get(d.role, one_line(d.role))}) bị hỏng, không nghe được: mọi lời nói trong "
            "đoạn này KHÔNG có trong nội dung ghi lời nói dưới đây. Tệp ghi âm đó có mã băm "
            f"SHA-256: {d.sha256 or BLANK}.")


def _waiver(data: HearingRecordData) -> list[tuple[str, str]]:
    if data.denunciation_waiver is None:
        return []
    answer = "Có" if data.denunciation_waiver else "Không"
    return [("Người tố cáo đồng ý không giữ bí mật danh tính khi tiếp trực tuyến", answer)]


def hearing_record_content(data: HearingRecordData) -> FormContent:
    central = [p for p in data.parties if p.central]
    remote = [p for p in data.parties if not p.central]
    ack = (_when(data.citizen_ack_at) if data.citizen_ack_at
           else "Công dân chưa xác nhận đã đọc nội dung ghi lời nói.")
    fields = [
        ("Mã phiên tiếp công dân trực tuyến", data.session_id),
        ("Mã lịch hẹn", data.booking_reference),
        ("Thời gian", f"Từ {_when(data.opened_at)} đến {_when(data.ended_at)}"),
        ("Điểm cầu trung tâm", f"{data.central_point}: "
                               + ("; ".join(_party(p) for p in central) or BLANK)),
        ("Điểm cầu thành phần (trực tuyến)", "; ".join(_party(p) for p in remote) or BLANK),
        ("Ngày thông báo cho công dân", _when(data.notified_at)),
        ("Thời điểm kiểm tra kết nối", _when(data.device_checked_at)),
        ("Thời điểm công dân kết nối", _when(data.connected_at)),
        ("Loại việc", SUBJECTS.get(data.subject, data.subject)),
        ("Nội dung, yêu cầu của công dân (theo lịch hẹn)", data.summary),
        *_waiver(data),
        ("Tệp ghi âm, ghi hình", "\n".join(_file(f) for f in data.files) or BLANK),
        ("Nơi lưu trữ", f"Máy chủ của cơ quan nhà nước ({data.agency}), hệ thống Tiếp dân trực tuyến"),
        ("Thời hạn bảo quản", RETENTION),
        ("Xác thực nội dung ghi lời nói", f"Phê duyệt bởi {data.approved_by} lúc "
                                          f"{_when(data.approved_at)}; mã băm SHA-256 của "
                                          f"nội dung đã phê duyệt: {data.approved_hash}"),
        ("Công dân xác nhận đã đọc", ack),
    ]
    # One paragraph line per transcript line, whatever was stored (domain/text.py): a line
    # break in a name or a text would otherwise forge a line of the signed record.
    lines = [f"[{_clock(line.at_seconds)}] {one_line(line.speaker)} "
             f"({ROLES.get(line.role, one_line(line.role))}): "
             f"{one_line(line.text)}{RESOLVED_MARKS.get(line.resolved, '')}" for line in data.lines]
    marked = any(line.resolved for line in data.lines)
    return FormContent(
        form_code="Biên bản tiếp công dân trực tuyến",
        legal_basis="Nghị định 154/2026/NĐ-CP, Điều 21–24",
        agency=data.agency, number=data.booking_reference,
        place_date=data.approved_at.astimezone(LOCAL_TZ).date(),
        title="Biên bản phiên tiếp công dân trực tuyến",
        fields=fields,
        paragraphs=[*([UNTRANSCRIBED_TITLE, *(_untranscribed(u) for u in data.untranscribed)]
                      if data.untranscribed else []),
                    *([DAMAGED_TITLE, *(_damaged(d) for d in data.damaged)]
                      if data.damaged else []),
                    "NỘI DUNG GHI LỜI NÓI (đã được cán bộ hiệu đính và phê duyệt):",
                    *(lines or ["(Không có lời nói nào được ghi nhận.)"]),
                    *([UNCERTAIN_NOTE] if marked else []),
                    "Toàn bộ phiên tiếp được ghi âm, ghi hình theo Điều 24 Nghị định 154/2026/NĐ-CP."],
        signer="NGƯỜI TIẾP CÔNG DÂN", second_signer="CÔNG DÂN")


class HearingRecordPdf:
    """HearingRecordRenderer: one PDF per approved transcript."""

    def render(self, record: HearingRecordData) -> bytes:
        return render(hearing_record_content(record))
