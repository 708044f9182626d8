"""Demo organisation and accounts for `make run` (idempotent: existing entries are kept)."""

from __future__ import annotations

from reception.domain.organisation import AgencyId, AgencyLevel, StaffRole
from reception.services.staff import NewAgency, NewStaff, StaffService

DEMO_PASSWORD = "demo-password-2026"

# (code, name, level, parent code)
AGENCIES = [
    ("TTCP", "Thanh tra Chính phủ", AgencyLevel.CENTRAL, None),
    ("HN", "Ủy ban nhân dân thành phố Hà Nội", AgencyLevel.PROVINCE, None),
    ("HN-TT", "Thanh tra thành phố Hà Nội", AgencyLevel.DEPARTMENT, "HN"),
    ("HN-BADINH", "Ủy ban nhân dân phường Ba Đình", AgencyLevel.COMMUNE, "HN"),
]
# (login, full name, agency code, roles)
STAFF = [
    ("admin", "Quản trị hệ thống", "HN-TT", {StaffRole.ADMINISTRATOR}),
    ("tiepdan", "Nguyễn Thị Lan", "HN-TT", {StaffRole.RECEPTIONIST}),
    ("thanhtra", "Trần Văn Minh", "HN-TT", {StaffRole.INSPECTOR}),
    ("theodoi", "Lê Thu Hà", "HN-TT", {StaffRole.CASE_MANAGER}),
    ("thutruong", "Phạm Quốc Hùng", "HN-TT", {StaffRole.HEAD}),
]


async def seed_demo(staff: StaffService) -> list[str]:
    """Create what is missing; return a line for each thing created."""
    created: list[str] = []
    by_code = {a.code: a for a in await staff.list_agencies()}
    for code, name, level, parent in AGENCIES:
        if code not in by_code:
            parent_id = AgencyId(by_code[parent].id) if parent else None
            by_code[code] = await staff.create_agency(None, NewAgency(code, name, level, parent_id))
            created.append(f"agency {code}")
    logins = {m.login for m in await staff.list_staff()}
    for login, full_name, code, roles in STAFF:
        if login not in logins:
            await staff.create_staff(None, NewStaff(by_code[code].id, login, full_name,
                                                    DEMO_PASSWORD, frozenset(roles)))
            created.append(f"staff {login}")
    return created
