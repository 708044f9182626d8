"""Bad input gives a clear status, never a crash or invented text: unreadable recordings are
named, a silent or noisy track gives no lines, and a hearing with nothing readable fails."""

from __future__ import annotations

from pathlib import Path

from reception.bootstrap.container import Container
from reception.domain.hearings.model import MemberRole
from reception.domain.transcripts.transcript import TranscriptStatus, Unreadable
from tests.integration.transcription.conftest import SPEECH, Track, seed_hearing, transcript_of


async def test_unreadable_files_are_named_and_silence_or_noise_gives_no_lines(
    container: Container, tmp_path: Path
) -> None:
    hearing_id, members = await seed_hearing(container, "en", [
        Track(MemberRole.CITIZEN, "Speaker", SPEECH / "citizen.wav", 0.0),
        Track(MemberRole.THIRD_PARTY, "Silent", SPEECH / "silence.wav", 0.0),
        Track(MemberRole.THIRD_PARTY, "Noisy", SPEECH / "noise.wav", 0.0),
        Track(MemberRole.THIRD_PARTY, "Corrupt", b"\x1aE\xdf\xa3 not really webm" * 50, 0.0),
        Track(MemberRole.THIRD_PARTY, "Empty", b"", 0.0),
        Track(MemberRole.OFFICIAL, "Missing", None, 0.0),
    ], tmp_path / "recordings")

    assert await container.transcription.run(hearing_id) is TranscriptStatus.DONE

    transcript, segments = await transcript_of(container, hearing_id)
    assert transcript is not None and transcript.status is TranscriptStatus.DONE
    assert {s.member_id for s in segments} == {members["Speaker"]}
    assert transcript.error is not None
    for name, reason in (("Corrupt", "Error"), ("Empty", "file is empty"),
                         ("Missing", "no such file")):
        assert f"The recording of {name} could not be read" in transcript.error
        assert reason in transcript.error.split(f"recording of {name}")[1].split(".")[0]
    assert "Silent" not in transcript.error and "Noisy" not in transcript.error
    async with container.uow_factory() as uow:
        hearing = await uow.hearings.get(hearing_id)
        tracks = await uow.transcription.tracks(transcript.id)
    assert hearing is not None and hearing.transcription == "transcribed"
    # Why each one is not in the transcript, as data the pages and the record name it by.
    assert {t.member_id: t.unreadable for t in tracks if t.result is None} == {
        members["Corrupt"]: Unreadable.UNDECODABLE, members["Empty"]: Unreadable.EMPTY,
        members["Missing"]: Unreadable.MISSING}


async def test_a_hearing_whose_only_recording_is_unreadable_fails_with_the_reason(
    container: Container, tmp_path: Path
) -> None:
    hearing_id, _ = await seed_hearing(container, "en", [
        Track(MemberRole.CITIZEN, "An", b"", 0.0)], tmp_path / "recordings")

    assert await container.transcription.run(hearing_id) is TranscriptStatus.FAILED

    transcript, segments = await transcript_of(container, hearing_id)
    assert transcript is not None and segments == []
    assert transcript.error == "The recording of An could not be read (file is empty)."
    async with container.uow_factory() as uow:
        hearing = await uow.hearings.get(hearing_id)
    assert hearing is not None and hearing.transcription == "failed"


async def test_a_silent_hearing_is_done_with_an_empty_transcript(
    container: Container, tmp_path: Path
) -> None:
    hearing_id, _ = await seed_hearing(container, "vi", [
        Track(MemberRole.CITIZEN, "An", SPEECH / "silence.wav", 0.0),
        Track(MemberRole.OFFICIAL, "Bình", SPEECH / "noise.wav", 0.0)], tmp_path / "recordings")

    assert await container.transcription.run(hearing_id) is TranscriptStatus.DONE

    transcript, segments = await transcript_of(container, hearing_id)
    assert transcript is not None and transcript.error is None and segments == []
    assert transcript.model == "base" and transcript.language == "vi"
