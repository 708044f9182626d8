"""Drain rate of the transcription queue: K seeded hearings (two speakers each, the English
fixtures) queued in a private embedded PostgreSQL, then N `reception worker` processes started
together; prints hearings per minute and audio seconds per wall second for each setting.

Run: .venv/bin/python -m bench.transcribe drain [--hearings 6] [--settings 1x2 2x1 2x2]
(`NxT`: N worker processes with T Whisper threads each.) Each setting gets a fresh database
on one embedded server under a temporary DATA_DIR, so the figures are its own.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from faster_whisper import decode_audio
from sqlalchemy import text

from reception.adapters.db.embedded import EmbeddedPostgres, ensure_database
from reception.adapters.db.migrate import upgrade
from reception.bootstrap import Container
from reception.domain.hearing import HearingId, MemberRole
from reception.settings import Settings
from tests.integration.transcription.conftest import Track, seed_hearing

ROOT = Path(__file__).resolve().parents[1]
SPEECH = ROOT / "tests" / "fixtures" / "speech"
PARTIES = ((MemberRole.CITIZEN, "Citizen", SPEECH / "citizen.wav", 0.0),
           (MemberRole.OFFICIAL, "Official", SPEECH / "official.wav", 1.0))


def _env(url: str, data_dir: Path, threads: int) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(data_dir),
            "SECRET_KEY": "bench-secret", "WHISPER_CPU_THREADS": str(threads),
            "WORKER_POLL_SECONDS": "0.5", "LOG_JSON": "false", "LOG_LEVEL": "WARNING"}


async def _seed(url: str, data_dir: Path, hearings: int) -> tuple[Container, list[HearingId]]:
    settings = Settings.from_mapping({k: v for k, v in _env(url, data_dir, 2).items()
                                      if k in ("DATABASE_URL", "DATA_DIR", "SECRET_KEY")})
    container = Container(settings, url)
    recordings = data_dir / "recordings"
    ids = []
    for _ in range(hearings):
        hearing_id, _ = await seed_hearing(
            container, "en", [Track(*party) for party in PARTIES], recordings)
        await container.jobs.enqueue(hearing_id)
        ids.append(hearing_id)
    return container, ids


async def _finished(container: Container) -> tuple[int, datetime | None, datetime | None]:
    """(hearings finished, first job start, last job end) from the transcript rows."""
    async with container.uow_factory() as uow:
        row = (await uow.session.execute(text(
            "SELECT count(*) FILTER (WHERE status IN ('done', 'failed')), min(created_at), "
            "max(finished_at) FROM transcript"))).one()
    return int(row[0]), row[1], row[2]


async def _drain(server: EmbeddedPostgres, tmp: Path, hearings: int, workers: int,
                 threads: int) -> tuple[float, float]:
    """(wall s from the workers' start to the last transcript, s from first job to last)."""
    name = f"drain_{workers}x{threads}"
    await ensure_database(server.url("postgres"), name, recreate=True)
    url = server.url(name)
    await upgrade(url)
    data_dir = tmp / name
    data_dir.mkdir()
    container, _ = await _seed(url, data_dir, hearings)
    env = _env(url, data_dir, threads)
    started = time.perf_counter()
    processes = [subprocess.Popen(
        [sys.executable, "-m", "reception.cli", "worker", "--name", f"bench-{i}"], env=env,
        stdout=subprocess.DEVNULL, stderr=(data_dir / f"worker-{i}.log").open("wb"))
        for i in range(workers)]
    try:
        while (done := await _finished(container))[0] < hearings:
            if any(p.poll() is not None for p in processes):
                raise RuntimeError(f"a worker exited; see {data_dir}/worker-*.log")
            await asyncio.sleep(0.2)
        wall = time.perf_counter() - started
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(30)
        await container.close()
    _, first, last = done
    assert first is not None and last is not None
    return wall, (last - first).total_seconds()


async def drain(hearings: int, settings: list[tuple[int, int]]) -> None:
    audio_s = hearings * sum(len(decode_audio(str(p[2]))) / 16_000 for p in PARTIES)
    print(f"{hearings} hearings x 2 speakers, {audio_s:.0f} s of audio, tiny.en int8, "
          f"{os.cpu_count()} cores; wall = from starting the workers (includes model load)")
    print(f"{'workers':>7} {'threads':>7} {'wall s':>7} {'hearings/min':>12} "
          f"{'audio s/wall s':>14} {'jobs span s':>11}")
    with tempfile.TemporaryDirectory(prefix="drain-") as tmp:
        server = EmbeddedPostgres(Path(tmp) / "db")
        try:
            for workers, threads in settings:
                wall, span = await _drain(server, Path(tmp), hearings, workers, threads)
                print(f"{workers:>7} {threads:>7} {wall:7.1f} {hearings / wall * 60:12.1f} "
                      f"{audio_s / wall:14.1f} {span:11.1f}")
        finally:
            server.stop()
