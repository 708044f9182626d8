"""The facts an action asks of the person taking it, as questions a case manager understands:
what to confirm or choose, the legal text behind it, and its article. Also the readable reason
for every guard that can refuse, so a refusal names exactly what is missing and why. English
msgids (the catalogs translate them); part of the one label table (reception/domain/labels.py).
A unit test fails when a guard of a case-file process asks for a fact this table does not
phrase, or offers a choice it does not name."""

from __future__ import annotations

from dataclasses import dataclass


def N_(message: str) -> str:  # noqa: N802 - marks a msgid; the domain imports no i18n code
    return message


@dataclass(frozen=True, slots=True)
class Question:
    ask: str  # the question or the input's label
    article: str  # where the law says so (shown with it)
    confirm: str = ""  # a yes/no fact: the statement ticked to confirm it
    explain: str = ""  # the legal text behind it, in plain words


_COMPETENCE = N_("Competence follows the Law on Complaints: the head who issued the decision, or "
                 "whose staff did the act, resolves the first complaint; the superior resolves "
                 "the second.")

QUESTIONS: dict[str, Question] = {
    # Acceptance (thụ lý)
    "within_competence": Question(
        N_("Is it within this agency's competence?"), "LKN Arts. 17-26",
        N_("It is within this agency's competence to resolve"), _COMPETENCE),
    "accept.acceptance_bar": Question(
        N_("Does any ground for not accepting apply?"), "LKN Art. 11",
        N_("I checked the nine grounds for not accepting a complaint: none applies"),
        N_("A complaint is not accepted when it concerns an internal or normative decision, does "
           "not affect the complainant directly, comes from someone without legal capacity or "
           "lawful representative, is unsigned, is out of time, already has a second-time "
           "decision, was terminated and not continued, or is before a court.")),
    "acceptance_bar": Question(
        N_("Which ground for not accepting applies?"), "LKN Art. 11",
        explain=N_("The reasons are written in the notice of non-acceptance (Form 04).")),
    "art11_bar": Question(
        N_("Does a ground for not accepting apply?"), "LKN Art. 11",
        N_("One of the grounds of the Law on Complaints for not accepting applies")),
    "conditions_met": Question(
        N_("Are the conditions for accepting the denunciation met?"), "LTC Art. 29(1)",
        N_("The denunciation meets every condition for acceptance"),
        N_("The petition has the required form, the denouncer has legal capacity or a "
           "representative, the matter is within competence, and there is a basis to identify "
           "the violator and the violation.")),
    "clearly_correct": Question(
        N_("Is the complaint clearly right?"), "LKN Art. 29(1)(a)",
        N_("The complaint is clearly right: the resolver decides at once"),
        N_("After re-examining their own decision or act, the resolver may decide at once when "
           "the complaint is clearly right.")),
    "outside_competence": Question(
        N_("Is it outside this agency's competence?"), "LKN Art. 8; LTC Art. 24(2)",
        N_("It is outside this agency's competence"),
        N_("A matter outside competence is guided or transferred to the competent body, once.")),
    "forwarded": Question(
        N_("Was it forwarded by another body?"), "TT 07/2014 Art. 8",
        N_("It was forwarded by another body, with its forwarding letter")),
    "anonymous_or_unidentifiable": Question(
        N_("Is the denouncer anonymous or impossible to identify?"), "LTC Art. 25",
        N_("The denouncer is anonymous or cannot be identified"),
        N_("It is then not handled as a denunciation; clear information with evidence may still "
           "lead to an inspection.")),
    "party_rules_breach": Question(
        N_("Is it a breach of Party rules?"), "TT05 Art. 15",
        N_("It concerns a breach of Party rules by a Party member")),
    "crime_signs": Question(
        N_("Does the matter show signs of a crime?"), "LTC Art. 27(1)",
        N_("The matter shows signs of a crime"),
        N_("The file then goes at once to the investigators or the procuracy.")),
    "lower_body_overdue": Question(
        N_("Is the lower body late?"), "LTC Art. 38; TT05 Art. 14(2)",
        N_("The lower body has let its time limit pass")),
    "serious_harm": Question(
        N_("Is serious or irreparable harm threatened?"), "TT05",
        N_("Serious or irreparable harm is threatened")),
    "denouncer_identity_redacted": Question(
        N_("Was the denouncer's identity removed?"), "LTC Art. 56",
        N_("The denouncer's name and details were removed from what is transferred")),
    "denouncer_redacted": Question(
        N_("Was the denouncer's identity removed?"), "LTC Arts. 8(3), 40",
        N_("What is made public does not reveal the denouncer")),
    "no_conflict_of_interest": Question(
        N_("Are the verifiers free of any conflict of interest?"), "LTC Art. 31(2); ND31 Art. 10(3)",
        N_("No verifier is a relative of, or has an interest with, the person denounced")),
    "denounced_heard": Question(
        N_("Was the person denounced heard?"), "LTC Art. 31(4)",
        N_("The person denounced was given the chance to explain")),
    "ongoing_harm": Question(
        N_("Is harm going on?"), "LTC Art. 27(2)",
        N_("The denounced act is causing harm now")),
    "takeover_grounds": Question(
        N_("Are there grounds for the superior to take over?"), "LTC Art. 38; ND31 Art. 5(2)",
        N_("Serious violations, or a resolver or verifier lacking objectivity"),
        N_("A superior takes over an overdue denunciation when the violations are serious or the "
           "resolver lacks objectivity (kinship, interest).")),
    "irreparable_harm": Question(
        N_("Would executing the decision cause irreparable harm?"), "LKN Art. 35",
        N_("Executing the contested decision would cause harm that cannot be repaired")),
    "first_decision_attached": Question(
        N_("Is the first-time decision attached?"), "LKN Art. 33(1)",
        N_("The first-time decision is attached to the second complaint")),
    # Dialogue (đối thoại)
    "request_differs_from_verification": Question(
        N_("Do the request and the verification result differ?"), "LKN Art. 30(1)",
        N_("The complainant's request and the verification result differ, so a dialogue is held")),
    "request_matches_verification": Question(
        N_("Do the request and the verification result agree?"), "LKN Art. 30(1)",
        N_("The request and the verification result agree: no dialogue is needed")),
    "dialogue_date": Question(
        N_("Day of the dialogue"), "ND124 Art. 28(1)",
        explain=N_("The notice goes out at least 5 days before the dialogue, which is then held "
                   "on that day.")),
    "chaired_by": Question(
        N_("Who chairs the dialogue?"), "ND124 Art. 28(2)",
        explain=N_("The resolver chairs in person when the law requires it (many complainants, "
                   "bodies that disagree, public attention, order at stake); otherwise a person "
                   "they authorise may chair and report back.")),
    "valid_reason_evidence": Question(
        N_("Evidence of the valid reason (number and date)"), "ND124 Art. 28a",
        explain=N_("A dialogue is moved only for force majeure or another objective obstacle, "
                   "with evidence.")),
    # References the law requires in writing
    "finding_ref": Question(
        N_("Number and date of the written finding"), "ND124 Art. 3a",
        explain=N_("The finding that the case is complex is made in writing and kept on file.")),
    "criterion": Question(
        N_("Which criterion makes the case complex?"), "ND124 Art. 3a(1)"),
    "item": Question(N_("Which part of the complaint is withdrawn?"), "LKN Art. 10"),
    "withdrawal_ref": Question(
        N_("Withdrawal letter or minutes (number and date)"), "LTC Art. 33; ND31 Art. 4",
        explain=N_("A withdrawal is made by letter (Form 02) or recorded in minutes (Form 03), "
                   "signed or fingerprinted.")),
    "answer_ref": Question(N_("Number and date of the written answer"), "TT05"),
    "request_ref": Question(N_("The written request (number and date)"), "LTC Art. 50"),
    "reason": Question(N_("The reason"), "LTC Art. 52"),
    "days": Question(N_("Days added (1 to 30)"), "LTC Art. 30; ND31 Art. 3"),
    # Grounds the statute lists
    "suspend.ground": Question(N_("On which ground is the resolution suspended?"), "LKN Art. 11a(1)"),
    "terminate.ground": Question(N_("On which ground is the resolution terminated?"), "LKN Art. 11a(2)"),
    "not_process.ground": Question(N_("Why is it not handled as a denunciation?"), "LTC Arts. 24(3), 25"),
    "not_accept.ground": Question(N_("Which condition for acceptance is not met?"), "LTC Art. 29(1)"),
    "file_not_eligible.ground": Question(N_("Why is the petition not eligible?"), "TT05 Art. 6"),
    "end.ground": Question(N_("On which ground does the protection end?"), "LTC Art. 54(2)"),
    "grounds": Question(N_("On which ground is protection applied?"), "LTC Art. 47(3)"),
    "ground": Question(N_("On which ground?"), ""),
    # Reception visits and sessions (kept for completeness; their tables are not case files)
    "clear_and_within_competence": Question(
        N_("Is the matter clear and within competence?"), "ND154 Art. 25(3)",
        N_("The matter is clear and within competence, so it is answered at once")),
    "content": Question(N_("What does the citizen bring?"), "LTCD Art. 26"),
    "copies_only": Question(N_("Only copies were received?"), "ND154 Form 02/TCD",
                            N_("Only copies or certified copies were received")),
    "id_document": Question(N_("Identity document (kind and number)"), "LTCD Art. 7; ND154 Art. 12"),
    "outcome": Question(N_("What was the outcome?"), "LTCD Art. 28(1)"),
    "route": Question(N_("Where does the matter go?"), "LTCD Art. 26(2)"),
    "resolved_correctly": Question(
        N_("Was it already resolved correctly?"), "LTCD Art. 26(1)(c)",
        N_("It was already resolved correctly and the citizen is asked to comply")),
    "representatives_valid": Question(N_("Are the representatives validly appointed?"), "LTCD Art. 29",
                                      N_("The group appointed its representatives in writing")),
    "signed_or_fingerprinted": Question(N_("Did the citizen sign?"), "ND154 Art. 14(1)",
                                        N_("The record was read back and signed or fingerprinted")),
    "reception_day": Question(N_("Reception day"), "LTCD Art. 24"),
    "recording_ready": Question(N_("Do recording and storage work?"), "ND154 Arts. 18, 24",
                                N_("Audio and video recording and their storage work")),
}

