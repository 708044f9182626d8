"""The citizen's side of a hearing transcript: with their booking's secret link they read the
approved transcript of their hearings (read-only) and acknowledge that they have read it
(ND154 Art. 24: the record of the online session is the citizen's too). Both audit-logged.

The citizen is told what the officials are told: whose words the transcript does not hold (a
recording that could not be transcribed, views.untranscribed; a damaged stretch of a recording,
views.track_notes), and — by the one check of
fingerprint.py — when the approved lines no longer match the fingerprint recorded at approval:
then no line is shown as the approved record, and it cannot be acknowledged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from reception.domain.booking import Booking, Participant, ParticipantRole
from reception.domain.hearings.model import Hearing, HearingId, MemberId
from reception.domain.transcripts.transcript import DamagedAudio, Fingerprint, Segment, Transcript
from reception.i18n_marker import N_
from reception.services import audit
from reception.services.booking.bookings import resolve
from reception.services.errors import Conflict, Forbidden, NotFound
from reception.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from reception.services.transcripts.fingerprint import approved_check
from reception.services.transcripts.views import (
    Untranscribed,
    hearing_zero,
    track_notes,
    untranscribed,
)

# Said to the citizen instead of lines that no longer match the approved record.
BEING_CHECKED = N_("The office is checking the record of this hearing: it cannot be shown or "
                   "confirmed now. Come back to this link later, or contact the reception "
                   "office.")


@dataclass(frozen=True)
class ApprovedTranscript:
    hearing: Hearing
    transcript: Transcript
    segments: Sequence[Segment]  # none when `altered`: they are not the approved record
    # The lines no longer match the fingerprint recorded at approval (fingerprint.py).
    altered: bool = False
    untranscribed: Sequence[Untranscribed] = ()  # recordings whose words are not in the lines
    damaged: Sequence[DamagedAudio] = ()  # stretches no audio could be decoded from
    speakers: dict[MemberId, str] = field(default_factory=dict)  # whose recording, by member


@dataclass(frozen=True)
class CitizenView:
    booking: Booking
    participant: Participant
    transcripts: Sequence[ApprovedTranscript]

    @property
    def may_acknowledge(self) -> bool:
        """The booked citizen acknowledges; others with a link of the booking only read."""
        return self.participant.role is ParticipantRole.CITIZEN


async def _took_part(uow: UnitOfWork, participant: Participant, hearing: Hearing) -> bool:
    if participant.role is ParticipantRole.CITIZEN:
        return True
    return any(m.participant_id == participant.id for m in await uow.hearings.members(hearing.id))


async def _approved(uow: UnitOfWork, hearing: Hearing, transcript: Transcript
                    ) -> tuple[ApprovedTranscript, Fingerprint | None]:
    """The approved transcript as the citizen may read it, and its fingerprint check: lines
    that no longer match the approved record are withheld."""
    recordings = await uow.hearings.recordings(hearing.id)
    segments = await uow.transcript_review.segments(transcript.id)
    check = await approved_check(uow, hearing, recordings, transcript, segments)
    if check is not None and not check.intact:
        return ApprovedTranscript(hearing, transcript, (), altered=True), check
    members = await uow.hearings.members(hearing.id)
    tracks = await uow.transcript_review.tracks(transcript.id)
    return ApprovedTranscript(
        hearing, transcript, segments, untranscribed=untranscribed(members, recordings, tracks),
        damaged=track_notes(hearing_zero(hearing, recordings), recordings, tracks).damaged,
        speakers={m.id: m.display_name for m in members}), check


class CitizenTranscripts:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow, self._clock = uow, clock

    async def view(self, token: str) -> CitizenView:
        """The approved transcripts of the link's booking; Forbidden for a bad link. The
        citizen reads every hearing of their booking; an interpreter, lawyer or representative
        only the hearings they took part in."""
        async with self._uow() as uow:
            participant, booking = await resolve(uow, token, self._clock.now())
            shown, altered = [], {}
            for hearing in await uow.hearings.of_booking(booking.id):
                if not await _took_part(uow, participant, hearing):
                    continue
                transcript = await uow.transcript_review.for_hearing(hearing.id)
                if transcript is None or not transcript.locked:
                    continue
                approved, check = await _approved(uow, hearing, transcript)
                if check is not None and not check.intact:
                    altered[str(hearing.id)] = [m.value for m in check.mismatches]
                shown.append(approved)
            await self._log(uow, "transcript.viewed_by_citizen", booking, participant, {
                "hearings": [str(t.hearing.id) for t in shown],
                **({"altered": altered} if altered else {})})
            await uow.commit()
        return CitizenView(booking, participant, shown)

    async def acknowledge(self, token: str, hearing_id: HearingId) -> Transcript:
        """Record that the citizen read the approved transcript (the first time counts)."""
        now = self._clock.now()
        async with self._uow() as uow:
            participant, booking = await resolve(uow, token, now)
            hearing = await uow.hearings.get(hearing_id)
            if hearing is None or hearing.booking_id != booking.id:
                raise NotFound(N_("This hearing does not exist."))
            if participant.role is not ParticipantRole.CITIZEN:
                raise Forbidden(N_("Only the citizen who booked can acknowledge the transcript."))
            transcript = await uow.transcript_review.for_hearing(hearing.id, lock=True)
            if transcript is None or not transcript.locked:
                raise Conflict(N_("The transcript of this hearing is not approved yet."))
            _, check = await _approved(uow, hearing, transcript)
            if check is not None and not check.intact:  # never "read" as the approved record
                await self._log(uow, "transcript.acknowledge_refused", booking, participant, {
                    "hearing": str(hearing.id), "altered": [m.value for m in check.mismatches]})
                await uow.commit()
                raise Conflict(BEING_CHECKED)
            await uow.transcript_review.acknowledge(transcript.id, now)
            # The citizen holds no certificate: their acknowledgement is recorded against the
            # signed hearing record as its counter-signature event (first one counts).
            record = await uow.signed_documents.of_hearing(hearing.id)
            if record is not None:
                await uow.signed_documents.countersign(record.id, now, "citizen")
            await self._log(uow, "transcript.acknowledged", booking, participant, {
                "hearing": str(hearing.id), "hash": transcript.approved_hash,
                "signature": record.code if record else None})
            await uow.commit()
            acknowledged = await uow.transcript_review.for_hearing(hearing.id)
        assert acknowledged is not None
        return acknowledged

    async def _log(self, uow: UnitOfWork, action: str, booking: Booking,
                   participant: Participant, details: dict[str, object]) -> None:
        await audit.log_change(uow, self._clock.now(), None, action, "booking", booking,
                                  {**details, "participant": str(participant.id)},
                                  actor_label="citizen")
