"""ParticipantRecorder: one participant's received packets, muxed into two files as they come.

Nothing is decoded or encoded: the recording is the participant's own media, bit for bit,
placed on the recording's timeline by RTP timestamp (`timeline`). Audio is kept continuous,
because players and the transcription's decoder play an Opus track back to back and ignore
gaps in its timestamps: a gap (mute, network drop, reconnect, the time before the first
packet and after the last) is filled with constant Opus silence frames and listed in the
manifest (`gaps`), so the audio spans the recording as the wall clock does.
Video starts on a keyframe (one is requested when recording starts) and, after a loss, waits
for the next one. A member whose media never arrives gets no file at all, only a result
saying so (`media_arrived`). Every file is written through `chain.open_output` (muxer.py):
hashed and chained chunk by chunk as it is flushed.

The event loop muxes (a few microseconds a packet, no thread hop); a pump task takes frames
from the subscriptions, so a failing write never reaches the network path. `stop` detaches
the subscriptions and stops the pump before closing the files: PyAV crashes when a packet is
muxed into a closed container.

A recorder is `running` from a successful start until it stops or a write fails: the first
failure is reported once through `on_failure` (the hub pauses the room's media, docs/media.md
pitfall 11) and the recorder counts as dead; a new one, on new files (`stem`), takes over.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reception.adapters.media.forwarding.frames import EncodedFrame
from reception.adapters.media.forwarding.source import Source
from reception.adapters.media.recording.chain import sidecar_of
from reception.adapters.media.recording.manifest import CLOSED, EMPTY, Manifest, sha256_of
from reception.adapters.media.recording.muxer import RecordingFiles
from reception.adapters.media.recording.tracks import AudioTrack, VideoTrack
from reception.adapters.media.results import RecordedFile, RecorderFailed, RecordingResult

logger = logging.getLogger(__name__)
FailureListener = Callable[[str], None]  # (what failed)


class _Input:
    """The recorder's subscription to one source."""

    def __init__(self, recorder: ParticipantRecorder, kind: str) -> None:
        self._recorder, self._kind = recorder, kind

    def deliver(self, frame: EncodedFrame) -> None:
        self._recorder.receive(self._kind, frame)


