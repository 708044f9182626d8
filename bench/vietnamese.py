"""Measure Vietnamese accuracy and speed on vieneu's natural voice samples (Apache-2.0).

Run from the repository root: .venv/bin/python -m bench.vietnamese
Prints WER, CER and RTF per clip and on all clips joined (1 s pauses), for multilingual base
with beam 1/5 and int8/float32, and tiny.en for contrast. 2 CPU threads; the machine is shared,
so timings are noisy. Of the five examples/audio_ref clips only example_ngoc_huyen.wav has a
transcript (the ref_text of vieneu's examples/main.py); the other four are skipped.
"""

from __future__ import annotations

import importlib.resources
import resource
import tempfile
import time
from pathlib import Path

import jiwer
import numpy as np
from faster_whisper import decode_audio

from bench.transcribe import RATE, write_wav
from transcripts import GuardSettings, ModelCache, TranscribeOptions, load_model, transcribe_file
from transcripts.guard import words_of

SAMPLES = Path(str(importlib.resources.files("vieneu"))) / "assets" / "samples"
NO_FILTER = GuardSettings(max_no_speech_prob=1.0, max_ngram_repeats=10**6, max_ngram=1)


def scores(reference: str, hypothesis: str) -> tuple[float, float]:
    ref, hyp = " ".join(words_of(reference)), " ".join(words_of(hypothesis))
    return float(jiwer.wer(ref, hyp)), float(jiwer.cer(ref, hyp))


AUDIO_REF = Path(str(importlib.resources.files("examples"))) / "audio_ref"  # shipped by vieneu
NGOC_HUYEN = "Tác phẩm dự thi bảo đảm tính khoa học, tính đảng, tính chiến đấu, tính định hướng."


def clips() -> list[tuple[str, Path, str]]:
    found = [
        (wav.stem, wav, wav.with_suffix(".txt").read_text(encoding="utf-8").strip())
        for wav in sorted(SAMPLES.glob("*.wav"))
    ]
    return [*found, ("example_ngoc_huyen", AUDIO_REF / "example_ngoc_huyen.wav", NGOC_HUYEN)]


def main() -> None:
    cache = ModelCache()
    samples = clips()
    with tempfile.TemporaryDirectory() as tmp:
        pieces = []
        for _, wav, _ in samples:
            pieces += [decode_audio(str(wav)), np.zeros(RATE, dtype=np.float32)]
        joined = write_wav(Path(tmp) / "joined.wav", np.concatenate(pieces))
        joined_s = sum(len(p) for p in pieces) / RATE
        reference = " ".join(text for _, _, text in samples)

        base = TranscribeOptions("base", "vi", beam_size=5)
        load_model(base, cache)
        print(f"base, int8, beam 5, per clip ({len(samples)} clips, {joined_s:.1f} s joined)")
        worst_no_speech = 0.0
        for name, wav, text in samples:
            started = time.perf_counter()
            segments = transcribe_file(wav, base, cache=cache)
            took = time.perf_counter() - started
            raw = transcribe_file(wav, TranscribeOptions("base", "vi", guard=NO_FILTER), cache=cache)
            worst_no_speech = max([worst_no_speech, *(s.no_speech_prob for s in raw)])
            hypothesis = " ".join(s.text for s in segments)
            wer, cer = scores(text, hypothesis)
            rtf = took / (len(decode_audio(str(wav))) / RATE)
            print(f"  {name:22} WER {wer:.3f} CER {cer:.3f} RTF {rtf:.3f}  {hypothesis}")
        print(f"  highest no_speech_prob on real speech: {worst_no_speech:.2f}")

        print("\njoined clips")
        print(f"  {'model':8} {'compute':8} {'beam':>4} {'WER':>6} {'CER':>6} {'RTF':>6}")
        for model, language, compute, beam in (
            ("base", "vi", "int8", 1),
            ("base", "vi", "int8", 5),
            ("base", "vi", "float32", 1),
            ("base", "vi", "float32", 5),
            ("base", None, "int8", 5),
            ("tiny.en", "en", "int8", 1),  # English-only: shows why it cannot serve Vietnamese
        ):
            options = TranscribeOptions(model, language, compute_type=compute, beam_size=beam)
            load_model(options, cache)
            started = time.perf_counter()
            text = " ".join(s.text for s in transcribe_file(joined, options, cache=cache))
            took = time.perf_counter() - started
            wer, cer = scores(reference, text)
            lang = language or "auto"
            print(
                f"  {model:8} {compute:8} {beam:>4} {wer:6.3f} {cer:6.3f} {took / joined_s:6.3f}  lang={lang}"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"\npeak RSS of this process (all models loaded): {peak} MiB")


if __name__ == "__main__":
    main()
