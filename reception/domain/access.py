"""Who may do what to which case object: the one authorisation matrix (role × permission ×
object → scope), and the mapping of staff roles to the statute's actors (docs/law.md §2.0).

Scopes are enforced by the case queries themselves (an out-of-scope case is not found, so
another agency's ids answer 404, never 403 — no existence oracle)."""

from __future__ import annotations

import enum
from collections.abc import Iterable

from reception.domain.law.workflow import Role
from reception.domain.organisation import StaffRole


class Permission(enum.StrEnum):
    LIST = "list"
    VIEW = "view"
    REGISTER = "register"
    ACT = "act"  # take a workflow action (the engine then judges role, state and guards)
    UPLOAD = "upload"
    DOWNLOAD = "download"
    GENERATE = "generate"  # draw up an official form as PDF
    REVEAL = "reveal"  # see a denouncer's identity (LTC Art. 47: resolver and verifiers only)
    EXPORT = "export"
    DASHBOARD = "dashboard"
    APPROVE = "approve"  # lock a hearing transcript as the record


class ObjectType(enum.StrEnum):
    CASE = "case"
    DOCUMENT = "document"
    PARTY = "party"
    CASE_SET = "case_set"  # lists, dashboard, exports
    TRANSCRIPT = "transcript"  # a hearing's transcript
    RECORDING = "recording"  # a hearing member's recording file
    EVIDENCE = "evidence"  # a passage of a hearing quoted in a case file


class Scope(enum.IntEnum):
    """How far a permission reaches; larger includes smaller."""

    ASSIGNED = 1  # cases the person is assigned to verify
    AGENCY = 2  # the person's own agency
    AGENCY_TREE = 3  # own agency and every agency below it


R, V, C, H = StaffRole.RECEPTIONIST, StaffRole.INSPECTOR, StaffRole.CASE_MANAGER, StaffRole.HEAD
P, Ob = Permission, ObjectType
_CASE_WORK = ((P.VIEW, Ob.CASE), (P.ACT, Ob.CASE), (P.UPLOAD, Ob.DOCUMENT),
              (P.DOWNLOAD, Ob.DOCUMENT), (P.GENERATE, Ob.DOCUMENT), (P.VIEW, Ob.PARTY))
_SETS = ((P.LIST, Ob.CASE_SET), (P.DASHBOARD, Ob.CASE_SET), (P.EXPORT, Ob.CASE_SET))

_HEARING_RECORD = ((P.VIEW, Ob.TRANSCRIPT), (P.ACT, Ob.TRANSCRIPT), (P.APPROVE, Ob.TRANSCRIPT),
                   (P.EXPORT, Ob.TRANSCRIPT), (P.VIEW, Ob.RECORDING))

MATRIX: dict[tuple[StaffRole, Permission, ObjectType], Scope] = {
    # Reception officers register what they receive and follow their own agency's files.
    **{(R, p, o): Scope.AGENCY for p, o in (*_CASE_WORK, (P.REGISTER, Ob.CASE_SET),
                                             (P.LIST, Ob.CASE_SET))},
    # Case handlers (người xử lý đơn) run the files of their agency and the ones below.
    **{(C, p, o): Scope.AGENCY_TREE for p, o in (*_CASE_WORK, (P.REGISTER, Ob.CASE_SET), *_SETS)},
    # Heads (người giải quyết) see their tree, and are the resolver who may reveal a denouncer.
    **{(H, p, o): Scope.AGENCY_TREE for p, o in (*_CASE_WORK, *_SETS)},
    (H, P.REVEAL, Ob.PARTY): Scope.AGENCY,
    # Verifiers work on the cases they are assigned to, and may reveal there (LTC Art. 47).
    **{(V, p, o): Scope.ASSIGNED for p, o in (*_CASE_WORK, (P.REVEAL, Ob.PARTY))},
    (V, P.LIST, Ob.CASE_SET): Scope.ASSIGNED,
    # Administrators manage accounts; they hold no case permission (separation of duties).
    # Hearing transcripts and recordings: the staff who hold hearings (receptionists, inspectors,
    # heads) and follow cases review, approve, export and play back their own agency's.
    **{(role, p, o): Scope.AGENCY for role in (R, V, C, H) for p, o in _HEARING_RECORD},
    # Evidence links (passages of hearings quoted in a case file) reach as far as the case work.
    **{(R, p, Ob.EVIDENCE): Scope.AGENCY for p in (P.VIEW, P.REGISTER)},
    **{(role, p, Ob.EVIDENCE): Scope.AGENCY_TREE for role in (C, H) for p in (P.VIEW, P.REGISTER)},
    # Verifiers quote hearings as evidence for the findings of the cases they verify.
    **{(V, p, Ob.EVIDENCE): Scope.ASSIGNED for p in (P.VIEW, P.REGISTER)},
}


def scope_for(roles: Iterable[StaffRole], permission: Permission, obj: ObjectType) -> Scope | None:
    """The widest scope any of `roles` grants for (permission, object), or None."""
    scopes = [MATRIX[(r, permission, obj)] for r in roles if (r, permission, obj) in MATRIX]
    return max(scopes) if scopes else None


# Staff role → actor of the statute. Inspectors act as verifiers only where assigned.
WORKFLOW_ROLES: dict[StaffRole, frozenset[Role]] = {
    StaffRole.RECEPTIONIST: frozenset({Role.RO}),
    StaffRole.CASE_MANAGER: frozenset({Role.PH}),
    StaffRole.HEAD: frozenset({Role.HEAD, Role.SYS}),
    StaffRole.INSPECTOR: frozenset({Role.VER}),
    StaffRole.ADMINISTRATOR: frozenset(),
}
# Staff who may record what a citizen did on paper (a withdrawal letter, a second complaint).
RECORDS_FOR_CITIZEN = frozenset({StaffRole.RECEPTIONIST, StaffRole.CASE_MANAGER})


def workflow_roles(roles: Iterable[StaffRole], *, own_agency: bool, assigned: bool,
                   superior: bool) -> tuple[Role, ...]:
    """The actors a staff member may act as on one case, most specific first.

    `own_agency`: the case belongs to their agency (only its head resolves it); `assigned`:
    they are on its verification team; `superior`: the case belongs to an agency directly
    below theirs (a head there acts as thủ trưởng cấp trên, SUP)."""
    held = frozenset(roles)
    result: list[Role] = []
    if StaffRole.HEAD in held and own_agency:
        result += sorted(WORKFLOW_ROLES[StaffRole.HEAD])
    for staff_role in (StaffRole.CASE_MANAGER, StaffRole.RECEPTIONIST):
        if staff_role in held:
            result += sorted(WORKFLOW_ROLES[staff_role])
    if StaffRole.INSPECTOR in held and assigned:
        result.append(Role.VER)
    if StaffRole.HEAD in held and superior:
        result.append(Role.SUP)
    if held & RECORDS_FOR_CITIZEN:
        result.append(Role.CIT)
    return tuple(dict.fromkeys(result))
