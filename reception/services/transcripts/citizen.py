"""The citizen's side of a hearing transcript: with their booking's secret link they read the
approved transcript of their hearings (read-only) and acknowledge that they have read it
(ND154 Art. 24: the record of the online session is the citizen's too). Both audit-logged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reception.domain.booking import Booking, Participant, ParticipantRole
from reception.domain.hearings.model import Hearing, HearingId
from reception.domain.transcripts.transcript import Segment, Transcript
from reception.i18n_marker import N_
from reception.services import audit
from reception.services.booking.bookings import resolve
from reception.services.errors import Conflict, Forbidden, NotFound
from reception.services.ports import Clock, UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True)
class ApprovedTranscript:
    hearing: Hearing
    transcript: Transcript
    segments: Sequence[Segment]


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


class CitizenTranscripts:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow, self._clock = uow, clock

    async def view(self, token: str) -> CitizenView:
        """The approved transcripts of the link's booking; Forbidden for a bad link. The
        citizen reads every hearing of their booking; an interpreter, lawyer or representative
        only the hearings they took part in."""
        async with self._uow() as uow:
            participant, booking = await resolve(uow, token, self._clock.now())
            shown = []
            for hearing in await uow.hearings.of_booking(booking.id):
                if not await _took_part(uow, participant, hearing):
                    continue
                transcript = await uow.transcript_review.for_hearing(hearing.id)
                if transcript is not None and transcript.locked:
                    shown.append(ApprovedTranscript(
                        hearing, transcript, await uow.transcript_review.segments(transcript.id)))
            await self._log(uow, "transcript.viewed_by_citizen", booking, participant, {
                "hearings": [str(t.hearing.id) for t in shown]})
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
