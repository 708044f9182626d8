"""Public landing page, the staff workspace and the site's icon."""

from __future__ import annotations

from quart import Blueprint, Response, current_app, g, redirect, render_template, url_for
from quart.typing import ResponseTypes

from reception.web.security.access import any_staff

blueprint = Blueprint("pages", __name__)
ICON_MAX_AGE = 86400  # the icon changes with a release at most


@blueprint.get("/favicon.ico")
async def favicon() -> Response:
    """Browsers ask for /favicon.ico on their own (before or without reading the page's
    <link rel="icon">): the same SVG, so that no page load logs a 404."""
    response = await current_app.send_static_file("favicon.svg")
    response.content_type = "image/svg+xml"
    response.headers["Cache-Control"] = f"public, max-age={ICON_MAX_AGE}"
    return response


@blueprint.get("/")
async def landing() -> str | ResponseTypes:
    if g.get("staff") is not None:
        return redirect(url_for("pages.workspace"))
    return await render_template("landing.html")


@blueprint.get("/staff")
@any_staff
async def workspace() -> str:
    return await render_template("workspace.html")
