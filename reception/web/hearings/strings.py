"""Every string the browser client (webclient/) shows, as msgids: the page embeds them
translated into the reader's language, so the client holds no translations of its own."""

from __future__ import annotations

from collections.abc import Callable

from reception.i18n_marker import N_
from reception.web.i18n import gettext

CLIENT_STRINGS = {
    "connecting": N_("Connecting…"),
    "connected": N_("Connected"),
    "reconnecting": N_("Connection lost. Reconnecting…"),
    "waiting": N_("Please wait: the official will let you in shortly."),
    "admitted": N_("You are in the hearing."),
    "ended": N_("The hearing has ended. Thank you."),
    "removed": N_("You were removed from the hearing."),
    "recording": N_("Recording"),
    "notRecording": N_("Not recording yet"),
    "mute": N_("Turn microphone off"),
    "unmute": N_("Turn microphone on"),
    "cameraOff": N_("Turn camera off"),
    "cameraOn": N_("Turn camera on"),
    "audioOnly": N_("Audio only (weak connection)"),
    "withVideo": N_("Use video again"),
    "leave": N_("Leave"),
    "admit": N_("Admit"),
    "muteOther": N_("Mute"),
    "unmuteOther": N_("Unmute"),
    "remove": N_("Remove"),
    # Removal is for good (the link no longer lets them in): a second tap confirms it.
    "removeConfirm": N_("Tap again to remove for good"),
    "end": N_("End the hearing"),
    "endConfirm": N_("End the hearing for everyone? The recordings are closed."),
    "join": N_("Join the hearing"),
    "noCamera": N_("Your camera or microphone could not be used. Check that the browser may "
                   "use them, then reload the page."),
    "failed": N_("The connection failed. Check your network; we keep trying."),
    "mutedByOfficial": N_("The official turned your microphone off."),
    "you": N_("You"),
    "waitingRoom": N_("Waiting"),
    "waitingPage": N_("On the waiting-room page"),
    # Not the booking status "In the hearing" (the citizen being received): every member's row,
    # the official's own included, says they take part.
    "inRoom": N_("Taking part"),
    "offline": N_("Not connected"),
    "role.citizen": N_("Citizen"),
    "role.official": N_("Official"),
    "role.third_party": N_("Third party"),
    "role.observer": N_("Observer"),
    "nobody": N_("Nobody else is here yet."),
    # The recording's true state (phase of the hearing, each member's recorder, the files).
    "phase.not_started": N_("Not recording yet: recording starts when the citizen is admitted"),
    "phase.recording": N_("Recording"),
    "phase.paused": N_("Paused: not recording"),
    "phase.closed": N_("Recording ended"),
    "alarmOfficial": N_("Recording stopped, so the hearing is paused for everyone. Not being "
                        "recorded: {names}. Nobody sees or hears the others until every "
                        "recording runs again. The system keeps retrying."),
    "alarmCitizen": N_("The hearing is paused because the recording stopped. Nobody sees or "
                       "hears the others until it records again. Please stay on this page: it "
                       "continues by itself."),
    "pausedStage": N_("Paused: the recording stopped"),
    "resumed": N_("Recording again: the hearing continues."),
    "endedOfficial": N_("The hearing has ended. Its recordings are closed and stored."),
    "rejoin": N_("Rejoin the hearing"),
    "rejoinHint": N_("You were in this hearing. Rejoin it with one tap (your acknowledgement "
                     "of the recording notice is kept)."),
    "recorder.recording": N_("Recorded for {time}"),
    "recorder.failed": N_("NOT recorded: the recording failed"),
    "recorder.none": N_("Not recorded yet"),
    "problem": N_("Technical detail"),
    "files": N_("Recordings"),
    "noFiles": N_("Nothing was recorded."),
    "kind.audio": N_("Audio"),
    "kind.evidence": N_("Audio and video"),
    "verified": N_("Verified: as recorded"),
    "notVerified": N_("Does NOT match what was recorded"),
    "unverified": N_("Not checked yet"),
    "repaired": N_("Repaired after a server stop"),
    "fileLength": N_("Length"),
    # Column headers of the recordings table, apart from the status page's "Check" button and
    # the indicator's "Recording", which read differently in Vietnamese.
    "fileCheck": N_("Integrity check"),
    "fileWho": N_("Person"),
    "fileKind": N_("Kind of recording"),
}


def client_strings(gettext: Callable[[str], str]) -> dict[str, str]:
    return {key: gettext(message) for key, message in CLIENT_STRINGS.items()}


PARTY_KINDS = {  # how a third party added by the official takes part (services.hearing_parties)
    "interpreter": N_("Interpreter"),
    "lawyer": N_("Lawyer"),
    "representative": N_("Representative"),
}


def party_kind_labels() -> dict[str, str]:
    """Kind -> label in the request's language."""
    return {kind: gettext(label) for kind, label in PARTY_KINDS.items()}
