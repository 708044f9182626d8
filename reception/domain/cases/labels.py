"""Names of the engine's states and actions for people: English msgids the catalogs translate
(Vietnamese first, with the statute's own terms of docs/glossary.md), so staff read "Ký quyết
định giải quyết", not `sign_decision`, and "Đang xác minh", not `C_VERIFYING`. Part of the one
label table (reception/domain/labels.py); a unit test fails when the engine gains a state or an
action this table does not name."""

from __future__ import annotations

from functools import cache

from reception.domain.processes.registry import all_processes


def N_(message: str) -> str:  # noqa: N802 - marks a msgid; the domain imports no i18n code
    return message


STATES: dict[str, str] = {
    "(new)": N_("Not yet registered"),  # the opening event's source (workflow.NEW)
    # Reception session (buổi tiếp công dân, §2.1.1)
    "RS_PLANNED": N_("Session planned"),
    "RS_PUBLISHED": N_("Schedule posted"),
    "RS_READY_ONLINE": N_("Connection tested"),
    "RS_OPEN": N_("Receiving citizens"),
    "RS_CLOSED": N_("Session closed"),
    "RS_POSTPONED": N_("Session postponed"),
    # Visit (lượt tiếp, §2.1.2)
    "V_ARRIVED": N_("Citizen arrived"),
    "V_IDENTIFIED": N_("Identity established"),
    "V_REFUSED_ORAL": N_("Reception refused (explained in person)"),
    "V_REFUSAL_NOTICE_PENDING": N_("Written refusal notice pending"),
    "V_REFUSED_WRITTEN": N_("Refusal notified in writing (Form 01/TCD)"),
    "V_HEARING": N_("Hearing and noting the content"),
    "V_STATEMENT_CONFIRMED": N_("Statement read back and signed by the citizen"),
    "V_DOCS_RECEIVED": N_("Documents received (receipt Form 02/TCD)"),
    "V_CLASSIFIED": N_("Content classified"),
    "V_GUIDED": N_("Citizen guided"),
    "V_EXPLAINED_RESOLVED": N_("Explained, asked to comply"),
    "V_ANSWERED": N_("Answered at once"),
    "V_REFERRED": N_("Referred for handling"),
    "V_NOTIFIED": N_("Handling result notified"),
    # Petition handling (xử lý đơn, §2.2)
    "P_RECEIVED": N_("Petition received and registered"),
    "P_CLASSIFYING": N_("Petition being classified"),
    "P_NOT_ELIGIBLE": N_("Petition not eligible, filed"),
    "P_PROPOSED_ACCEPT": N_("Acceptance proposed (TT05 Form 01)"),
    "P_COMPLAINT_NOT_ACCEPTABLE_REPLY": N_("Replied: complaint not acceptable"),
    "P_GUIDED": N_("Complainant guided to the competent body"),
    "P_RETURNED_TO_FORWARDER": N_("Returned to the forwarding body"),
    "P_TRANSFERRED": N_("Petition transferred"),
    "P_URGED_LOWER": N_("Lower body urged"),
    "P_SPLIT_GUIDED": N_("Guided to split the petition"),
    "P_PARTY_REFERRAL": N_("Referred to the Party body"),
    "P_CRIMINAL_REFERRAL": N_("Referred to investigators or procuracy"),
    "P_ANON_INFO": N_("Information with denunciation content"),
    # Complaint (giải quyết khiếu nại, §2.3.4)
    "C_RECEIVED": N_("Complaint received"),
    "C_NOT_ACCEPTED": N_("Complaint not accepted (Form 04)"),
    "C_ACCEPTED": N_("Complaint accepted (Form 03)"),
    "C_RECHECK": N_("Contested decision or act being re-examined"),
    "C_VERIFYING": N_("Being verified"),
    "C_VERIFIED": N_("Verification report filed"),
    "C_DIALOGUE_NOTIFIED": N_("Dialogue notified"),
    "C_DIALOGUE_DONE": N_("Dialogue held (minutes Form 14)"),
    "C_DRAFTING": N_("Decision being drafted"),
    "C_DECIDED": N_("Resolution decision issued"),
    "C_NOTIFIED": N_("Decision sent"),
    "C_PUBLISHED": N_("Decision published"),
    "C_AWAITING_EFFECT": N_("Awaiting legal effect"),
    "C_EFFECTIVE": N_("Legally effective"),
    "C_ENFORCING": N_("Decision being enforced"),
    "C_CLOSED": N_("Complaint closed"),
    "C_SUSPENDED": N_("Resolution suspended (Form 14a)"),
    "C_TERMINATED": N_("Resolution terminated (Form 14a)"),
    "C_ESCALATED": N_("Second complaint filed"),
    "C_IN_COURT": N_("Taken to court"),
    # Denunciation (giải quyết tố cáo, §2.4.2)
    "T_RECEIVED": N_("Denunciation received and registered"),
    "T_INITIAL_CHECK": N_("Initial check of the denouncer and the acceptance conditions"),
    "T_NOT_PROCESSED": N_("Not handled under the Law on Denunciations"),
    "T_TRANSFERRED": N_("Denunciation transferred"),
    "T_NOT_ACCEPTED": N_("Denunciation not accepted"),
    "T_CRIMINAL": N_("Sent to investigators or procuracy"),
    "T_ACCEPTED": N_("Denunciation accepted (Form 04)"),
    "T_VERIFYING": N_("Being verified (verification team, Form 07)"),
    "T_SUSPENDED": N_("Denunciation suspended"),
    "T_TERMINATED": N_("Denunciation terminated"),
    "T_CONCLUDED": N_("Conclusion issued (Form 12)"),
    "T_HANDLING": N_("Acting on the conclusion"),
    "T_PUBLICIZED": N_("Conclusion made public"),
    "T_MONITORING": N_("Monitoring the conclusion's implementation"),
    "T_CLOSED": N_("Denunciation closed"),
    "T_FURTHER": N_("Further denunciation (taken over by the superior)"),
    # Denouncer protection (§2.4.4)
    "PR_REQUESTED": N_("Protection requested"),
    "PR_DECIDED": N_("Protection decided"),
    "PR_REFUSED": N_("Protection refused"),
    "PR_ACTIVE": N_("Under protection"),
    "PR_ENDED": N_("Protection ended"),
    # Recommendation or reflection (kiến nghị, phản ánh)
    "K_RECEIVED": N_("Recommendation received"),
    "K_CONSIDERING": N_("Being considered"),
    "K_ANSWERED": N_("Answered"),
    "K_TRANSFERRED": N_("Transferred to the competent body"),
}

