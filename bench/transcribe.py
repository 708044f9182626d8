"""Measure the English engine: RTF, WER and peak memory per setting, per-speaker vs mixed, guards.

Run from the repository root: .venv/bin/python -m bench.transcribe  (2 threads; noisy figures
on a shared machine)
Each setting runs in a fresh process so that its peak resident memory is its own.
"""

from __future__ import annotations

import multiprocessing
import resource
import tempfile
import time
import wave
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import jiwer
import numpy as np
from faster_whisper import decode_audio

from transcripts import GuardSettings, ModelCache, TranscribeOptions, load_model, transcribe_file
from transcripts.guard import words_of

SPEECH = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "speech"
RATE = 16_000


def write_wav(path: Path, samples: np.ndarray) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def wer(reference: str, hypothesis: str) -> float:
    return float(jiwer.wer(" ".join(words_of(reference)), " ".join(words_of(hypothesis))))


def run(options: TranscribeOptions, files: list[Path]) -> tuple[float, float, str, int]:
    """(load s, transcribe s, joined text, peak RSS MiB) in this process."""
    cache = ModelCache()
    started = time.perf_counter()
    load_model(options, cache)
    loaded = time.perf_counter()
    texts = [" ".join(s.text for s in transcribe_file(f, options, cache=cache)) for f in files]
    done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return loaded - started, done - loaded, " ".join(texts), peak


def in_child(options: TranscribeOptions, files: list[Path]) -> tuple[float, float, str, int]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(run, options, files).result()


def seconds(files: list[Path]) -> float:
    return sum(len(decode_audio(str(f))) for f in files) / RATE


def main() -> None:
    parties = [SPEECH / "citizen.wav", SPEECH / "official.wav"]
    reference = " ".join((SPEECH / f"{p.stem}.txt").read_text() for p in parties)
    audio_s = seconds(parties)
    print(f"tiny.en on {audio_s:.1f} s of espeak speech, 2 threads, VAD + guards on")
    print(f"{'compute':8} {'beam':>4} {'load s':>7} {'RTF':>6} {'WER':>6} {'peak MiB':>9}")
    for compute in ("int8", "float32"):
        for beam in (1, 5):
            options = TranscribeOptions("tiny.en", "en", compute_type=compute, beam_size=beam)
            load, took, text, peak = in_child(options, parties)
            print(
                f"{compute:8} {beam:>4} {load:7.2f} {took / audio_s:6.3f} "
                f"{wer(reference, text):6.3f} {peak:9d}"
            )

    with tempfile.TemporaryDirectory() as tmp:
        # One room microphone: the official answers 1 s after the citizen stops.
        citizen, official = (decode_audio(str(p)) for p in parties)
        mixed = np.zeros(len(citizen) + len(official) + RATE, dtype=np.float32)
        mixed[: len(citizen)] += citizen
        mixed[len(citizen) + RATE :] += official
        mixed_path = write_wav(Path(tmp) / "mixed.wav", mixed)
        options = TranscribeOptions("tiny.en", "en", beam_size=1)
        print("\nper-speaker files vs one mixed track (int8, beam 1)")
        for label, files in (("per-speaker", parties), ("mixed", [mixed_path])):
            _, took, text, _ = in_child(options, files)
            print(
                f"{label:12} {took:5.2f} s  RTF {took / seconds(files):.3f}  "
                f"WER {wer(reference, text):.3f}  (mixed has no speaker attribution)"
            )

        guard_bench(Path(tmp))


def guard_bench(tmp: Path) -> None:
    """Lines produced on 30 s of noise + 30 s of silence, with and without the guards."""
    rng = np.random.default_rng(7)
    noise = np.cumsum(rng.normal(0, 1, 30 * RATE)).astype(np.float32)  # brown noise
    noise = 0.05 * noise / np.abs(noise).max()
    path = write_wav(tmp / "noise_silence.wav", np.concatenate([noise, np.zeros(30 * RATE)]))
    unguarded = dict(
        vad_filter=False,
        temperatures=(0.0, 0.2, 0.4, 0.6, 0.8, 1.0),
        condition_on_previous_text=True,
        guard=GuardSettings(max_no_speech_prob=1.0, max_ngram_repeats=10**6, max_ngram=1),
    )
    print("\nhallucination guard: lines emitted on 30 s brown noise + 30 s silence")
    for model, language in (("tiny.en", "en"), ("base", "vi"), ("base", None)):
        for label, extra in (("faster-whisper defaults, no filter", unguarded), ("ours", {})):
            options = TranscribeOptions(model, language, beam_size=5, **extra)  # type: ignore[arg-type]
            _, took, text, _ = in_child(options, [path])
            print(f"{model:8} {str(language):5} {label:35} {took:5.2f} s  {text[:90]!r}")


if __name__ == "__main__":
    main()
