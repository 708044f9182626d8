"""JSON shapes of case files for the API (one place, shared by the API and tests)."""

from __future__ import annotations

from datetime import date
from typing import Any

from reception.domain.cases.case_file import CaseFile, Document
from reception.domain.cases.status import Obligation
from reception.domain.law.events import FactValue
from reception.services.cases.files import CaseDetail
from reception.services.errors import Invalid
from reception.web.days import DAY_MESSAGE, bounds, in_range


def plain_facts(raw: dict[str, Any]) -> dict[str, FactValue]:
    """JSON facts as engine facts: ISO dates become dates, lists become tuples."""
    facts: dict[str, FactValue] = {}
    for key, value in raw.items():
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                day = date.fromisoformat(value)
            except ValueError:
                pass
            else:  # a day the engine counts clocks from: within the days it can reason about
                if not in_range(day):
                    raise Invalid(DAY_MESSAGE, field=key, **bounds())
                facts[key] = day
                continue
        if isinstance(value, list):
            facts[key] = tuple(str(v) for v in value)
        elif isinstance(value, str | int | bool) or value is None:
            facts[key] = value
    return facts


def case_json(c: CaseFile) -> dict[str, object]:
    return {"id": str(c.id), "reference": c.reference, "agency_id": str(c.agency_id),
            "kind": c.kind.value, "subject": c.subject.value, "instance": c.instance,
            "state": c.state, "version": c.version, "channel": c.channel.value,
            "opened_on": c.opened_on.isoformat(), "summary": c.summary, "principal": c.principal_name,
            "parent_id": str(c.parent_id) if c.parent_id else None, "closed": c.closed,
            "content_type": c.content_type,
            "next_due": c.next_due.isoformat() if c.next_due else None, "next_rule": c.next_rule,
            "resolved_on": c.resolved_on.isoformat() if c.resolved_on else None,
            "resolved_on_time": c.resolved_on_time}


def document_json(d: Document) -> dict[str, object]:
    return {"id": str(d.id), "title": d.title, "origin": d.origin, "form_key": d.form_key,
            "media_type": d.media_type, "size_bytes": d.size_bytes, "sha256": d.sha256,
            "published": d.published}


def deadline_json(o: Obligation) -> dict[str, object]:
    return {"rule_id": o.deadline.rule_id, "due": o.deadline.due.isoformat(),
            "counted_from": o.deadline.trigger.isoformat(), "article": o.deadline.article,
            "days_left": o.days_left, "overdue": o.overdue, "paused": o.paused,
            "uncertain": o.uncertain,
            # The law read another way (docs/law.md §4.1): shown, not used for alerts.
            "other_readings": [{"due": c.due.isoformat(), "period": c.period, "unit": c.unit.value,
                                "article": c.article, "confidence": c.confidence.value}
                               for c in o.other_readings]}


def detail_json(d: CaseDetail) -> dict[str, object]:
    return {
        **case_json(d.case),
        "suspended": d.status.suspended,
        # The office's duties; `dates`: a party's windows and the days things take effect
        # (docs/law.md §1 "Whose"), never overdue.
        "obligations": [deadline_json(o) for o in d.status.obligations],
        "dates": [{**deadline_json(o), "nature": o.deadline.nature.value,
                   "day": o.day.isoformat()} for o in d.status.dates],
        "parties": [{"id": str(p.id), "role": p.role.value, "name": p.display_name,
                     "sealed": p.sealed, "organisation": p.organisation} for p in d.parties],
        "events": [{"seq": e.event.seq, "on": e.event.on.isoformat(), "action": e.event.action,
                    "actor": e.actor_label, "actor_role": e.event.actor_role,
                    "from": e.event.from_state, "to": e.event.to_state,
                    "legal_basis": e.event.legal_basis} for e in d.events],
        "actions": [{"action": o.allowed.action, "as": o.role.value, "target": o.allowed.target,
                     "legal_basis": o.allowed.legal_basis, "conditions": list(o.allowed.conditions),
                     "inputs": [{"name": i.name, "kind": i.kind, "reason": i.reason} for i in o.inputs]}
                    for o in d.options],
        "documents": [document_json(x) for x in d.documents],
        "dispatches": [{"id": str(x.id), "recipient": x.recipient, "channel": x.channel,
                        "sent_on": x.sent_on.isoformat(),
                        "delivered_on": x.delivered_on.isoformat() if x.delivered_on else None}
                       for x in d.dispatches],
        "publications": [{"medium": x.medium, "start_on": x.start_on.isoformat()} for x in d.publications],
        "verifiers": [{"staff_id": str(a.staff_id), "lead": a.lead} for a in d.assignments],
        "forms": d.forms,
        "may_reveal": d.may_reveal,
    }
