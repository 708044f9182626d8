"""JSON API (v1) for agencies and staff; errors are problem+json (web/errors.py)."""

from __future__ import annotations

from dataclasses import asdict

from quart import Blueprint
from quart_schema import validate_request

from reception.domain.organisation import Agency, AgencyId, StaffMember, StaffRole
from reception.services.staff import NewAgency, NewStaff
from reception.web.admin.schemas import AgencyIn, StaffIn
from reception.web.context import services
from reception.web.security.access import any_staff, current_staff, staff_required

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
admin_only = staff_required(StaffRole.ADMINISTRATOR)


def _agency(a: Agency) -> dict[str, object]:
    return {**asdict(a), "id": str(a.id), "parent_id": str(a.parent_id) if a.parent_id else None}


def _member(m: StaffMember) -> dict[str, object]:
    return {"id": str(m.id), "agency_id": str(m.agency_id), "login": m.login,
            "full_name": m.full_name, "email": m.email, "roles": sorted(m.roles),
            "active": m.active}


@blueprint.get("/me")
@any_staff
async def me() -> dict[str, object]:
    return _member(current_staff())


@blueprint.get("/agencies")
@any_staff
async def list_agencies() -> dict[str, object]:
    return {"items": [_agency(a) for a in await services().staff.list_agencies()]}


@blueprint.post("/agencies")
@admin_only
@validate_request(AgencyIn)
async def create_agency(data: AgencyIn) -> tuple[dict[str, object], int]:
    agency = await services().staff.create_agency(current_staff(), NewAgency(
        data.code, data.name, data.level, AgencyId(data.parent_id) if data.parent_id else None))
    return _agency(agency), 201


@blueprint.get("/staff")
@admin_only
async def list_staff() -> dict[str, object]:
    return {"items": [_member(m) for m in await services().staff.list_staff()]}


@blueprint.post("/staff")
@admin_only
@validate_request(StaffIn)
async def create_staff(data: StaffIn) -> tuple[dict[str, object], int]:
    member = await services().staff.create_staff(current_staff(), NewStaff(
        AgencyId(data.agency_id), data.login, data.full_name, data.password,
        frozenset(data.roles), data.email))
    return _member(member), 201
