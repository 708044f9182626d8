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
    (re.compile(r"\((\w+) equivalent unverified\)"), r"(chưa xác minh quy định tương ứng của \1)"),
    (re.compile(r"\(presumed\)"), "(suy đoán)"),
    (re.compile(r"\(processing deadline, as ([\w-]+)\); resolution period not found"),
     r"(thời hạn xử lý như \1); chưa tìm thấy thời hạn giải quyết"),
    (re.compile(r"\s*\(G-DLG\)"), ""),
    (re.compile(r"\bND(\d+)"), r"NĐ\1"),
    (re.compile(r"\bForms? "), "Mẫu "),
)


def citation(text: str | None) -> str:
    """A legal citation in the reader's language (the rules table writes them in English)."""
    if not text:
        return ""
    if current_locale() != "vi":
        return text
    out = _CITED.sub(lambda m: f"Điều {m[2]} {m[1]}", text)
    for pattern, replacement in _PHRASES:
        out = pattern.sub(replacement, out)
    return out


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
    "day": day_label,
    "moment": moment_label,
}


def install(app: Quart) -> None:
    for name, function in FILTERS.items():
        app.add_template_filter(function, name)
    app.jinja_env.globals.update(label=label)
