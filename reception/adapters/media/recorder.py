"""ParticipantRecorder: one participant's audio-only and audio+video files, crash-safe.

The event loop only receives frames and stamps their arrival time; decoding-side copies,
scaling, encoding and muxing run in one single-worker executor per recorder, because a codec
context must never be used from two threads (docs/media.md pitfall 6) and a single worker keeps
jobs in arrival order. Video frames are dropped (and counted) when the worker falls behind;
audio frames only when they arrive in a burst ahead of the wall clock (writer.MAX_LEAD_SECONDS).

A recorder is `running` from a successful start until it stops or a job fails: the first
failure is reported through `on_failure` (the hub pauses the room's media, docs/media.md
pitfall 11) and the recorder counts as dead; a new one, on new files, takes over.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from .chain import sidecar_of
from .manifest import CLOSED, Manifest, sha256_of
from .results import RecordedFile, RecorderFailed, RecordingResult
from .writer import RecordingWriter

logger = logging.getLogger(__name__)


class ParticipantRecorder:
    def __init__(
        self,
        directory: Path,
        participant_id: str,
        *,
        video_size: tuple[int, int] = (320, 240),
        max_pending_video: int = 8,
        stem: str | None = None,
        on_failure: Callable[[str], None] | None = None,
    ) -> None:
        self.directory = directory
        self.participant_id = participant_id
        self.stem = stem or participant_id
        self.audio_path = directory / f"{self.stem}.audio.webm"
        self.evidence_path = directory / f"{self.stem}.av.webm"
        self._on_failure = on_failure
        self._dead = False
        self._died_after: float | None = None
        self._video_size = video_size
        self._max_pending_video = max_pending_video
        self._tracks: list[MediaStreamTrack] = []
        self._readers: list[asyncio.Task[None]] = []
        self._executor: ThreadPoolExecutor | None = None
        self._writer: RecordingWriter | None = None
        self._manifest: Manifest | None = None
        self._started_monotonic = 0.0
        self._pending_video = 0
        self._dropped_video = 0
        self._errors: list[str] = []
        self._state = "new"

    @property
    def errors(self) -> tuple[str, ...]:
        return tuple(self._errors)

    @property
    def running(self) -> bool:
        """Started, not stopped, and no job has failed: what it receives reaches the files."""
        return self._state == "recording" and not self._dead

    @property
    def state(self) -> str:
        return "failed" if self._dead else self._state

    @property
    def started_at(self) -> datetime | None:
        return self._manifest.started_at if self._manifest is not None else None

    def add_track(self, track: MediaStreamTrack) -> None:
        if track.kind not in ("audio", "video"):
            raise ValueError(f"cannot record a track of kind {track.kind!r}")
        self._tracks.append(track)
        if self._state == "recording":
            self._readers.append(asyncio.create_task(self._read(track)))

    async def start(self) -> None:
        if self._state != "new":
            raise RuntimeError(f"cannot start recorder {self.participant_id} while {self._state}")
        self._executor = ThreadPoolExecutor(1, thread_name_prefix=f"rec-{self.participant_id}")
        self._manifest = Manifest(
            participant_id=self.participant_id,
            audio_file=self.audio_path.name,
            evidence_file=self.evidence_path.name,
            started_at=datetime.now(UTC),
            stem=None if self.stem == self.participant_id else self.stem,
        )
        self._started_monotonic = time.monotonic()
        try:  # the files first: a manifest always names files that exist
            self._writer = await self._run(self._open_files)
            await self._run(self._manifest.write, self.directory)
        except BaseException:
            self._set_state("failed")
            self._executor.shutdown(wait=False)
            raise
        self._set_state("recording")
        self._readers = [asyncio.create_task(self._read(track)) for track in self._tracks]

    def _open_files(self) -> RecordingWriter:
        self.directory.mkdir(parents=True, exist_ok=True)
        try:
            return RecordingWriter(self.audio_path, self.evidence_path, self._video_size)
        except BaseException:
            _remove_if_empty(self.audio_path, self.evidence_path)
            raise

    async def stop(self) -> RecordingResult:
        """Close and hash both files. Errors of earlier jobs are in the result's `errors`."""
        if self._state != "recording" or self._writer is None or self._manifest is None:
            raise RuntimeError(f"cannot stop recorder {self.participant_id} while {self._state}")
        self._set_state("stopping")
        for reader in self._readers:
            reader.cancel()
        await asyncio.gather(*self._readers, return_exceptions=True)
        elapsed = self._died_after or time.monotonic() - self._started_monotonic
        writer = self._writer
        try:
            if not self._dead:  # a dead recorder's files end where it failed
                await self._run(writer.pad_audio_to, elapsed)
            await self._run(writer.close)
            audio_hash = await self._run(sha256_of, self.audio_path)
            evidence_hash = await self._run(sha256_of, self.evidence_path)
        except Exception as error:
            self._set_state("failed")
            raise RecorderFailed(f"recorder {self.participant_id} could not close: {error}") from error
        finally:
            assert self._executor is not None
            self._executor.shutdown(wait=False)
        if writer.counters.late_audio_samples:
            logger.warning("ParticipantRecorder(%s) dropped %.1f s of audio that came in a burst",
                           self.participant_id, writer.counters.late_audio_samples / 48_000)
        manifest = self._manifest
        stopped_at = manifest.started_at + timedelta(seconds=elapsed)
        closed = Manifest(**{**manifest.__dict__, "state": CLOSED, "stopped_at": stopped_at})
        closed.write(self.directory)
        self._set_state("stopped")
        return RecordingResult(
            participant_id=self.participant_id,
            audio=RecordedFile(self.audio_path, audio_hash, self.audio_path.stat().st_size),
            evidence=RecordedFile(self.evidence_path, evidence_hash, self.evidence_path.stat().st_size),
            started_at=manifest.started_at,
            stopped_at=stopped_at,
            first_audio_at=manifest.first_audio_at,
            first_video_at=manifest.first_video_at,
            audio_seconds=writer.counters.audio_samples / 48_000,
            video_frames=writer.counters.video_frames,
            video_frames_dropped=self._dropped_video,
            errors=tuple(self._errors),
        )

    async def _read(self, track: MediaStreamTrack) -> None:
        assert self._writer is not None
        write = self._writer.write_audio if track.kind == "audio" else self._writer.write_video
        first = True
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            except Exception as error:  # surfaced in the result, not lost in a task
                self._fail(f"reading {track.kind}: {error!r}")
                return
            if self._dead:
                continue  # its files may be broken; the hub starts another recorder
            arrived_at = time.monotonic() - self._started_monotonic
            if first:
                first = False
                self._note_first_frame(track.kind, arrived_at)
            if track.kind == "video":
                if self._pending_video >= self._max_pending_video:
                    self._dropped_video += 1
                    continue
                self._pending_video += 1
            self._submit(write, frame, arrived_at, video=track.kind == "video")

    def _note_first_frame(self, kind: str, arrived_at: float) -> None:
        assert self._manifest is not None
        at = self._manifest.started_at + timedelta(seconds=arrived_at)
        self._manifest = Manifest(**{**self._manifest.__dict__, f"first_{kind}_at": at})
        self._submit(self._manifest.write, self.directory)

    def _submit(self, job: Callable[..., Any], *args: Any, video: bool = False) -> None:
        future = asyncio.get_running_loop().run_in_executor(self._executor, job, *args)

        def done(finished: asyncio.Future[Any]) -> None:
            if video:
                self._pending_video -= 1
            if not finished.cancelled() and finished.exception() is not None:
                self._fail(f"{getattr(job, '__name__', job)}: {finished.exception()!r}")

        future.add_done_callback(done)

    async def _run(self, job: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._executor, job, *args)

    def _fail(self, message: str) -> None:
        logger.error("ParticipantRecorder(%s) error: %s", self.participant_id, message)
        self._errors.append(message)
        if self._state == "recording" and not self._dead:
            self._dead = True  # a failed write may have left the file short: stop using it
            self._died_after = time.monotonic() - self._started_monotonic
            if self._on_failure is not None:
                self._on_failure(message)

    def _set_state(self, new: str) -> None:
        logger.info("ParticipantRecorder(%s) state %s -> %s", self.participant_id, self._state, new)
        self._state = new


def _remove_if_empty(*paths: Path) -> None:
    """Files a failed start created but never wrote a byte to (nothing recorded is lost)."""
    for path in paths:
        if path.is_file() and path.stat().st_size == 0:
            path.unlink()
            sidecar_of(path).unlink(missing_ok=True)