class ParticipantRecorder:
    def __init__(self, directory: Path, participant_id: str, sources: dict[str, Source], *,
                 video_size: tuple[int, int] = (640, 480), stem: str | None = None,
                 on_failure: FailureListener | None = None) -> None:
        self.directory = directory
        self.participant_id = participant_id
        self.stem = stem or participant_id
        self.audio_path = directory / f"{self.stem}.audio.webm"
        self.evidence_path = directory / f"{self.stem}.av.webm"
        self._sources = sources
        self._inputs = {kind: _Input(self, kind) for kind in sources}
        self._video_size = video_size
        self._on_failure = on_failure
        self._inbox: deque[tuple[str, EncodedFrame]] = deque()
        self._wake = asyncio.Event()
        self._pump: asyncio.Task[None] | None = None
        self._files: RecordingFiles | None = None
        self._manifest: Manifest | None = None
        self._start = 0.0
        self._died_after: float | None = None
        self._audio: AudioTrack | None = None
        self._video: VideoTrack | None = None
        self._errors: list[str] = []
        self.state = "new"

    @property
    def errors(self) -> tuple[str, ...]:
        return tuple(self._errors)

    @property
    def running(self) -> bool:
        """Started, not stopped, and no write has failed: what it receives reaches the files."""
        return self.state == "recording"

    @property
    def started_at(self) -> datetime | None:
        return self._manifest.started_at if self._manifest is not None else None

    async def start(self) -> None:
        """Open both files, then write the manifest (a manifest always names files that
        exist). A start that fails leaves no file behind: none holds a packet yet."""
        if self.state != "new":
            raise RuntimeError(f"cannot start recorder {self.participant_id} while {self.state}")
        video = self._sources.get("video")
        size = (video.last_keyframe_size if video else None) or self._video_size
        self._manifest = Manifest(participant_id=self.participant_id, audio_file=self.audio_path.name,
                                  evidence_file=self.evidence_path.name, started_at=datetime.now(UTC),
                                  stem=None if self.stem == self.participant_id else self.stem)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._files = RecordingFiles(self.audio_path, self.evidence_path, size)
            try:
                self._manifest.write(self.directory)
            except BaseException:
                self._files.close()
                _remove(self.audio_path, self.evidence_path)  # created above (O_EXCL), empty
                raise
        except BaseException:
            self._files = None
            self._set_state("failed")
            raise
        self._start = time.monotonic()
        self._audio = AudioTrack(self._files, self._start)
        self._video = VideoTrack(self._files, self._start)
        self._set_state("recording")
        self._pump = asyncio.create_task(self._run_pump())
        for kind, source in self._sources.items():
            source.subscribe(self._inputs[kind])
        if video is not None:
            video.request_keyframe()  # the video track starts on a keyframe

    def receive(self, kind: str, frame: EncodedFrame) -> None:
        self._inbox.append((kind, frame))
        self._wake.set()

    async def stop(self) -> RecordingResult:
        """Close and hash both files (none if no media ever arrived). A recorder that died
        is closed where it failed: nothing is filled after that.

        Every failure, closing the files or after (hashing them, the closing manifest), raises
        `RecorderFailed`: the manifest then still says "recording", and the hub salvages the
        files like a crash's (`supervision.salvage`, docs/media.md pitfall 11)."""
        if self.state not in ("recording", "failed") or self._files is None:
            raise RuntimeError(f"cannot stop recorder {self.participant_id} while {self.state}")
        failed = self.state == "failed"
        self._set_state("stopping")
        await self._unhook()
        elapsed = self._died_after if self._died_after is not None else time.monotonic() - self._start
        assert self._audio is not None and self._video is not None and self._manifest is not None
        try:
            if not failed:
                self._write_inbox()
                self._audio.finish(elapsed)
                self._video.finish()
            self._files.close()
        except Exception as error:
            with contextlib.suppress(Exception):  # a write failed before: the salvage needs
                self._files.close()  # the files closed (a no-op when closing was what failed)
            raise self._failed_to_close("could not close", error) from error
        manifest = self._manifest
        stopped_at = manifest.started_at + timedelta(seconds=elapsed)
        try:
            audio = await self._keep(self.audio_path, self._audio.packets)
            evidence = await self._keep(self.evidence_path,
                                        self._audio.packets + self._video.packets)
            closed = Manifest(**{**manifest.__dict__, "state": CLOSED if evidence else EMPTY,
                                 "stopped_at": stopped_at, "gaps": self._audio.gaps_ms(),
                                 "packets": {"audio": self._audio.packets,
                                             "video": self._video.packets},
                                 "audio_before_start": self._audio.early})
            closed.write(self.directory)
        except Exception as error:
            raise self._failed_to_close("closed its files but could not finish them", error) \
                from error
        if evidence is None:
            logger.warning("ParticipantRecorder(%s) no media arrived: no recording kept",
                           self.participant_id)
        self._set_state("stopped")
        return RecordingResult(
            participant_id=self.participant_id, audio=audio, evidence=evidence,
            started_at=manifest.started_at, stopped_at=stopped_at,
            first_audio_at=manifest.first_audio_at, first_video_at=manifest.first_video_at,
            audio_seconds=self._audio.end / 48_000, video_frames=self._video.packets,
            video_frames_dropped=self._video.dropped, errors=tuple(self._errors),
            audio_packets=self._audio.packets, silence_seconds=self._audio.filled / 48_000,
            gaps=tuple(self._audio.gaps_ms()), audio_before_start=self._audio.early)

    def _failed_to_close(self, what: str, error: Exception) -> RecorderFailed:
        self._errors.append(f"closing: {error!r}")
        self._set_state("failed")
        return RecorderFailed(f"recorder {self.participant_id} {what}: {error}")

    async def abandon(self) -> None:
        """Stop without touching the files or the manifest again: another media node adopted
        the hearing while this one was taken for dead, and owns (and has repaired) them."""
        if self.state == "abandoned":
            return
        self._set_state("abandoned")
        await self._unhook()
        self._inbox.clear()
        if self._files is not None:
            self._files.abandon()

    async def _unhook(self) -> None:
        """No more packets: off the tracks, and the pump that writes them stopped."""
        for kind, source in self._sources.items():
            source.unsubscribe(self._inputs[kind])
        if self._pump is not None:
            self._pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pump

    async def _keep(self, path: Path, packets: int) -> RecordedFile | None:
        return await asyncio.to_thread(_kept, path, packets)

    async def _run_pump(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                self._write_inbox()
            except Exception as error:  # surfaced in the result and to the listener
                self._fail(f"muxing: {error!r}")
                return

    def _write_inbox(self) -> None:
        assert self._audio is not None and self._video is not None
        now = time.monotonic()
        while self._inbox:
            kind, frame = self._inbox.popleft()
            track = self._audio if kind == "audio" else self._video
            first = track.packets == 0
            track.write(frame, now)
            if first and track.packets:
                self._note_first(kind, track.first_seconds)

    def _note_first(self, kind: str, seconds: float) -> None:
        assert self._manifest is not None
        at = self._manifest.started_at + timedelta(seconds=max(0.0, seconds))
        self._manifest = Manifest(**{**self._manifest.__dict__, f"first_{kind}_at": at})
        self._manifest.write(self.directory)

    def _fail(self, message: str) -> None:
        logger.error("ParticipantRecorder(%s) error: %s", self.participant_id, message)
        self._errors.append(message)
        if self.state != "recording":
            return  # reported once: the first failure killed it
        self._set_state("failed")
        self._died_after = time.monotonic() - self._start
        for kind, source in self._sources.items():
            source.unsubscribe(self._inputs[kind])
        self._inbox.clear()
        if self._on_failure is not None:
            self._on_failure(message)

    def _set_state(self, new: str) -> None:
        logger.info("ParticipantRecorder(%s) state %s -> %s", self.participant_id, self.state, new)
        self.state = new


def _remove(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
        sidecar_of(path).unlink(missing_ok=True)


def _kept(path: Path, packets: int) -> RecordedFile | None:
    """The closed file with its hash; a file no packet ever reached is removed (its chain
    with it: there is nothing to verify)."""
    if packets == 0:
        _remove(path)
        return None
    return RecordedFile(path, sha256_of(path), path.stat().st_size)
