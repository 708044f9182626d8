"""ICE configuration: STUN/TURN servers, coturn REST credentials, and a loopback-only test mode."""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import aioice.ice
from aiortc import RTCBundlePolicy, RTCConfiguration, RTCIceServer


@dataclass(frozen=True)
class IceServer:
    urls: tuple[str, ...]
    username: str | None = None
    credential: str | None = field(default=None, repr=False)

    def as_browser_dict(self) -> dict[str, Any]:
        """The shape `new RTCPeerConnection({iceServers})` expects."""
        entry: dict[str, Any] = {"urls": list(self.urls)}
        if self.username is not None:
            entry["username"] = self.username
        if self.credential is not None:
            entry["credential"] = self.credential
        return entry


def parse_ice_servers(text: str) -> tuple[IceServer, ...]:
    """Parse ICE_SERVERS: a JSON list of {"urls": str | [str], "username"?, "credential"?}."""
    try:
        entries = json.loads(text) if text.strip() else []
    except json.JSONDecodeError as error:
        raise ValueError(f"ICE_SERVERS is not JSON: {error}") from error
    if not isinstance(entries, list):
        raise ValueError(f"ICE_SERVERS must be a JSON list, got {type(entries).__name__}")
    servers = []
    for entry in entries:
        if not isinstance(entry, dict) or "urls" not in entry:
            raise ValueError(f"ICE_SERVERS entry {entry!r} has no 'urls'")
        urls = entry["urls"]
        urls = (urls,) if isinstance(urls, str) else tuple(urls)
        if not urls or not all(isinstance(url, str) for url in urls):
            raise ValueError(f"ICE_SERVERS entry {entry!r} has invalid 'urls'")
        if any(url.startswith(("turn:", "turns:")) for url in urls) and "username" not in entry:
            raise ValueError(f"ICE_SERVERS TURN entry {urls[0]!r} needs username and credential")
        servers.append(IceServer(urls, entry.get("username"), entry.get("credential")))
    return tuple(servers)


def turn_rest_credentials(secret: str, user: str, *, now: datetime, valid_for: timedelta) -> tuple[str, str]:
    """Time-limited TURN credentials of coturn's shared-secret REST scheme (use-auth-secret).

    username = "<expiry unix time>:<user>", credential = base64(HMAC-SHA1(secret, username)).
    """
    expiry = int((now + valid_for).timestamp())
    username = f"{expiry}:{user}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode("ascii")


def rtc_configuration(servers: tuple[IceServer, ...]) -> RTCConfiguration:
    # max-bundle: with aiortc's default "balanced" policy, a second m-line of one kind in a
    # BUNDLEd offer keeps a transport that BUNDLE then discards, and its media never flows
    # (measured with aiortc 1.16: the second video slot sent 0 packets). Browsers BUNDLE.
    return RTCConfiguration(
        iceServers=[RTCIceServer(list(s.urls), s.username, s.credential) for s in servers],
        bundlePolicy=RTCBundlePolicy.MAX_BUNDLE,
    )


_original_host_addresses = aioice.ice.get_host_addresses


def _loopback_addresses(use_ipv4: bool, use_ipv6: bool) -> list[str]:
    return ["127.0.0.1"] if use_ipv4 else []


def restrict_to_loopback(enabled: bool) -> None:
    """Test-only: gather (and bind) host candidates on 127.0.0.1 only (docs/media.md pitfall 2).

    aioice never offers 127.0.0.1 and has no setting for it, so its host-address lookup is
    replaced process-wide. Sockets bound to 127.0.0.1 also cannot receive STUN checks from
    non-loopback sources. Never enabled in production.
    """
    aioice.ice.get_host_addresses = _loopback_addresses if enabled else _original_host_addresses


def keep_loopback_candidates(sdp: str) -> str:
    """Drop offered ICE candidates that are not on a loopback address (test mode only)."""
    kept = []
    for line in sdp.splitlines():
        if line.startswith("a=candidate:") and not _is_loopback_candidate(line):
            continue
        kept.append(line)
    return "\r\n".join(kept) + "\r\n"


def _is_loopback_candidate(line: str) -> bool:
    parts = line.split()
    if len(parts) < 5:
        return False
    try:
        return ipaddress.ip_address(parts[4]).is_loopback
    except ValueError:  # an mDNS "*.local" name or garbage
        return False
