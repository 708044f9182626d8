"""Is an approved transcript still the approved record? Its lines are fingerprinted now with
the computation approval records (`views.hash_of`) and compared with the fingerprint stored
with the transcript and with the one the keyed audit log recorded last for its hearing: at
approval (`transcript.approved`), or when sealing renamed a speaker
(`transcript.speaker_sealed`). The review page and its API, the exports, a case file's quoted
passages and the integrity check (`reception verify`, the periodic job) all ask here
(docs/evidence.md §7)."""

from __future__ import annotations

from collections.abc import Sequence

from reception.domain.audit import AuditRecord
from reception.domain.hearings.model import Hearing, HearingId, Recording
from reception.domain.transcripts.transcript import Fingerprint, Segment, Transcript
from reception.i18n_marker import N_
from reception.services.ports import UnitOfWork
from reception.services.transcripts.views import hash_of, hearing_zero

# The audit entries that record an approved transcript's fingerprint, and where they hold it.
RECORDED_IN = {"transcript.approved": "hash", "transcript.speaker_sealed": "to"}
TAMPERED = N_("This transcript was changed after it was approved: its lines no longer match the "
              "fingerprint recorded at approval. It is not the approved record; report it to "
              "the administrator.")


def recorded(record: AuditRecord) -> str | None:
    """The fingerprint one audit entry records (None: none, or not as written)."""
    key = RECORDED_IN.get(record.action)
    value = record.details.get(key) if key else None
    return value if isinstance(value, str) else None


async def audited(uow: UnitOfWork, hearing_id: HearingId) -> str | None:
    """The fingerprint the audit log recorded last for the hearing's transcript."""
    last = None
    async for record in uow.audit.of_object("hearing", str(hearing_id), tuple(RECORDED_IN)):
        last = recorded(record)
    return last


async def audited_all(uow: UnitOfWork) -> dict[str, str | None]:
    """`audited` for every hearing at once (the integrity check), by hearing id."""
    found: dict[str, str | None] = {}
    async for record in uow.audit.of_actions(tuple(RECORDED_IN)):
        if record.object_type == "hearing" and record.object_id:
            found[record.object_id] = recorded(record)
    return found


def fingerprint(hearing: Hearing, recordings: Sequence[Recording], transcript: Transcript,
                segments: Sequence[Segment], audited: str | None) -> Fingerprint | None:
    """None for a transcript not approved (nothing to match yet)."""
    if transcript.approved_hash is None:
        return None
    return Fingerprint(hash_of(hearing_zero(hearing, recordings), segments),
                       transcript.approved_hash, audited)


async def approved_check(uow: UnitOfWork, hearing: Hearing, recordings: Sequence[Recording],
                transcript: Transcript | None, segments: Sequence[Segment]) -> Fingerprint | None:
    """The check, with what the caller has loaded already."""
    if transcript is None or transcript.approved_hash is None:
        return None
    return fingerprint(hearing, recordings, transcript, segments,
                       await audited(uow, hearing.id))


async def approved_check_of(uow: UnitOfWork, hearing_id: HearingId) -> Fingerprint | None:
    """The check of a hearing's transcript, loading what it needs."""
    hearing = await uow.hearings.get(hearing_id)
    transcript = await uow.transcript_review.for_hearing(hearing_id) if hearing else None
    if hearing is None or transcript is None or transcript.approved_hash is None:
        return None
    return await approved_check(uow, hearing, await uow.hearings.recordings(hearing_id), transcript,
                       await uow.transcript_review.segments(transcript.id))
