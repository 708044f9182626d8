"""Per-request language: `?lang=` or the `lang` cookie, else the configured default (vi)."""

from __future__ import annotations

from quart import Blueprint, Quart, current_app, g, has_request_context, redirect, request
from quart import websocket as websocket_request
from quart.typing import ResponseTypes
from werkzeug.exceptions import NotFound

from reception.i18n import SUPPORTED_LOCALES, choose_locale, translations
from reception.web.security.redirects import same_origin_path

COOKIE = "lang"
blueprint = Blueprint("i18n", __name__)


def current_locale() -> str:
    locale: str = g.get("locale") or current_app.config["DEFAULT_LOCALE"]
    return locale


def gettext(message: str) -> str:
    return translations(current_locale()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_locale()).ngettext(singular, plural, n)


async def select_locale() -> None:
    source = request if has_request_context() else websocket_request  # also before websockets
    g.locale = choose_locale(source.args.get("lang") or source.cookies.get(COOKIE),
                             current_app.config["DEFAULT_LOCALE"])


@blueprint.get("/lang/<code>")
async def switch(code: str) -> ResponseTypes:
    if code not in SUPPORTED_LOCALES:
        raise NotFound()
    response = redirect(same_origin_path(request.args.get("next")))  # no open redirects
    response.set_cookie(COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def install(app: Quart) -> None:
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    app.before_request(select_locale)
    app.before_websocket(select_locale)
    app.register_blueprint(blueprint)
