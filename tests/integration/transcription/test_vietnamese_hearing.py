"""A hearing of an agency left at the default language (Vietnamese) is transcribed in Vietnamese
by the multilingual base model, offline: natural Vietnamese speech (vieneu's samples, padded
with the leading silence a browser microphone gives) keeps its diacritics and key words."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import numpy as np
import pytest
from faster_whisper import decode_audio

from reception.bootstrap.container import Container
from reception.domain.hearings.model import MemberRole
from reception.domain.transcripts.transcript import TranscriptStatus
from tests.integration.transcription.conftest import (
    SPEECH,
    Track,
    seed_hearing,
    text_of,
    transcript_of,
    wer,
)
from tests.speech import write_wav

SAMPLES = Path(str(importlib.resources.files("vieneu"))) / "assets" / "samples"
KEY_WORDS = ("nhìn nhận", "áp dụng", "thương mại", "đứa trẻ", "cha mẹ", "người khác")


def citizen_microphone(path: Path) -> str:
    """3 s of silence, then every sample with 1 s pauses, as one 16 kHz WAV; its text."""
    pieces, texts = [np.zeros(3 * 16_000, dtype=np.float32)], []
    for clip in sorted(SAMPLES.glob("*.wav")):
        pieces += [decode_audio(str(clip)), np.zeros(16_000, dtype=np.float32)]
        texts.append(clip.with_suffix(".txt").read_text(encoding="utf-8"))
    write_wav(path, np.concatenate(pieces))
    return " ".join(texts)


@pytest.mark.slow
async def test_a_vietnamese_hearing_is_transcribed_in_vietnamese_by_default(
    container: Container, tmp_path: Path
) -> None:
    reference = citizen_microphone(tmp_path / "citizen_vi.wav")
    hearing_id, members = await seed_hearing(container, "vi", [
        Track(MemberRole.CITIZEN, "Nguyễn Thị Lan", tmp_path / "citizen_vi.wav", 0.0),
        Track(MemberRole.OFFICIAL, "Cán bộ Hùng", SPEECH / "silence.wav", 2.0),
    ], tmp_path / "recordings")

    assert await container.transcription.run(hearing_id) is TranscriptStatus.DONE

    transcript, segments = await transcript_of(container, hearing_id)
    assert transcript is not None and (transcript.language, transcript.model) == ("vi", "base")
    said = text_of(segments, members["Nguyễn Thị Lan"])
    assert wer(reference, said) < 0.4, said
    for key in KEY_WORDS:
        assert key in said.lower(), key
    assert text_of(segments, members["Cán bộ Hùng"]) == ""  # silence invents nothing
    assert min(s.start_ms for s in segments) >= 2_500  # the leading silence is not speech