# The values of the statute's lists, by value (each is unique across the tables).
CHOICES: dict[str, str] = {
    # LKN Art. 11 (2011 text) acceptance bars
    "none": N_("None applies"),
    "internal_or_normative_decision":
        N_("An internal, direction-giving, normative or state-secret decision or act"),
    "not_directly_affected": N_("The complainant's rights are not directly affected"),
    "no_capacity_no_representative": N_("No full legal capacity and no legal representative"),
    "unlawful_representative": N_("The representative is not lawful"),
    "unsigned": N_("The petition is neither signed nor fingerprinted"),
    "time_barred": N_("Out of time without a valid reason"),
    "second_decision_exists": N_("A second-time decision already exists"),
    "terminated_not_continued": N_("Terminated and not continued within 30 days"),
    "court_seized": N_("A court has accepted or decided the case"),
    # LKN Art. 11a suspension and termination
    "force_majeure_or_obstacle": N_("Force majeure or an objective obstacle keeps the complainant away"),
    "awaiting_other_body": N_("Waiting for another body's result on a related matter"),
    "whole_withdrawal": N_("The whole complaint was withdrawn"),
    "complainant_died_rights_not_inherited": N_("The complainant died and nobody inherits the rights"),
    "organisation_dissolved_rights_not_inherited":
        N_("The organisation was dissolved and nobody inherits the rights"),
    "all_group_members_withdrew": N_("Every member of the group withdrew"),
    # ND124 Art. 3a(1) complexity criteria
    "a": N_("(a) One issue to verify in two or more places"),
    "b": N_("(b) Two or more issues to verify"),
    "c": N_("(c) Many complainants or many people affected"),
    "d": N_("(d) A foreign element"),
    "dd": N_("(đ) Several bodies share the responsibility"),
    "e": N_("(e) The bodies concerned still disagree"),
    "g": N_("(g) Conflicting evidence needing time or expert opinion"),
    # LTC denunciation grounds
    "anonymous": N_("Anonymous"),
    "unidentifiable": N_("The denouncer cannot be identified"),
    "uses_another_name": N_("Made in another person's name"),
    "wrong_form": N_("Not in the form the law requires"),
    "sent_to_many_including_competent": N_("Sent to many bodies, the competent one included"),
    "already_guided": N_("The denouncer was already guided"),
    "form": N_("The petition lacks the required form"),
    "capacity": N_("The denouncer lacks legal capacity and a representative"),
    "competence": N_("Outside this agency's competence"),
    "no_basis": N_("No basis to identify the violator or the violation"),
    "resolver_of_own_complaint": N_("It denounces the person who lawfully resolved one's own complaint"),
    "awaiting_expert_examination": N_("Waiting for a further or repeat expert examination"),
    "total_withdrawal": N_("The whole denunciation was withdrawn"),
    "denounced_died": N_("The person denounced died and only their responsibility was at issue"),
    "already_settled": N_("Already settled by a final judgment or an effective decision"),
    # Petition eligibility (TT05)
    "E1_language": N_("Not written in Vietnamese"),
    "E2_identity_or_signature": N_("No name, address or signature"),
    "E3_content": N_("The content is unclear"),
    "E4_already_processed": N_("Already processed"),
    "sent_to_several_including_competent": N_("Sent to several bodies, the competent one included"),
    "already_guided_once": N_("The petitioner was already guided once"),
    "prohibited_content": N_("Insulting or prohibited content"),
    "illegible": N_("Illegible"),
    # Denouncer protection (LTC Arts. 47(3), 54(2))
    "threatened_harm": N_("Harm is threatened"),
    "actual_harm": N_("Harm was done"),
    "retaliation": N_("Retaliation"),
    "conclusion_or_termination": N_("The conclusion or termination was issued"),
    "grounds_ceased": N_("The grounds for protection ended"),
    "protected_person_request": N_("The protected person asked in writing"),
    "deliberate_failure_of_obligations": N_("The protected person deliberately failed their obligations"),
    # Dialogue chair (ND124 Art. 28(2))
    "resolver": N_("The resolver in person"),
    "delegate": N_("A person the resolver authorised"),
    # Visits (LTCD, ND154)
    "KN": N_("A complaint"), "TC": N_("A denunciation"), "KNPA": N_("A recommendation or reflection"),
    "mixed": N_("Several kinds of content"),
    "accepted": N_("Accepted"), "extended": N_("Acceptance review extended"),
    "refused": N_("Refused"), "transferred": N_("Transferred"),
    "within_competence": N_("Within competence"), "lower_body": N_("To the lower body"),
    "transfer_knpa": N_("Transfer the recommendation or reflection"),
    "weapons_not_deposited": N_("Weapons not deposited"),
    "refused_security_check": N_("Refused the security check"),
    "intoxicated_or_impaired": N_("Intoxicated or not in control"),
    "threats_or_insults": N_("Threats or insults"),
    "unauthorised_recording": N_("Recording against the chair's ban"),
    "disorder": N_("Disorder"),
    "representative_unproven": N_("The representative cannot prove the mandate"),
    "not_kn_tc_knpa": N_("Not a complaint, denunciation, recommendation or reflection"),
    "final_judgment": N_("Settled by a final judgment"),
    "other_body_handling": N_("Another body is handling it"),
    "repeat_after_correct_resolution": N_("Repeated after a correct resolution"),
    "repeat_knpa_no_new_content": N_("Repeated recommendation without new content"),
}

