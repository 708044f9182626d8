"""The signed-in member's own account: their live sessions (ending any of them) and their
password (a change ends every session, then this browser is signed in afresh)."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field
from quart import Blueprint, g, redirect, render_template, request, url_for
from quart.typing import ResponseTypes

from reception.domain.sessions import SessionId
from reception.i18n_marker import N_
from reception.services.errors import ServiceError
from reception.web.context import services
from reception.web.errors import message_of
from reception.web.forms import parse_form
from reception.web.security.access import any_staff, current_staff
from reception.web.staff.auth import sign_in

blueprint = Blueprint("account", __name__, url_prefix="/account")


class PasswordForm(BaseModel):
    current: str = Field(min_length=1, max_length=256)
    new: str = Field(min_length=10, max_length=256)


PASSWORD_MESSAGES = {"current": N_("Enter your current password."),
                     "new": N_("The password must have at least 10 characters.")}


async def _page(errors: dict[str, str] | None = None, notice: str | None = None,
                status: int = 200) -> tuple[str, int]:
    sessions = await services().security.sessions.list_own(current_staff())
    current = g.get("staff_session")
    html = await render_template("account.html", sessions=sessions,
                                 current_id=current.id if current else None,
                                 errors=errors or {}, notice=notice)
    return html, status


@blueprint.get("/")
@any_staff
async def index() -> tuple[str, int]:
    return await _page(notice=request.args.get("notice"))


@blueprint.post("/sessions/<uuid:session_id>/end")
@any_staff
async def end_session(session_id: uuid.UUID) -> ResponseTypes:
    await services().security.sessions.end_own(current_staff(), SessionId(session_id))
    return redirect(url_for("account.index"))


@blueprint.post("/password")
@any_staff
async def change_password() -> tuple[str, int] | ResponseTypes:
    form = await request.form
    data, errors = parse_form(PasswordForm, form, PASSWORD_MESSAGES)
    if data is None:
        return await _page(errors, status=422)
    member = current_staff()
    try:
        await services().staff.change_password(member, data.current, data.new)
    except ServiceError as error:
        return await _page({"current": message_of(error)}, status=422)
    await sign_in(member)  # every session ended with the change; this browser starts a new one
    return redirect(url_for("account.index", notice="password"))
