"""Where a `next=` may send the browser: a path of this site, nothing else.

Browsers read `/\\evil.example` and `//evil.example` as another host, and ignore tabs and new
lines inside a URL, so a target is accepted only when it is a plain absolute path with no
backslash, no control character and no scheme or host once parsed."""

from __future__ import annotations

from urllib.parse import urlsplit


def same_origin_path(target: str | None, default: str = "/") -> str:
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
