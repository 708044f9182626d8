"""Refresh the message catalogs from the source (`make i18n`).

Extracts every marked string (`_`, `N_`, templates) and merges it into each locale's .po file,
keeping existing translations. English msgids are the source language.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = ROOT / "reception" / "translations"
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "N_": None, "gettext": None}


def extract() -> Catalog:
    template = Catalog(project="tiep-dan-truc-tuyen")
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT / "reception", METHODS, keywords=KEYWORDS,
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def update(locale: str, template: Catalog) -> list[str]:
    path = CATALOGS / locale / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog = read_po(path.open("rb"), locale=locale) if path.exists() else Catalog(locale=locale)
    catalog.update(template, no_fuzzy_matching=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, no_location=True, omit_header=False, sort_output=True,
             ignore_obsolete=True, width=100)
    path.write_bytes(buffer.getvalue())
    return [m.id for m in catalog if m.id and not m.string]


if __name__ == "__main__":
    template = extract()
    missing = update("vi", template)
    update("en", template)
    for msgid in missing:
        print(f"vi: untranslated: {msgid}", file=sys.stderr)
    sys.exit(1 if missing and "--check" in sys.argv else 0)
