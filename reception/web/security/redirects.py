"""Where a `next=` may send the browser: a path of this site, nothing else.

Browsers read `/\\evil.example` and `//evil.example` as another host, and ignore tabs and new
lines inside a URL, so a target is accepted only when it is a plain absolute path with no
backslash, no control character and no scheme or host once parsed."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit


def _plain_path(target: str) -> bool:
    if not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return False
    parts = urlsplit(target)
    return not (parts.scheme or parts.netloc)


def same_origin_path(target: str | None, default: str = "/") -> str:
    """`target` if it is a plain path of this site, also once percent-decoded (a proxy or a
    browser may decode it again), else `default`."""
    if not target or not (_plain_path(target) and _plain_path(unquote(target))):
        return default
    return target
