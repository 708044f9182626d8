"""The one label table: the English msgid of every enum value and rule title the product shows
to people — case states and actions (cases/labels.py), workflow and staff roles, party roles,
session kinds, booking statuses and subjects, channels, process kinds and the title of every
statutory time limit. The catalogs translate them (Vietnamese first); pages look them up through
web/rendering/labels.py and the PDF forms through the Vietnamese catalog, so no raw code or English word
reaches a Vietnamese page. A unit test fails when an enum or a rule gains a value this table
does not name."""

from __future__ import annotations

from collections.abc import Mapping

from reception.domain.booking import BookingStatus, SessionKind, Subject
from reception.domain.booking import Channel as BookingChannel
from reception.domain.cases.case import ComplaintSubject, ProcessKind
from reception.domain.cases.case_file import Channel as CaseChannel
from reception.domain.cases.case_file import PartyRole
from reception.domain.cases.labels import ACTIONS, STATES
from reception.domain.law.rulebook import Unit
from reception.domain.law.workflow import Role
from reception.domain.organisation import AgencyLevel, StaffRole


def N_(message: str) -> str:  # noqa: N802 - marks a msgid; the domain imports no i18n code
    return message


PARTY_ROLES: dict[str, str] = {
    PartyRole.COMPLAINANT: N_("Complainant"),
    PartyRole.DENOUNCER: N_("Denouncer"),
    PartyRole.PETITIONER: N_("Petitioner"),
    PartyRole.REPRESENTATIVE: N_("Representative"),
    PartyRole.GROUP_MEMBER: N_("Group member"),
    PartyRole.COMPLAINEE: N_("Person complained against"),
    PartyRole.DENOUNCED: N_("Person denounced"),
    PartyRole.THIRD_PARTY: N_("Person with related rights and obligations"),
}
# The statute's actors (docs/law.md §2.0), as the case page names who acts next.
WORKFLOW_ROLES: dict[str, str] = {
    Role.CIT: N_("The citizen"),
    Role.REP: N_("The citizen's representative"),
    Role.RO: N_("The reception officer"),
    Role.PH: N_("The petition handler"),
    Role.HEAD: N_("The head (resolver)"),
    Role.VER: N_("The verifier"),
    Role.RESP: N_("The person complained against or denounced"),
    Role.TP: N_("A person with related rights and obligations"),
    Role.SUP: N_("The head of the superior body"),
    Role.POL: N_("The police"),
    Role.SYS: N_("The system (deadline reached)"),
}
STAFF_ROLES: dict[str, str] = {
    StaffRole.RECEPTIONIST: N_("Receptionist"),
    StaffRole.INSPECTOR: N_("Inspector / verifier"),
    StaffRole.CASE_MANAGER: N_("Case manager"),
    StaffRole.HEAD: N_("Head of agency"),
    StaffRole.ADMINISTRATOR: N_("Administrator"),
}
AGENCY_LEVELS: dict[str, str] = {
    AgencyLevel.CENTRAL: N_("Central (ministry)"),
    AgencyLevel.PROVINCE: N_("Province"),
    AgencyLevel.DEPARTMENT: N_("Department"),
    AgencyLevel.COMMUNE: N_("Commune"),
}
SESSION_KINDS: dict[str, str] = {
    SessionKind.REGULAR: N_("Regular hours of the reception office"),
    SessionKind.PERIODIC: N_("Periodic reception by the head"),
    SessionKind.AD_HOC: N_("Ad-hoc (urgent) session"),
}
BOOKING_STATUSES: dict[str, str] = {
    BookingStatus.BOOKED: N_("Booked"),
    BookingStatus.OPENED: N_("Hearing open"),
    BookingStatus.ADMITTED: N_("In the hearing"),
    BookingStatus.COMPLETED: N_("Completed"),
    BookingStatus.CANCELLED: N_("Cancelled"),
    BookingStatus.NO_SHOW: N_("Did not attend"),
}
SUBJECTS: dict[str, str] = {
    Subject.COMPLAINT: N_("Complaint (khiếu nại)"),
    Subject.DENUNCIATION: N_("Denunciation (tố cáo)"),
    Subject.PETITION: N_("Petition or proposal (kiến nghị)"),
    Subject.REFLECTION: N_("Reflection (phản ánh)"),
}
BOOKING_CHANNELS: dict[str, str] = {
    BookingChannel.ONLINE: N_("Booked online by the citizen"),
    BookingChannel.WALK_IN: N_("Walk-in at the office"),
    BookingChannel.PHONE: N_("By phone"),
}
CASE_CHANNELS: dict[str, str] = {
    CaseChannel.VISIT: N_("At a reception visit"),
    CaseChannel.POST: N_("By post"),
    CaseChannel.ONLINE: N_("Through the online form"),
    CaseChannel.FORWARDED: N_("Forwarded by another agency"),
    CaseChannel.BOX: N_("Petition box"),
}
PROCESS_KINDS: dict[str, str] = {
    ProcessKind.RECEPTION_SESSION: N_("Reception session"),
    ProcessKind.VISIT: N_("Reception visit"),
    ProcessKind.PETITION: N_("Petition, not yet classified"),
    ProcessKind.COMPLAINT: N_("Complaint"),
    ProcessKind.DENUNCIATION: N_("Denunciation"),
    ProcessKind.PROTECTION: N_("Denouncer protection"),
    ProcessKind.RECOMMENDATION: N_("Recommendation or feedback"),
}
COMPLAINT_SUBJECTS: dict[str, str] = {
    ComplaintSubject.ADMINISTRATIVE: N_("An administrative decision or act"),
    ComplaintSubject.DISCIPLINARY: N_("A disciplinary decision against an official"),
}
UNITS: dict[str, str] = {
    Unit.WORKING_DAYS: N_("working days"),
    Unit.CALENDAR_DAYS: N_("days"),
    Unit.MONTHS: N_("months"),
    Unit.HOURS: N_("hours"),
}
# The title of each statutory time limit (rules/time_limits.toml keeps the engineers' wording
# with the Vietnamese term; people read this one).
RULE_TITLES: dict[str, str] = {
    "R-1": N_("Post the reception schedule"),
    "R-2a": N_("Tell the National Assembly deputy their reception schedule"),
    "R-2b": N_("The deputy reports that they cannot attend"),
    "R-3": N_("Tell the citizen the outcome of the handling"),
    "R-4": N_("Tell the forwarding deputy or Reception Board the result"),
    "R-5": N_("The forwarder tells the citizen the result"),
    "R-6": N_("Issue the written refusal notice (Form 01/TCD)"),
    "R-7a": N_("Online reception: notify the participants"),
    "R-7b": N_("Online reception: test the connection"),
    "R-7c": N_("Online reception: open the final connection"),
    "R-9": N_("Petition still unhandled: the officer risks dismissal"),
    "P-1": N_("Register, classify and process the petition"),
    "P-2": N_("Denunciation: first processing and checks"),
    "P-3": N_("Denunciation outside competence: transfer it and tell the denouncer"),
    "P-4": N_("Tell the forwarding body the result"),
    "P-5": N_("Decide whether to accept the complaint and notify"),
    "P-7": N_("Day the ineligible petition may be destroyed, on the head's decision"),
    "C-1": N_("Time limit for complaining"),
    "C-3": N_("Resolve the first complaint"),
    "C-4": N_("The party supplies the documents requested"),
    "C-5": N_("Send the dialogue notice"),
    "C-6": N_("Send the first-time decision"),
    "C-7": N_("The complainant's time limit for a second complaint"),
    "C-7b": N_("The complainant's time limit for a second complaint, the first-time complaint "
               "not resolved in time"),
    "C-8": N_("Day the first-time decision takes legal effect, if no second complaint is filed"),
    "C-9": N_("Resolve the second complaint"),
    "C-10": N_("Send the second-time decision"),
    "C-11": N_("Day the second-time decision takes legal effect"),
    "C-12": N_("Publish the resolution decision"),
    "C-12b": N_("Announce the public meeting on the decision"),
    "C-13": N_("Send the suspension or termination decision (Form 14a)"),
    "C-14": N_("Send the resumption decision (Form 14b)"),
    "C-16": N_("Time limit for an administrative lawsuit"),
    "C-17": N_("Continue the complaint after a termination notice"),
    "D-1": N_("Time limit for a first disciplinary complaint"),
    "D-2": N_("The complainant's time limit for a second disciplinary complaint"),
    "D-3": N_("Decide whether to accept the disciplinary complaint"),
    "D-4": N_("Resolve the disciplinary complaint"),
    "D-5": N_("Send the second-time disciplinary decision"),
    "D-6": N_("Day the decision on the disciplinary complaint takes legal effect"),
    "T-1": N_("First processing and the acceptance decision"),
    "T-2": N_("Transfer the denunciation outside competence"),
    "T-4": N_("Notify the denouncer and the person denounced of the acceptance"),
    "T-5": N_("Resolve the denunciation"),
    "T-6": N_("Send the suspension or termination decision"),
    "T-7": N_("Send the conclusion and inform the denouncer"),
    "T-8": N_("Act on the conclusion"),
    "T-9": N_("Recipients of recommendations report what they did"),
    "T-10": N_("Make the conclusion public, without the denouncer's data"),
    "T-11": N_("The superior reviews the further denunciation"),
    "T-12": N_("Overdue denunciation: report to the superior"),
    "T-12b": N_("Overdue denunciation: send the superior the report it asked for"),
    "K-1": N_("Consider and answer the recommendation or reflection"),
}

WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
            N_("Saturday"), N_("Sunday"))

TABLE: dict[str, Mapping[str, str]] = {
    "state": STATES,
    "action": ACTIONS,
    "party_role": PARTY_ROLES,
    "workflow_role": WORKFLOW_ROLES,
    "staff_role": STAFF_ROLES,
    "agency_level": AGENCY_LEVELS,
    "session_kind": SESSION_KINDS,
    "booking_status": BOOKING_STATUSES,
    "subject": SUBJECTS,
    "booking_channel": BOOKING_CHANNELS,
    "case_channel": CASE_CHANNELS,
    "process_kind": PROCESS_KINDS,
    "complaint_subject": COMPLAINT_SUBJECTS,
    "unit": UNITS,
    "rule": RULE_TITLES,
}


def msgid(kind: str, value: object) -> str | None:
    """The msgid naming `value` of `kind` (a TABLE key), or None when the table has none."""
    return TABLE[kind].get(str(value))
