"""The hearing record's content (biên bản, docs/law.md §3.6): pure composition, no PDF drawing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from reception.adapters.forms_pdf.hearing_record import hearing_record_content
from reception.services.transcripts.review_ports import (
    HearingRecordData,
    RecordDamaged,
    RecordFile,
    RecordLine,
    RecordParty,
    RecordUntranscribed,
)

AT = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
DATA = HearingRecordData(
    agency="Thanh tra tỉnh", session_id="a1b2", booking_reference="TD-2026-0001",
    subject="complaint", summary="Khiếu nại thu hồi đất.", opened_at=AT, ended_at=None,
    central_point="Thanh tra tỉnh",
    parties=[RecordParty("official", "Lê Văn Cán", True),
             RecordParty("citizen", "Nguyễn Văn An", False, "001090000001", "Hà Nội")],
    notified_at=None, device_checked_at=AT, connected_at=AT, denunciation_waiver=None,
    files=[RecordFile("Nguyễn Văn An", "evidence", "h/c.webm", "b" * 64, 2048, 3725.0)],
    lines=[RecordLine(3725.4, "Nguyễn Văn An", "citizen", "Tôi khiếu nại.")],
    approved_at=AT, approved_by="Lê Văn Cán", approved_hash="f" * 64, citizen_ack_at=None,
    storage="/srv/recordings")


def test_the_record_names_each_point_its_people_files_and_the_approved_lines() -> None:
    content = hearing_record_content(DATA)
    fields = dict(content.fields)

    assert fields["Mã phiên tiếp công dân trực tuyến"] == "a1b2"
    assert fields["Điểm cầu trung tâm"] == "Thanh tra tỉnh: Lê Văn Cán (Cán bộ tiếp công dân)"
    assert fields["Điểm cầu thành phần (trực tuyến)"] == (
        "Nguyễn Văn An (Công dân), số định danh cá nhân 001090000001, địa chỉ: Hà Nội")
    assert "SHA-256: " + "b" * 64 in fields["Tệp ghi âm, ghi hình"]
    # The server's paths never reach a record handed to citizens and other bodies.
    assert "h/c.webm" not in str(content) and "/srv/recordings" not in str(content)
    assert "thời lượng 01:02:05" in fields["Tệp ghi âm, ghi hình"]
    assert "f" * 64 in fields["Xác thực nội dung ghi lời nói"]
    assert fields["Ngày thông báo cho công dân"] == "……………………………………"
    assert "[01:02:05] Nguyễn Văn An (Công dân): Tôi khiếu nại." in content.paragraphs
    assert not any("tố cáo" in label for label, _ in content.fields)


def test_only_a_denunciation_states_whether_identity_protection_was_waived() -> None:
    fields = dict(hearing_record_content(replace(DATA, subject="denunciation",
                                                 denunciation_waiver=True)).fields)
    assert fields["Người tố cáo đồng ý không giữ bí mật danh tính khi tiếp trực tuyến"] == "Có"
    assert fields["Loại việc"] == "Tố cáo"


def test_each_file_states_when_its_hash_was_verified() -> None:
    verified = replace(DATA, files=[replace(DATA.files[0], verified_at=AT)])
    files = dict(hearing_record_content(verified).fields)["Tệp ghi âm, ghi hình"]
    assert files.endswith("đã kiểm tra khớp với bản ghi gốc (chuỗi băm từng đoạn) lúc "
                          "09:00:00 ngày 20/11/2026")
    unchecked = dict(hearing_record_content(DATA).fields)["Tệp ghi âm, ghi hình"]
    assert unchecked.endswith("chưa được kiểm tra")


def test_a_recording_not_transcribed_has_a_section_of_its_own_before_the_lines() -> None:
    missing = RecordUntranscribed("Lê Văn Cán", "official", "audio", AT, "c" * 64, "empty")
    paragraphs = hearing_record_content(replace(DATA, untranscribed=[missing])).paragraphs
    title = paragraphs.index("LỜI NÓI KHÔNG ĐƯỢC CHUYỂN THÀNH VĂN BẢN (máy không đọc được bản "
                             "ghi âm):")
    assert paragraphs[title + 1] == (
        "- Lê Văn Cán (Cán bộ tiếp công dân): tệp ghi âm bắt đầu lúc 09:00:00 ngày 20/11/2026, "
        f"mã băm SHA-256: {'c' * 64}, không chuyển được thành văn bản vì tệp trống, không có âm "
        "thanh nào. Lời nói của người này trong tệp đó KHÔNG có trong nội dung ghi lời nói dưới "
        "đây; nội dung đó phải được xác định từ chính bản ghi âm, ghi hình.")
    assert paragraphs[title + 2].startswith("NỘI DUNG GHI LỜI NÓI")
    assert not any("KHÔNG ĐƯỢC CHUYỂN" in p for p in hearing_record_content(DATA).paragraphs)


def test_each_damaged_stretch_has_a_section_of_its_own_with_its_times_before_the_lines() -> None:
    # 8.03-9.03 s and 1 h 2 min 5.5 s-1 h 2 min 7 s on the hearing's clock: whole seconds,
    # widened outwards, never stated shorter than the stretch was.
    spans = [RecordDamaged("Nguyễn Văn An", "citizen", 8.03, 9.03, "b" * 64),
             RecordDamaged("Lê Văn Cán", "official", 3725.5, 3727.0, "")]
    missing = RecordUntranscribed("Lê Văn Cán", "official", "audio", AT, "c" * 64, "empty")
    paragraphs = hearing_record_content(replace(DATA, damaged=spans,
                                                untranscribed=[missing])).paragraphs
    title = paragraphs.index("ĐOẠN GHI ÂM BỊ HỎNG, KHÔNG NGHE ĐƯỢC (thời điểm tính từ đầu phiên, "
                             "như nội dung ghi lời nói):")
    assert paragraphs.index("LỜI NÓI KHÔNG ĐƯỢC CHUYỂN THÀNH VĂN BẢN (máy không đọc được bản "
                            "ghi âm):") < title
    assert paragraphs[title + 1] == (
        "- Từ 00:00:08 đến 00:00:10, bản ghi âm của Nguyễn Văn An (Công dân) bị hỏng, không nghe "
        "được: mọi lời nói trong đoạn này KHÔNG có trong nội dung ghi lời nói dưới đây. Tệp ghi "
        f"âm đó có mã băm SHA-256: {'b' * 64}.")
    assert paragraphs[title + 2].startswith("- Từ 01:02:05 đến 01:02:07, bản ghi âm của Lê Văn "
                                            "Cán (Cán bộ tiếp công dân) bị hỏng")
    assert paragraphs[title + 2].endswith("mã băm SHA-256: …………………………………….")
    assert paragraphs[title + 3].startswith("NỘI DUNG GHI LỜI NÓI")
    assert not any("BỊ HỎNG" in p for p in hearing_record_content(DATA).paragraphs)


def test_a_line_break_in_a_stored_name_or_text_never_forges_a_line_of_the_record() -> None:
    forged = "Nguyễn Văn An\r\n[00:00:03] Lê Văn Cán (Cán bộ tiếp công dân): Đồng ý\u2028"
    content = hearing_record_content(replace(
        DATA, parties=[RecordParty("citizen", forged, False, "001090000001", "Hà\nNội")],
        files=[replace(DATA.files[0], member=forged)],
        lines=[RecordLine(3725.4, forged, "citizen", "Tôi\r\nkhiếu nại.")]))
    fields = dict(content.fields)
    for text in (*content.paragraphs, fields["Điểm cầu thành phần (trực tuyến)"],
                 fields["Tệp ghi âm, ghi hình"]):
        assert len(text.splitlines()) == 1, text
    assert ("[01:02:05] Nguyễn Văn An [00:00:03] Lê Văn Cán (Cán bộ tiếp công dân): Đồng ý "
            "(Công dân): Tôi khiếu nại.") in content.paragraphs
