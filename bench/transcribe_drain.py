"""Drain rate of the transcription queue: K seeded hearings (two speakers each) queued in a
private embedded PostgreSQL, then N `reception worker` processes started together; prints
hearings per minute and audio seconds per wall second for each setting.

Run: .venv/bin/python -m bench.transcribe drain [--hearings 6] [--settings 1x2 2x1 2x2]
     [--language en|vi]
(`NxT`: N worker processes with T Whisper threads each.) English uses the espeak fixtures and
tiny.en; Vietnamese (the default agency language) uses vieneu's samples, three clips per
speaker, and the multilingual base model. Each setting gets a fresh database on one embedded
server under a temporary directory, so the figures are its own; models are ready beforehand.
"""

from __future__ import annotations

import asyncio
import importlib.resources
import os
import signal
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import numpy as np
from faster_whisper import decode_audio
from sqlalchemy import text

from reception.adapters.db.embedded import EmbeddedPostgres, ensure_database
from reception.adapters.db.migrate import upgrade
from reception.bootstrap.container import Container
from reception.domain.hearings.model import MemberRole
from reception.settings import Settings
from tests.integration.transcription.conftest import Track, seed_hearing
from tests.speech import write_wav
from transcripts import assemble

ROOT = Path(__file__).resolve().parents[1]
SPEECH = ROOT / "tests" / "fixtures" / "speech"
RATE = 16_000


def _vietnamese_speaker(path: Path, clips: list[Path]) -> Path:
    """1 s of silence, then the clips with 0.5 s pauses, as a 16 kHz 16-bit WAV."""
    pieces = [np.zeros(RATE, dtype=np.float32)]
    for clip in clips:
        pieces += [decode_audio(str(clip)), np.zeros(RATE // 2, dtype=np.float32)]
    return write_wav(path, np.concatenate(pieces))


def _tracks(language: str, tmp: Path) -> list[Track]:
    if language == "en":
        citizen, official = SPEECH / "citizen.wav", SPEECH / "official.wav"
    else:
        samples = sorted((Path(str(importlib.resources.files("vieneu"))) / "assets" / "samples"
                          ).glob("*.wav"))
        citizen = _vietnamese_speaker(tmp / "citizen_vi.wav", samples[:3])
        official = _vietnamese_speaker(tmp / "official_vi.wav", samples[3:])
    return [Track(MemberRole.CITIZEN, "Citizen", citizen, 0.0),
            Track(MemberRole.OFFICIAL, "Official", official, 1.0)]


def _env(url: str, data_dir: Path, threads: int) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(data_dir),
            "SECRET_KEY": "bench-secret", "WHISPER_CPU_THREADS": str(threads),
            "WORKER_POLL_SECONDS": "0.5", "LOG_JSON": "false", "LOG_LEVEL": "WARNING"}


async def _seed(url: str, data_dir: Path, hearings: int, language: str,
                tracks: list[Track]) -> Container:
    settings = Settings.from_mapping({k: v for k, v in _env(url, data_dir, 2).items()
                                      if k in ("DATABASE_URL", "DATA_DIR", "SECRET_KEY")})
    container = Container(settings, url)
    for _ in range(hearings):
        hearing_id, _ = await seed_hearing(container, language, tracks, data_dir / "recordings")
        await container.jobs.enqueue(hearing_id)
    return container


async def _finished(container: Container) -> tuple[int, int, datetime | None, datetime | None]:
    """(hearings finished, of which failed, first job start, last job end)."""
    async with container.uow_factory() as uow:
        row = (await uow.session.execute(text(
            "SELECT count(*) FILTER (WHERE status IN ('done', 'failed')), "
            "count(*) FILTER (WHERE status = 'failed'), min(created_at), max(finished_at) "
            "FROM transcript"))).one()
    return int(row[0]), int(row[1]), row[2], row[3]


async def _segments(container: Container) -> int:
    async with container.uow_factory() as uow:
        return int((await uow.session.execute(text(
            "SELECT count(*) FROM transcript_segment"))).scalar_one())


async def _drain(server: EmbeddedPostgres, data_dir: Path, hearings: int, language: str,
                 tracks: list[Track], workers: int, threads: int) -> tuple[float, float, int, int]:
    """(wall s from the workers' start to the last transcript, s from first job to last,
    failed transcripts, segments written)."""
    name = f"drain_{workers}x{threads}"
    await ensure_database(server.url("postgres"), name, recreate=True)
    url = server.url(name)
    await upgrade(url)
    container = await _seed(url, data_dir, hearings, language, tracks)
    env = _env(url, data_dir, threads)
    started = time.perf_counter()
    processes = [await asyncio.create_subprocess_exec(
        sys.executable, "-m", "reception.cli", "worker", "--name", f"bench-{i}", env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=(data_dir / f"{name}-{i}.log").open("wb"))
        for i in range(workers)]
    try:
        while (done := await _finished(container))[0] < hearings:
            if any(p.returncode is not None for p in processes):
                raise RuntimeError(f"a worker exited; see {data_dir}/{name}-*.log")
            await asyncio.sleep(0.2)
        wall = time.perf_counter() - started
        lines = await _segments(container)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(asyncio.gather(*(p.wait() for p in processes)), 30)
        await container.close()
    _, failed, first, last = done
    assert first is not None and last is not None
    return wall, (last - first).total_seconds(), failed, lines


async def drain(hearings: int, settings: list[tuple[int, int]], language: str = "en") -> None:
    with tempfile.TemporaryDirectory(prefix="drain-") as tmp:
        data_dir = Path(tmp) / "data"
        data_dir.mkdir()
        tracks = _tracks(language, Path(tmp))
        model = "tiny.en" if language == "en" else "base"
        if model == "base":  # assembled once, before any clock starts
            assemble("base", data_dir / "models")
        audio_s = hearings * sum(len(decode_audio(str(t.source))) / RATE for t in tracks)
        print(f"{hearings} hearings x 2 speakers ({language}), {audio_s:.0f} s of audio, {model} "
              f"int8, {os.cpu_count()} cores; wall = from starting the workers (with model load)")
        print(f"{'workers':>7} {'threads':>7} {'wall s':>7} {'hearings/min':>12} "
              f"{'audio s/wall s':>14} {'jobs span s':>11} {'failed':>6} {'lines':>5}")
        server = EmbeddedPostgres(Path(tmp) / "db")
        try:
            for workers, threads in settings:
                wall, span, failed, lines = await _drain(server, data_dir, hearings, language,
                                                         tracks, workers, threads)
                print(f"{workers:>7} {threads:>7} {wall:7.1f} {hearings / wall * 60:12.1f} "
                      f"{audio_s / wall:14.1f} {span:11.1f} {failed:6d} {lines:5d}")
        finally:
            server.stop()
