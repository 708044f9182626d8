"""The label table (reception/domain/labels.py) in the reader's language, as template filters:
states, actions, roles, party roles, session kinds, booking statuses, subjects, channels,
deadline titles; citations ("LKN Art. 28" reads "Điều 28 LKN" in Vietnamese) and dates with
their weekday ("Thứ Hai, 14/12/2026"). Nothing here falls back to an English word in a
Vietnamese page except an unknown code, which the label test catches."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from quart import Quart

from reception.domain import labels as table
from reception.domain.booking import LOCAL_TZ
from reception.web.i18n import current_locale, gettext

# Kept for the admin pages, which translate them with _() themselves.
ROLE_LABELS = table.STAFF_ROLES
LEVEL_LABELS = table.AGENCY_LEVELS

WEEKDAYS = table.WEEKDAYS


def label(kind: str, value: object) -> str:
    """`value` of `kind` (a key of the label table) in the reader's language."""
    raw = getattr(value, "value", value)
    found = table.msgid(kind, raw)
    return gettext(found) if found else str(raw)


def weekday(day: date) -> str:
    return gettext(WEEKDAYS[day.weekday()])


def day_label(day: date | datetime | None) -> str:
    """'Thứ Hai, 14/12/2026' (the weekday matters to people planning a visit)."""
    if day is None:
        return "—"
    if isinstance(day, datetime):
        day = day.astimezone(LOCAL_TZ).date()
    return f"{weekday(day)}, {day:%d/%m/%Y}"


def moment_label(moment: datetime | None) -> str:
    """'08:30, Thứ Hai, 14/12/2026' in Vietnam's time."""
    if moment is None:
        return "—"
    local = moment.astimezone(LOCAL_TZ)
    return f"{local:%H:%M}, {day_label(local.date())}"


# English citations ("LKN Arts. 27, 36; ND124 Art. 16(1) as amended by ND155") in Vietnamese
# word order ("Điều 27, 36 LKN; Điều 16(1) NĐ124 được sửa đổi bởi NĐ155").
_INSTRUMENT = r"(?:LTCD|LKN|LTC|LTTr|LTTHC|BLDS|PDPL|L136|ND\d+|TT ?\d+(?:/\d+)?(?:/TT-[A-Z]+)?)"
_CITED = re.compile(rf"({_INSTRUMENT})\s+Arts?\.\s+([0-9](?:[0-9a-z()\-–, đ]*?[0-9a-z)])??)"
                    r"(?=$|[;.]|\s(?!\d))")
_PHRASES = (
    (re.compile(r" as amended by "), " được sửa đổi bởi "),
    (re.compile(r" as inserted by "), " được bổ sung bởi "),
    (re.compile(r" as replaced by "), " được thay thế bởi "),
    (re.compile(r" as amended(?: (\d{4}))?"), lambda m: " (sửa đổi" + (f" năm {m[1]}" if m[1] else "") + ")"),
    (re.compile(r"\((\d{4}) text(:?)"), r"(bản năm \1\2"),
    (re.compile(r"\(article number not verified\)"), "(chưa xác minh số điều)"),
    (re.compile(r"\(number unverified\)"), "(chưa xác minh số hiệu)"),
    (re.compile(r"\(lawnet summary\)"), "(bản tóm tắt)"),
    (re.compile(r"\(presumed\)"), "(suy đoán)"),
    (re.compile(r"\(the petition-processing deadline\); resolution period not found"),
     "(thời hạn xử lý đơn); chưa tìm thấy thời hạn giải quyết"),
    (re.compile(r"\s*\(G-DLG\)"), ""),
    (re.compile(r"\bND(\d+)"), r"NĐ\1"),
    (re.compile(r"\bForms? "), "Mẫu "),
)


# Citizens do not know the office's abbreviations: on their pages an instrument is named in
# full, with its number where it has one (docs/law.md §0 lists the instruments).
_FULL_NAMES = {
    "LTCD": "Luật Tiếp công dân", "LKN": "Luật Khiếu nại", "LTC": "Luật Tố cáo",
    "LTTr": "Luật Thanh tra", "LTTHC": "Luật Tố tụng hành chính", "BLDS": "Bộ luật Dân sự",
    "PDPL": "Luật Bảo vệ dữ liệu cá nhân", "L136": "Luật số 136/2025/QH15",
    "ND154": "Nghị định 154/2026/NĐ-CP", "ND124": "Nghị định 124/2020/NĐ-CP",
    "ND155": "Nghị định 155/2026/NĐ-CP", "ND31": "Nghị định 31/2019/NĐ-CP",
    "ND156": "Nghị định 156/2026/NĐ-CP", "ND141": "Nghị định 141/2025/NĐ-CP",
    "ND356": "Nghị định 356/2025/NĐ-CP", "ND64": "Nghị định 64/2014/NĐ-CP",
    "TT04": "Thông tư 04/2021/TT-TTCP", "TT05": "Thông tư 05/2021/TT-TTCP",
    "TT05/2021": "Thông tư 05/2021/TT-TTCP", "TT07/2014": "Thông tư 07/2014/TT-TTCP",
    "TT07/2013": "Thông tư 07/2013/TT-TTCP", "TT06/2014": "Thông tư 06/2014/TT-TTCP",
}
_BARE = re.compile(rf"\b{_INSTRUMENT}(?![\w/])")
# "(TT05 equivalent unverified)": read before the instruments are named in full, which would
# hide the abbreviation the pattern looks for.
_EQUIVALENT = re.compile(r"\((\w+) equivalent unverified\)")
# "20(4)" is khoản 4 of Điều 20; "41(3)(b)" is điểm b of khoản 3 of Điều 41.
_UNIT = re.compile(r"(\d+[a-z]?)(?:\((\d+(?:\)?–\(?\d+)?)\))?(?:\(([a-zđ])\))?")


