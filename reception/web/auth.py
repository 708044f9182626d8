"""Staff login and logout pages (cookie session via quart-auth, throttled by IP)."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, Field
from quart import Blueprint, redirect, render_template, request, url_for
from quart.typing import ResponseTypes
from quart_auth import AuthUser, login_user, logout_user
from quart_rate_limiter import rate_limit

from reception.i18n_marker import N_
from reception.services.errors import AuthenticationFailed
from reception.web.context import services
from reception.web.errors import message_of
from reception.web.forms import parse_form

blueprint = Blueprint("auth", __name__)


class LoginForm(BaseModel):
    login: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    next: str = "/staff"


# Per client address; enough for typing mistakes, far too few for guessing passwords.
LOGIN_ATTEMPTS_PER_MINUTE = 5
LOGIN_MESSAGES = {"login": N_("Enter your login."), "password": N_("Enter your password.")}


async def _only_posts() -> bool:
    """Skip function for the limiter: showing the form is free, attempts are counted."""
    return request.method != "POST"


def _safe_next(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else "/staff"


@blueprint.route("/login", methods=["GET", "POST"])
@rate_limit(LOGIN_ATTEMPTS_PER_MINUTE, timedelta(minutes=1), skip_function=_only_posts)
async def login() -> str | ResponseTypes | tuple[str, int]:
    if request.method == "GET":
        return await render_template("login.html", form={"next": request.args.get("next", "")},
                                     errors={})
    form = await request.form
    data, errors = parse_form(LoginForm, form, LOGIN_MESSAGES)
    if data is None:
        return await render_template("login.html", form=form, errors=errors), 400
    try:
        member = await services().staff.authenticate(data.login, data.password)
    except AuthenticationFailed as failed:
        errors = {"__all__": message_of(failed)}
        return await render_template("login.html", form=form, errors=errors), 401
    login_user(AuthUser(str(member.id)))
    return redirect(_safe_next(data.next))


@blueprint.post("/logout")
async def logout() -> ResponseTypes:
    logout_user()
    return redirect(url_for("auth.login"))
