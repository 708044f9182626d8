"""Public landing page and the staff workspace."""

from __future__ import annotations

from quart import Blueprint, g, redirect, render_template, url_for
from quart.typing import ResponseTypes

from reception.web.security.access import any_staff

blueprint = Blueprint("pages", __name__)


@blueprint.get("/")
async def landing() -> str | ResponseTypes:
    if g.get("staff") is not None:
        return redirect(url_for("pages.workspace"))
    return await render_template("landing.html")


@blueprint.get("/staff")
@any_staff
async def workspace() -> str:
    return await render_template("workspace.html")
