"""What every page does to what it prints: bidirectional control characters in user text are
shown as visible codes instead of reordering the line (a right-to-left override can make a
name or a file name read backwards to staff), times are shown in Vietnam's time zone, and a
browser's raw User-Agent header becomes the browser and system it names."""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime
from typing import Any

from markupsafe import Markup
from quart import Quart
from ua_parser import parse as parse_user_agent

from reception.domain.booking import LOCAL_TZ
from reception.web.i18n import gettext

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


def device(user_agent: str | None) -> str:
    """"Chrome Mobile, Android" rather than the header's "Mozilla/5.0 (Linux; …) …"."""
    parsed = parse_user_agent(user_agent or "")
    browser = parsed.user_agent.family if parsed.user_agent else None
    system = parsed.os.family if parsed.os else None
    if not browser:
        return gettext("Unknown browser")
    return gettext("%(browser)s on %(system)s") % {"browser": browser, "system": system} \
        if system else browser


def address(value: str | None) -> str:
    """An IP address as is; anything else (a test client's "<local>") is not one."""
    try:
        return str(ipaddress.ip_address(value or ""))
    except ValueError:
        return gettext("unknown")


def install(app: Quart) -> None:
    app.jinja_env.finalize = finalize
    app.jinja_env.filters["localtime"] = localtime
    app.jinja_env.filters["device"] = device
    app.jinja_env.filters["address"] = address
