"""Migration tr2_0001: recordings stored as unreadable before it get their reason as data from
the text the pipeline wrote, so that hearings transcribed earlier name them too (and the new
constraint holds for the rows already there)."""

from __future__ import annotations

import os
import uuid

import asyncpg
from sqlalchemy.engine import make_url

from reception.adapters.db.embedded import EmbeddedPostgres, ensure_database
from reception.adapters.db.migrate import upgrade
from tests.conftest import asyncpg_dsn

PROBLEMS = {  # what the pipeline wrote → the reason the migration gives it
    "a.wav": ("The recording of An could not be read (no such file).", "missing"),
    "b.wav": ("The recording of Bình could not be read (file is empty).", "empty"),
    "c.wav": ("The recording of Chi could not be read (InvalidDataError: [Errno 1094995529] "
              "Invalid data found when processing input: 'c.wav').", "undecodable"),
}


async def test_recordings_stored_unreadable_before_the_migration_get_their_reason(
        postgres_server: tuple[str, EmbeddedPostgres | None]) -> None:
    maintenance, _ = postgres_server
    name = f"reception_tr2_{os.getpid()}"
    await ensure_database(maintenance, name, recreate=True)
    url = make_url(maintenance).set(database=name).render_as_string(False)
    try:
        await upgrade(url, "tr_0001_uncertain_lines")
        conn = await asyncpg.connect(dsn=asyncpg_dsn(url))
        try:
            await conn.execute("SET session_replication_role = replica")  # no parent rows needed
            transcript = uuid.uuid4()
            for path, (problem, _) in PROBLEMS.items():
                await conn.execute(
                    "INSERT INTO transcript_track (transcript_id, member_id, recording_path, "
                    "problem, finished_at) VALUES ($1, $2, $3, $4, now())",
                    transcript, uuid.uuid4(), path, problem)
            await conn.execute(
                "INSERT INTO transcript_track (transcript_id, member_id, recording_path, result, "
                "finished_at) VALUES ($1, $2, 'd.wav', '{}'::jsonb, now())", transcript, uuid.uuid4())
        finally:
            await conn.close()

        await upgrade(url)

        conn = await asyncpg.connect(dsn=asyncpg_dsn(url))
        try:
            rows = await conn.fetch("SELECT recording_path, unreadable FROM transcript_track")
        finally:
            await conn.close()
        assert {r["recording_path"]: r["unreadable"] for r in rows} == {
            **{path: reason for path, (_, reason) in PROBLEMS.items()}, "d.wav": None}
    finally:
        conn = await asyncpg.connect(dsn=asyncpg_dsn(maintenance))
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()
