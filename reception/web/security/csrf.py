"""CSRF protection for cookie-authenticated requests (signed double-submit token).

Each browser gets a random `csrf` cookie; forms carry an HMAC of it (field `csrf_token`) and
scripts send it in the `X-CSRF-Token` header. A cross-site page can read neither.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from hashlib import sha256
from typing import Any, TypeVar

from quart import Response, current_app, g, request
from werkzeug.exceptions import Forbidden

COOKIE = "csrf"
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
AUTH_COOKIE = "reception_auth"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _sign(seed: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, seed.encode(), sha256).hexdigest()


def csrf_token() -> str:
    """The token for the current browser (creates its seed cookie on first use)."""
    seed = request.cookies.get(COOKIE) or g.get("csrf_new_seed")
    if not seed:
        seed = g.csrf_new_seed = secrets.token_urlsafe(32)
    return _sign(seed)


async def check_csrf() -> None:
    """before_request: refuse an unsafe request whose token does not match its cookie."""
    if request.routing_exception is not None:
        return  # no view will run: routing's 404 or 405 is the answer, not a CSRF refusal
    if request.method in SAFE_METHODS or getattr(
        current_app.view_functions.get(request.endpoint or ""), "csrf_exempt", False
    ):
        return
    if request.path.startswith("/api/") and AUTH_COOKIE not in request.cookies:
        return  # an API call carrying no session cannot be a forged one; auth decides
    seed = request.cookies.get(COOKIE)
    sent = request.headers.get(HEADER)
    if sent is None and request.mimetype in ("application/x-www-form-urlencoded",
                                              "multipart/form-data"):
        sent = (await request.form).get(FIELD)
    if not seed or not sent or not hmac.compare_digest(_sign(seed), sent):
        raise Forbidden("csrf")


async def set_csrf_cookie(response: Response) -> Response:
    """after_request: persist a newly created seed."""
    seed = g.get("csrf_new_seed")
    if seed:
        response.set_cookie(COOKIE, seed, httponly=True, samesite="Strict",
                            secure=current_app.config["SESSION_COOKIE_SECURE"], path="/")
    return response


F = TypeVar("F", bound=Callable[..., Any])


def exempt(view: F) -> F:
    """Mark a view that authenticates by something other than cookies (e.g. a join token)."""
    view.csrf_exempt = True  # type: ignore[attr-defined]
    return view
