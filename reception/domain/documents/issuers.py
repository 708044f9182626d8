"""Who issues (and so signs) each official document, and the title printed under the
signature (docs/law.md §3.11). Decisions and the notices the resolver signs are the head's
acts; the receipt and the minutes are the receiving or chairing official's."""

from __future__ import annotations

from reception.domain.organisation import StaffRole

# Forms whose printed signer is the head of the agency or the resolver (người giải quyết),
# who is the head (LKN Art. 18, LTC Art. 12; §3.5 for the refusal notice).
HEAD_ISSUED = frozenset({"refusal_01", "complaint_acceptance", "first_decision",
                         "denunciation_acceptance", "denounced_notice"})

TITLES = (  # first match wins: the highest function the person holds
    (StaffRole.HEAD, "Thủ trưởng cơ quan"),
    (StaffRole.INSPECTOR, "Thanh tra viên"),
    (StaffRole.RECEPTIONIST, "Cán bộ tiếp công dân"),
    (StaffRole.CASE_MANAGER, "Chuyên viên xử lý đơn"),
    (StaffRole.ADMINISTRATOR, "Quản trị hệ thống"),
)


def head_issues(form_key: str) -> bool:
    return form_key in HEAD_ISSUED


def may_issue(form_key: str, roles: frozenset[StaffRole]) -> bool:
    """Whether a person with `roles` may issue (and so sign) this form: the one rule both the
    case page's list of forms and the service's refusal follow."""
    return not head_issues(form_key) or StaffRole.HEAD in roles


def signer_title(roles: frozenset[StaffRole]) -> str:
    """The function printed in the visible signature block, in Vietnamese."""
    return next((title for role, title in TITLES if role in roles), "Cán bộ")
