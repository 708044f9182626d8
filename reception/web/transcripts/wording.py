"""What the transcript pages say, in the reader's language: the names of roles, doubts and
languages, why a recording was not transcribed or is damaged, why a transcription stopped, and
what is wrong with a recording file. The technical text stays in the log; these are the words."""

from __future__ import annotations

from collections.abc import Callable

from reception.domain.booking import LOCAL_TZ
from reception.domain.integrity import FileProblem
from reception.domain.transcripts.transcript import DamagedAudio
from reception.i18n_marker import N_
from reception.services.transcripts import transcription
from reception.services.transcripts.views import Untranscribed, page_clock
from reception.web.i18n import current_locale, gettext

MEMBER_ROLES = {"citizen": N_("Citizen"), "official": N_("Official"),
                "third_party": N_("Third party"), "observer": N_("Observer")}
CLIENT_STRINGS = {"saved": N_("Saved as version {version}."), "saving": N_("Saving…"),
                  "failed": N_("Not saved: {detail}"), "noRecording": N_("No recording of this speaker."),
                  "confirmed": N_("Confirmed."), "checked": N_("Checked by {name}"),
                  "remaining": N_("Highlighted lines to confirm: {count}. The machine was unsure "
                                  "of them: listen to each one, then confirm or correct it. The "
                                  "transcript can be approved once all are done."),
                  "allDone": N_("Every highlighted line has been confirmed or corrected.")}
# Why a line is highlighted (transcripts.Doubt values), in words an official understands.
DOUBT_REASONS = {
    "low_confidence": N_("the words were hard to make out"),
    "possible_no_speech": N_("it may not be speech at all"),
    "possible_repetition": N_("it repeats itself"),
    "language_mismatch": N_("the speaker may have spoken another language"),
}
DROP_REASONS = {"no words": N_("no words"), "known caption": N_("a caption from online videos"),
                "repeated line": N_("a repeated copy of the line before"),
                # transcripts/loops.py: the line's span was decoded again and replaced
                "looped line": N_("a phrase repeated by the machine; the passage was transcribed again")}
LANGUAGES = {"vi": N_("Vietnamese"), "en": N_("English"), "zh": N_("Chinese"),
             "fr": N_("French"), "km": N_("Khmer"), "lo": N_("Lao"), "ko": N_("Korean"),
             "ja": N_("Japanese"), "th": N_("Thai"), "ru": N_("Russian"), "de": N_("German")}
# A member's recordings after a recorder restart: which one plays (time on the hearing's clock).
RECORDING_FROM = N_("{name} (recording from {time})")
# A recording the machine could not read (domain Unreadable values): why, inside a sentence.
UNREADABLE_REASONS = {
    "missing": N_("the file is not in the recordings store"),
    "empty": N_("the file is empty: nothing was recorded in it"),
    "undecodable": N_("the file is damaged or cannot be read"),
}
UNTRANSCRIBED_NOTICE = N_("The words of {name} ({role}) are NOT in this transcript: their "
                          "recording {recording} (started at {time}) could not be transcribed "
                          "because {reason}. What they said must be taken from the recording "
                          "itself, by listening to it.")


def untranscribed_notice(u: Untranscribed) -> str:
    """Whose words are not in the transcript, from which recording, and why (the review page
    and the console's progress section)."""
    started = u.started_at.astimezone(LOCAL_TZ).strftime("%H:%M:%S %d/%m/%Y") if u.started_at else ""
    return gettext(UNTRANSCRIBED_NOTICE).format(
        name=u.speaker, role=gettext(MEMBER_ROLES.get(u.role, u.role)), recording=u.recording,
        time=started, reason=gettext(UNREADABLE_REASONS[u.reason.value]))


# The same notice in the citizen's words, on their own transcript page.
CITIZEN_UNTRANSCRIBED_NOTICE = N_("The words of {name} ({role}) are not in this transcript: the "
                                  "recording of their voice could not be turned into text. What "
                                  "they said must be taken from the recording itself; the "
                                  "reception office keeps it, ask them if you need it.")


def citizen_untranscribed_notice(u: Untranscribed) -> str:
    """Whose words are not in the transcript, for the citizen's page."""
    return gettext(CITIZEN_UNTRANSCRIBED_NOTICE).format(
        name=u.speaker, role=gettext(MEMBER_ROLES.get(u.role, u.role)))


