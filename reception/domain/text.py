"""One-line text: a name, an address, an ID, a contact, a title — whatever is printed where one
line of a record is expected (a hearing member's name is the transcript's speaker label and a
party of the signed hearing record). It holds no line break (CR, LF, NEL, U+2028, U+2029), no
other control character (tab included) and no bidirectional override or isolate
(U+202A–U+202E, U+2066–U+2069), which make text display other than it is stored: a name
typed with a line break would otherwise forge a line "[00:00:03] … (official): …" of the
transcript. Text of several lines (a summary, a note, a transcript line's text) keeps its line
breaks."""

from __future__ import annotations

import re

NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def is_one_line(value: str) -> bool:
    return NOT_ONE_LINE.search(value) is None


def one_line(value: str) -> str:
    """`value` as one line, for a renderer that must print one line whatever was stored:
    whitespace runs (line breaks included) become one space, other forbidden characters go."""
    return NOT_ONE_LINE.sub("", " ".join(value.split()))
