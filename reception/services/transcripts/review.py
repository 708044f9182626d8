"""Review of a hearing transcript: officials of the hearing's agency correct lines
while the recording plays (every correction is a version with author and time; the machine text
is kept), confirm each line the machine was unsure of, approve (refused while a doubtful line
is neither confirmed nor corrected, and while a recording could not be transcribed or has a
damaged stretch unless the official acknowledges that those words are not in it; the transcript
locks and its hash is recorded), export it,
and play the recordings back. Every read of a transcript or recording and every change is
audit-logged."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reception.domain.access import ObjectType, Permission, scope_for
from reception.domain.booking import Booking
from reception.domain.cases.denouncer import unplayable
from reception.domain.documents.signed import DocumentKind, SignedDocument
from reception.domain.hearings.model import Hearing, HearingId, MemberId, Recording
from reception.domain.integrity import RecordingCheck
from reception.domain.organisation import StaffMember
from reception.domain.transcripts.transcript import (
    Fingerprint,
    Segment,
    SegmentId,
    Transcript,
    TranscriptLocked,
    TranscriptStatus,
    awaiting_confirmation,
    check_editable,
)
from reception.i18n_marker import N_
from reception.services import audit
from reception.services.booking.sealing import unplayable_members
from reception.services.cases.files import DocumentStorage
from reception.services.errors import Conflict, FileAltered, Forbidden, Invalid, NotFound
from reception.services.integrity.attestation import add_signed_record
from reception.services.integrity.ports import RecordingVerifier
from reception.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from reception.services.signing.issuing import DocumentIssuer
from reception.services.transcripts.fingerprint import TAMPERED, approved_check
from reception.services.transcripts.record import record_data
from reception.services.transcripts.review_ports import HearingRecordRenderer
from reception.services.transcripts.views import (
    EXPORT_FORMATS,
    TEXT_FORMATS,
    Export,
    Review,
    damaged_spans,
    hash_of,
    hearing_zero,
    library_transcript,
    playable_recordings,
    review_lines,
    track_notes,
    untranscribed,
)

MAX_LINE = 4000
NO_HEARING = N_("This hearing does not exist.")
NO_TRANSCRIPT = N_("This hearing has no transcript yet.")
LOCKED = N_("This transcript is approved and locked; it cannot be changed any more.")
RECORD_TAMPERED = N_("The stored hearing record no longer matches the file that was signed.")
RECORDING_ALTERED = N_("A recording of this hearing does not match what was recorded ({files}). "
                       "Nothing can be approved or certified from it; report it to the "
                       "administrator (the check names the damaged part).")
# Approving locks the record: the official declares they checked it against the recording.
# Asked of every path that approves (the page's tick box, the API's field), here in one place.
NOT_CHECKED = N_("Tick “I have checked the transcript against the recording” to approve it.")
UNTRANSCRIBED = N_("The words of {names} are not in this transcript: their recording could not "
                   "be transcribed. Tick “I know that the words of {names} are not in this "
                   "transcript” to approve it.")
# The same declaration covers what was said in a damaged stretch of a recording ({spans}: whose,
# and from when to when on the hearing's clock, as the page lists them).
DAMAGED = N_("The recordings of {spans} are damaged in those stretches and cannot be heard: what "
             "was said then is not in this transcript. Tick “I know that what was said in the "
             "damaged stretches of the recordings is not in this transcript” to approve it.")
UNTRANSCRIBED_AND_DAMAGED = N_(
    "The words of {names} are not in this transcript: their recording could not be transcribed. "
    "Nor is what was said where the recordings of {spans} are damaged. Tick “I know that the "
    "words of {names} and what was said in the damaged stretches of the recordings are not in "
    "this transcript” to approve it.")
RECORD_TITLE = "Biên bản phiên tiếp công dân trực tuyến"  # the document's own name


@dataclass(frozen=True)
class PlaybackFile:
    path: Path
    media_type: str


SEALED_RECORD = N_("This hearing record names a citizen who was later found to denounce: it is "
                   "given only to the officials who held the hearing and to the head (Law on "
                   "Denunciations, Article 56).")
SEALED_RECORDING = N_("A denouncer's recordings play only for the officials who held the hearing "
                      "and for the head (Law on Denunciations, Article 56).")

class TranscriptReviewService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, recordings_dir: Path,
                 renderer: HearingRecordRenderer, issuer: DocumentIssuer,
                 storage: DocumentStorage, verifier: RecordingVerifier | None = None) -> None:
        self._uow, self._clock = uow, clock
        self._recordings = recordings_dir.resolve()
        self._renderer = renderer
        self._issuer, self._storage = issuer, storage
        self._verifier = verifier  # approval and the hearing record check every file first

    async def verification(self, actor: StaffMember, hearing_id: HearingId) -> list[RecordingCheck]:
        """Each recording file of the hearing checked now against its chain and its hash."""
        async with self._uow() as uow:
            await self._hearing(uow, actor, hearing_id, Permission.VIEW, ObjectType.RECORDING)
        return await self._verified(hearing_id)

    async def _verified(self, hearing_id: HearingId) -> list[RecordingCheck]:
        if self._verifier is None:
            return []
        return list(await self._verifier.verify_hearing(hearing_id))

    async def _refuse_altered(self, actor: StaffMember, hearing: Hearing, action: str,
                              checks: Sequence[RecordingCheck]) -> None:
        """Nothing is approved or certified from a recording that fails its check: the refusal
        is itself audited (its own unit of work), then explained."""
        failed = [c for c in checks if not c.ok]
        if not failed:
            return
        async with self._uow() as uow:
            await self._log(uow, actor, action, hearing, {
                "files": [c.recording.path for c in failed],
                "problems": [str(p) for c in failed for p in c.problems][:10]})
            await uow.commit()
        raise Conflict(RECORDING_ALTERED,
                       files=", ".join(c.recording.path.rsplit("/", 1)[-1] for c in failed))

    async def review(self, actor: StaffMember, hearing_id: HearingId) -> Review:
        async with self._uow() as uow:
            hearing = await self._hearing(uow, actor, hearing_id, Permission.VIEW)
            booking = await uow.bookings.get(hearing.booking_id)
            assert booking is not None
            members = await uow.hearings.members(hearing.id)
            recordings = await uow.hearings.recordings(hearing.id)
            zero = hearing_zero(hearing, recordings)
            transcript = await uow.transcript_review.for_hearing(hearing.id)
            segments = await uow.transcript_review.segments(transcript.id) if transcript else []
            edits = await uow.transcript_review.edits(transcript.id) if transcript else []
            authors = {e.author_id for e in edits} | (
                {transcript.approved_by} if transcript and transcript.approved_by else set())
            authors |= {s.confirmed_by for s in segments if s.confirmed_by}
            names = {a: m.full_name for a in authors if (m := await uow.staff.get(a))}
            tracks = await uow.transcript_review.tracks(transcript.id) if transcript else []
            hidden = unplayable(booking, members, actor)
            check = await approved_check(uow, hearing, recordings, transcript, segments)
            await self._log(uow, actor, "transcript.viewed", hearing, _altered(check))
            await uow.commit()
        intact = check.intact if check else None
        notes = track_notes(zero, recordings, tracks)
        playable = {key: p for key, p in playable_recordings(zero, recordings).items()
                    if p.member_id not in hidden}
        return Review(hearing, booking, transcript, review_lines(segments, edits, names),
                      members, playable,
                      names.get(transcript.approved_by) if transcript and transcript.approved_by
                      else None, intact, languages=notes.languages,
                      dropped=notes.dropped, damaged=notes.damaged,
                      sealed=bool(hidden),
                      untranscribed=untranscribed(members, recordings, tracks))

    async def review_intact(self, actor: StaffMember, hearing_id: HearingId) -> Review:
        """The review for the API, which hands the lines out as data: an approved transcript
        that no longer matches its fingerprint is refused, as its exports are."""
        review = await self.review(actor, hearing_id)
        if review.intact is False:
            raise Conflict(TAMPERED)
        return review

    async def edit(self, actor: StaffMember, hearing_id: HearingId, segment_id: SegmentId,
                   text: str, version: int) -> Segment:
        """A new version of one line; `version` is the one the official corrected."""
        text = unicodedata.normalize("NFC", " ".join(text.split()))
        if not text or len(text) > MAX_LINE:
            raise Invalid(N_("Write the text of this line (at most {limit} characters)."),
                          limit=MAX_LINE)
        async with self._uow() as uow:
            hearing = await self._hearing(uow, actor, hearing_id, Permission.ACT)
            transcript = await self._editable(uow, hearing)
            segment = await uow.transcript_review.segment(segment_id)
            if segment is None or segment.transcript_id != transcript.id:
                raise NotFound(N_("This line is not in the transcript."))
            if segment.version != version:
                raise Conflict(N_("Someone changed this line meanwhile (now version {version}). "
                                  "Reload the page and correct it again."), version=segment.version)
            if text == segment.text:
                return segment
            changed = await uow.transcript_review.record_edit(segment, text, actor.id,
                                                              self._clock.now())
            details: dict[str, object] = {"segment": str(segment.id), "version": changed.version}
            if segment.awaiting_confirmation:  # the correction resolves the doubt
                details["resolves"] = [d.value for d in segment.doubts]
            await self._log(uow, actor, "transcript.edited", hearing, details)
            await uow.commit()
        return changed

    async def confirm(self, actor: StaffMember, hearing_id: HearingId, segment_id: SegmentId,
                      version: int) -> Segment:
        """The official listened to a line the machine was unsure of and confirms it as it
        reads (`version`: the version they listened to)."""
        async with self._uow() as uow:
            hearing = await self._hearing(uow, actor, hearing_id, Permission.ACT)
            transcript = await self._editable(uow, hearing)
            segment = await uow.transcript_review.segment(segment_id)
            if segment is None or segment.transcript_id != transcript.id:
                raise NotFound(N_("This line is not in the transcript."))
            if not segment.uncertain:
                raise Conflict(N_("This line needs no confirmation."))
            if segment.version != version:
                raise Conflict(N_("Someone changed this line meanwhile (now version {version}). "
                                  "Reload the page and listen to it again."),
                               version=segment.version)
            if segment.confirmed_at is not None:
                return segment
            confirmed = await uow.transcript_review.confirm(segment, actor.id, self._clock.now())
            await self._log(uow, actor, "transcript.line_confirmed", hearing, {
                "segment": str(segment.id), "version": segment.version,
                "doubts": [d.value for d in segment.doubts], "text": segment.text})
            await uow.commit()
        return confirmed

    async def approve(self, actor: StaffMember, hearing_id: HearingId, *, checked: bool,
                      untranscribed_acknowledged: bool = False) -> Transcript:
        """Lock the transcript and issue the hearing record, signed by the approving official
        (the record carries the recordings' hashes, verified just before, and the approved
        transcript's). Only on the official's declaration that they checked the transcript
        against the recording (`checked`). A recording that fails its verification stops the
        approval; so do a recording that could not be transcribed and a damaged stretch of a
        recording, unless the official acknowledges that those words are not in the transcript
        (`untranscribed_acknowledged`: one declaration for both)."""
        async with self._uow() as uow:
            hearing = await self._hearing(uow, actor, hearing_id, Permission.APPROVE)
            await self._editable(uow, hearing)
        if not checked:  # after the access check: a stranger learns nothing, not even this
            raise Invalid(NOT_CHECKED)
        checks = await self._verified(hearing.id)
        await self._refuse_altered(actor, hearing, "transcript.approval_refused", checks)
        async with self._uow() as uow:
            hearing = await self._hearing(uow, actor, hearing_id, Permission.APPROVE)
            transcript = await self._editable(uow, hearing)
            recordings = await uow.hearings.recordings(hearing.id)
            segments = await uow.transcript_review.segments(transcript.id)
            waiting = awaiting_confirmation(segments)
            if waiting:
                raise Conflict(N_("{count} highlighted lines are not confirmed yet. Listen to "
                                  "each one, then confirm it or correct it before approving."),
                               count=len(waiting))
            members = await uow.hearings.members(hearing.id)
            tracks = await uow.transcript_review.tracks(transcript.id)
            zero = hearing_zero(hearing, recordings)
            missing = untranscribed(members, recordings, tracks)
            damaged = track_notes(zero, recordings, tracks).damaged
            if (missing or damaged) and not untranscribed_acknowledged:
                names = ", ".join(dict.fromkeys(m.speaker for m in missing))
                spans = damaged_spans(damaged, members)
                if missing and damaged:
                    raise Invalid(UNTRANSCRIBED_AND_DAMAGED, names=names, spans=spans)
                if missing:
                    raise Invalid(UNTRANSCRIBED, names=names)
                raise Invalid(DAMAGED, spans=spans)
            speakers = {m.id: m.display_name for m in members}
            fingerprint = hash_of(zero, segments)
            await uow.transcript_review.approve(transcript.id, actor.id, self._clock.now(),
                                                fingerprint)
            approved = await uow.transcript_review.for_hearing(hearing.id)
            assert approved is not None
            record, _ = await self._issue_record(uow, actor, hearing, approved, recordings,
                                                 segments, checks)
            await self._log(uow, actor, "transcript.approved", hearing, {
                "hash": fingerprint, "lines": len(segments), "signature": record.code,
                "uncertain_confirmed": sum(1 for s in segments if s.uncertain),
                # The official acknowledged that these speakers' words are not in it, nor what
                # was said in these stretches (ms on the hearing's clock).
                **({"untranscribed": [{"member": str(m.member_id), "speaker": m.speaker,
                                       "recording": m.recording, "reason": m.reason.value}
                                      for m in missing]} if missing else {}),
                **({"damaged": [{"member": str(d.member_id),
                                 "speaker": speakers.get(d.member_id, ""),
                                 "recording": d.recording.rsplit("/", 1)[-1],
                                 "start_ms": d.start_ms, "end_ms": d.end_ms} for d in damaged]}
                   if damaged else {}),
                **({"untranscribed_acknowledged": True} if missing or damaged else {})})
            await uow.commit()
        return approved

    async def export(self, actor: StaffMember, hearing_id: HearingId, fmt: str,
                     member_id: MemberId | None = None, file: str | None = None) -> Export:
        """The transcript as `fmt`; `member_id` times captions to that member's recording
        (`file`: which one, by its name; their first by default).
        The hearing record (pdf) exists only for an approved transcript; an approved
        transcript that no longer matches its fingerprint is exported in no format (the
        refusal is audited)."""
        if fmt not in EXPORT_FORMATS:
            raise NotFound(N_("There is no such export."))
        checks: list[RecordingCheck] = []
        if fmt == "pdf":  # the record certifies each file's hash: never once it stops matching
            async with self._uow() as uow:
                hearing = await self._hearing(uow, actor, hearing_id, Permission.EXPORT)
            checks = await self._verified(hearing.id)
            await self._refuse_altered(actor, hearing, "transcript.record_refused", checks)
        async with self._uow() as uow:
            hearing = await self._hearing(uow, actor, hearing_id, Permission.EXPORT)
            transcript = await uow.transcript_review.for_hearing(hearing.id)
            if transcript is None or transcript.status is not TranscriptStatus.DONE:
                raise NotFound(NO_TRANSCRIPT)
            recordings = await uow.hearings.recordings(hearing.id)
            segments = await uow.transcript_review.segments(transcript.id)
            start = hearing_zero(hearing, recordings)
            times_from = None if member_id is None else self._recording_of(
                recordings, member_id, file=file).started_at
            booking = await uow.bookings.get(hearing.booking_id)
            assert booking is not None
            name = f"{booking.reference}-{str(hearing.id)[:8]}"
            if fmt == "pdf" and not transcript.locked:
                raise Conflict(N_("The hearing record is drawn up from the approved "
                                  "transcript only. Approve the transcript first."))
            check = await approved_check(uow, hearing, recordings, transcript, segments)
            if check is not None and not check.intact:
                await self._log(uow, actor, "transcript.export_refused", hearing, {
                    "format": fmt, **_altered(check)})
                await uow.commit()
                raise Conflict(TAMPERED)
            if fmt == "pdf":
                await self._named_record_refused(uow, actor, hearing, booking)
                result = Export(f"bien-ban-{name}.pdf", "application/pdf",
                                await self._signed_record(uow, actor, hearing, transcript,
                                                          recordings, segments, checks))
            else:
                writer, media_type = TEXT_FORMATS[fmt]
                body = writer(library_transcript(start, segments, times_from)).encode("utf-8")
                result = Export(f"transcript-{name}.{fmt}", media_type, body)
            await self._log(uow, actor, "transcript.exported", hearing, {
                "format": fmt, "approved": transcript.locked})
            await uow.commit()
        return result

    async def recording_file(self, actor: StaffMember, hearing_id: HearingId,
                             member_id: MemberId, kind: str, byte_range: str | None,
                             file: str | None = None) -> PlaybackFile:
        """A member's recording to stream (`file`: which one, by its name, when a recorder
        restart left them several; their first by default); each request (and range) is
        audit-logged."""
        async with self._uow() as uow:
            hearing = await self._hearing(uow, actor, hearing_id, Permission.VIEW,
                                          ObjectType.RECORDING)
            if member_id in await unplayable_members(uow, actor, hearing):
                raise Forbidden(SEALED_RECORDING)
            recording = self._recording_of(await uow.hearings.recordings(hearing.id), member_id,
                                           kind, file)
            path = (self._recordings / recording.path).resolve()
            if not path.is_relative_to(self._recordings) or not path.is_file():
                raise NotFound(N_("This recording file is missing from the recordings store."))
            await self._log(uow, actor, "recording.playback", hearing, {
                "member": str(member_id), "kind": kind, "range": byte_range or "all",
                "file": recording.path.rsplit("/", 1)[-1]})
            await uow.commit()
        return PlaybackFile(path, "video/webm" if kind == "evidence" else "audio/webm")

    # -- helpers --------------------------------------------------------------------------
    async def _issue_record(self, uow: UnitOfWork, signer: StaffMember, hearing: Hearing,
                            transcript: Transcript, recordings: Sequence[Recording],
                            segments: Sequence[Segment],
                            checks: Sequence[RecordingCheck]) -> tuple[SignedDocument, bytes]:
        booking = await uow.bookings.get(hearing.booking_id)
        agency = await uow.agencies.get(hearing.agency_id)
        assert booking is not None and agency is not None
        data = await record_data(uow, hearing, booking, transcript, recordings, segments,
                                 str(self._recordings), checks)
        issued = await self._issuer.sign(self._renderer.render(data), agency=agency,
                                         actor=signer, title=RECORD_TITLE)
        record = issued.record(kind=DocumentKind.HEARING_RECORD, title=RECORD_TITLE,
                               reference=booking.reference, agency=agency,
                               sha256=self._storage.save(issued.data),
                               sealed=booking.sealed_identity is not None,
                               hearing_id=hearing.id)
        await add_signed_record(uow, self._clock.now(), signer, record)
        return record, issued.data

    @staticmethod
    async def _named_record_refused(uow: UnitOfWork, actor: StaffMember, hearing: Hearing,
                                    booking: Booking) -> None:
        """A record signed before its citizen was found to denounce names them: it goes only
        to those who may see a sealed hearing's citizen (services/booking/sealing.py)."""
        record = await uow.signed_documents.of_hearing(hearing.id)
        if (booking.sealed_identity is not None and record is not None and not record.sealed
                and await unplayable_members(uow, actor, hearing)):
            raise Forbidden(SEALED_RECORD)

    async def _signed_record(self, uow: UnitOfWork, actor: StaffMember, hearing: Hearing,
                             transcript: Transcript, recordings: Sequence[Recording],
                             segments: Sequence[Segment],
                             checks: Sequence[RecordingCheck]) -> bytes:
        """The hearing record signed at approval, as stored (checked against its hash).
        A transcript approved before records were signed gets its record issued now, in
        the approver's name."""
        record = await uow.signed_documents.of_hearing(hearing.id)
        if record is None:
            approver = (await uow.staff.get(transcript.approved_by)
                        if transcript.approved_by else None)
            _, data = await self._issue_record(uow, approver or actor, hearing, transcript,
                                               recordings, segments, checks)
            return data
        try:
            data = self._storage.read(record.sha256)
        except FileAltered:
            raise Conflict(RECORD_TAMPERED) from None
        if hashlib.sha256(data).hexdigest() != record.sha256:
            raise Conflict(RECORD_TAMPERED)
        return data

    async def _hearing(self, uow: UnitOfWork, actor: StaffMember, hearing_id: HearingId,
                       permission: Permission, obj: ObjectType = ObjectType.TRANSCRIPT) -> Hearing:
        hearing = await uow.hearings.get(hearing_id)
        if hearing is None or hearing.agency_id != actor.agency_id:
            raise NotFound(NO_HEARING)  # another agency's id: not found, never forbidden
        if scope_for(actor.roles, permission, obj) is None:
            raise Forbidden(N_("Your role does not allow this."))
        return hearing

    @staticmethod
    async def _editable(uow: UnitOfWork, hearing: Hearing) -> Transcript:
        transcript = await uow.transcript_review.for_hearing(hearing.id, lock=True)
        if transcript is None:
            raise NotFound(NO_TRANSCRIPT)
        try:
            check_editable(transcript)
        except TranscriptLocked:
            raise Conflict(LOCKED) from None
        if transcript.status is not TranscriptStatus.DONE:
            raise Conflict(N_("The transcript is not ready for review yet."))
        return transcript

    @staticmethod
    def _recording_of(recordings: Sequence[Recording], member_id: MemberId,
                      kind: str | None = None, file: str | None = None) -> Recording:
        """The member's recording file named `file` (their first one, evidence preferred,
        without it)."""
        found = [r for r in recordings if r.member_id == member_id
                 and (kind is None or r.kind == kind)
                 and (file is None or r.path.rsplit("/", 1)[-1] == file)]
        if not found:
            raise NotFound(N_("This person has no recording in this hearing."))
        return sorted(found, key=lambda r: (r.started_at, r.kind != "evidence"))[0]

    async def _log(self, uow: UnitOfWork, actor: StaffMember, action: str, hearing: Hearing,
                   details: dict[str, object]) -> None:
        await audit.log_change(uow, self._clock.now(), actor, action, "hearing", hearing, details)


def _altered(check: Fingerprint | None) -> dict[str, object]:
    """For the audit log: which fingerprints an approved transcript no longer matches."""
    return {"altered": [m.value for m in check.mismatches]} if check and not check.intact else {}
