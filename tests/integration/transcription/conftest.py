"""Transcription pipeline fixtures: services on the test database, hearings seeded with real
recordings (the shipped speech fixtures or files made from them), and a worker to drain the
queue. Models are assembled once per session under a shared data directory."""

from __future__ import annotations

import asyncio
import shutil
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jiwer
import pytest
from quart import Quart
from sqlalchemy import text

from reception.app import create_app
from reception.bootstrap.container import Container
from reception.bootstrap.transcription import run_transcription_worker
from reception.domain.booking import Participant, ParticipantId, ParticipantRole
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
from reception.domain.transcripts.transcript import Segment, Transcript
from reception.services.booking.rules import new_token
from reception.services.integrity.attestation import add_recordings
from reception.services.ports import UnitOfWork
from reception.settings import Settings
from tests.integration.conftest import make_settings
from tests.integration.hearings.factory import Seeded, make_official, seed_booking
from tests.integration.transcript_review.seed import write_file
from transcripts.guard import words_of

SPEECH = Path(__file__).resolve().parents[2] / "fixtures" / "speech"
CITIZEN_TEXT = (SPEECH / "citizen.txt").read_text(encoding="utf-8")
OFFICIAL_TEXT = (SPEECH / "official.txt").read_text(encoding="utf-8")
FAST_WORKER = {"WORKER_HEARTBEAT_SECONDS": "0.5", "WORKER_STALLED_SECONDS": "2",
               "WORKER_POLL_SECONDS": "0.2"}


@pytest.fixture(scope="session")
def shared_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """DATA_DIR of every test here: built-in models are assembled into it once."""
    return tmp_path_factory.mktemp("transcription-data")


@pytest.fixture
def settings(clean_db: str, tmp_path: Path, shared_data_dir: Path) -> Settings:
    return make_settings(shared_data_dir, clean_db, RECORDINGS_DIR=str(tmp_path / "recordings"),
                         **FAST_WORKER)


@pytest.fixture
async def app(settings: Settings, clean_db: str) -> AsyncIterator[Quart]:
    application = create_app(settings, clean_db)
    async with application.test_app():
        yield application


async def audit_of(container: Container, action: str) -> list[dict[str, object]]:
    async with container.uow_factory() as uow:
        rows = await uow.session.execute(text(
            "SELECT details FROM audit_log WHERE action = :a ORDER BY id"), {"a": action})
        return list(rows.scalars())


@pytest.fixture
async def container(settings: Settings, clean_db: str) -> AsyncIterator[Container]:
    built = Container(settings, clean_db)
    yield built
    await built.close()


# The booked citizen's secret link of each seeded hearing: tests read their page with it.
CITIZEN_LINKS: dict[HearingId, str] = {}


@dataclass(frozen=True)
class Track:
    role: MemberRole
    name: str
    source: Path | bytes | None  # a file to copy, raw bytes to write, or None: no file at all
    offset_seconds: float  # when this recording started, after the hearing's first one


