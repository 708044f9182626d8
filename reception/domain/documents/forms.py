"""When an official form may be issued from a case file.

A notice or a decision records an act of the process (docs/law.md §3): it is drawn up when the
act is the case's next step (to be signed with it) or once the act is done, never before — a
signed "decision on the complaint" for a complaint not yet accepted would be evidence of an act
that never happened. The receipt (Mẫu 02/TCD) is issued whenever documents are received. The
written refusal to receive (Mẫu 01/TCD) answers a person who comes back on a matter already
resolved (LTCD Art. 9(3)) or with nothing new (ND154 Art. 4(1)(h); docs/law.md §2.1.3 #4, §3.5):
it is issued from the closed case file of that matter."""

from __future__ import annotations

from collections.abc import Iterable

from reception.domain.law.workflow import Process

ANY_TIME = frozenset({"receipt_02"})
AFTER_CLOSING = frozenset({"refusal_01"})
# form key -> the statutory form (a transition's `forms`) it is the document of
STATUTORY = {
    "complaint_acceptance": "complaint.acceptance_notice",
    "dialogue_minutes": "complaint.dialogue_minutes",
    "first_decision": "complaint.decision",
    "denunciation_acceptance": "denunciation.acceptance_decision",
    "denounced_notice": "denunciation.content_notice_denounced",
}


def may_draw_up(form_key: str, process: Process, state: str, closed: bool,
                done: Iterable[str]) -> bool:
    """Whether the case (in `state`, `closed` or not, with the actions `done` in its history)
    may produce this form now."""
    if form_key in ANY_TIME:
        return True
    if form_key in AFTER_CLOSING:
        return closed
    statutory = STATUTORY.get(form_key)
    acts = [t for t in process.transitions if statutory is not None and statutory in t.forms]
    done = set(done)
    return any(t.action in done or (state in t.sources and not closed) for t in acts)
