"""Case references shown to citizens (KN-2026-000042) and denouncer pseudonyms.

A reference is unique per agency and year; the number comes from a per-(agency, year, prefix)
counter row incremented in the same transaction as the case (no races, no gaps on success)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reception.domain.cases.case import ProcessKind

# Prefixes the register books use: KN khiếu nại, TC tố cáo, KP kiến nghị phản ánh, Đ đơn.
PREFIXES: dict[ProcessKind, str] = {
    ProcessKind.COMPLAINT: "KN",
    ProcessKind.DENUNCIATION: "TC",
    ProcessKind.PETITION: "DON",
    ProcessKind.RECOMMENDATION: "KP",
}
REGISTRABLE = tuple(PREFIXES)
# ASCII digits only: \d would take a fullwidth or Arabic-Indic spelling of the same reference.
PATTERN = re.compile(r"^(KN|TC|DON|KP)-([0-9]{4})-([0-9]{6,})$")


@dataclass(frozen=True, slots=True)
class CaseReference:
    prefix: str
    year: int
    number: int

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}-{self.number:06d}"


def reference_for(kind: ProcessKind, year: int, number: int) -> CaseReference:
    if number < 1:
        raise ValueError(f"case numbers start at 1, not {number}")
    return CaseReference(PREFIXES[kind], year, number)


def parse_reference(text: str) -> CaseReference | None:
    """The reference in `text` (spaces and case ignored), or None if it is not one."""
    match = PATTERN.match(text.strip().upper())
    if match is None:
        return None
    return CaseReference(match.group(1), int(match.group(2)), int(match.group(3)))


PSEUDONYM_PREFIX = "Người tố cáo "


def pseudonym(index: int) -> str:
    """How a denouncer appears everywhere outside the vault (LTC Arts. 8(3), 47, 56): a letter
    per denouncer of the case, never derived from the person's data."""
    letters = ""
    n = index
    while True:
        letters = chr(ord("A") + n % 26) + letters
        n = n // 26 - 1
        if n < 0:
            break
    return f"{PSEUDONYM_PREFIX}{letters}"
