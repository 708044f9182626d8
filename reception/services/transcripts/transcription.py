"""The transcription job: each member's own audio recording is transcribed on its own (so the
speaker is known, no diarisation), the lines are merged by wall clock and stored as the
hearing's one transcript, timed from the hearing's recording start.

Each recording's result is stored as soon as it is done, so a run that stops (its worker
killed, the machine restarted, an error) is resumed by the next run from the recordings still
missing. A job may run twice (a retry, a rescued job, a duplicate): a finished transcript is
left alone, an unfinished one continues, and the UNIQUE hearing_id keeps it one transcript.
Bad input never crashes the job: an unreadable file is kept as its member's track with why
(`unreadable`: the review, the approval and the signed record name it) and named in `error`; a
silent track simply gives no lines. What the machine doubts is kept and marked; what it leaves
out is counted.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import Counter
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
    Doubt,
    Segment,
    SegmentId,
    Transcript,
    TranscriptId,
    TranscriptStatus,
    Unreadable,
)
from reception.i18n_marker import N_
from reception.services import audit
from reception.services.errors import NotFound
from reception.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from reception.services.transcripts.ports import StoredTrack, Transcriber
from reception.services.transcripts.progress import Progress, progress_of
from reception.services.transcripts.views import untranscribed
from transcripts.errors import AudioDecodeError, ModelLoadError, ModelSettingError, ProvisioningError
from transcripts.merge import merge_speakers
from transcripts.options import TranscribeOptions
from transcripts.values import SpeakerTrack, TranscriptLine

log = structlog.get_logger(__name__)
# How transcript.error begins, by why the run stopped: the text is for the log (English, with
# the error's name); pages say it in the reader's words by this beginning
# (web/transcripts/wording.py FAILURES).
MODEL_UNUSABLE = "Model unusable:"
STOPPED = "Transcription stopped"
ABANDONED = "Transcription was stopped"
RETRIED = "Attempt"
# A failure no retry can fix: the configured model is missing or unusable.
PERMANENT = (ModelLoadError, ModelSettingError, ProvisioningError)
# AudioDecodeError.kind → why the recording is not in the transcript (anything else: undecodable)
UNREADABLE = {"missing": Unreadable.MISSING, "empty": Unreadable.EMPTY}


@dataclass(frozen=True)
class TranscriptionConfig:
    recordings_dir: Path
    models_dir: Path
    model: str | None = None  # WHISPER_MODEL; None: the built-in multilingual base
    cpu_threads: int = 2
    progress_every_seconds: float = 1.0  # progress is written at most this often
    # A running job whose worker has not said it lives for this long has lost its worker:
    # the progress says so (three missed heartbeats; bootstrap/transcription.py).
    stalled_after_seconds: float = 30.0

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
class _Work:
    hearing: Hearing
    members: dict[MemberId, HearingMember]
    audio: list[Recording]
    transcript: Transcript
    stored: dict[str, StoredTrack]  # recordings an earlier run already transcribed, by path


class TranscriptionService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, config: TranscriptionConfig,
                 transcribe: Transcriber) -> None:
        self._uow, self._clock, self._config, self._transcribe = uow, clock, config, transcribe

    @property
    def config(self) -> TranscriptionConfig:
        return self._config

    async def run(self, hearing_id: HearingId, attempt: int = 1,
                  final: bool = True) -> TranscriptStatus | None:
        """Transcribe the hearing's recordings (the job's `attempt`-th run; `final`: no retry
        follows a failure); None when there is nothing to do."""
        work = await self._begin(hearing_id, attempt)
        if work is None:
            return None
        try:
            tracks = await self._transcribe_all(work)
        except PERMANENT as error:  # retrying cannot help: fail now, say why
            log.error("transcription.failed", hearing=str(hearing_id), error=str(error))
            await self._finish(work, [], [], TranscriptStatus.FAILED, f"{MODEL_UNUSABLE} {error}")
            return TranscriptStatus.FAILED
        except Exception as error:  # transient or unknown: keep what is done, let it retry
            if final:
                await self._finish(work, [], [], TranscriptStatus.FAILED,
                                   f"{STOPPED} ({type(error).__name__}) on its "
                                   f"attempt {attempt}; it will not be retried automatically.")
            else:
                await self._stopped(work, attempt, error)
            raise
        problems = [t.problem for t in tracks if t.problem]
        readable = len(tracks) - len(problems)
        status = TranscriptStatus.DONE if readable or not work.audio else TranscriptStatus.FAILED
        await self._finish(work, tracks, _segments(work, tracks), status,
                           " ".join(problems) or None)
        return status

    async def abandon(self, hearing_id: HearingId, attempts: int) -> None:
        """The job's worker died on every try (e.g. out of memory on a very long recording):
        record a clear failure instead of trying forever."""
        async with self._uow() as uow:
            hearing = await uow.hearings.get(hearing_id)
            transcript = await uow.transcription.of_hearing(hearing_id)
        if hearing is None or transcript is None or transcript.locked:
            return
        work = _Work(hearing, {}, [], transcript, {})
        await self._finish(work, [], [], TranscriptStatus.FAILED,
                           f"{ABANDONED} {attempts} times before it could finish "
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
            job = await uow.jobs.transcription_job(hearing.id)
            progress = progress_of(hearing, transcript, job, self._config.stalled_after_seconds)
            if transcript is None or not progress.finished:
                return progress
            missing = untranscribed(await uow.hearings.members(hearing.id),
                                    await uow.hearings.recordings(hearing.id),
                                    await uow.transcription.tracks(transcript.id))
        return replace(progress, untranscribed=tuple(missing))

    async def _begin(self, hearing_id: HearingId, attempt: int) -> _Work | None:
        async with self._uow() as uow:
            hearing = await uow.hearings.get(hearing_id, lock=True)
            if hearing is None:
                return None
            existing = await uow.transcription.of_hearing(hearing.id, lock=True)
            if existing is not None and (existing.locked or existing.status is TranscriptStatus.DONE):
                return None  # finished by an earlier run: running twice changes nothing
            agency = await uow.agencies.get(hearing.agency_id)
            language = agency.transcription_language if agency else "vi"
            model = self._config.model_name(language)
            members = {m.id: m for m in await uow.hearings.members(hearing.id)}
            audio = sorted((r for r in await uow.hearings.recordings(hearing.id) if r.kind == "audio"),
                           key=lambda r: r.started_at)
            stored = {}
            if existing is not None and (existing.language, existing.model) == (language, model):
                stored = {t.recording_path: t for t in await uow.transcription.tracks(existing.id)}
            done = _share(audio, stored)
            now = self._clock.now()
            transcript = await uow.transcription.start(Transcript(
                TranscriptId(uuid.uuid4()), hearing.id, hearing.agency_id,
                TranscriptStatus.RUNNING, language, now, progress=done, model=model))
            if existing is not None and not stored:
                await uow.transcription.forget_tracks(transcript.id)  # another language/model
            if hearing.transcription is not HearingTranscription.QUEUED:
                await uow.hearings.update(replace(hearing, transcription=HearingTranscription.QUEUED))
            await self._audit(uow, now, "transcript.started", hearing,
                              {"recordings": len(audio), "language": language,
                               "model": transcript.model, "attempt": attempt,
                               "recordings_done": len([r for r in audio if r.path in stored])})
            await uow.commit()
        return _Work(hearing, members, audio, transcript, stored)

    async def _transcribe_all(self, work: _Work) -> list[StoredTrack]:
        options = self._config.options(work.transcript.language)
        seconds = {r.path: _seconds(r) for r in work.audio}
        total = sum(seconds.values()) or 1.0
        done = sum(seconds[path] for path in work.stored if path in seconds)
        tracks = dict(work.stored)
        async with self._progress(work.transcript.id, done / total) as report:
            for recording in work.audio:
                if recording.path in tracks:
                    continue  # transcribed by an earlier run
                member = work.members[recording.member_id]
                length = seconds[recording.path]

                def on_progress(share: float, base: float = done, length: float = length) -> None:
                    report((base + share * length) / total)

                try:
                    result = await self._transcribe(self._config.recordings_dir / recording.path,
                                                    options, on_progress)
                    track = StoredTrack(member.id, recording.path, result)
                except AudioDecodeError as error:
                    track = StoredTrack(member.id, recording.path, None,
                                        f"The recording of {member.display_name} could not be "
                                        f"read ({error.reason}).",
                                        UNREADABLE.get(error.kind, Unreadable.UNDECODABLE))
                done += length
                async with self._uow() as uow:  # kept at once: a retry starts after it
                    await uow.transcription.save_track(work.transcript.id, track, self._clock.now())
                    await uow.transcription.set_progress(work.transcript.id, min(done / total, 0.99))
                    await uow.commit()
                tracks[recording.path] = track
                report(done / total)
        return [tracks[r.path] for r in work.audio if r.path in tracks]

    @contextlib.asynccontextmanager
    async def _progress(self, transcript_id: TranscriptId, start: float
                        ) -> AsyncIterator[Callable[[float], None]]:
        """A reporter the engine calls often; the row is written at most once a period."""
        latest = [start]
        written = [start]

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

    async def _stopped(self, work: _Work, attempt: int, error: Exception) -> None:
        """A run stopped and the queue retries it: say so; what is done stays."""
        async with self._uow() as uow:
            await uow.transcription.note(
                work.transcript.id, TranscriptStatus.QUEUED,
                f"{RETRIED} {attempt} stopped ({type(error).__name__}); it will be retried.")
            await self._audit(uow, self._clock.now(), "transcript.attempt_stopped", work.hearing,
                              {"attempt": attempt, "error": type(error).__name__})
            await uow.commit()

    async def _finish(self, work: _Work, tracks: Sequence[StoredTrack],
                      segments: Sequence[Segment], status: TranscriptStatus,
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
                              {"status": status.value, "error": error, **_counts(tracks, segments)})
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


def _share(audio: Sequence[Recording], stored: dict[str, StoredTrack]) -> float:
    total = sum(_seconds(r) for r in audio)
    done = sum(_seconds(r) for r in audio if r.path in stored)
    return min(0.99, done / total) if total else 0.0


def _counts(tracks: Sequence[StoredTrack], segments: Sequence[Segment]) -> dict[str, object]:
    """What the audit log records of a finished transcript: nothing is left out silently."""
    dropped = Counter(d.reason for t in tracks if t.result for d in t.result.dropped)
    return {
        "segments": len(segments),
        "uncertain": sum(1 for s in segments if s.doubts),
        "dropped": dict(sorted(dropped.items())),
        "languages": {str(t.member_id): t.result.language for t in tracks
                      if t.result and t.result.switched_language},
        "untranscribed": [{"member": str(t.member_id), "recording": t.recording_path,
                           "reason": t.unreadable.value if t.unreadable else None}
                          for t in tracks if t.result is None],
        # Stretches of a recording no audio was decoded from (seconds of its file).
        "damaged": [{"member": str(t.member_id), "recording": t.recording_path,
                     "start": round(start, 3), "end": round(end, 3)}
                    for t in tracks if t.result for start, end in t.result.damaged],
    }


def _segments(work: _Work, tracks: Sequence[StoredTrack]) -> list[Segment]:
    """Merged lines on the wall clock, in ms from the hearing's timeline zero, each with the
    recording it was transcribed from (a member has several after a recorder restart)."""
    if not tracks:
        return []
    started = {r.path: r.started_at for r in work.audio}
    zero = timeline_zero(work.hearing, work.audio)
    lines: list[tuple[TranscriptLine, str]] = []
    for track in tracks:  # merged one by one to keep each line's file; ordered as one merge
        member = work.members[track.member_id]
        spoken = track.result.segments if track.result else ()
        speaker = SpeakerTrack(str(member.id), member.display_name, member.role.value,
                               started[track.recording_path], spoken)
        lines += [(line, track.recording_path)
                  for line in merge_speakers([speaker], hearing_started_at=zero).lines]
    lines.sort(key=lambda item: (item[0].start, item[0].end, item[0].participant_id))

    def ms(moment: datetime) -> int:
        return max(0, round((moment - zero) / timedelta(milliseconds=1)))

    return [Segment(SegmentId(uuid.uuid4()), work.transcript.id, MemberId(uuid.UUID(line.participant_id)),
                    line.speaker, line.role, ms(line.start), max(ms(line.start), ms(line.end)),
                    line.text.strip(), line.text.strip(), line.confidence,
                    doubts=tuple(Doubt(d) for d in line.doubts), repeats=line.repeats,
                    recording=recording)
            for line, recording in lines if line.text.strip()]
