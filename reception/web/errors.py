"""The one place that turns errors into responses: RFC 9457 problem+json for /api, an HTML page
otherwise. Messages are for people, in their language; no stack trace ever leaves the server."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import structlog
from quart import (
    Quart,
    Response,
    current_app,
    has_websocket_context,
    redirect,
    render_template,
    request,
    url_for,
    websocket,
)
from quart_schema import RequestSchemaValidationError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as WerkzeugResponse

from reception.i18n_marker import N_
from reception.services.errors import (
    AuthenticationFailed,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    ServiceError,
    Unavailable,
)
from reception.web.context import services
from reception.web.days import DAY_MESSAGE, OUT_OF_RANGE
from reception.web.i18n import gettext
from reception.web.rendering.labels import citizen_citation, moment_label
from reception.web.security.edge import InvalidText
from reception.web.security.limits import LIMITS, Throttled
from reception.web.security.redirects import same_origin_path
from reception.web.text import ONE_LINE, ONE_LINE_FIELD

log = structlog.get_logger(__name__)

SERVICE_STATUS: dict[type[ServiceError], int] = {
    NotFound: 404, Conflict: 409, Invalid: 422, Forbidden: 403, AuthenticationFailed: 401,
    Unavailable: 503,
}
RETRY_AFTER_SECONDS = 30  # when the database is back, usually

# Human messages for HTTP errors raised by the framework (msgids, translated per request).
HTTP_MESSAGES: dict[int, tuple[str, str]] = {
    400: (N_("Bad request"), N_("The request could not be understood. Check what you sent.")),
    401: (N_("Please log in"), N_("You need to log in to see this page.")),
    403: (N_("Not allowed"), N_("You are not allowed to do this.")),
    404: (N_("Not found"), N_("There is nothing at this address. Check the link.")),
    405: (N_("Method not allowed"), N_("This address does not accept that kind of request.")),
    413: (N_("Too large"), N_("What you sent is too large.")),
    415: (N_("Unsupported type"), N_("This address does not accept that content type.")),
    422: (N_("Check what you entered"), N_("Some of what you entered cannot be accepted.")),
    429: (N_("Too many attempts"), N_("Too many attempts. Please wait a minute and try again.")),
    500: (N_("Something went wrong"),
          N_("Something went wrong on our side. Your data is safe; please try again.")),
    503: (N_("Unavailable for a moment"),
          N_("The service is unavailable for a moment. Please try again in a minute.")),
}
TEXT_MESSAGE = N_("{field}: this text contains characters that cannot be accepted (control characters).")
TEXT_PAGE_MESSAGE = N_("Something you entered contains characters that cannot be accepted "
                       "(control characters). Go back, retype it and send it again.")
UTF8_MESSAGE = N_("The request is not valid UTF-8 text.")
DEPTH_MESSAGE = N_("The request body is nested too deeply.")
DEPTH = "depth"
CSRF_MESSAGE = N_("The form has expired or did not come from this site. Reload the page and try again.")
JSON_MESSAGE = N_("The request body is not valid JSON.")
TOO_MANY_TODAY = N_("You have reached the limit of {hits} a day. Please try again after {time}.")
TOO_MANY_UNTIL = N_("Too many attempts. Please try again after {time}.")


def throttled_detail(error: Throttled) -> str:
    """How long to wait, in words, from the limit that tripped: the same moment as Retry-After
    (a per-day limit is not "a minute")."""
    limit = LIMITS.get(error.limit)
    if limit is None or limit.window <= timedelta(minutes=1):
        return gettext(HTTP_MESSAGES[429][1])
    until = moment_label(services().clock.now() + timedelta(seconds=error.retry_after))
    if limit.window >= timedelta(days=1):
        return gettext(TOO_MANY_TODAY).format(hits=limit.hits, time=until)
    return gettext(TOO_MANY_UNTIL).format(time=until)


def message_of(error: ServiceError) -> str:
    """The one translation point of service errors: the msgid in the reader's language, with
    the values it names filled in."""
    params = dict(error.params)
    if params.get("article"):  # a rule's article, named so that anyone can look it up
        params["article"] = citizen_citation(str(params["article"]))
    return gettext(error.message).format(**params)


def _translated(error: Mapping[str, Any]) -> str:
    """pydantic's message, in the reader's language where we wrote it (an out-of-range day)."""
    if error.get("type") == OUT_OF_RANGE:
        return gettext(DAY_MESSAGE).format(**error.get("ctx", {}))
    return str(error.get("msg", ""))


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


async def respond(status: int, code: str, title: str, detail: str,
                  extra: dict[str, object] | None = None,
                  onward: tuple[str, str] | None = None) -> Response:
    """`onward`: (address, label) of what the reader can still do, shown on the page as its
    first button (a refusal need not be a dead end)."""
    if wants_json():
        body = {"type": f"/problems/{code}", "title": title, "status": status, "detail": detail,
                "code": code, "instance": request.path, **(extra or {})}
        response = Response(current_app.json.dumps(body), status=status,  # web/json_responses.py
                            content_type="application/problem+json")
    else:
        html = await render_template("error.html", status=status, title=title, detail=detail,
                                     onward=onward, back=_back_address())
        response = Response(html, status=status, content_type="text/html; charset=utf-8")
    return response


def _back_address() -> str | None:
    """The page of this site the reader came from (a refused form's page), so that an error
    page is never a dead end; None when there is none (the page then offers history.back)."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return None
    path = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    back = same_origin_path(path, default="")
    return back if back and back != request.full_path.rstrip("?") else None


def register_error_handlers(app: Quart) -> None:
    @app.errorhandler(ServiceError)
    async def service_error(error: ServiceError) -> Response:
        status = next((SERVICE_STATUS[c] for c in type(error).__mro__ if c in SERVICE_STATUS),
                      400)  # a refinement (FileAltered is a Conflict) keeps its family's status
        detail = message_of(error)  # the heading says what kind of refusal; the body, why
        title = gettext(HTTP_MESSAGES.get(status, HTTP_MESSAGES[400])[0])
        response = await respond(status, error.code, title, detail)
        if status == 503:
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @app.errorhandler(InvalidText)
    async def invalid_text(error: InvalidText) -> Response:
        """Text the edge refuses (web/security/edge.py): 422 naming the field, 400 for a body that is
        not UTF-8 or nested too deeply to be a form of ours."""
        if error.kind == "control":  # the API names the field; a page speaks to a person
            detail = (gettext(TEXT_MESSAGE).format(field=error.field) if wants_json()
                      else gettext(TEXT_PAGE_MESSAGE))
            return await respond(422, "invalid_text", gettext(HTTP_MESSAGES[422][0]), detail,
                                 {"errors": [{"field": error.field, "message": detail}]})
        detail = gettext(DEPTH_MESSAGE if error.kind == DEPTH else UTF8_MESSAGE)
        return await respond(400, f"invalid_{error.kind}", gettext(HTTP_MESSAGES[400][0]), detail)
    @app.errorhandler(RequestSchemaValidationError)
    async def schema_error(error: RequestSchemaValidationError) -> Response:
        errors: list[dict[str, Any]] = getattr(error.validation_error, "errors", lambda: [])()
        fields = [{"field": ".".join(str(p) for p in e.get("loc", ())), "message": _translated(e)}
                  for e in errors]
        lines = [f for f, e in zip(fields, errors, strict=True) if e.get("type") == ONE_LINE]
        if lines:  # text the edge lets through (a line break) but a one-line field refuses
            for f in lines:
                f["message"] = gettext(ONE_LINE_FIELD).format(field=f["field"])
            return await respond(422, "invalid_text", gettext(HTTP_MESSAGES[422][0]),
                                 "; ".join(f["message"] for f in lines), {"errors": lines})
        title = gettext(HTTP_MESSAGES[400][0])
        detail = "; ".join(f"{f['field']}: {f['message']}" for f in fields) or gettext(JSON_MESSAGE)
        return await respond(400, "validation_failed", title, detail, {"errors": fields})

    @app.errorhandler(Throttled)
    async def rate_limited(error: Throttled) -> Response:
        response = await respond(429, "too_many_requests", gettext(HTTP_MESSAGES[429][0]),
                                 throttled_detail(error))
        response.headers["Retry-After"] = str(error.retry_after)
        return response

    @app.errorhandler(HTTPException)
    async def http_error(error: HTTPException) -> Response | WerkzeugResponse:
        status = error.code or 500
        if status == 401 and not wants_json() and request.method == "GET":
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        title, detail = (gettext(m) for m in HTTP_MESSAGES.get(status, HTTP_MESSAGES[400]))
        if status == 403 and error.description == "csrf":
            detail = gettext(CSRF_MESSAGE)
        elif status == 400 and request.is_json:
            detail = gettext(JSON_MESSAGE)
        return await respond(status, f"http_{status}", title, detail)

    # Flask's ErrorHandlerCallable (which Quart reuses) omits None, yet Quart's
    # finalize_websocket accepts it: a websocket error has no response to send.
    @app.errorhandler(Exception)  # type: ignore[type-var]
    async def unexpected(error: Exception) -> Response | None:
        if has_websocket_context():  # a websocket has no response to render; the socket closes
            log.exception("unhandled websocket error", path=websocket.path)
            return None
        if isinstance(error, OSError):  # a dependency cannot be reached: not a bug of ours
            log.warning("dependency unavailable", path=request.path, error=type(error).__name__)
            title, detail = (gettext(m) for m in HTTP_MESSAGES[503])
            response = await respond(503, "unavailable", title, detail)
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        log.exception("unhandled error", path=request.path, method=request.method)
        title, detail = (gettext(m) for m in HTTP_MESSAGES[500])
        return await respond(500, "internal_error", title, detail)
