"""What a person typed into the transcript search box, turned into a full-text query.

The text is NFC-normalised and lower-cased here; diacritics are stripped in SQL (unaccent), on
both sides, so `khieu nai` finds `khiếu nại`. Numbers are matched whether spoken or written:
"15" also looks for "mười lăm", and "mười lăm" also for "15" (Whisper writes either).

The result is a conjunction of alternatives: each group matches if any of its alternatives
does, and every group must match. Each alternative is in PostgreSQL's websearch syntax (a word,
a "quoted phrase", or -word), so the adapter hands it to websearch_to_tsquery as a bound value.
`or` between two words joins them into one group, as on a web search engine (OR binds tighter
than the implied AND — websearch_to_tsquery alone would read `a or b c` as `a | (b & c)`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from reception.domain.transcripts.vietnamese_numbers import number_words, parse_number_words

MAX_QUERY_CHARS = 200
MAX_GROUPS = 12
_TOKEN = re.compile(r'-?"[^"]*"?|\S+')
_DIGITS = re.compile(r"^[0-9]{1,9}$")  # ASCII: int() of other scripts' digits is no transcript's text
_EDGE_PUNCTUATION = ".,;:!?()[]{}…"


@dataclass(frozen=True, slots=True)
class SearchQuery:
    text: str  # the normalised query, for display and the audit log
    groups: tuple[tuple[str, ...], ...]  # AND of ORs, each alternative in websearch syntax

    @property
    def empty(self) -> bool:
        """Nothing to look for: no group that must be present (only exclusions match too
        much to be useful, and cannot use the index)."""
        return not any(not alt.startswith("-") for group in self.groups for alt in group)


def normalise(raw: str) -> str:
    """NFC, lower case, no control characters, single spaces, at most MAX_QUERY_CHARS."""
    text = unicodedata.normalize("NFC", raw).lower()
    text = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in text)
    return " ".join(text.split())[:MAX_QUERY_CHARS]


def parse_query(raw: str) -> SearchQuery:
    text = normalise(raw)
    units: list[tuple[str, ...]] = []
    join_next = False
    pending: list[str] = []  # a run of plain words that may be a spoken number

    def flush() -> None:
        nonlocal join_next
        for unit in _number_units(pending):
            _add(units, unit, join_next)
            join_next = False
        pending.clear()

    for token in _TOKEN.findall(text):
        if token == "or":  # a leading or trailing `or` joins nothing and is dropped
            flush()
            join_next = bool(units)
            continue
        if token.startswith(('"', '-"', "-")) or not _has_word(token):
            flush()
            if _has_word(token):
                _add(units, (token,), join_next)
                join_next = False
            continue
        pending.append(token.strip(_EDGE_PUNCTUATION) or token)
    flush()
    return SearchQuery(text, tuple(units[:MAX_GROUPS]))


def _add(units: list[tuple[str, ...]], unit: tuple[str, ...], join: bool) -> None:
    if join and units:
        units[-1] = tuple(dict.fromkeys(units[-1] + unit))
    else:
        units.append(unit)


def _has_word(token: str) -> bool:
    return any(c.isalnum() for c in token)


def _phrase(words: str) -> str:
    return f'"{words}"' if " " in words else words


def _number_units(words: list[str]) -> list[tuple[str, ...]]:
    """One group per word, except that a run of number words becomes one phrase group with its
    digits as an alternative, and a number in digits gets its spoken forms."""
    units: list[tuple[str, ...]] = []
    i = 0
    while i < len(words):
        if _DIGITS.match(words[i]):
            spoken = number_words(int(words[i]))
            units.append((words[i], *(_phrase(s) for s in spoken)))
            i += 1
            continue
        for end in range(len(words), i, -1):  # the longest run that reads as a number
            value = parse_number_words(words[i:end])
            if value is not None:
                units.append((_phrase(" ".join(words[i:end])), str(value)))
                i = end
                break
        else:
            units.append((words[i],))
            i += 1
    return units


# ts_headline marks matches with these (characters no transcript contains), so the web layer
# can escape the text first and put <mark> around the matches after.
MATCH_START, MATCH_END = "\x02", "\x03"


def highlighted(snippet: str) -> tuple[tuple[str, bool], ...]:
    """The snippet cut into (text, is_match) pieces, in order."""
    pieces: list[tuple[str, bool]] = []
    for i, part in enumerate(re.split(f"[{MATCH_START}{MATCH_END}]", snippet)):
        if part:
            pieces.append((part, i % 2 == 1))
    return tuple(pieces)
