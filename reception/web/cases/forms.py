"""The case pages' forms: registering a petition (đơn) received at a visit, by post, online or
forwarded by another body, and the extra records an action form carries (dispatch recipients,
publication medium, the document concerned). Validation reports one message per field."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from pydantic import BaseModel, Field, field_validator

from reception.domain import labels
from reception.domain.cases.case import ComplaintSubject, ProcessKind
from reception.domain.cases.case_file import Channel, ContestedDecision, PartyRole
from reception.domain.cases.facts import FactInput, coerce_fact
from reception.domain.law.events import FactValue
from reception.domain.organisation import StaffId
from reception.domain.text import is_one_line
from reception.i18n_marker import N_
from reception.services.cases.workflow import NewCase, NewParty
from reception.web.days import IssuedDay, in_range, out_of_range
from reception.web.forms import parse_form
from reception.web.i18n import gettext
from reception.web.text import OneLine

# What the register page offers, in the order a receptionist meets them (names from the one
# label table, domain/labels.py).
KINDS: dict[ProcessKind, str] = {k: labels.PROCESS_KINDS[k] for k in (
    ProcessKind.PETITION, ProcessKind.COMPLAINT, ProcessKind.DENUNCIATION,
    ProcessKind.RECOMMENDATION)}
CHANNELS: dict[Channel, str] = {c: labels.CASE_CHANNELS[c] for c in Channel}
ID_TYPES: dict[str, str] = {
    "CCCD": N_("Citizen identity card (CCCD)"),
    "CMND": N_("Old identity card (CMND)"),
    "PASSPORT": N_("Passport"),
}
SUBJECTS: dict[ComplaintSubject, str] = {s: labels.COMPLAINT_SUBJECTS[s] for s in ComplaintSubject}
# Who the petitioner is, by kind; a denouncer's identity goes sealed to the vault (LTC Art. 47).
PRINCIPAL: dict[ProcessKind, PartyRole] = {
    ProcessKind.PETITION: PartyRole.PETITIONER,
    ProcessKind.COMPLAINT: PartyRole.COMPLAINANT,
    ProcessKind.DENUNCIATION: PartyRole.DENOUNCER,
    ProcessKind.RECOMMENDATION: PartyRole.PETITIONER,
}
RESPONDENT: dict[ProcessKind, PartyRole] = {
    ProcessKind.PETITION: PartyRole.COMPLAINEE,
    ProcessKind.COMPLAINT: PartyRole.COMPLAINEE,
    ProcessKind.DENUNCIATION: PartyRole.DENOUNCED,
}
REGISTER_MESSAGES = {
    "kind": N_("Choose what kind of petition this is."),
    "channel": N_("Choose how the petition arrived."),
    "received_on": N_("Enter the day it was received, not later than today."),
    "full_name": N_("Enter the full name (at least 2 characters)."),
    "address": N_("The address is too long (500 characters at most)."),
    "id_type": N_("Choose the kind of identity document."),
    "id_number": N_("An ID number has 6 to 16 letters or digits."),
    "contact": N_("The contact is too long (255 characters at most)."),
    "respondent": N_("The name is too long (255 characters at most)."),
    "summary": N_("Write the content of the petition (at least 3 characters)."),
    "subject": N_("Choose what the complaint is about."),
    "contested_number": N_("Enter the number of the contested decision."),
    "contested_issued_on": N_("Enter a valid date of issue."),
    "contested_issuer": N_("Enter who issued the contested decision."),
}


class RegisterForm(BaseModel):
    kind: ProcessKind
    channel: Channel
    received_on: date | None = None
    full_name: OneLine = Field(min_length=2, max_length=255)
    address: OneLine | None = Field(default=None, max_length=500)
    id_type: str | None = Field(default=None, pattern=r"^(CCCD|CMND|PASSPORT)$")
    id_number: str | None = Field(default=None, pattern=r"^[0-9A-Za-z]{6,16}$")
    contact: OneLine | None = Field(default=None, max_length=255)
    respondent: OneLine | None = Field(default=None, max_length=255)
    summary: str = Field(min_length=3, max_length=10000)
    subject: ComplaintSubject = ComplaintSubject.ADMINISTRATIVE
    contested_number: OneLine | None = Field(default=None, max_length=64)
    contested_issued_on: IssuedDay | None = None
    contested_issuer: OneLine | None = Field(default=None, max_length=255)

    @field_validator("id_number", mode="before")
    @classmethod
    def _without_spaces(cls, value: object) -> object:
        """'079 123 456 789' as printed on the card: the number without its spaces."""
        return re.sub(r"[\s.\-]", "", value) if isinstance(value, str) else value

    @field_validator("kind")
    @classmethod
    def _registrable(cls, kind: ProcessKind) -> ProcessKind:
        if kind not in KINDS:
            raise ValueError("not registrable here")
        return kind


def parse_registration(form: Mapping[str, str], today: date) -> tuple[NewCase | None, dict[str, str]]:
    """The case to register, or None and {field: message}. Blank fields count as not given."""
    fields = {k: v.strip() for k, v in form.items() if k != "csrf_token" and v.strip()}
    data, errors = parse_form(RegisterForm, fields, REGISTER_MESSAGES)
    if data is None:
        return None, errors
    if data.received_on and data.received_on > today:
        field = "received_on"
        errors[field] = gettext(REGISTER_MESSAGES[field])
    contested = None
    if data.kind is ProcessKind.COMPLAINT and (data.contested_number or data.contested_issuer
                                               or data.contested_issued_on):
        # A complaint names the decision or act it contests (LKN Art. 8(2)): all or nothing.
        for name in ("contested_number", "contested_issuer"):
            if not getattr(data, name):
                errors[name] = gettext(REGISTER_MESSAGES[name])
        contested = ContestedDecision(data.contested_number or "", data.contested_issued_on,
                                      data.contested_issuer or "")
    if errors:
        return None, errors
    parties = [NewParty(PRINCIPAL[data.kind], data.full_name, data.address, data.id_type,
                        data.id_number, data.contact)]
    if data.respondent and data.kind in RESPONDENT:
        parties.append(NewParty(RESPONDENT[data.kind], data.respondent))
    subject = data.subject if data.kind is ProcessKind.COMPLAINT else ComplaintSubject.ADMINISTRATIVE
    return NewCase(data.kind, data.channel, data.summary, parties, subject, contested,
                   data.received_on), {}


# --- the records an action form may carry (the API's recipients / publication_medium) -----

SEND_CHANNELS: dict[str, str] = {
    "post": N_("By post"),
    "hand": N_("Handed over in person"),
    "email": N_("By e-mail"),
    "online": N_("Through the online portal"),
}
MEDIUMS: dict[str, str] = {
    "posted": N_("Posted at the office"),
    "website": N_("On the agency's website"),
    "meeting": N_("Announced at a meeting"),
    "press": N_("In the press"),
}
_SENDING = ("dispatch_", "send_", "notify_", "reply_", "return_", "transfer", "answer", "refer",
            "guide_", "sign_refusal")


def sends_documents(action: str) -> bool:
    """Actions that send a document to someone: their form asks who, and how."""
    return action.startswith(_SENDING)


def publishes(action: str) -> bool:
    return action.startswith(("publish_", "publicize"))


def dispatch_records(form: Any) -> tuple[list[tuple[str, str]], str | None, uuid.UUID | None]:
    """Recipients (name, channel), publication medium and document from an action form;
    raises ValueError on a value the lists do not offer."""
    recipients: list[tuple[str, str]] = []
    for key in form:
        if not key.startswith("recipient_"):
            continue
        name = (form.get(key) or "").strip()
        if not name:
            continue
        channel = form.get("channel_" + key.removeprefix("recipient_"), "")
        if len(name) < 2 or not is_one_line(name) or channel not in SEND_CHANNELS:
            raise ValueError(key)
        recipients.append((name[:255], channel))
    medium = form.get("publication_medium") or None
    if medium is not None and medium not in MEDIUMS:
        raise ValueError("publication_medium")
    document = form.get("document_id") or None
    return recipients, medium, uuid.UUID(document) if document else None


# --- the answers an action form carries (domain/cases/questions.py phrases the questions) --

ANSWER_THIS = N_("Answer this question.")
CHOOSE_VERIFIER = N_("Choose who verifies: at least one inspector of the agency.")


def field_id(action: str, name: str) -> str:
    """The id of an action form's input (the error summary links to it)."""
    return f"f-{action}-{name}"


