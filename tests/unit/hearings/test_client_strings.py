"""The hearing page's strings read right in Vietnamese: a member's row says they take part (the
official's own row too, not "being received"), the recordings table's headers name the kind of
recording and its check, and the microphone is "micrô" on every button and message."""

from __future__ import annotations

import re

from reception.i18n import translations
from reception.web.hearings.strings import client_strings


def test_the_hearing_strings_read_right_in_vietnamese() -> None:
    strings = client_strings(translations("vi").gettext)
    assert strings["inRoom"] == "Đang tham gia"
    assert strings["fileKind"] == "Loại bản ghi" and strings["fileCheck"] == "Kiểm tra"
    assert strings["phase.recording"] == "Đang ghi"


def test_vietnamese_writes_micro_with_its_accent_everywhere() -> None:
    catalog = translations("vi")._catalog  # type: ignore[attr-defined]
    unaccented = sorted(str(text) for text in catalog.values()
                        if re.search(r"\bmicro\b(?!ô)", str(text), re.IGNORECASE))
    assert unaccented == []
