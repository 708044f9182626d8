"""What the progress bar says is what the queue and the transcript say together: a row left
"running" by a worker that stopped reads "waiting for a worker", a stopped attempt reads
"retrying", and only a live worker's job reads "running n %"."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from reception.domain.booking import BookingId
from reception.domain.hearings.model import (
    Hearing,
    HearingId,
    HearingStatus,
    HearingTranscription,
)
from reception.domain.organisation import AgencyId, StaffId
from reception.domain.transcripts.transcript import Transcript, TranscriptId, TranscriptStatus
from reception.services.transcripts.ports import TranscriptionJob
from reception.services.transcripts.progress import Stage, progress_of

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
STALLED = 60.0
HEARING = Hearing(HearingId(uuid.uuid4()), BookingId(uuid.uuid4()), AgencyId(uuid.uuid4()),
                  HearingStatus.ENDED, NOW, StaffId(uuid.uuid4()), recording_started_at=NOW,
                  ended_at=NOW, transcription=HearingTranscription.QUEUED)
RUNNING = Transcript(TranscriptId(uuid.uuid4()), HEARING.id, HEARING.agency_id,
                     TranscriptStatus.RUNNING, "vi", NOW, progress=0.28)


def test_a_live_worker_s_job_runs_at_the_share_written() -> None:
    job = TranscriptionJob(running=True, attempts=0, heartbeat_age_seconds=3.0)
    shown = progress_of(HEARING, RUNNING, job, STALLED)
    assert (shown.state, shown.share, shown.attempt) == (Stage.RUNNING, 0.28, 1)


def test_a_job_whose_worker_stopped_waits_for_another_worker_not_running() -> None:
    job = TranscriptionJob(running=True, attempts=0, heartbeat_age_seconds=63.0)
    shown = progress_of(HEARING, RUNNING, job, STALLED)
    assert (shown.state, shown.worker_lost, shown.attempt) == (Stage.WAITING, True, 2)
    assert shown.share == 0.28  # what is done is kept


def test_a_stopped_attempt_waiting_to_run_again_is_retrying() -> None:
    later = NOW + timedelta(seconds=16)
    job = TranscriptionJob(running=False, attempts=1, scheduled_at=later)
    noted = replace(RUNNING, status=TranscriptStatus.QUEUED, error="Attempt 1 stopped")
    shown = progress_of(HEARING, noted, job, STALLED)
    assert (shown.state, shown.attempt, shown.retry_at) == (Stage.RETRYING, 2, later)
    rescued = progress_of(HEARING, RUNNING, TranscriptionJob(running=True, attempts=1,
                                                             heartbeat_age_seconds=1.0), STALLED)
    assert (rescued.state, rescued.attempt) == (Stage.RUNNING, 2)


def test_a_job_no_worker_took_yet_is_waiting() -> None:
    assert progress_of(HEARING, None, TranscriptionJob(False, 0), STALLED).state is Stage.WAITING
    assert progress_of(HEARING, None, None, STALLED).state is Stage.WAITING


def test_finished_and_nothing_to_do() -> None:
    done = replace(RUNNING, status=TranscriptStatus.DONE, progress=1.0)
    assert progress_of(HEARING, done, None, STALLED).state is Stage.DONE
    failed = replace(RUNNING, status=TranscriptStatus.FAILED, error="Model unusable")
    over = replace(HEARING, transcription=HearingTranscription.FAILED)
    assert progress_of(over, failed, None, STALLED).state is Stage.FAILED
    still_open = replace(HEARING, status=HearingStatus.OPEN, transcription=None)
    assert progress_of(still_open, None, None, STALLED).state is Stage.NONE
