"""Staff login and logout: a server-side session per login (services/security/sessions.py), whose
random token is all the quart-auth cookie carries. Attempts are throttled per account and per
client address (web/security/limits.py)."""

from __future__ import annotations

from pydantic import BaseModel, Field
from quart import Blueprint, g, redirect, render_template, request, url_for
from quart.typing import ResponseTypes
from quart_auth import AuthUser, current_user, login_user, logout_user

from reception.domain.organisation import StaffMember
from reception.i18n_marker import N_
from reception.services.errors import AuthenticationFailed
from reception.web.context import services
from reception.web.errors import message_of
from reception.web.forms import parse_form
from reception.web.security.client import client_address
from reception.web.security.limits import LOGIN_PER_ACCOUNT, LOGIN_PER_ADDRESS, throttle
from reception.web.security.redirects import same_origin_path
from reception.web.text import OneLine

blueprint = Blueprint("auth", __name__)
DEFAULT_NEXT = "/staff"


class LoginForm(BaseModel):
    login: OneLine = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    next: str = DEFAULT_NEXT  # any text: reduced to a path of this site (same_origin_path)


LOGIN_MESSAGES = {"login": N_("Enter your login."), "password": N_("Enter your password.")}


async def sign_in(member: StaffMember) -> None:
    """Open a server-side session for `member` and put its token in the auth cookie."""
    token = await services().security.sessions.open(
        member, request.headers.get("User-Agent", "")[:255], client_address())
    login_user(AuthUser(token))


@blueprint.route("/login", methods=["GET", "POST"])
async def login() -> str | ResponseTypes | tuple[str, int]:
    if request.method == "GET":
        return await render_template(
            "login.html", form={"next": same_origin_path(request.args.get("next"), DEFAULT_NEXT)},
            errors={})
    form = await request.form
    # Counted before the password is checked: a throttled guess learns nothing.
    await throttle((LOGIN_PER_ADDRESS, client_address()),
                   (LOGIN_PER_ACCOUNT, form.get("login", "").strip().lower()[:64]))
    data, errors = parse_form(LoginForm, form, LOGIN_MESSAGES)
    if data is None:
        return await render_template("login.html", form=form, errors=errors), 400
    try:
        member = await services().staff.authenticate(data.login, data.password)
    except AuthenticationFailed as failed:
        errors = {"__all__": message_of(failed)}
        return await render_template("login.html", form=form, errors=errors), 401
    await sign_in(member)
    return redirect(same_origin_path(data.next, DEFAULT_NEXT))


@blueprint.post("/logout")
async def logout() -> ResponseTypes:
    token = current_user.auth_id
    if token:
        await services().security.sessions.logout(token)  # the cookie is worthless from now on
    logout_user()
    g.staff = g.staff_session = None
    return redirect(url_for("auth.login"))
