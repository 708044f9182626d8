"""What every page does to what it prints: bidirectional control characters in user text are
shown as visible codes instead of reordering the line (a right-to-left override can make a
name or a file name read backwards to staff), and times are shown in Vietnam's time zone."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from markupsafe import Markup
from quart import Quart

from reception.domain.booking import LOCAL_TZ

# Embeddings, overrides, isolates and the two directional marks (Unicode TR9).
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def neutralise_bidi(text: str) -> str:
    return BIDI_CONTROLS.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def finalize(value: Any) -> Any:
    """Jinja's finalize: applied to every {{ … }} before escaping."""
    if isinstance(value, Markup):
        return Markup(neutralise_bidi(str(value))) if BIDI_CONTROLS.search(value) else value
    if isinstance(value, str) and BIDI_CONTROLS.search(value):
        return neutralise_bidi(value)
    return value


def localtime(moment: datetime | None) -> str:
    return moment.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M") if moment else ""


def install(app: Quart) -> None:
    app.jinja_env.finalize = finalize
    app.jinja_env.filters["localtime"] = localtime
