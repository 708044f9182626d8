"""Pure helpers the case services share: search keys, the plain-language phase a citizen
sees and agency trees."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from reception.domain.organisation import Agency, AgencyId


def N_(message: str) -> str:  # noqa: N802 - marks a msgid; the domain imports no i18n code
    return message


VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def local_today(now: datetime) -> date:
    """The calendar day in Vietnam: statutory days are counted there, not in UTC."""
    return (now if now.tzinfo else now.replace(tzinfo=UTC)).astimezone(VIETNAM).date()


def search_key(text: str) -> str:
    """Lower-case without diacritics ('Nguyễn Văn Đức' → 'nguyen van duc') for prefix search."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


# Coarse phases in plain words for citizens; the statute's term is shown beside them. Matched on
# the whole state name after its process prefix ("C_DIALOGUE_NOTIFIED" is a dialogue, not the
# decision sent, C_NOTIFIED).
PHASES: tuple[tuple[str, frozenset[str]], ...] = (
    (N_("Closed"), frozenset({
        "CLOSED", "NOT_ELIGIBLE", "NOT_ACCEPTED", "NOT_PROCESSED", "TERMINATED", "TRANSFERRED",
        "GUIDED", "RETURNED_TO_FORWARDER", "ESCALATED", "IN_COURT", "FURTHER", "CRIMINAL",
        "PROPOSED_ACCEPT", "COMPLAINT_NOT_ACCEPTABLE_REPLY", "URGED_LOWER", "SPLIT_GUIDED",
        "PARTY_REFERRAL", "CRIMINAL_REFERRAL", "ANON_INFO"})),
    (N_("Suspended for now"), frozenset({"SUSPENDED"})),
    (N_("A decision or conclusion has been issued"), frozenset({
        "DECIDED", "NOTIFIED", "PUBLISHED", "AWAITING_EFFECT", "EFFECTIVE", "ENFORCING",
        "CONCLUDED", "HANDLING", "PUBLICIZED", "MONITORING", "ANSWERED"})),
    (N_("Dialogue with the parties"), frozenset({"DIALOGUE_NOTIFIED", "DIALOGUE_DONE"})),
    (N_("Being verified"), frozenset({"VERIFYING", "VERIFIED", "DRAFTING", "RECHECK", "CONSIDERING"})),
    (N_("Accepted for resolution"), frozenset({"ACCEPTED"})),
)
RECEIVED_PHASE = N_("Received, being examined")


def public_phase(state: str) -> str:
    name = state.split("_", 1)[1] if "_" in state else state
    for phase, names in PHASES:
        if name in names:
            return phase
    return RECEIVED_PHASE


def agency_subtree(agencies: Iterable[Agency], root: AgencyId) -> frozenset[AgencyId]:
    """`root` and every agency below it."""
    children: dict[AgencyId | None, list[AgencyId]] = {}
    for a in agencies:
        children.setdefault(a.parent_id, []).append(a.id)
    found, stack = {root}, [root]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return frozenset(found)