async def seed_hearing(container: Container, language: str, tracks: list[Track],
                       recordings: Path, *, attested: bool = False
                       ) -> tuple[HearingId, dict[str, MemberId]]:
    """An ended hearing of a new agency with one audio recording per track; members by name.
    A track named like an earlier one is that member's next recording, named as the recorder
    names the file of a restarted recorder (`<member id>-<n>`).
    `attested`: each file is written as the recorder writes one (with its chain, its real hash
    stored), so that it passes the verification approval and the hearing record run."""
    official = await make_official(container.staff, login=f"canbo{uuid.uuid4().hex[:6]}",
                                   agency_code=uuid.uuid4().hex[:6])
    async with container.uow_factory() as uow:
        agency = await uow.agencies.get(official.agency_id)
        assert agency is not None
        await uow.agencies.update(replace(agency, transcription_language=language))
        await uow.commit()
    seeded = await seed_booking(container.uow_factory, official)
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    hearing = Hearing(HearingId(uuid.uuid4()), seeded.booking.id, official.agency_id,
                      HearingStatus.ENDED, start, official.id, recording_started_at=start,
                      ended_at=start + timedelta(minutes=5), ended_by=official.id,
                      transcription="queued")
    members: dict[str, MemberId] = {}
    async with container.uow_factory() as uow:
        await uow.hearings.add(hearing)
        recorded: dict[str, int] = {}  # recordings of each member so far
        for track in tracks:
            if track.name not in members:
                members[track.name] = await _member(uow, hearing, track, seeded, official, start)
            member_id = members[track.name]
            recorded[track.name] = recorded.get(track.name, 0) + 1
            stem = member_id if recorded[track.name] == 1 else f"{member_id}-{recorded[track.name]}"
            relative = f"{hearing.id}/{stem}.audio.wav"
            path = recordings / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            sha256, written = "0" * 64, None
            if attested and track.source is not None:
                content = (track.source.read_bytes() if isinstance(track.source, Path)
                           else track.source)
                sha256, _, written = write_file(recordings, relative, content)
            elif isinstance(track.source, Path):
                shutil.copyfile(track.source, path)
            elif isinstance(track.source, bytes):
                path.write_bytes(track.source)
            size = path.stat().st_size if path.exists() else 0
            began = start + timedelta(seconds=track.offset_seconds)
            await add_recordings(uow, start, hearing, [Recording(
                hearing.id, member_id, "audio", relative, sha256, size, "closed", began,
                began + timedelta(seconds=15) if attested else None, duration_seconds=15.0,
                chain=written)])
        await uow.commit()
    CITIZEN_LINKS[hearing.id] = seeded.token
    return hearing.id, members


async def _member(uow: UnitOfWork, hearing: Hearing, track: Track, seeded: Seeded,
                  official: StaffMember, start: datetime) -> MemberId:
    participant = None
    if track.role is not MemberRole.OFFICIAL:  # citizens join by their booking's link
        participant = Participant(ParticipantId(uuid.uuid4()), seeded.booking.id,
                                  ParticipantRole.THIRD_PARTY, track.name)
        await uow.participants.add(participant, new_token()[1], start + timedelta(days=1))
    member = HearingMember(
        MemberId(uuid.uuid4()), hearing.id, track.role, track.name, start,
        participant_id=participant.id if participant else None,
        staff_id=None if participant else official.id, acknowledged_at=start,
        admitted_at=start)
    await uow.hearings.add_member(member)
    return member.id


async def transcript_of(container: Container, hearing_id: HearingId
                        ) -> tuple[Transcript | None, list[Segment]]:
    async with container.uow_factory() as uow:
        transcript = await uow.transcription.of_hearing(hearing_id)
        if transcript is None:
            return None, []
        rows = await uow.session.execute(
            text(
                "SELECT id, member_id, speaker, role, start_ms, end_ms, text, machine_text, "
                "confidence, version FROM transcript_segment WHERE transcript_id = :t "
                "ORDER BY start_ms"), {"t": transcript.id})
        segments = [Segment(r.id, transcript.id, r.member_id, r.speaker, r.role, r.start_ms,
                            r.end_ms, r.text, r.machine_text, r.confidence, r.version)
                    for r in rows]
    return transcript, segments


async def work_until_done(container: Container, settings: Settings, hearing_id: HearingId,
                          seconds: float = 60) -> None:
    """Run an in-process worker until the hearing's transcription has finished."""
    stop = asyncio.Event()
    worker = asyncio.create_task(run_transcription_worker(
        settings, container.jobs, container.transcription, stop, name="test-worker"))
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline and not worker.done():
            async with container.uow_factory() as uow:
                hearing = await uow.hearings.get(hearing_id)
            if hearing is not None and hearing.transcription in ("transcribed", "failed"):
                return
            await asyncio.sleep(0.2)
        raise AssertionError(f"not transcribed in {seconds} s" if not worker.done()
                             else f"worker stopped: {worker.exception()!r}")
    finally:
        stop.set()
        await worker


def wer(reference: str, hypothesis: str) -> float:
    return float(jiwer.wer(" ".join(words_of(reference)), " ".join(words_of(hypothesis))))


def text_of(segments: list[Segment], member_id: MemberId) -> str:
    return " ".join(s.text for s in segments if s.member_id == member_id)
