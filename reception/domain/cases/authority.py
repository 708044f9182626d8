"""Who resolves (thẩm quyền) in the two-tier local government from 1/7/2025.

Complaints: docs/law.md §2.3.1 (LKN Arts. 7, 17-23, 51; ND141; L136 amending Art. 17).
Denunciations: §2.4.1 (LTC Arts. 12, 13). The agency tree is a plain value; no database.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from reception.domain.law.errors import AuthorityNotFound
from reception.domain.law.rulebook import Confidence
from reception.domain.organisation import AgencyId, AgencyLevel


class AgencyKind(enum.StrEnum):
    GOVERNMENT = "government"  # Chính phủ / Thủ tướng
    MINISTRY = "ministry"  # bộ, cơ quan ngang bộ
    MINISTRY_UNIT = "ministry_unit"  # cơ quan thuộc bộ (tổng cục, cục)
    PROVINCIAL_PC = "provincial_pc"  # UBND cấp tỉnh
    PROVINCIAL_DEPARTMENT = "provincial_department"  # sở
    DEPARTMENT_UNIT = "department_unit"  # cơ quan thuộc sở (chi cục)
    COMMUNE_PC = "commune_pc"  # UBND cấp xã
    COMMUNE_UNIT = "commune_unit"  # cơ quan chuyên môn thuộc UBND cấp xã
    PUBLIC_SERVICE_UNIT = "public_service_unit"  # đơn vị sự nghiệp công lập
    STATE_ENTERPRISE = "state_enterprise"  # doanh nghiệp nhà nước


@dataclass(frozen=True, slots=True)
class AgencyNode:
    id: AgencyId
    parent_id: AgencyId | None
    level: AgencyLevel
    kind: AgencyKind
    name: str = ""


@dataclass(frozen=True, slots=True)
class Resolver:
    """The head of `agency_id` resolves; `agency_id` None means no administrative instance
    (the next step is the court)."""

    agency_id: AgencyId | None
    title: str
    article: str
    confidence: Confidence


@dataclass(frozen=True, slots=True)
class ComplaintResolvers:
    first: Resolver
    second: Resolver

    def overdue_takeover(self) -> Resolver:
        """The second-instance authority may accept a first-time complaint whose period
        expired without a decision (LKN Arts. 20(2), 21(2), 23(2)-(3)) [H]."""
        return self.second


class AgencyTree:
    def __init__(self, nodes: Iterable[AgencyNode]) -> None:
        self._nodes: Mapping[AgencyId, AgencyNode] = {n.id: n for n in nodes}

    def node(self, agency_id: AgencyId) -> AgencyNode:
        try:
            return self._nodes[agency_id]
        except KeyError:
            raise AuthorityNotFound(f"agency {agency_id} is not in the tree") from None

    def parent(self, agency_id: AgencyId) -> AgencyNode:
        parent_id = self.node(agency_id).parent_id
        if parent_id is None:
            raise AuthorityNotFound(f"agency {agency_id} has no superior in the tree")
        return self.node(parent_id)

    def ancestor(self, agency_id: AgencyId, kind: AgencyKind) -> AgencyNode:
        node = self.node(agency_id)
        while node.kind is not kind:
            node = self.parent(node.id)
        return node

    def of_kind(self, kind: AgencyKind) -> AgencyNode:
        for node in self._nodes.values():
            if node.kind is kind:
                return node
        raise AuthorityNotFound(f"no {kind} in the tree")


H, M, L = Confidence.H, Confidence.M, Confidence.L

# issuer kind -> (first title, second title (head of the parent agency), article, confidence)
_ADMIN: dict[AgencyKind, tuple[str, str, str, Confidence]] = {
    AgencyKind.COMMUNE_PC: ("Chủ tịch UBND cấp xã", "Chủ tịch UBND cấp tỉnh",
                            "ND141; LKN Art. 17 as amended by L136", M),
    AgencyKind.COMMUNE_UNIT: ("Thủ trưởng cơ quan chuyên môn cấp xã", "Chủ tịch UBND cấp xã",
                              "LKN Art. 17 as amended (text not read)", L),
    AgencyKind.DEPARTMENT_UNIT: ("Thủ trưởng cơ quan thuộc sở", "Giám đốc sở",
                                 "LKN Arts. 19-20", H),
    AgencyKind.PROVINCIAL_DEPARTMENT: ("Giám đốc sở", "Chủ tịch UBND cấp tỉnh",
                                       "LKN Art. 21(2)", H),
    AgencyKind.MINISTRY_UNIT: ("Thủ trưởng cơ quan thuộc bộ", "Bộ trưởng", "LKN Art. 23(2)", H),
    AgencyKind.PUBLIC_SERVICE_UNIT: ("Người đứng đầu đơn vị sự nghiệp công lập",
                                     "Người đứng đầu cấp trên / cơ quan quản lý",
                                     "ND124 Art. 3; LKN Art. 3(2)", M),
    AgencyKind.STATE_ENTERPRISE: ("Người đại diện theo pháp luật của DNNN",
                                  "Người đứng đầu cơ quan quản lý", "ND124 Art. 3", M),
}  # fmt: skip


def complaint_resolvers(
    tree: AgencyTree,
    issuer_id: AgencyId,
    *,
    disciplinary: bool = False,
    sector_ministry_id: AgencyId | None = None,
    home_affairs_ministry_id: AgencyId | None = None,
) -> ComplaintResolvers:
    """First- and second-instance resolvers of a complaint against a decision or act issued
    by the head of `issuer_id` (or by people under that head's direct management)."""
    issuer = tree.node(issuer_id)
    if disciplinary:
        return _disciplinary(tree, issuer, home_affairs_ministry_id)
    if issuer.kind is AgencyKind.MINISTRY:
        first = Resolver(issuer.id, "Bộ trưởng", "LKN Art. 7(2)", H)
        return ComplaintResolvers(first, Resolver(None, "Tòa án (khởi kiện)", "LKN Art. 7(2)", H))
    if issuer.kind is AgencyKind.PROVINCIAL_PC:
        if sector_ministry_id is None:
            raise AuthorityNotFound("name the ministry of the sector (LKN Art. 23(3))")
        first = Resolver(issuer.id, "Chủ tịch UBND cấp tỉnh", "LKN Art. 7(3)", H)
        second = Resolver(sector_ministry_id, "Bộ trưởng quản lý ngành", "LKN Art. 23(3)", H)
        return ComplaintResolvers(first, second)
    if issuer.kind not in _ADMIN:
        raise AuthorityNotFound(f"no complaint rule for decisions of a {issuer.kind}")
    first_title, second_title, article, conf = _ADMIN[issuer.kind]
    superior = tree.parent(issuer.id)
    return ComplaintResolvers(
        Resolver(issuer.id, first_title, article, conf),
        Resolver(superior.id, second_title, article, conf),
    )


def _disciplinary(tree: AgencyTree, issuer: AgencyNode, home_affairs: AgencyId | None) -> ComplaintResolvers:
    first = Resolver(issuer.id, "Người đứng đầu đã ra quyết định kỷ luật", "LKN Art. 51", H)
    if issuer.kind in (AgencyKind.MINISTRY, AgencyKind.PROVINCIAL_PC):
        if home_affairs is None:
            raise AuthorityNotFound("name the Ministry of Home Affairs (LKN Art. 51)")
        return ComplaintResolvers(first, Resolver(home_affairs, "Bộ trưởng Bộ Nội vụ", "LKN Art. 51", H))
    superior = tree.parent(issuer.id)
    return ComplaintResolvers(
        first, Resolver(superior.id, "Người đứng đầu cơ quan cấp trên", "LKN Art. 51", H)
    )


class DenouncedPosition(enum.StrEnum):
    COMMUNE_OFFICIAL = "commune_official"  # công chức cấp xã
    COMMUNE_LEADER = "commune_leader"  # Chủ tịch, Phó Chủ tịch UBND cấp xã
    DEPARTMENT_UNIT_LEADER = "department_unit_leader"  # trưởng, phó đơn vị thuộc sở
    DEPARTMENT_LEADER = "department_leader"  # giám đốc, phó giám đốc sở
    MINISTER_OR_PROVINCIAL_LEADER = "minister_or_provincial_leader"


def denunciation_resolver(tree: AgencyTree, employer_id: AgencyId, position: DenouncedPosition) -> Resolver:
    """Who resolves a denunciation of an act in performance of duty (LTC Arts. 12-13)."""
    if position is DenouncedPosition.COMMUNE_OFFICIAL:
        pc = tree.ancestor(employer_id, AgencyKind.COMMUNE_PC)
        return Resolver(pc.id, "Chủ tịch UBND cấp xã", "LTC Art. 13(1)", H)
    if position is DenouncedPosition.COMMUNE_LEADER:
        province = tree.ancestor(employer_id, AgencyKind.PROVINCIAL_PC)
        return Resolver(province.id, "Chủ tịch UBND cấp tỉnh",
                        "LTC Art. 13(2) read after the district level was abolished", L)  # fmt: skip
    if position is DenouncedPosition.DEPARTMENT_UNIT_LEADER:
        dept = tree.ancestor(employer_id, AgencyKind.PROVINCIAL_DEPARTMENT)
        return Resolver(dept.id, "Giám đốc sở", "LTC Art. 13(3)", H)
    if position is DenouncedPosition.DEPARTMENT_LEADER:
        province = tree.ancestor(employer_id, AgencyKind.PROVINCIAL_PC)
        return Resolver(province.id, "Chủ tịch UBND cấp tỉnh", "LTC Art. 13(4)", H)
    government = tree.of_kind(AgencyKind.GOVERNMENT)
    return Resolver(government.id, "Thủ tướng Chính phủ (may delegate to the Tổng Thanh tra "
                    "Chính phủ, L136)", "LTC Art. 12; L136", M)  # fmt: skip
