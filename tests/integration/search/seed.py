"""Test data for search: a finished hearing with its members, recordings and transcript lines,
written straight into the database (the transcription worker is tested elsewhere)."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg

from tests.conftest import asyncpg_dsn

_numbers = itertools.count(1)


@dataclass(frozen=True)
class Line:
    role: str  # citizen | official | third_party
    start_ms: int
    end_ms: int
    text: str


@dataclass(frozen=True)
class SeededHearing:
    hearing_id: uuid.UUID
    booking_reference: str
    members: dict[str, uuid.UUID]  # role → member id
    segments: list[uuid.UUID]


async def seed_hearing(database_url: str, agency_id: uuid.UUID, official_id: uuid.UUID,
                       lines: list[Line], *, at: datetime | None = None) -> SeededHearing:
    at = at or datetime(2026, 11, 20, 2, 0, tzinfo=UTC) + timedelta(hours=next(_numbers))
    n = next(_numbers)
    conn = await asyncpg.connect(dsn=asyncpg_dsn(database_url))
    try:
        async with conn.transaction():
            session_id, booking_id, hearing_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
            reference = f"LH-2026-{n:05d}"
            await conn.execute(
                "INSERT INTO reception_session (id, agency_id, kind, official_id, starts_at, "
                "ends_at, slot_minutes, published_at) VALUES ($1,$2,'ad_hoc',$3,$4,$5,30,$4)",
                session_id, agency_id, official_id, at, at + timedelta(hours=1))
            await conn.execute(
                "INSERT INTO booking (id, number, reference, agency_id, session_id, official_id, "
                "starts_at, ends_at, status, channel, subject, description, full_name, id_number,"
                " address, locale, group_size, representatives, identity_protection_waived, "
                "online_ground, sequence, created_at) VALUES ($1, nextval('booking_number_seq'),"
                " $2,$3,$4,$5,$6,$7,'completed','online','complaint','Khiếu nại','Nguyễn Văn An',"
                " '001090000001','Hà Nội','vi',1,'{}',false,'distance',1,$6)",
                booking_id, reference, agency_id, session_id, official_id, at,
                at + timedelta(minutes=30))
            await conn.execute(
                "INSERT INTO hearing (id, booking_id, agency_id, status, opened_at, opened_by, "
                "recording_started_at, ended_at, transcription) "
                "VALUES ($1,$2,$3,'ended',$4,$5,$4,$6,'transcribed')",
                hearing_id, booking_id, agency_id, at, official_id, at + timedelta(minutes=30))
            members = {}
            for role in dict.fromkeys(line.role for line in lines):
                members[role] = await _member(conn, hearing_id, booking_id, official_id, role, at)
            transcript_id = uuid.uuid4()
            await conn.execute(
                "INSERT INTO transcript (id, hearing_id, agency_id, status, language, progress, "
                "created_at, finished_at) VALUES ($1,$2,$3,'done','vi',1,$4,$4)",
                transcript_id, hearing_id, agency_id, at + timedelta(minutes=40))
            segments = [uuid.uuid4() for _ in lines]
            await conn.executemany(
                "INSERT INTO transcript_segment (id, transcript_id, member_id, speaker, role, "
                "start_ms, end_ms, text, machine_text, confidence, version) "
                "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8,0.9,1)",
                [(s, transcript_id, members[line.role], _speaker(line.role), line.role,
                  line.start_ms, line.end_ms, line.text) for s, line in zip(segments, lines, strict=True)])
    finally:
        await conn.close()
    return SeededHearing(hearing_id, reference, members, segments)


def _speaker(role: str) -> str:
    return {"citizen": "Nguyễn Văn An", "official": "Cán bộ Trần Thị Bình"}.get(role, "Luật sư Lê")


async def _member(conn: asyncpg.Connection, hearing_id: uuid.UUID, booking_id: uuid.UUID,
                  official_id: uuid.UUID, role: str, at: datetime) -> uuid.UUID:
    member_id = uuid.uuid4()
    participant_id = None
    if role != "official":
        participant_id = uuid.uuid4()
        await conn.execute("INSERT INTO participant (id, booking_id, role, display_name) "
                           "VALUES ($1,$2,$3,$4)", participant_id, booking_id, role, _speaker(role))
    await conn.execute(
        "INSERT INTO hearing_member (id, hearing_id, participant_id, staff_id, role, display_name,"
        " acknowledged_at, notice_version, joined_at, admitted_at, muted, receive_only) "
        "VALUES ($1,$2,$3,$4,$5,$6,$7,'v1',$7,$7,false,false)",
        member_id, hearing_id, participant_id, None if participant_id else official_id, role,
        _speaker(role), at)
    # A member who joined 2 s after the hearing's recording started: their file starts later.
    await conn.execute(
        "INSERT INTO hearing_recording (id, hearing_id, member_id, kind, path, sha256, size_bytes,"
        " state, started_at, stopped_at) VALUES ($1,$2,$3,'audio',$4,$5,1,'closed',$6,$7)",
        uuid.uuid4(), hearing_id, member_id, f"{hearing_id}/{member_id}.webm", "0" * 64,
        at + timedelta(seconds=2), at + timedelta(minutes=30))
    return member_id
