"""Who is asking: the staff member of the server-side session whose token the quart-auth
cookie carries, resolved once per request (services/security/sessions.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any, TypeVar

from quart import g
from quart_auth import current_user
from werkzeug.exceptions import Forbidden, Unauthorized

from reception.domain.organisation import StaffMember, StaffRole
from reception.web.context import services

F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


async def load_staff() -> None:
    """before_request: resolve the session token to its live session and active member, or
    None (logged out, ended, idle too long, past its lifetime, or the account deactivated)."""
    g.staff = g.staff_session = None
    token = current_user.auth_id
    if not token:
        return
    signed_in = await services().security.sessions.resolve(token)
    if signed_in is not None:
        g.staff, g.staff_session = signed_in.member, signed_in.session


async def still_signed_in() -> bool:
    """For long-lived connections (a hearing's events): the session is still live (this also
    keeps it from idling out while the official is in the hearing)."""
    token = current_user.auth_id
    return token is not None and await services().security.sessions.resolve(token) is not None


def current_staff() -> StaffMember:
    member: StaffMember | None = g.get("staff")
    if member is None:
        raise Unauthorized()
    return member


# Who works with citizens, hearings and case files. An administrator account holds no such role
# (services/staff.py refuses the mix): separation of duties.
WORK_ROLES = (StaffRole.RECEPTIONIST, StaffRole.INSPECTOR, StaffRole.CASE_MANAGER,
              StaffRole.HEAD)


def staff_required(*roles: StaffRole) -> Callable[[F], F]:
    """Require a logged-in staff member holding at least one of `roles`; with none named, one
    of the WORK_ROLES — so a new route is closed to administrators unless it says otherwise
    (`any_staff`)."""
    wanted = set(roles or WORK_ROLES)

    def decorate(view: F) -> F:
        @wraps(view)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            member = current_staff()
            if not member.roles & wanted:
                raise Forbidden()
            return await view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


# Routes every signed-in account uses, administrators included (workspace, own account).
any_staff = staff_required(*StaffRole)