def action_facts(action: str, inputs: Sequence[FactInput],
                 form: Any) -> tuple[dict[str, FactValue], dict[str, str]]:
    """The facts answered in an action form, and {input id: message} for the ones left blank
    or not among the law's choices. A confirmation left unticked is an answer ("no"): the
    engine then refuses, naming what was not confirmed and why."""
    facts: dict[str, FactValue] = {}
    errors: dict[str, str] = {}
    for spec in inputs:
        raw = (form.get(f"fact_{spec.name}") or "").strip()
        if spec.kind == "bool":
            facts[spec.name] = raw == "true"
            continue
        if spec.kind == "choice" and len(spec.choices) == 1 and not raw:
            continue  # the single statement was not confirmed
        if not raw:
            errors[field_id(action, spec.name)] = gettext(ANSWER_THIS)
            continue
        try:
            facts[spec.name] = coerce_fact(spec, raw)
        except ValueError:
            errors[field_id(action, spec.name)] = gettext(N_("Check this value."))
            continue
        value = facts[spec.name]
        if isinstance(value, date) and not in_range(value):  # clocks count from fact days
            errors[field_id(action, spec.name)] = out_of_range()
    return facts, errors


def verifier_ids(form: Any) -> list[StaffId]:
    """The chosen verifiers, the lead first, each once (raises ValueError on a forged id)."""
    chosen: list[StaffId] = []
    for value in form.getlist("verifier_ids"):
        if value and StaffId(uuid.UUID(value)) not in chosen:
            chosen.append(StaffId(uuid.UUID(value)))
    return chosen
