"""The checker the page walk relies on catches what the issue found in Vietnamese pages: engine
identifiers, English words and English citation words, and lets Vietnamese (with or without its
diacritics), reference numbers, hashes and links through."""

from __future__ import annotations

from tests.integration.labels.checker import foreign_words, visible_text


def test_it_catches_raw_codes_and_english_words() -> None:
    text = ("Thứ Năm, 24/12/2026 — Decide on acceptance (LKN Art. 27) · C_VERIFYING · regular · "
            "ad_hoc · state acceptance_bar='none' once checked · complainant / complainee · "
            "Chủ trì: resolver · (thời hạn xử lý như P-1) · R-7b")
    assert set(foreign_words(text)) >= {"P-1", "R-7b", "C_VERIFYING", "ad_hoc", "acceptance_bar", "Decide",
                                        "acceptance", "Art", "regular", "complainant",
                                        "complainee", "resolver", "checked"}


def test_it_lets_vietnamese_references_hashes_and_links_through() -> None:
    text = ("Khiếu nại KN-2026-000042 (Điều 28 LKN; Điều 16(1) NĐ124) của Nguyen Van Binh ở Tam Ky; "
            "mã băm SHA-256 3ab9ad8b81104914bec830237905fc3c; http://127.0.0.1:8000/status")
    assert foreign_words(text) == []


def test_only_what_a_reader_sees_is_checked() -> None:
    page = ('<html><script>const state = "C_VERIFYING";</script><a lang="en" href="/lang/en">English'
            '</a><input name="fact_within_competence" placeholder="Số quyết định">'
            '<button aria-label="Close">×</button></html>')
    text = visible_text(page)
    assert "C_VERIFYING" not in text and "English" not in text and "within" not in text
    assert foreign_words(text) == ["Close"]