ACTIONS: dict[str, str] = {
    "accept": N_("Accept for resolution"),
    "answer": N_("Answer"),
    "answer_at_once": N_("Answer at once"),
    "apply_preventive_measures": N_("Apply preventive measures"),
    "appoint_representatives": N_("Appoint representatives"),
    "assign_verification": N_("Assign verification"),
    "await_effect": N_("Await legal effect"),
    "carry_out": N_("Carry out the protection"),
    "checks_needed_elsewhere": N_("Checks needed elsewhere"),
    "classify": N_("Classify"),
    "classify_kn": N_("Classify as a complaint"),
    "classify_knpa": N_("Classify as a recommendation or reflection"),
    "classify_mixed": N_("Classify as a petition with several contents"),
    "classify_tc": N_("Classify as a denunciation"),
    "close": N_("Close the case file"),
    "close_head_session": N_("Close the head's reception session"),
    "close_session": N_("Close the reception session"),
    "conclude": N_("Issue the conclusion on the denunciation"),
    "confirm_statement": N_("Read back, citizen signs"),
    "consider": N_("Consider"),
    "decide": N_("Decide"),
    "decide_at_once": N_("Resolve at once"),
    "dispatch_decision": N_("Send the resolution decision"),
    "draft_decision": N_("Draft the decision"),
    "end": N_("End"),
    "enforce": N_("Enforce the decision"),
    "explain_already_resolved": N_("Explain that the matter was already resolved"),
    "extend": N_("Extend the resolution period"),
    "file_lawsuit": N_("Record an administrative lawsuit"),
    "file_not_eligible": N_("File a petition that is not eligible"),
    "file_second_complaint": N_("Record a second complaint"),
    "file_second_complaint_overdue": N_("Record a second complaint after the first period ran out"),
    "find_complex": N_("Find the case complex"),
    "guide_complainant": N_("Guide the complainant"),
    "guide_split": N_("Guide to split the petition"),
    "guide_to_competent_body": N_("Guide to the competent body"),
    "handle_conclusion": N_("Act on the conclusion"),
    "hold_dialogue": N_("Hold the dialogue"),
    "identify": N_("Establish identity"),
    "lift_execution_suspension": N_("Lift the suspension of execution"),
    "member_withdraws": N_("A group member withdraws"),
    "modify": N_("Modify"),
    "monitor": N_("Monitor and urge"),
    "not_accept": N_("Do not accept"),
    "not_process": N_("Do not process"),
    "notify_dialogue": N_("Notify the dialogue"),
    "notify_result": N_("Notify the handling result"),
    "open_online_session": N_("Open the online reception session"),
    "open_session": N_("Open the reception session"),
    "overdue_further_denunciation": N_("Record a further denunciation (overdue)"),
    "postpone": N_("Postpone the reception"),
    "propose_complaint_acceptance": N_("Propose accepting the complaint"),
    "propose_denunciation_acceptance": N_("Propose accepting the denunciation"),
    "propose_recommendation_resolution": N_("Propose resolving the recommendation or reflection"),
    "publicize": N_("Make the conclusion public"),
    "publish_decision": N_("Publish the resolution decision"),
    "publish_schedule": N_("Post the reception schedule"),
    "receive_documents": N_("Receive documents (receipt)"),
    "receive": N_("Receive the petition"),  # Process.open: the first event of every case
    "recheck": N_("Re-examine the contested decision or act"),
    "record_absence_without_reason": N_("Record an absence without valid reason"),
    "record_anonymous_information": N_("Record information with denunciation content"),
    "refer": N_("Refer for handling"),
    "refer_criminal": N_("Refer to investigators or procuracy"),
    "refer_party": N_("Refer to the Party body"),
    "refuse": N_("Refuse reception"),
    "refuse_at_security": N_("Refuse at the security check"),
    "refuse_in_writing": N_("Refuse in writing"),
    "reject": N_("Do not accept the complaint"),
    "reply_not_acceptable": N_("Reply that the complaint is not acceptable"),
    "report_urgent": N_("Urgent report"),
    "report_verification": N_("Report the verification result"),
    "request_expert_examination": N_("Request an expert examination"),
    "request_information": N_("Request information and documents"),
    "reschedule": N_("Reschedule"),
    "reschedule_dialogue": N_("Reschedule the dialogue"),
    "resume": N_("Resume the resolution"),
    "return_to_forwarder": N_("Return to the forwarding body"),
    "send_acceptance_notices": N_("Send the acceptance notices"),
    "receive_report_request": N_("Record the superior's request for a report (overdue)"),
    "report_to_superior": N_("Send the report to the superior"),
    "send_conclusion": N_("Send the conclusion"),
    "send_suspension_notice": N_("Send the suspension or termination decision"),
    "sign_decision": N_("Sign the resolution decision"),
    "sign_refusal_notice": N_("Sign the refusal notice"),
    "skip_dialogue": N_("Decide without a dialogue"),
    "start_hearing": N_("Hear and note the content"),
    "start_initial_check": N_("Start the initial check"),
    "suspend": N_("Suspend the resolution"),
    "suspend_execution": N_("Suspend execution of the contested decision"),
    "take_effect": N_("Record legal effect"),
    "terminate": N_("Terminate the resolution"),
    "test_connection": N_("Test the connection"),
    "transfer": N_("Transfer the petition"),
    "transfer_denunciation": N_("Transfer the denunciation"),
    "transfer_recommendation": N_("Transfer the recommendation or reflection"),
    "urge_lower_body": N_("Urge the lower body"),
    "withdraw": N_("Record a withdrawal"),
    "withdraw_partially": N_("Record a partial withdrawal"),
}


@cache
def _state_names() -> dict[str, str]:
    return {spec.code: spec.vn for process in all_processes() for spec in process.states}


def state_vn(state: str) -> str:
    """The state's statutory Vietnamese name (StateSpec.vn), as the statute words it."""
    return _state_names().get(state, state)


def engine_states() -> frozenset[str]:
    return frozenset(_state_names())


def engine_actions() -> frozenset[str]:
    return frozenset(t.action for process in all_processes() for t in process.transitions)