# Why a transcription stopped, in the reader's words, by how transcript.error begins (its text,
# in English with the error's name, is for the log: services/transcripts/transcription.py).
FAILURES = {
    transcription.MODEL_UNUSABLE: N_("The speech recognition model set for this server cannot "
                                     "be used. Report it to the administrator: the server's log "
                                     "says why."),
    transcription.ABANDONED: N_("Transcription was stopped several times before it could finish "
                                "(the recording may be too long for this machine's memory). It "
                                "will not be retried automatically; report it to the "
                                "administrator."),
    transcription.STOPPED: N_("Transcription stopped on an unexpected error and will not be "
                              "retried automatically. Report it to the administrator: the "
                              "server's log says why."),
    transcription.RETRIED: N_("The previous attempt stopped on an unexpected error; what it had "
                              "transcribed is kept."),
}
FAILED_OTHERWISE = N_("The recordings could not be transcribed. Report it to the administrator: "
                      "the server's log says why.")


def failure_text(error: str | None) -> str | None:
    """transcript.error as a person reads it (None: no error)."""
    if not error:
        return None
    for start, message in FAILURES.items():
        if error.startswith(start):
            return gettext(message)
    return gettext(FAILED_OTHERWISE)


def language_name(code: str | None) -> str:
    """The language's name inside a sentence (Vietnamese writes "tiếng Anh" there)."""
    if code not in LANGUAGES:
        return gettext(N_("another language"))
    name = gettext(LANGUAGES[code])
    return name[:1].lower() + name[1:] if current_locale() == "vi" else name


# What is wrong with a recording file, in the reader's language (the technical text, in
# English, goes to the command line and the audit log).
FILE_PROBLEMS = {
    "altered": N_("Part {chunk} of the file (bytes {start} to {end}) is not what was recorded."),
    "truncated": N_("The file is cut short: {length} bytes of part {chunk} are missing from "
                    "byte {offset}."),
    "size": N_("The file is shorter than when it was closed: its last {length} bytes are "
               "missing."),
    "unchained": N_("{length} bytes from byte {offset} were added after the recording."),
    "gap": N_("Part {chunk} of the file is not where it was recorded (byte {offset})."),
    "order": N_("Parts of the file are missing or out of order (from part {chunk})."),
    "chain_differs": N_("The fingerprints kept beside the file were changed: they differ from "
                        "the copy in the database."),
    "no_chain": N_("The file has no fingerprints to be checked against."),
    "malformed": N_("The fingerprints kept beside the file are damaged."),
    "unreadable": N_("The file cannot be read."),
    "missing": N_("The file is missing from the recordings store."),
    "hash": N_("Its SHA-256 is not the one stored when it was closed."),
    "more": N_("… and {length} more problems."),
}
CLOSING_ALTERED = N_("The end of the file is not what was recorded.")
ORIGINAL = N_("The original as recorded, kept beside the repaired file: {problem}")


def file_problem(problem: FileProblem) -> str:
    """One problem of a recording file, for the verification section of the pages."""
    if problem.kind == "altered" and problem.offset is None:
        text = gettext(CLOSING_ALTERED)
    else:
        length = problem.length or 0
        start = problem.offset or 0
        text = gettext(FILE_PROBLEMS.get(problem.kind, FILE_PROBLEMS["altered"])).format(
            chunk=problem.chunk if problem.chunk is not None else "?", offset=start,
            start=start, end=start + max(length, 1) - 1, length=length)
    return gettext(ORIGINAL).format(problem=text) if problem.original else text


# A damaged stretch of a recording (no audio could be decoded there): the same sentence on the
# review page and the citizen's page. Whole seconds, widened outwards (the end rounded up).
DAMAGED_NOTICE = N_("From {start} to {end} the recording of {name} is damaged and cannot be "
                    "heard: anything said in that stretch is not in the transcript.")


def damaged_notice(span: DamagedAudio, name: str) -> str:
    return gettext(DAMAGED_NOTICE).format(name=name, start=page_clock(span.start_ms),
                                          end=page_clock(span.end_ms + 999))


# The pages call these by name (transcripts/*.html).
TEMPLATE_GLOBALS: dict[str, Callable[..., str | None]] = {"untranscribed_notice": untranscribed_notice,
                    "citizen_untranscribed_notice": citizen_untranscribed_notice,
                    "transcription_failure": failure_text, "file_problem": file_problem,
                    "damaged_notice": damaged_notice}

