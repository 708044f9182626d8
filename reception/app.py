"""The Quart application factory: nothing is created at import time."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import AsyncGenerator
from pathlib import Path
from typing import Any

import structlog
from quart import Quart, Response, current_app, g, request
from quart.sessions import SecureCookieSessionInterface
from quart_auth import QuartAuth
from quart_schema import QuartSchema

from reception.bootstrap.clock import clock_for
from reception.bootstrap.container import Container
from reception.bootstrap.media_node import start_media_node
from reception.bootstrap.transcription import run_transcription_worker
from reception.services.ports import Clock
from reception.settings import Settings
from reception.web import context, health, i18n, json_responses, pages
from reception.web.admin import api as admin_api
from reception.web.admin import pages as admin_pages
from reception.web.booking import agenda
from reception.web.booking import api as booking_api
from reception.web.booking import pages as booking_pages
from reception.web.cases import api as cases_api
from reception.web.cases import dashboard, receptions
from reception.web.cases import pages as case_pages
from reception.web.cases import public as case_status
from reception.web.errors import register_error_handlers
from reception.web.hearings import officials as hearing_officials
from reception.web.hearings import pages as hearing_pages
from reception.web.openapi import ReceptionOpenAPI
from reception.web.rendering import display, labels
from reception.web.rendering.labels import LEVEL_LABELS, ROLE_LABELS
from reception.web.security import client, csrf, edge
from reception.web.security.access import load_staff
from reception.web.staff import account, auth
from reception.web.transcripts import evidence, search
from reception.web.transcripts import review as transcript_review
from reception.web.transcripts import status as transcript_status
from reception.web.verification import pages as verification

log = structlog.get_logger("reception.http")
# All browser code (ES modules, CSS) lives in the top-level webclient/ folder, served at /static/.
WEBCLIENT = Path(__file__).resolve().parents[1] / "webclient"

# Pages that use the camera and microphone (the hearing and the citizen's device check); every
# other page gets neither, nor any other powerful feature.
MEDIA_PAGES = frozenset({"hearings.console", "hearings.citizen_page", "booking.waiting_room"})
MEDIA_PERMISSIONS = "camera=(self), microphone=(self), geolocation=(), payment=(), usb=()"
NO_PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Content-Security-Policy: only our own scripts and styles; media and websockets to ourselves.
CSP = ("default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")


class _OneSerializerSessions(SecureCookieSessionInterface):
    """Quart builds the cookie session's signing serializer on every request (and itsdangerous
    test-serialises a value to build one): a measurable share of a request's time. The key
    does not change while the app serves, so it is built once."""

    _serializer: Any = None  # itsdangerous' serializer (Quart's dependency, not ours)

    def get_signing_serializer(self, app: Quart) -> Any:
        if self._serializer is None:
            self._serializer = super().get_signing_serializer(app)
        return self._serializer


class ReceptionApp(Quart):
    """Quart plus the wired services, so `app.container` is typed (see web/context.py)."""

    container: Container


def create_app(settings: Settings, database_url: str, clock: Clock | None = None) -> ReceptionApp:
    """The app on `database_url`; `clock` is for tests that pin time (default: the system's)."""
    app = ReceptionApp(__name__, static_folder=str(WEBCLIENT), static_url_path="/static")
    app.config.update(
        SECRET_KEY=settings.signing_key(),
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        DEFAULT_LOCALE=settings.default_locale,
        SESSION_COOKIE_SECURE=settings.cookie_secure,
        # Quart's own cookie session is not used for anything (state lives server-side);
        # should anything set it, it is still HttpOnly and SameSite.
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        QUART_AUTH_COOKIE_SECURE=settings.cookie_secure,
        QUART_AUTH_COOKIE_SAMESITE="Lax",
        # The cookie carries only a session token; the server ends the session on logout,
        # after SESSION_IDLE_MINUTES idle, and at this absolute lifetime (services/security/sessions.py).
        QUART_AUTH_DURATION=settings.session_max_hours * 3600,
        QUART_SCHEMA_CONVERT_CASING=False,
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.session_interface = _OneSerializerSessions()
    app.container = Container(settings, database_url, clock or clock_for(settings))
    app.extensions[context.EXTENSION] = app.container.services
    _auth_context_on_the_loop(app, QuartAuth(app, cookie_name=csrf.AUTH_COOKIE))
    edge.install(app)  # input checked once, for every route (NFC, controls, JSON bounds)
    client.install(app, settings.proxy_networks())
    display.install(app)
    app.config["HSTS_SECONDS"] = settings.hsts_seconds
    QuartSchema(app, openapi_path="/api/openapi.json", swagger_ui_path="/api/docs",
                redoc_ui_path=None, scalar_ui_path=None, openapi_provider_class=ReceptionOpenAPI)
    json_responses.install(app)  # after QuartSchema: plain dicts skip its conversion
    i18n.install(app)
    labels.install(app)
    app.jinja_env.globals.update(csrf_token=csrf.csrf_token, role_labels=ROLE_LABELS,
                                 level_labels=LEVEL_LABELS)
    # First and last: the request's units of work share one pooled connection (the session
    # check, then the use case), returned when the request ends, before a body is streamed.
    app.before_request(app.container.connections.open_request)
    app.teardown_request(app.container.connections.close_request)
    app.before_request(_start_timer)
    app.before_request(load_staff)
    app.before_websocket(load_staff)
    app.before_request(csrf.check_csrf)
    app.after_request(csrf.set_csrf_cookie)
    app.after_request(_security_headers)
    app.after_request(_log_request)
    for module in (health, auth, account, pages, admin_pages, admin_api,  # booking → … → case decision
                   booking_pages, agenda, booking_api, hearing_pages, hearing_officials,
                   transcript_review, transcript_status, search, evidence,
                   cases_api, case_pages, receptions, dashboard, case_status, verification):
        app.register_blueprint(module.blueprint)
    register_error_handlers(app)

    @app.while_serving  # first: listening before the media hub publishes, closed after it stops
    async def _room_events() -> AsyncGenerator[None, None]:  # from every process (LISTEN/NOTIFY)
        container = app.container
        await container.room_bus.start(container.events.deliver, container.events.rooms)
        yield
        await container.room_bus.close()

    @app.while_serving
    async def _outbox_worker() -> AsyncGenerator[None, None]:  # e-mails and reminders
        stop = asyncio.Event()
        task = asyncio.create_task(app.container.booking.outbox.run(
            settings.outbox_poll_seconds, stop))
        yield
        stop.set()
        await task

    if settings.media_embedded:  # this process is also a media node (`make test`, development)
        @app.while_serving
        async def _media_node() -> AsyncGenerator[None, None]:
            node = await start_media_node(app.container)  # adopts what a crash left behind
            app.extensions["media_node"] = node  # this process's node (the tests reach it here)
            yield
            await node.stop()

    if settings.worker_in_process:  # `make run` transcribes with no extra command
        @app.while_serving
        async def _transcription_worker() -> AsyncGenerator[None, None]:
            container = app.container
            stop = asyncio.Event()
            task = asyncio.create_task(run_transcription_worker(
                settings, container.jobs, container.transcription, stop,
                check_integrity=container.periodic_integrity_check))
            yield
            stop.set()
            await task

    @app.after_serving
    async def _close() -> None:
        await app.container.close()

    return app


def _auth_context_on_the_loop(app: Quart, auth: QuartAuth) -> None:
    """quart-auth gives templates `current_user` with a synchronous context processor, which
    Quart runs in a worker thread for every rendered page (a thread hop per page and per HTML
    error). The same value, computed on the event loop: reading the cookie does no I/O."""

    async def current_user_context() -> dict[str, object]:
        return {"current_user": auth.load_user()}

    processors = app.template_context_processors[None]
    processors[:] = [current_user_context if getattr(p, "__self__", None) is auth else p
                     for p in processors]


async def _start_timer() -> None:
    g.started = time.perf_counter()
    g.request_id = request.headers.get("X-Request-ID") or secrets.token_hex(8)


async def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Permissions-Policy"] = (
        MEDIA_PERMISSIONS if request.endpoint in MEDIA_PAGES else NO_PERMISSIONS)
    if request.endpoint != "static":  # every page may carry personal data: never cached
        response.headers.setdefault("Cache-Control", "no-store")
    hsts = current_app.config.get("HSTS_SECONDS", 0)
    if hsts:
        response.headers["Strict-Transport-Security"] = f"max-age={hsts}; includeSubDomains"
    response.headers["X-Request-ID"] = g.get("request_id", "")
    return response


async def _log_request(response: Response) -> Response:
    if response.status_code == 429:  # refusals are counted by web/security/limits.py, not logged one by one
        return response
    elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    staff = g.get("staff")
    log.info("request", method=request.method, path=request.path, status=response.status_code,
             ms=round(elapsed, 1), request_id=g.get("request_id"),
             staff=str(staff.id) if staff else None)
    return response
