"""Measure the English engine: RTF, WER and peak memory per setting, per-speaker vs mixed, guards;
very long recordings; the drain rate of the job queue with N workers.

Run from the repository root (2 threads; noisy figures on a shared machine):
    .venv/bin/python -m bench.transcribe                       # engine settings and guards
    .venv/bin/python -m bench.transcribe long --minutes 30 120 # long Opus/WebM recordings
    .venv/bin/python -m bench.transcribe drain --hearings 6 [--language vi]  # job queue drain
Each setting runs in a fresh process so that its peak resident memory is its own.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import av
import jiwer
import numpy as np
from faster_whisper import decode_audio

from tests.speech import write_wav
from transcripts import GuardSettings, ModelCache, TranscribeOptions, load_model, transcribe_file
from transcripts.guard import words_of

SPEECH = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "speech"
RATE = 16_000


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
        guard=GuardSettings(loop_lines=10**6),  # the post-filter leaves out only empty lines
    )
    print("\nhallucination guard: lines emitted on 30 s brown noise + 30 s silence")
    for model, language in (("tiny.en", "en"), ("base", "vi"), ("base", None)):
        for label, extra in (("faster-whisper defaults, no filter", unguarded), ("ours", {})):
            options = TranscribeOptions(model, language, beam_size=5, **extra)  # type: ignore[arg-type]
            _, took, text, _ = in_child(options, [path])
            print(f"{model:8} {str(language):5} {label:35} {took:5.2f} s  {text[:90]!r}")


def opus_recording(path: Path, minutes: float, spoken_at_s: int, speech: np.ndarray) -> Path:
    """What the recorder writes (48 kHz Opus in WebM): faint line noise with one statement,
    generated and encoded 10 s at a time so that hours of it need little memory."""
    rng = np.random.default_rng(7)
    resampler = av.AudioResampler(format="s16", layout="mono", rate=48_000, frame_size=960)
    with av.open(str(path), "w", format="webm") as container:
        stream = container.add_stream("libopus", rate=48_000)
        stream.codec_context.layout = "mono"
        stream.codec_context.bit_rate = 32_000
        chunk, total = 10 * RATE, int(minutes * 60 * RATE)
        for begin in range(0, total, chunk):
            samples = rng.normal(0.0, 0.002, min(chunk, total - begin)).astype(np.float32)
            lo, hi = max(begin, spoken_at_s * RATE), min(begin + len(samples),
                                                         spoken_at_s * RATE + len(speech))
            if lo < hi:
                samples[lo - begin : hi - begin] += speech[lo - spoken_at_s * RATE : hi - spoken_at_s * RATE]
            pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
            frame.sample_rate, frame.pts = RATE, begin
            for packet in (p for f in resampler.resample(frame) for p in stream.encode(f)):
                container.mux(packet)
        for packet in (p for f in resampler.resample(None) for p in stream.encode(f)):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def run_long(options: TranscribeOptions, path: Path) -> tuple[float, float, int, int, str]:
    """(transcribe s, first line's start s, RSS MiB after loading, peak RSS MiB, text)."""
    cache = ModelCache()
    load_model(options, cache)
    loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    started = time.perf_counter()
    segments = transcribe_file(path, options, cache=cache)
    took = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return took, segments[0].start if segments else -1.0, loaded, peak, " ".join(
        s.text for s in segments)


def long_bench(minutes: list[float]) -> None:
    """A very long, mostly quiet recording: time and memory follow its length how?"""
    speech = decode_audio(str(SPEECH / "citizen.wav"))
    reference = (SPEECH / "citizen.txt").read_text()
    options = TranscribeOptions("tiny.en", "en", beam_size=1)
    print("long Opus/WebM recordings, faint noise + one 15 s statement at 70 % (tiny.en, VAD on)")
    print(f"{'minutes':>7} {'MiB':>6} {'build s':>7} {'transcribe s':>12} {'at s':>7} "
          f"{'found s':>7} {'WER':>5} {'RSS loaded':>10} {'peak MiB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for length in minutes:
            spoken_at = int(length * 60 * 0.7)
            started = time.perf_counter()
            path = opus_recording(Path(tmp) / f"long{length}.webm", length, spoken_at, speech)
            built = time.perf_counter() - started
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
                took, found, loaded, peak, said = pool.submit(run_long, options, path).result()
            print(f"{length:7.0f} {path.stat().st_size / 2**20:6.1f} {built:7.1f} {took:12.1f} "
                  f"{spoken_at + 3:7d} {found:7.1f} {wer(reference, said):5.2f} {loaded:10d} "
                  f"{peak:8d}")
            path.unlink()


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", nargs="?", choices=("engine", "long", "drain"), default="engine")
    parser.add_argument("--minutes", type=float, nargs="+", default=[30, 120])
    parser.add_argument("--hearings", type=int, default=6)
    parser.add_argument("--settings", nargs="+", default=["1x2", "2x1", "2x2"],
                        help="drain: NxT = N worker processes with T Whisper threads each")
    parser.add_argument("--language", choices=("en", "vi"), default="en", help="drain: fixtures")
    args = parser.parse_args()
    if args.what == "long":
        long_bench(args.minutes)
    elif args.what == "drain":
        from bench.transcribe_drain import drain

        settings = [tuple(int(n) for n in s.split("x")) for s in args.settings]
        asyncio.run(drain(args.hearings, settings, args.language))  # type: ignore[arg-type]
    else:
        main()


if __name__ == "__main__":
    cli()
