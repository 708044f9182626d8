"""The transcription job: each member's own audio recording is transcribed on its own (so the
speaker is known, no diarisation), the lines are merged by wall clock and stored as the
hearing's one transcript, timed from the hearing's recording start.

A job may run twice (a retry, a worker killed mid-job, a duplicate enqueue): a finished
transcript is left alone, an unfinished one is reset and its segments replaced in one
transaction, and the UNIQUE hearing_id keeps it one transcript. Bad input never crashes the
job: an unreadable file is named in `error`, a silent track simply gives no lines.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import structlog

from reception.domain.access import ObjectType, Permission, scope_for
from reception.domain.hearings.model import (
    Hearing,
    HearingId,
    HearingMember,
    HearingTranscription,
    MemberId,
    Recording,
    timeline_zero,
)
from reception.domain.organisation import StaffMember
from reception.domain.transcripts.transcript import (
    Segment,
    SegmentId,
    Transcript,
    TranscriptId,
    TranscriptStatus,
)
from reception.i18n_marker import N_
from reception.services import audit
from reception.services.errors import NotFound
from reception.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from reception.services.transcripts.ports import Transcriber
from transcripts.errors import AudioDecodeError, ModelLoadError, ModelSettingError, ProvisioningError
from transcripts.merge import merge_speakers
from transcripts.options import TranscribeOptions
from transcripts.values import SpeakerTrack

log = structlog.get_logger(__name__)
# A failure no retry can fix: the configured model is missing or unusable.
PERMANENT = (ModelLoadError, ModelSettingError, ProvisioningError)


@dataclass(frozen=True)
class TranscriptionConfig:
    recordings_dir: Path
    models_dir: Path
    model: str | None = None  # WHISPER_MODEL; None: the built-in multilingual base
    cpu_threads: int = 2
    progress_every_seconds: float = 1.0  # progress is written at most this often

    def options(self, language: str) -> TranscribeOptions:
        return TranscribeOptions(model=self.model_name(language),
                                 language=None if language == "auto" else language,
                                 cache_dir=self.models_dir, cpu_threads=self.cpu_threads)

    def model_name(self, language: str) -> str:
        # The multilingual base serves English too: after a WebRTC round trip it kept WER at
        # 0.07-0.17 where tiny.en spread over 0.0-0.35 (docs/transcription.md); tiny.en stays
        # available with WHISPER_MODEL=tiny.en where speed matters more.
        del language
        return self.model or "base"


@dataclass(frozen=True)
class Progress:
    state: str  # a TranscriptStatus value, or "none" when there is nothing to transcribe
    share: float  # of the hearing's audio done, 0..1
    error: str | None = None


@dataclass(frozen=True)
class _Work:
    hearing: Hearing
    members: dict[MemberId, HearingMember]
    audio: list[Recording]
    transcript: Transcript


class TranscriptionService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, config: TranscriptionConfig,
                 transcribe: Transcriber) -> None:
        self._uow, self._clock, self._config, self._transcribe = uow, clock, config, transcribe

    async def run(self, hearing_id: HearingId) -> TranscriptStatus | None:
        """Transcribe the hearing's recordings (the job); None when there is nothing to do."""
        work = await self._begin(hearing_id)
        if work is None:
            return None
        try:
            segments, problems = await self._transcribe_all(work)
        except PERMANENT as error:  # retrying cannot help: fail now, say why
            log.error("transcription.failed", hearing=str(hearing_id), error=str(error))
            await self._finish(work, [], TranscriptStatus.FAILED, f"Model unusable: {error}")
            return TranscriptStatus.FAILED
        except Exception as error:  # transient or unknown: record it, let the queue retry
            await self._finish(work, [], TranscriptStatus.FAILED,
                               f"Transcription stopped ({type(error).__name__}); it will be retried.")
            raise
        readable = len(work.audio) - len(problems)
        status = TranscriptStatus.DONE if readable or not work.audio else TranscriptStatus.FAILED
        await self._finish(work, segments, status, "; ".join(problems) or None)
        return status

    async def abandon(self, hearing_id: HearingId, attempts: int) -> None:
        """The job's worker died on every try (e.g. out of memory on a very long recording):
        record a clear failure instead of trying forever."""
        async with self._uow() as uow:
            hearing = await uow.hearings.get(hearing_id)
            transcript = await uow.transcription.of_hearing(hearing_id)
        if hearing is None or transcript is None or transcript.locked:
            return
        work = _Work(hearing, {}, [], transcript)
        await self._finish(work, [], TranscriptStatus.FAILED,
                           f"Transcription was stopped {attempts} times before it could finish "
                           "(the recording may be too long for this machine's memory); "
                           "it will not be retried automatically.")

    async def status(self, actor: StaffMember, hearing_id: HearingId) -> Progress:
        """Where the hearing's transcription is, for its console's progress bar."""
        async with self._uow() as uow:
            hearing = await uow.hearings.get(hearing_id)
            allowed = scope_for(actor.roles, Permission.VIEW, ObjectType.TRANSCRIPT) is not None
            if hearing is None or hearing.agency_id != actor.agency_id or not allowed:
                raise NotFound(N_("This hearing does not exist."))
            transcript = await uow.transcription.of_hearing(hearing.id)
        if transcript is not None:
            return Progress(transcript.status.value, transcript.progress, transcript.error)
        if hearing.transcription in (HearingTranscription.READY, HearingTranscription.QUEUED):
            return Progress(TranscriptStatus.QUEUED.value, 0.0)
        return Progress("none", 0.0)  # still open, or nothing was recorded

    async def awaiting(self) -> list[HearingId]:
        """Hearings whose recordings wait for a transcript (to queue again at worker start)."""
        async with self._uow() as uow:
            return list(await uow.transcription.awaiting())

    async def _begin(self, hearing_id: HearingId) -> _Work | None:
        async with self._uow() as uow:
            hearing = await uow.hearings.get(hearing_id, lock=True)
            if hearing is None:
                return None
            existing = await uow.transcription.of_hearing(hearing.id, lock=True)
            if existing is not None and (existing.locked or existing.status is TranscriptStatus.DONE):
                return None  # finished by an earlier run: running twice changes nothing
            agency = await uow.agencies.get(hearing.agency_id)
            language = agency.transcription_language if agency else "vi"
            now = self._clock.now()
            transcript = await uow.transcription.start(Transcript(
                TranscriptId(uuid.uuid4()), hearing.id, hearing.agency_id,
                TranscriptStatus.RUNNING, language, now,
                model=self._config.model_name(language)))
            members = {m.id: m for m in await uow.hearings.members(hearing.id)}
            audio = sorted((r for r in await uow.hearings.recordings(hearing.id) if r.kind == "audio"),
                           key=lambda r: r.started_at)
            if hearing.transcription is not HearingTranscription.QUEUED:
                await uow.hearings.update(replace(hearing, transcription=HearingTranscription.QUEUED))
            await self._audit(uow, now, "transcript.started", hearing,
                              {"recordings": len(audio), "language": language,
                               "model": transcript.model, "retry": existing is not None})
            await uow.commit()
        return _Work(hearing, members, audio, transcript)

    async def _transcribe_all(self, work: _Work) -> tuple[list[Segment], list[str]]:
        options = self._config.options(work.transcript.language)
        seconds = [_seconds(r) for r in work.audio]
        total = sum(seconds) or 1.0
        done, tracks, problems = 0.0, [], []
        async with self._progress(work.transcript.id) as report:
            for recording, length in zip(work.audio, seconds, strict=True):
                member = work.members[recording.member_id]

                def on_progress(share: float, base: float = done, length: float = length) -> None:
                    report((base + share * length) / total)

                try:
                    spoken = await self._transcribe(self._config.recordings_dir / recording.path,
                                                    options, on_progress)
                except AudioDecodeError as error:
                    problems.append(f"The recording of {member.display_name} could not be read "
                                    f"({error.reason}).")
                    spoken = []
                tracks.append(SpeakerTrack(str(member.id), member.display_name, member.role.value,
                                           recording.started_at, tuple(spoken)))
                done += length
                report(done / total)
        return _segments(work, tracks), problems

    @contextlib.asynccontextmanager
    async def _progress(self, transcript_id: TranscriptId) -> AsyncIterator[Callable[[float], None]]:
        """A reporter the engine calls often; the row is written at most once a period."""
        latest = [0.0]
        written = [0.0]

        async def writer() -> None:
            while True:
                await asyncio.sleep(self._config.progress_every_seconds)
                if latest[0] > written[0]:
                    value = latest[0]
                    async with self._uow() as uow:
                        await uow.transcription.set_progress(transcript_id, value)
                        await uow.commit()
                    written[0] = value

        task = asyncio.create_task(writer())
        try:
            yield lambda share: latest.__setitem__(0, max(latest[0], min(share, 0.99)))
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _finish(self, work: _Work, segments: Sequence[Segment], status: TranscriptStatus,
                      error: str | None) -> None:
        now = self._clock.now()
        async with self._uow() as uow:  # segments, status and hearing state change together
            hearing = await uow.hearings.get(work.hearing.id, lock=True)
            await uow.transcription.replace_segments(work.transcript.id, segments)
            await uow.transcription.finish(work.transcript.id, status, now, error)
            if hearing is not None:
                state = (HearingTranscription.TRANSCRIBED if status is TranscriptStatus.DONE
                         else HearingTranscription.FAILED)
                await uow.hearings.update(replace(hearing, transcription=state))
            await self._audit(uow, now, "transcript.finished", work.hearing,
                              {"status": status.value, "segments": len(segments), "error": error})
            await uow.commit()
        log.info("transcription.finished", hearing=str(work.hearing.id), status=status.value,
                 segments=len(segments), error=error)

    @staticmethod
    async def _audit(uow: UnitOfWork, now: datetime, action: str, hearing: Hearing,
                     details: dict[str, object]) -> None:
        await uow.audit.append(audit.record(now, None, action, "hearing", hearing.id,
                                            agency_id=hearing.agency_id, details=details,
                                            actor_label="transcription"))


def _seconds(recording: Recording) -> float:
    """The recording's length for progress weights (unknown after a crash: count a minute)."""
    if recording.duration_seconds:
        return recording.duration_seconds
    if recording.stopped_at is not None:
        return max(1.0, (recording.stopped_at - recording.started_at).total_seconds())
    return 60.0


def _segments(work: _Work, tracks: Sequence[SpeakerTrack]) -> list[Segment]:
    """Merged lines on the wall clock, in ms from the hearing's timeline zero."""
    if not tracks:
        return []
    zero = timeline_zero(work.hearing, work.audio)
    merged = merge_speakers(tracks, hearing_started_at=zero)

    def ms(moment: datetime) -> int:
        return max(0, round((moment - zero) / timedelta(milliseconds=1)))

    return [Segment(SegmentId(uuid.uuid4()), work.transcript.id, MemberId(uuid.UUID(line.participant_id)),
                    line.speaker, line.role, ms(line.start), max(ms(line.start), ms(line.end)),
                    line.text.strip(), line.text.strip(), line.confidence)
            for line in merged.lines if line.text.strip()]
