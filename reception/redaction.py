"""Secrets never reach the log: private link tokens (`?t=…`), case secret codes, session
tokens, passwords. One structlog processor applies to every event, ours and the libraries'
(logging_setup.py); the log mailer uses the same text redaction for the mails it writes."""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import Any

# A secret as a URL parameter or a `name=value` / `name: value` pair in free text.
SECRET_PARAM = re.compile(
    r"(?i)\b(t|token|join_token|secret|secret_code|ticket|password|csrf_token)"
    r"(=|\"?\s*:\s*\"?)([^\s&\"',;)]{6,})")
# Event keys whose values are secrets whatever they look like.
SECRET_KEYS = frozenset({"token", "join_token", "secret", "password", "ticket", "csrf_token",
                         "x-join-token", "cookie", "authorization"})
REDACTED = "[redacted]"


def redact_text(text: str) -> str:
    return SECRET_PARAM.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)


def _redact(value: Any) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {k: REDACTED if str(k).lower() in SECRET_KEYS else _redact(v)
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_redact(v) for v in value)
    return value


def redact_secrets(_logger: object, _method: str,
                   event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: replace secret values in every field of the event."""
    for key, value in list(event.items()):
        if key.lower() in SECRET_KEYS:
            event[key] = REDACTED
        elif key != "exc_info":
            event[key] = _redact(value)
    return event
