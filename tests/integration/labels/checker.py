"""What a Vietnamese reader sees, checked for English words and raw domain codes.

A page's visible text (tags, scripts and styles removed; placeholders, labels and titles kept;
anything marked lang="en", like the language switch, left out) is cut into words. A word fails
when it is an engine identifier (a word with an underscore: `C_VERIFYING`, `ad_hoc`,
`within_competence`; a time limit's id: `P-1`, `C-7`) or an ASCII word that cannot be a
Vietnamese syllable ("complainant", "regular", "Art") and is not on the list of allowed
tokens: abbreviations of the statutes and formats, and the proper nouns and logins of the test
data. Vietnamese written without its
diacritics is still Vietnamese ("Tam Ky", "in", "bao"), so an ASCII word passes when it has the
shape of a Vietnamese syllable; a short English word with that shape ("to", "an") would pass
too, which is why the rule is about words that cannot be Vietnamese, and why the table of labels
(unit tests) names every value instead of leaving any to this check."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

# Abbreviations a Vietnamese text uses as they are (statutes, documents, formats, units).
ALLOWED = frozenset({
    "LTCD", "LKN", "LTC", "LTTr", "LTTHC", "BLDS", "PDPL", "TCD", "TT", "ND", "NĐ", "QĐ", "UBND",
    "HĐND", "CCCD", "CMND", "CSDL", "CQĐT", "VKS", "KN", "TC", "KNPA", "QĐHC", "HVHC",
    "CP", "PDF", "JPEG", "PNG", "WebP", "SHA", "MB", "KB", "WebVTT", "SRT", "JSON", "CSV", "ics",
    "VT",
    # Parts of a law's or a circular's number (136/2025/QH15, 05/2021/TT-TTCP).
    "QH", "TTCP",
    # Prefixes of reference numbers (TD-2026-000001, KN-2026-000042).
    "TD", "DON", "KP",
    # Loanwords Vietnamese writes this way.
    "video", "Video", "camera", "Camera", "byte", "mili",
    # The search syntax's operator, which the reader types as it is.
    "OR",
})
# Machine strings that are not words: links, identifiers, hashes, verification codes (ABCD-EFGH),
# and the names of stored files (a recording's file name, as it is on disk).
NOT_WORDS = re.compile(r"https?://\S+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
                       r"|[0-9a-f]{16,}|\b[A-Z0-9]{4}(?:-[A-Z0-9]{4})+\b"
                       r"|[\w.-]+\.(?:webm|opus|ogg|pdf|json|txt|vtt|srt)\b")
_INITIAL = r"(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnprstvx])?"
# Written without diacritics, Vietnamese keeps its rhymes' shape (Nguyen, Truong, Viet, Duc).
_RHYME = (r"(?:uyen|uye|uoi|ieu|yeu|oai|oay|uya|uyu|ai|ao|au|ay|eo|ia|ie|iu|oa|oe|oi|ua|ui|uo|uy|ye|"
          r"a|e|i|o|u|y)(?:ng|nh|ch|m|n|c|p|t)?")
SYLLABLE = re.compile(rf"^{_INITIAL}{_RHYME}$")
CODE = re.compile(r"\b[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+\b")
# A statutory time limit's id from the rules table (P-1, C-7, R-7b, T-12): a code, not words.
# Reference numbers (KN-2026-000042) and SHA-256 are not ids.
RULE_ID = re.compile(r"(?<![\w-])[A-Z]-\d{1,2}[a-z]?(?![\w-])")
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def visible_text(page: str) -> str:
    """The text a reader sees or hears: no tags, scripts, styles or English-marked parts."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r'(?is)<(\w+)[^>]*\blang="en"[^>]*>.*?</\1>', " ", page)
    shown = [html.unescape(v) for v in re.findall(
        r'\b(?:placeholder|aria-label|title|alt)="([^"]*)"', page)]
    text = re.sub(r"<[^>]+>", " ", page)
    return " ".join([html.unescape(text), *shown])


def foreign_words(text: str, also_allowed: Iterable[str] = ()) -> list[str]:
    """Raw codes and words that cannot be Vietnamese, in order of appearance."""
    allowed = ALLOWED | set(also_allowed)
    text = NOT_WORDS.sub(" ", text)
    found = CODE.findall(text) + RULE_ID.findall(text)
    for word in WORD.findall(CODE.sub(" ", text)):
        if word in allowed or not word.isascii() or len(word) < 2:
            continue
        if not SYLLABLE.match(word.lower()):
            found.append(word)
    return found
