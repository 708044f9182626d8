import asyncio
import shutil
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jiwer
import pytest

from transcripts import (
    AudioDecodeError,
    ModelCache,
    ModelSettingError,
    SpeakerTrack,
    TranscribeOptions,
    merge_speakers,
    to_vtt,
    transcribe_file,
    transcribe_file_async,
)
from transcripts.builtin_models import BUILTIN_MODELS
from transcripts.guard import words_of

SPEECH = Path(__file__).parents[2] / "fixtures" / "speech"


def wer(reference: str, hypothesis: str) -> float:
    return float(jiwer.wer(" ".join(words_of(reference)), " ".join(words_of(hypothesis))))


@pytest.mark.parametrize("speaker", ["citizen", "official"])
def test_tiny_en_transcribes_each_speaker_fixture_closely(
    speaker: str, english: TranscribeOptions, model_cache: ModelCache
) -> None:
    segments = transcribe_file(SPEECH / f"{speaker}.wav", english, cache=model_cache)
    text = " ".join(segment.text for segment in segments)
    assert wer((SPEECH / f"{speaker}.txt").read_text(), text) < 0.25
    # The 3 s of leading silence stays outside every segment; words carry their own times.
    assert segments[0].start >= 2.5
    assert all(0.0 < segment.confidence <= 1.0 and segment.words for segment in segments)


async def test_two_recorded_parties_merge_into_one_attributed_transcript(
    english: TranscribeOptions, model_cache: ModelCache
) -> None:
    progress: list[tuple[float, bool]] = []
    loop_thread = threading.current_thread()

    def on_progress(share: float) -> None:
        progress.append((share, threading.current_thread() is loop_thread))

    t0 = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)
    citizen, official = await asyncio.gather(
        transcribe_file_async(SPEECH / "citizen.wav", english, on_progress, cache=model_cache),
        transcribe_file_async(SPEECH / "official.wav", english, cache=model_cache),
    )
    transcript = merge_speakers(
        [
            SpeakerTrack("o-1", "Cán bộ Trần", "official", t0 + timedelta(seconds=15), tuple(official)),
            SpeakerTrack("c-1", "Nguyễn Văn A", "citizen", t0, tuple(citizen)),
        ]
    )
    speakers = [line.speaker for line in transcript.lines]
    assert speakers == ["Nguyễn Văn A"] * len(citizen) + ["Cán bộ Trần"] * len(official)
    assert "complaint" in transcript.lines[0].text.lower()
    assert "<v Cán bộ Trần>" in to_vtt(transcript)
    assert progress[-1] == (1.0, True) and all(on_loop for _, on_loop in progress)


@pytest.mark.parametrize("fixture", ["silence", "noise"])
def test_silence_and_noise_yield_no_lines(
    fixture: str, english: TranscribeOptions, vietnamese: TranscribeOptions, model_cache: ModelCache
) -> None:
    for options in (
        english,
        vietnamese,
        TranscribeOptions(model="base", language=None, cache_dir=vietnamese.cache_dir),
    ):
        assert transcribe_file(SPEECH / f"{fixture}.wav", options, cache=model_cache) == []


def test_a_truncated_recording_raises_a_typed_error_not_a_crash(
    tmp_path: Path, english: TranscribeOptions, model_cache: ModelCache
) -> None:
    broken = tmp_path / "broken.webm"
    broken.write_bytes(b"\x1aE\xdf\xa3" + b"\x00" * 64)  # a WebM header and nothing after
    with pytest.raises(AudioDecodeError, match="broken.webm"):
        transcribe_file(broken, english, cache=model_cache)


def test_an_english_only_model_is_not_used_for_vietnamese(tmp_path: Path, model_cache: ModelCache) -> None:
    # A copied directory is not the built-in name, so only the loaded model can tell.
    source = BUILTIN_MODELS["tiny.en"].model_parts[0].locate("tiny.en").parent
    copy = shutil.copytree(source, tmp_path / "tiny-copy")
    with pytest.raises(ModelSettingError, match="English-only"):
        transcribe_file(
            SPEECH / "citizen.wav",
            TranscribeOptions(model=str(copy), language="vi"),
            cache=model_cache,
        )
