"""What the review pages and exports are made of: the library transcript built from the stored
segments (the one `transcripts_hash` digests at approval), where each segment sits in each
member's recording file, and each segment's version history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from reception.domain.booking import Booking
from reception.domain.hearings.model import Hearing, HearingMember, MemberId, Recording, timeline_zero
from reception.domain.integrity import RecordingCheck
from reception.domain.organisation import StaffId
from reception.domain.transcripts.transcript import (
    DamagedAudio,
    DroppedLine,
    Segment,
    SegmentEdit,
    SegmentId,
    TrackLanguage,
    Transcript,
    TranscriptStatus,
    Unreadable,
)
from reception.services.transcripts.ports import StoredTrack
from transcripts.formats import to_json, to_srt, to_text, to_vtt
from transcripts.merge import transcript_hash
from transcripts.values import Transcript as LibraryTranscript
from transcripts.values import TranscriptLine

TEXT_FORMATS = {  # format → (writer, media type)
    "vtt": (to_vtt, "text/vtt; charset=utf-8"),
    "srt": (to_srt, "application/x-subrip; charset=utf-8"),
    "txt": (to_text, "text/plain; charset=utf-8"),
    "json": (to_json, "application/json; charset=utf-8"),
}
EXPORT_FORMATS = frozenset({*TEXT_FORMATS, "pdf"})


hearing_zero = timeline_zero  # one definition, in the domain


def library_transcript(zero: datetime, segments: Sequence[Segment],
                       times_from: datetime | None = None) -> LibraryTranscript:
    """The stored lines (timed from `zero`, the hearing start) as the transcripts library's
    value, ordered as `merge_speakers` does. Subtitle times count from `times_from`: the
    hearing start by default, a member's file start for captions over that member's video."""
    lines = sorted((TranscriptLine(
        start=zero + timedelta(milliseconds=s.start_ms), end=zero + timedelta(milliseconds=s.end_ms),
        participant_id=str(s.member_id), speaker=s.speaker, role=s.role, text=s.text,
        confidence=s.confidence, doubts=tuple(d.value for d in s.doubts), repeats=s.repeats)
        for s in segments),
        key=lambda line: (line.start, line.end, line.participant_id))
    return LibraryTranscript(started_at=times_from or zero, lines=tuple(lines))


def hash_of(zero: datetime, segments: Sequence[Segment]) -> str:
    return transcript_hash(library_transcript(zero, segments))


def file_offset_seconds(zero: datetime, recording: Recording) -> float:
    """Seconds into the hearing at which `recording`'s timestamp 0 lies (members who joined
    late have files that start after the hearing)."""
    return (recording.started_at - zero).total_seconds()


def recording_key(path: str) -> str:
    """What a recorder's two files of one recording share: their name without `.<kind>.<ext>`
    (`<member id>` for a member's first recording, `<member id>-<n>` after a restart)."""
    return path.rsplit("/", 1)[-1].split(".", 1)[0]


@dataclass(frozen=True)
class Playable:
    """A recording the page can play (a recorder's evidence file, audio and video, preferred
    over its audio file), and where the hearing's zero is in it."""

    key: str  # recording_key of its files
    member_id: MemberId
    kind: str  # "evidence" or "audio"
    file: str  # the file's name (no directory): the one the page asks for
    offset_seconds: float  # seconds into the hearing at which the file starts


def playable_recordings(zero: datetime, recordings: Sequence[Recording],
                        prefer: str = "evidence") -> dict[str, Playable]:
    """Each recording of the hearing, one file each (of kind `prefer` where it has one), by
    recording_key, in the order they started: a member has several after a recorder restart."""
    chosen: dict[str, Playable] = {}
    for recording in sorted(recordings, key=lambda r: (r.started_at, r.kind != prefer)):
        key = recording_key(recording.path)
        chosen.setdefault(key, Playable(key, recording.member_id, recording.kind,
                                        recording.path.rsplit("/", 1)[-1],
                                        file_offset_seconds(zero, recording)))
    return chosen


def playing_at(playable: dict[str, Playable], member_id: MemberId, at_ms: int
               ) -> Playable | None:
    """The member's recording running at `at_ms` on the hearing's clock: the latest that had
    started by then (their first, if none had; None if they have none)."""
    theirs = [p for p in playable.values() if p.member_id == member_id]
    started = [p for p in theirs if p.offset_seconds * 1000 <= at_ms]
    if started:
        return max(started, key=lambda p: p.offset_seconds)
    return min(theirs, key=lambda p: p.offset_seconds, default=None)


def play_target(segment: Segment, playable: dict[str, Playable]) -> Playable | None:
    """The recording a line plays from: the one it was transcribed from; a line stored before
    lines kept their recording plays from the speaker's recording running at its time."""
    if segment.recording is not None and (own := playable.get(recording_key(segment.recording))):
        return own
    return playing_at(playable, segment.member_id, segment.start_ms)


@dataclass(frozen=True)
class Version:
    number: int
    text: str
    author: str  # the staff member's name, or "" for the machine text
    at: datetime | None


@dataclass(frozen=True)
class ReviewLine:
    segment: Segment
    history: Sequence[Version] = field(default_factory=tuple)  # newest first
    confirmed_by: str = ""  # who resolved the line's doubt (confirmed or corrected it)

    @property
    def uncertain(self) -> bool:
        return self.segment.uncertain

    @property
    def awaiting_confirmation(self) -> bool:
        return self.segment.awaiting_confirmation

    @property
    def corrected(self) -> bool:
        return self.segment.text != self.segment.machine_text or self.segment.version > 1


def review_lines(segments: Sequence[Segment], edits: Sequence[SegmentEdit],
                 names: dict[StaffId, str]) -> list[ReviewLine]:
    by_segment: dict[SegmentId, list[Version]] = {}
    for edit in edits:
        by_segment.setdefault(edit.segment_id, []).append(
            Version(edit.version, edit.text, names.get(edit.author_id, str(edit.author_id)),
                    edit.at))
    return [ReviewLine(s, tuple(sorted(
        [Version(1, s.machine_text, "", None), *by_segment.get(s.id, [])],
        key=lambda v: -v.number)), names.get(s.confirmed_by, "") if s.confirmed_by else "")
        for s in sorted(segments, key=lambda s: (s.start_ms, s.end_ms, str(s.member_id)))]


@dataclass(frozen=True)
class TrackNotes:
    """What the transcript says of each member's recording besides its lines."""

    languages: list[TrackLanguage]
    dropped: list[DroppedLine]
    damaged: list[DamagedAudio]


def track_notes(zero: datetime, recordings: Sequence[Recording], tracks: Sequence[StoredTrack]
                ) -> TrackNotes:
    """Each member's recording as transcribed: the language it was transcribed in (and what
    was heard), the machine lines left out, and the stretches no audio could be decoded
    from, timed on the hearing's clock."""
    starts = {r.path: file_offset_seconds(zero, r) for r in recordings}
    languages, dropped, damaged = [], [], []

    def ms(seconds: float) -> int:
        return max(0, round(seconds * 1000))

    for track in tracks:
        if track.result is None:
            continue
        result, offset = track.result, starts.get(track.recording_path, 0.0)
        detected = result.detected
        languages.append(TrackLanguage(
            track.member_id, result.language, result.expected_language,
            detected.language if detected else None, detected.probability if detected else 0.0))
        dropped += [DroppedLine(track.member_id, ms(offset + d.start), ms(offset + d.end), d.text,
                                d.reason) for d in result.dropped]
        damaged += [DamagedAudio(track.member_id, ms(offset + start), ms(offset + end),
                                 track.recording_path) for start, end in result.damaged]
    return TrackNotes(languages, sorted(dropped, key=lambda d: (d.start_ms, d.end_ms)),
                      sorted(damaged, key=lambda d: (d.start_ms, d.end_ms)))


def page_clock(ms: int) -> str:
    """A time on the hearing's clock as the review page writes it (mm:ss, h:mm:ss from an
    hour), in whole seconds: transcripts/_lines.html `clock`."""
    s = max(0, ms) // 1000
    if s >= 3600:
        return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
    return f"{s // 60:02d}:{s % 60:02d}"


def damaged_spans(damaged: Sequence[DamagedAudio], members: Sequence[HearingMember]) -> str:
    """The damaged stretches, whose and when, as the approval's tick box and refusal name them:
    "Nguyễn Thị Lan (00:08–00:10; 01:02–01:04), Cán bộ Hòa (00:30–00:31)". Whole seconds
    widened outwards, as the page lists them (the end rounded up)."""
    names = {m.id: m.display_name for m in members}
    spans: dict[MemberId, list[str]] = {}
    for d in damaged:
        spans.setdefault(d.member_id, []).append(
            f"{page_clock(d.start_ms)}–{page_clock(d.end_ms + 999)}")
    return ", ".join(f"{names.get(member, str(member))} ({'; '.join(times)})"
                     for member, times in spans.items())


@dataclass(frozen=True)
class Untranscribed:
    """A member's recording the machine could not transcribe: none of their words in it are in
    the transcript, and they must be taken from the recording by a person."""

    member_id: MemberId
    speaker: str  # the member's display name
    role: str  # a MemberRole value
    recording: str  # the file's name (no directory)
    kind: str  # "audio" or "evidence"
    started_at: datetime | None  # when the recording started (None: its row is gone)
    sha256: str  # what the hearing record identifies the file by
    reason: Unreadable


def untranscribed(members: Sequence[HearingMember], recordings: Sequence[Recording],
                  tracks: Sequence[StoredTrack]) -> list[Untranscribed]:
    """The hearing's recordings that could not be transcribed, in the order they started."""
    people = {m.id: m for m in members}
    files = {r.path: r for r in recordings}
    found = []
    for track in tracks:
        if track.result is not None:
            continue
        member, recording = people.get(track.member_id), files.get(track.recording_path)
        found.append(Untranscribed(
            track.member_id, member.display_name if member else "",
            member.role.value if member else "", track.recording_path.rsplit("/", 1)[-1],
            recording.kind if recording else "audio",
            recording.started_at if recording else None, recording.sha256 if recording else "",
            track.unreadable or Unreadable.UNDECODABLE))
    return sorted(found, key=lambda u: (u.started_at is None, u.started_at, u.speaker))


@dataclass(frozen=True)
class Review:
    hearing: Hearing
    booking: Booking
    transcript: Transcript | None
    lines: Sequence[ReviewLine]
    members: Sequence[HearingMember]
    playable: dict[str, Playable]  # by recording_key, in the order they started
    approved_by: str | None
    intact: bool | None  # does the approved hash still match the stored lines?
    checks: Sequence[RecordingCheck] = ()  # each recording file verified now (pages set it)
    languages: Sequence[TrackLanguage] = ()  # per member's recording, as transcribed
    dropped: Sequence[DroppedLine] = ()  # machine lines left out, with their reasons
    damaged: Sequence[DamagedAudio] = ()  # stretches of recordings no audio was decoded from
    sealed: bool = False  # the denouncer's side of this hearing does not play for this reader
    untranscribed: Sequence[Untranscribed] = ()  # recordings whose words are not in the lines

    def play_of(self, segment: Segment) -> Playable | None:
        """The recording the line's play button plays (None: none this reader may play)."""
        return play_target(segment, self.playable)

    def several(self, member_id: MemberId) -> bool:
        """The member has more than one recording to play (a recorder restarted)."""
        return sum(1 for p in self.playable.values() if p.member_id == member_id) > 1

    @property
    def damaged_spans(self) -> str:
        """Whose recordings are damaged and when (the approval's tick box names them)."""
        return damaged_spans(self.damaged, self.members)

    @property
    def recordings_intact(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def awaiting_confirmation(self) -> int:
        """Highlighted lines an official still has to confirm or correct."""
        return sum(1 for line in self.lines if line.awaiting_confirmation)

    @property
    def other_languages(self) -> list[TrackLanguage]:
        """Speakers who spoke another language than the agency's (or may have)."""
        return [t for t in self.languages if t.switched]

    @property
    def editable(self) -> bool:
        return (self.transcript is not None and not self.transcript.locked
                and self.transcript.status is TranscriptStatus.DONE)


@dataclass(frozen=True)
class Export:
    filename: str
    media_type: str
    body: bytes
