"""Test data for transcript review, written directly (never through the transcription worker,
which the transcription pipeline builds): an ended hearing of a booking with an official and the
citizen as members, their recording rows and files, and a finished machine transcript."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from reception.adapters.db.tables.transcripts import SegmentRow, TranscriptRow
from reception.adapters.media.recording import chain
from reception.domain.booking import Subject
from reception.domain.hearings.model import (
    Hearing,
    HearingId,
    HearingMember,
    HearingStatus,
    MemberId,
    MemberRole,
    Recording,
)
from reception.domain.organisation import StaffMember
from reception.services.integrity.attestation import add_recordings
from tests.integration.hearings.factory import Seeded, seed_booking

CITIZEN = "Nguyễn Văn An"
# (member, start_ms, end_ms, machine text, confidence): the citizen's file starts 2 s late.
LINES = (
    ("official", 500, 2500, "Xin chào, mời ông trình bày nội dung.", 0.93),
    ("citizen", 3000, 6000, "Tôi khiếu lại quyết định thu hồi đất.", 0.41),
    ("official", 6500, 8000, "Cảm ơn ông, chúng tôi đã ghi nhận.", 0.88),
)


@dataclass(frozen=True)
class SeededHearing:
    seeded: Seeded
    hearing: Hearing
    official_member: HearingMember
    citizen_member: HearingMember
    transcript_id: uuid.UUID
    segment_ids: list[uuid.UUID]


def write_file(recordings: Path, relative: str, content: bytes) -> tuple[str, int, str | None]:
    """The file written as the recorder writes one: through the chained output, 1 KiB at a time
    (a chunk each), so it has its chain beside it like a real recording."""
    path = recordings / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with chain.open_output(path) as output:
        for start in range(0, len(content), 1024):
            output.write(content[start:start + 1024])
    return hashlib.sha256(content).hexdigest(), len(content), chain.read_chain(path)


async def seed_hearing(uow: Callable[[], Any], official: StaffMember, recordings: Path, *,
                       evidence: bytes = b"\x1aE\xdf\xa3" + bytes(4096), audio: bytes = bytes(2048),
                       name: str = CITIZEN, lines: tuple[tuple[str, int, int, str, float], ...] = LINES,
                       doubtful: dict[int, tuple[str, ...]] | None = None,
                       subject: Subject = Subject.COMPLAINT) -> SeededHearing:
    """`doubtful`: the doubts (transcripts.Doubt values) the machine had about lines, by index."""
    seeded = await seed_booking(uow, official, name=name, subject=subject)
    name = seeded.citizen.display_name  # the pseudonym, for a denunciation
    async with uow() as work:
        start = seeded.booking.starts_at
        hearing = Hearing(HearingId(uuid.uuid4()), seeded.booking.id, official.agency_id,
                          HearingStatus.ENDED, start, official.id, recording_started_at=start,
                          ended_at=start + timedelta(minutes=1), ended_by=official.id,
                          transcription="transcribed")
        await work.hearings.add(hearing)
        staff_member = HearingMember(MemberId(uuid.uuid4()), hearing.id, MemberRole.OFFICIAL,
                                     official.full_name, start, staff_id=official.id,
                                     acknowledged_at=start, admitted_at=start)
        citizen = HearingMember(MemberId(uuid.uuid4()), hearing.id, MemberRole.CITIZEN, name,
                                start, participant_id=seeded.citizen.id, acknowledged_at=start,
                                admitted_at=start)
        for member in (staff_member, citizen):
            await work.hearings.add_member(member)
        files = ((citizen, "evidence", evidence, timedelta(seconds=2)),
                 (staff_member, "audio", audio, timedelta(0)))
        for member, kind, content, late in files:
            relative = f"{hearing.id}/{member.id}.{kind}.webm"
            sha, size, written = write_file(recordings, relative, content)
            await add_recordings(work, start, hearing, [Recording(  # attested, as stored
                hearing.id, member.id, kind, relative, sha, size, "closed", start + late,
                start + timedelta(minutes=1), duration_seconds=8.0, chain=written)])
        transcript = TranscriptRow(hearing_id=hearing.id, agency_id=official.agency_id,
                                   status="done", language="vi", progress=1.0, model="base",
                                   created_at=start, finished_at=start + timedelta(minutes=2))
        work.session.add(transcript)
        await work.session.flush()
        members = {"official": staff_member, "citizen": citizen}
        rows = [SegmentRow(transcript_id=transcript.id, member_id=members[who].id,
                           speaker=members[who].display_name, role=who, start_ms=s, end_ms=e,
                           text=text, machine_text=text, confidence=conf, version=1,
                           doubts=list((doubtful or {}).get(index, ())))
                for index, (who, s, e, text, conf) in enumerate(lines)]
        work.session.add_all(rows)
        await work.session.flush()
        ids = [row.id for row in rows]
        await work.commit()
    return SeededHearing(seeded, hearing, staff_member, citizen, transcript.id, ids)