# Why a guard decided from the case (not from an answer) refuses.
GUARDS: dict[str, Question] = {
    "dialogue_notice_5_days": Question(
        N_("The dialogue notice must go out at least 5 days before the dialogue"), "ND124 Art. 28(1)"),
    "dialogue_on_noticed_day": Question(
        N_("The dialogue is held on the day its notice set; another day needs a new notice"),
        "ND124 Art. 28(1), 28a"),
    "G-DLG": Question(N_("The resolver must chair this dialogue in person"), "ND124 Art. 28(2)"),
    "extension_days": Question(N_("An extension adds 1 to 30 days"), "LTC Art. 30"),
    "group_representatives": Question(
        N_("A group of 5 or more signs and appoints its representatives in writing"),
        "ND124 Art. 16(1)"),
    "group_represented": Question(N_("A group of 5 or more appoints representatives"), "LTCD Art. 29"),
    "group": Question(N_("Only a group complaint has members who withdraw"), "ND124 Art. 7a(1)"),
    "law_136_in_force": Question(N_("This applies only from 1 July 2026"), "L136"),
    "notice_pending": Question(N_("No suspension, termination or resumption decision waits to be sent"),
                               "ND124 Art. 28b"),
    "EMERGENCY_SUSPENSION": Question(N_("Execution of the contested decision is not suspended"),
                                     "LKN Art. 35"),
    "extension_allowed": Question(
        N_("Extensions: one for a complex case, two for an especially complex one"), "LTC Art. 30"),
    "first_time": Question(N_("Already recorded"), "LTC Art. 24(1)"),
    "transferred_once": Question(N_("A denunciation is transferred only once"), "TT05 Art. 14(1)"),
    "no report pending": Question(N_("A request of the superior already awaits its report"),
                                  "LTC Art. 38; ND31 Art. 5"),
    "verification reported": Question(N_("The verification report is not filed yet"), "LTC Art. 35"),
    "not already_guided": Question(N_("Guidance is given only once"), "TT 07/2014 Art. 8"),
    "not already_transferred": Question(N_("A denunciation is transferred only once"), "TT05 Art. 14(1)"),
    "not forwarded": Question(N_("A forwarded complaint goes back to the forwarding body"),
                              "TT 07/2014 Art. 8"),
    "content:KN": Question(N_("The petition is not classified as a complaint"), "TT05 Art. 6"),
    "content:TC": Question(N_("The petition is not classified as a denunciation"), "TT05 Art. 6"),
    "content:KNPA": Question(N_("The petition is not classified as a recommendation or reflection"),
                             "TT05 Art. 6"),
    "content:mixed": Question(N_("The petition is not classified as having several contents"),
                              "TT05 Art. 6"),
    "in_person": Question(N_("An online session must pass the connection test first"), "ND154 Art. 23(1)"),
    "online": Question(N_("Only an online session is tested"), "ND154 Art. 23(1)"),
    "on_reception_day": Question(N_("The session opens on its reception day"), "LTCD Art. 24"),
    "online_reception_in_force": Question(N_("Online reception exists only from 1 July 2026"),
                                          "LTCD Art. 3a"),
    "R-1": Question(N_("The schedule must be posted at least 5 working days before"), "LTCD Art. 24(4)"),
    "R-7b": Question(N_("The connection is tested at least 1 working day before"), "ND154 Art. 23(1)"),
}
# Guards whose answer is given in another input (the error summary links to it).
GUARD_FIELDS: dict[str, str] = {"dialogue_notice_5_days": "dialogue_date", "G-DLG": "chaired_by",
                                "extension_days": "days"}
TIMER_EXPIRED = N_("The period “{rule}” has not run out yet")
TIMER_OPEN = N_("The period “{rule}” has run out or is not running")
TIMER_RUNNING = N_("Nothing is waiting: “{rule}” is not running")


def question(action: str, fact: str) -> Question | None:
    """The question `action` asks for `fact` (an action may word a shared fact its own way)."""
    return QUESTIONS.get(f"{action}.{fact}") or QUESTIONS.get(fact)
