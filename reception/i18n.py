"""Translations from Babel message catalogs; Vietnamese is the default language.

Catalogs live in reception/translations/<locale>/LC_MESSAGES/messages.po and are compiled in
memory at start-up, so there is no build step and no stale .mo file.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

SUPPORTED_LOCALES = ("vi", "en")  # Vietnamese first

CATALOGS = Path(__file__).parent / "translations"


@cache
def translations(locale: str) -> Translations:
    """The compiled catalog for `locale` (English msgids translate to themselves)."""
    if locale not in SUPPORTED_LOCALES:
        raise ValueError(f"unsupported locale {locale!r}")
    po = CATALOGS / locale / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as f:
        catalog = read_po(f, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain="messages")


def choose_locale(requested: str | None, default: str) -> str:
    """An explicit choice (cookie or ?lang=) wins, otherwise the default (Vietnamese).

    Accept-Language is deliberately not followed: many citizens' phones are set to English while
    they expect the Vietnamese service; English stays one click away.
    """
    return requested if requested in SUPPORTED_LOCALES else default