def _instrument(abbreviation: str) -> str:
    return _FULL_NAMES.get(abbreviation.replace(" ", ""), abbreviation)


def _article_in_words(article: str) -> str:
    unit = _UNIT.fullmatch(article.strip())
    if not unit:
        return f"Điều {article.strip()}"
    number, clause, point = unit.groups()
    parts = [f"điểm {point}" if point else "",
             f"khoản {clause.replace('(', '').replace(')', '')}" if clause else "",
             f"Điều {number}"]
    return " ".join(p for p in parts if p)


def _articles_in_words(articles: str) -> str:
    """'27, 36' -> 'Điều 27, 36'; '12(1)(đ), 13(2)' -> 'điểm đ khoản 1 Điều 12, khoản 2 Điều 13'."""
    items = [a.strip() for a in articles.split(",")]
    if all(re.fullmatch(r"\d+[a-z]?", a) for a in items):
        return "Điều " + ", ".join(items)
    return ", ".join(_article_in_words(a) for a in items)


def citation(text: str | None, full: bool = False) -> str:
    """A legal citation in the reader's language (the rules table writes them in English).
    `full`: for citizens, each instrument by its name ("Điều 28 Luật Khiếu nại") and each
    clause in words ("khoản 4 Điều 20 Nghị định 154/2026/NĐ-CP")."""
    if not text:
        return ""
    if current_locale() != "vi":
        return text
    out = _EQUIVALENT.sub(lambda m: "(chưa xác minh quy định tương ứng của "
                          f"{_instrument(m[1]) if full else m[1]})", text)
    if full:
        out = _CITED.sub(lambda m: f"{_articles_in_words(m[2])} {_instrument(m[1])}", out)
        out = _BARE.sub(lambda m: _instrument(m[0]), out)
    else:
        out = _CITED.sub(lambda m: f"Điều {m[2]} {m[1]}", out)
    for pattern, replacement in _PHRASES:
        out = pattern.sub(replacement, out)
    return out


def citizen_citation(text: str | None) -> str:
    """The citation as a citizen's page shows it: every name in full."""
    return citation(text, full=True)


def _decimal(value: float) -> str:
    """One decimal at most, none when it is zero; a decimal comma in Vietnamese (5 MB, 2,5 MB)."""
    text = f"{value:.1f}".removesuffix(".0")
    return text.replace(".", ",") if current_locale() == "vi" else text


def megabytes(size: int) -> str:
    """A size limit in MB, as a number ("5", "2,5"): the sentence around it says "MB"."""
    return _decimal(size / 1048576)


def file_size(size: int) -> str:
    """A file's size for people: "< 1 KB" rather than "0 KB" for a small file."""
    if size < 1024:
        return "< 1 KB"
    if size < 1048576:
        return f"{round(size / 1024)} KB"
    return f"{megabytes(size)} MB"


FILTERS: dict[str, Any] = {
    "state_label": lambda v: label("state", v),
    "action_label": lambda v: label("action", v),
    "party_role_label": lambda v: label("party_role", v),
    "workflow_role_label": lambda v: label("workflow_role", v),
    "session_kind_label": lambda v: label("session_kind", v),
    "booking_status_label": lambda v: label("booking_status", v),
    "subject_label": lambda v: label("subject", v),
    "booking_channel_label": lambda v: label("booking_channel", v),
    "case_channel_label": lambda v: label("case_channel", v),
    "kind_label": lambda v: label("process_kind", v),
    "rule_title": lambda v: label("rule", v),
    "unit_label": lambda v: label("unit", v),
    "citation": citation,
    "citizen_citation": citizen_citation,
    "day": day_label,
    "weekday": weekday,
    "megabytes": megabytes,
    "file_size": file_size,
    "moment": moment_label,
}


def install(app: Quart) -> None:
    for name, function in FILTERS.items():
        app.add_template_filter(function, name)
    app.jinja_env.globals.update(label=label)
