"""Who is asking: the logged-in staff member (quart-auth cookie) loaded once per request."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any, TypeVar

from quart import g
from quart_auth import current_user
from werkzeug.exceptions import Forbidden, Unauthorized

from reception.domain.organisation import StaffId, StaffMember, StaffRole
from reception.web.context import services

F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


async def load_staff() -> None:
    """before_request: resolve the auth cookie to an active staff member, or None."""
    g.staff = None
    auth_id = current_user.auth_id
    if not auth_id:
        return
    try:
        staff_id = StaffId(uuid.UUID(auth_id))
    except ValueError:
        return
    member = await services().staff.get_staff(staff_id)
    if member is not None and member.active:
        g.staff = member


def current_staff() -> StaffMember:
    member: StaffMember | None = g.get("staff")
    if member is None:
        raise Unauthorized()
    return member


def staff_required(*roles: StaffRole) -> Callable[[F], F]:
    """Require a logged-in staff member holding at least one of `roles` (any role if none)."""

    def decorate(view: F) -> F:
        @wraps(view)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            member = current_staff()
            if roles and not (member.roles & set(roles)):
                raise Forbidden()
            return await view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
