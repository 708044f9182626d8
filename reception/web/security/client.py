"""Who is at the other end: the client's address, from the direct peer unless that peer is a
configured trusted proxy (TRUSTED_PROXIES); only then is X-Forwarded-For read, from the right,
skipping trusted hops, so a forged left-most entry is never believed.

Hypercorn's ProxyFixMiddleware trusts a fixed number of hops whoever the peer is; this checks
the peer itself, so the same deployment is safe when someone reaches the app directly."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

from quart import Quart, current_app, has_request_context, request, websocket

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
CONFIG_KEY = "TRUSTED_PROXY_NETWORKS"


def install(app: Quart, networks: Iterable[str]) -> None:
    app.config[CONFIG_KEY] = tuple(ipaddress.ip_network(n, strict=False) for n in networks)


def _trusted(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def forwarded_client(peer: str, forwarded_for: Sequence[str], networks: Sequence[Network]) -> str:
    """The client address given the direct peer and the X-Forwarded-For header values."""
    if not networks or not _trusted(peer, networks):
        return peer
    hops = [h.strip() for value in forwarded_for for h in value.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # not written by our proxy: believe nothing
    return hops[0] if hops else peer


def client_address() -> str:
    source = request if has_request_context() else websocket
    peer = source.remote_addr or "unknown"
    networks: Sequence[Network] = current_app.config.get(CONFIG_KEY, ())
    return forwarded_client(peer, source.headers.getlist("X-Forwarded-For"), networks)
