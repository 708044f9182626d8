"""The facts of a hearing record (biên bản, docs/law.md §3.6 with §3.2/§3.3 where a hearing has
them) gathered from the booking, the hearing's members and files, the approved lines, the
recordings that could not be transcribed (whose speakers' words the lines do not hold) and the
damaged stretches of recordings (what was said in them is not in the lines either)."""

from __future__ import annotations

from collections.abc import Sequence

from reception.domain.booking import Booking, ParticipantRole, Subject
from reception.domain.hearings.model import Hearing, HearingMember, MemberRole, Recording
from reception.domain.integrity import RecordingCheck
from reception.domain.transcripts.transcript import Segment, Transcript
from reception.services.ports import UnitOfWork
from reception.services.transcripts.review_ports import (
    HearingRecordData,
    RecordDamaged,
    RecordFile,
    RecordLine,
    RecordParty,
    RecordUntranscribed,
)
from reception.services.transcripts.views import hearing_zero, track_notes, untranscribed


def _party(member: HearingMember, booking: Booking) -> RecordParty:
    if member.role is MemberRole.CITIZEN:  # the booked citizen: identity paper and address
        return RecordParty(member.role.value, member.display_name, False,
                           booking.citizen.id_number, booking.citizen.address)
    return RecordParty(member.role.value, member.display_name,
                       member.role in (MemberRole.OFFICIAL, MemberRole.OBSERVER))


def _resolution(segment: Segment) -> str:
    """How a line the machine was unsure of was resolved before approval ("" if it was clear)."""
    if not segment.uncertain:
        return ""
    return "corrected" if segment.version > 1 else "confirmed"


async def record_data(uow: UnitOfWork, hearing: Hearing, booking: Booking,
                      transcript: Transcript, recordings: Sequence[Recording],
                      segments: Sequence[Segment], storage: str,
                      checks: Sequence[RecordingCheck] = ()) -> HearingRecordData:
    """`checks`: the files as verified just now; the record states each one's hash and when it
    was verified (a file that failed never gets this far)."""
    assert transcript.approved_at is not None and transcript.approved_hash is not None
    agency = await uow.agencies.get(hearing.agency_id)
    approver = await uow.staff.get(transcript.approved_by) if transcript.approved_by else None
    members = await uow.hearings.members(hearing.id)
    names = {m.id: m.display_name for m in members}
    citizen = next((p for p in await uow.participants.of_booking(booking.id)
                    if p.role is ParticipantRole.CITIZEN), None)
    citizen_member = next((m for m in members if m.role is MemberRole.CITIZEN), None)
    verified = {c.recording.path: (c.sha256_now or c.recording.sha256, c.checked_at)
                for c in checks if c.ok}
    # Lines are timed from the hearing's zero (start_ms), in the order of the hearing.
    ordered = sorted(segments, key=lambda s: (s.start_ms, s.end_ms, str(s.member_id)))
    lines = [RecordLine(s.start_ms / 1000, s.speaker, s.role, s.text, _resolution(s))
             for s in ordered]
    tracks = await uow.transcript_review.tracks(transcript.id)
    missing = untranscribed(members, recordings, tracks)
    people = {m.id: m for m in members}
    hashes = {r.path: r.sha256 for r in recordings}
    damaged = [RecordDamaged(names.get(d.member_id, str(d.member_id)),
                             people[d.member_id].role.value if d.member_id in people else "",
                             d.start_ms / 1000, d.end_ms / 1000, hashes.get(d.recording, ""))
               for d in track_notes(hearing_zero(hearing, recordings), recordings, tracks).damaged]
    return HearingRecordData(
        agency=agency.name if agency else "",
        session_id=str(hearing.id),
        booking_reference=booking.reference,
        subject=booking.subject.value,
        summary=booking.description,
        opened_at=hearing.opened_at,
        ended_at=hearing.ended_at or hearing.interrupted_at,
        central_point=agency.name if agency else "",
        parties=[_party(m, booking) for m in members],
        notified_at=booking.notified_at,
        device_checked_at=citizen.device_checked_at if citizen else None,
        connected_at=citizen_member.joined_at if citizen_member else None,
        denunciation_waiver=(booking.identity_protection_waived
                             if booking.subject is Subject.DENUNCIATION else None),
        files=[RecordFile(names.get(r.member_id, str(r.member_id)), r.kind, r.path,
                          verified.get(r.path, (r.sha256, None))[0], r.size_bytes,
                          r.duration_seconds, verified.get(r.path, (r.sha256, None))[1])
               for r in recordings],
        lines=lines,
        approved_at=transcript.approved_at,
        approved_by=approver.full_name if approver else "",
        approved_hash=transcript.approved_hash,
        citizen_ack_at=transcript.citizen_ack_at,
        storage=storage,
        untranscribed=[RecordUntranscribed(m.speaker, m.role, m.kind, m.started_at, m.sha256,
                                           m.reason.value) for m in missing],
        damaged=damaged,
    )
