"""Agencies and the people who work in them (docs/law.md §2.0 actors).

Local government has two tiers since 1 July 2025 (province and commune, districts abolished);
ministries and provinces have departments (sở, cục, thanh tra).
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from typing import NewType

AgencyId = NewType("AgencyId", uuid.UUID)
StaffId = NewType("StaffId", uuid.UUID)


class AgencyLevel(enum.StrEnum):
    """Where an agency (cơ quan, đơn vị) sits in the state apparatus."""

    CENTRAL = "central"  # Chính phủ, bộ, cơ quan ngang bộ (ministry level)
    PROVINCE = "province"  # UBND cấp tỉnh
    DEPARTMENT = "department"  # sở, ban, ngành; cục, tổng cục; thanh tra tỉnh/bộ
    COMMUNE = "commune"  # UBND cấp xã (phường, đặc khu) after the 2025 reform


class StaffRole(enum.StrEnum):
    """Roles a staff account may hold; one person may hold several."""

    RECEPTIONIST = "receptionist"  # cán bộ tiếp công dân
    INSPECTOR = "inspector"  # thanh tra viên, người xác minh
    CASE_MANAGER = "case_manager"  # chuyên viên theo dõi, xử lý đơn
    HEAD = "head"  # thủ trưởng: the person with resolution authority
    ADMINISTRATOR = "administrator"  # quản trị hệ thống


# Which levels an agency of a given level may sit under.
ALLOWED_PARENTS: dict[AgencyLevel, frozenset[AgencyLevel | None]] = {
    AgencyLevel.CENTRAL: frozenset({None, AgencyLevel.CENTRAL}),
    AgencyLevel.PROVINCE: frozenset({None}),
    AgencyLevel.DEPARTMENT: frozenset({AgencyLevel.CENTRAL, AgencyLevel.PROVINCE}),
    AgencyLevel.COMMUNE: frozenset({AgencyLevel.PROVINCE}),
}


def may_sit_under(level: AgencyLevel, parent_level: AgencyLevel | None) -> bool:
    """Whether an agency of `level` may have a parent of `parent_level` (None: top level)."""
    return parent_level in ALLOWED_PARENTS[level]


@dataclass(frozen=True, slots=True)
class Agency:
    id: AgencyId
    code: str
    name: str
    level: AgencyLevel
    parent_id: AgencyId | None = None
    transcription_language: str = "vi"  # "vi", "en" or "auto"


@dataclass(frozen=True, slots=True)
class StaffMember:
    id: StaffId
    agency_id: AgencyId
    login: str
    full_name: str
    roles: frozenset[StaffRole]
    email: str | None = None
    active: bool = True
    locale: str = "vi"

    def has(self, role: StaffRole) -> bool:
        return role in self.roles

    @property
    def is_admin(self) -> bool:
        return StaffRole.ADMINISTRATOR in self.roles
