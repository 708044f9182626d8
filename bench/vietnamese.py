"""Measure Vietnamese accuracy and speed on vieneu's natural voice samples (Apache-2.0).

Run from the repository root: .venv/bin/python -m bench.vietnamese [clips|hearing|language]
- clips: WER, CER and RTF per clip and on all clips joined (1 s pauses), for multilingual base
  with beam 1/5 and int8/float32, and tiny.en for contrast;
- hearing (default): the hearing corpus of bench/hearing_corpus.py and the filed case, BEFORE
  (faster-whisper's own VAD path and the old post-filter, which dropped every line of a window
  whose no_speech_prob exceeded 0.8) and AFTER (transcripts.transcribe_track): lines kept, WER
  and CER per speaker, sentences heard where they were said, shortest line, RTF;
- language: Whisper's language identification on Vietnamese and English speech after Opus
  (the numbers behind the language switch threshold);
- confidence: line confidence against each line's own WER (where lines are marked).
2 CPU threads; the machine is shared, so timings are noisy. Of the five examples/audio_ref
clips only example_ngoc_huyen.wav has a transcript; the other four are not used.
"""

from __future__ import annotations

import re
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import jiwer
import numpy as np
from faster_whisper import decode_audio

from bench.hearing_corpus import (
    FAR_GAIN,
    FAR_SNR_DB,
    RATE,
    Recorded,
    add_room,
    filed_case,
    fuzzy_find,
    hearing,
    natural_clips,
    pink_noise,
    sentences_heard,
    silence_and_noise,
    waiting_case,
    write_opus,
)
from bench.transcribe import write_wav
from transcripts import ModelCache, TranscribeOptions, load_model, transcribe_file, transcribe_track
from transcripts.guard import longest_ngram_run, words_of
from transcripts.language import identify

SPEECH = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "speech"
BASE = TranscribeOptions("base", "vi", beam_size=5)
Line = tuple[float, float, str]


def scores(reference: str, hypothesis: str) -> tuple[float, float]:
    ref, hyp = " ".join(words_of(reference)), " ".join(words_of(hypothesis))
    return float(jiwer.wer(ref, hyp)), float(jiwer.cer(ref, hyp))


# -- before: the pipeline as it was (faster-whisper's VAD path, the old post-filter) ---------
_OLD_CAPTIONS = re.compile(r"(subtitles? by|amara\.org|ghiền mì gõ|hãy subscribe|đăng ký kênh|"
                           r"subscribe cho kênh|thanks for watching)", re.IGNORECASE)


def _old_guard_drops(text: str, no_speech_prob: float) -> bool:
    return (not words_of(text) or no_speech_prob > 0.8
            or longest_ngram_run(words_of(text), 8) >= 4 or _OLD_CAPTIONS.search(text) is not None)


def before(path: Path, cache: ModelCache) -> tuple[list[Line], int]:
    """(lines kept, lines the old post-filter dropped)."""
    model = load_model(BASE, cache)
    raw, _ = model.transcribe(
        str(path), language="vi", beam_size=5, temperature=[0.0, 0.2, 0.4],
        compression_ratio_threshold=2.4, log_prob_threshold=-1.0, no_speech_threshold=0.6,
        condition_on_previous_text=False, word_timestamps=True, vad_filter=True,
        vad_parameters={"min_silence_duration_ms": 500})
    kept, dropped = [], 0
    for segment in raw:
        if _old_guard_drops(segment.text, segment.no_speech_prob):
            dropped += 1
        else:
            kept.append((float(segment.start), float(segment.end), segment.text.strip()))
    return kept, dropped


def after(path: Path, cache: ModelCache) -> tuple[list[Line], int, int]:
    """(lines kept, lines marked as doubtful, lines left out on record)."""
    result = transcribe_track(path, BASE, cache=cache)
    lines = [(s.start, s.end, " ".join([s.text] * s.repeats)) for s in result.segments]
    return lines, sum(1 for s in result.segments if s.doubts), len(result.dropped)


def _report(label: str, track: Recorded, lines: Sequence[Line], took: float, extra: str) -> None:
    wer, cer = scores(track.reference, " ".join(text for _, _, text in lines))
    heard = sentences_heard(track.said, lines)
    shortest = min((end - start for start, end, _ in lines), default=0.0)
    print(f"  {label:7} {track.role:9} lines {len(lines):3}  WER {wer:.3f}  CER {cer:.3f}  "
          f"sentences heard {sum(heard)}/{len(heard)}  shortest line {shortest:5.2f} s  "
          f"RTF {took / track.seconds:.3f}  {extra}")


def measure_hearing() -> None:
    cache = ModelCache()
    load_model(BASE, cache)
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        tracks = [*hearing(directory)]
        speech = sum(s.end - s.start for t in tracks for s in t.said)
        print(f"hearing corpus: {len(tracks)} tracks of {tracks[0].seconds:.0f} s, "
              f"{speech:.0f} s of speech, {sum(len(t.said) for t in tracks)} sentences")
        for track in tracks:
            started = time.perf_counter()
            kept, dropped = before(track.path, cache)
            _report("before", track, kept, time.perf_counter() - started, f"dropped {dropped}")
            started = time.perf_counter()
            lines, doubtful, left_out = after(track.path, cache)
            _report("after", track, lines, time.perf_counter() - started,
                    f"marked {doubtful}, left out {left_out}")
        for seed in (0, 1, 2, 3, 4):
            track = filed_case(directory, seed)
            print(f"filed case (seed {seed}): {track.seconds:.1f} s, {len(track.said)} sentences")
            started = time.perf_counter()
            kept, dropped = before(track.path, cache)
            _report("before", track, kept, time.perf_counter() - started, f"dropped {dropped}")
            started = time.perf_counter()
            lines, doubtful, left_out = after(track.path, cache)
            _report("after", track, lines, time.perf_counter() - started,
                    f"marked {doubtful}, left out {left_out}")
        track = waiting_case(directory)
        print(f"a minute of waiting with a radio on, then {len(track.said)} sentences "
              f"(first said at {track.said[0].start:.1f}-{track.said[0].end:.1f} s)")
        for label, lines in (("before", before(track.path, cache)[0]),
                             ("after", after(track.path, cache)[0])):
            longest = max(lines, key=lambda line: line[1] - line[0])
            print(f"  {label:7} first line {lines[0][0]:.1f}-{lines[0][1]:.1f} s, longest line "
                  f"{longest[1] - longest[0]:.1f} s, sentences heard "
                  f"{sum(sentences_heard(track.said, lines))}/{len(track.said)}")
        for path in silence_and_noise(directory):
            kept, _ = before(path, cache)
            lines, _, _ = after(path, cache)
            print(f"{path.stem}: lines before {len(kept)}, after {len(lines)}")


def measure_confidence() -> None:
    """Line confidence against the line's own error rate (each line scored against the
    sentences said over it), on the corpus and the filed cases: where to mark lines."""
    cache = ModelCache()
    pairs: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        tracks = [*hearing(directory), *(filed_case(directory, seed) for seed in range(5)),
                  *(filed_case(directory, seed, far=False) for seed in range(3))]
        for track in tracks:
            for line in transcribe_track(track.path, BASE, cache=cache).segments:
                said = " ".join(words_of(" ".join(
                    s.text for s in track.said if line.start < s.end + 1 and line.end > s.start - 1)))
                heard = " ".join(words_of(line.text))
                if said and heard:  # how much of the line is not what was said (letters)
                    pairs.append((line.confidence, fuzzy_find(heard, said) / len(heard)))
    print(f"{len(pairs)} lines; 'bad': over 35 % of a line's letters wrong, 'good': 15 % or less")
    bad = [c for c, w in pairs if w > 0.35]
    good = [c for c, w in pairs if w <= 0.15]
    print(f"{'marked below':>12} {'lines marked':>12} {'bad marked':>10} {'good marked':>11}")
    for floor in (0.5, 0.55, 0.6, 0.65, 0.7, 0.75):
        marked = sum(1 for c, _ in pairs if c < floor)
        print(f"{floor:12.2f} {marked:6}/{len(pairs):<5} {sum(c < floor for c in bad):4}/{len(bad):<5}"
              f" {sum(c < floor for c in good):5}/{len(good)}")


def measure_language() -> None:
    """Language probabilities on Vietnamese and English speech after Opus and faint noise."""
    cache = ModelCache()
    model = load_model(BASE, cache)
    rng = np.random.default_rng(1)
    english = [decode_audio(str(SPEECH / name)) for name in ("citizen.wav", "official.wav")]
    samples = [(f"vi {c.name}", c.samples) for c in natural_clips().values()]
    samples += [(f"en {n}", a) for n, a in zip(("citizen", "official"), english, strict=True)]
    joined_vi = np.concatenate([c.samples for c in natural_clips().values()])
    samples.append(("vi all joined", joined_vi))
    samples += [(f"{name} far from the microphone", audio * FAR_GAIN + pink_noise(
        audio.size, rng) * float(np.sqrt(np.mean(audio**2))) * FAR_GAIN * 10 ** (-FAR_SNR_DB / 20))
        for name, audio in (("vi all joined", joined_vi), ("en citizen", english[0]))]
    print(f"{'speech':32} {'top':>4} {'p(top)':>7} {'p(vi)':>7} {'p(en)':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, audio in samples:
            noisy = add_room(audio.copy(), rng, level=10 ** (-50 / 20))
            decoded = decode_audio(str(write_opus(noisy, Path(tmp) / "x.webm")))
            vi = identify(model, decoded, "vi", BASE.language_windows)
            en = identify(model, decoded, "en", BASE.language_windows)
            print(f"{name:32} {vi.language:>4} {vi.probability:7.3f} {vi.expected_probability:7.3f}"
                  f" {en.expected_probability:7.3f}")


def measure_clips() -> None:
    cache = ModelCache()
    samples = list(natural_clips().values())
    with tempfile.TemporaryDirectory() as tmp:
        pieces = []
        for clip in samples:
            pieces += [clip.samples, np.zeros(RATE, dtype=np.float32)]
        joined = write_wav(Path(tmp) / "joined.wav", np.concatenate(pieces))
        joined_s = sum(len(p) for p in pieces) / RATE
        reference = " ".join(clip.text for clip in samples)
        load_model(BASE, cache)
        print(f"base, int8, beam 5, per clip ({len(samples)} clips, {joined_s:.1f} s joined)")
        for clip in samples:
            wav = write_wav(Path(tmp) / "clip.wav", clip.samples)
            started = time.perf_counter()
            segments = transcribe_file(wav, BASE, cache=cache)
            took = time.perf_counter() - started
            hypothesis = " ".join(s.text for s in segments)
            wer, cer = scores(clip.text, hypothesis)
            print(f"  {clip.name:22} WER {wer:.3f} CER {cer:.3f} RTF {took / clip.seconds:.3f}"
                  f"  {hypothesis}")
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
            print(f"  {model:8} {compute:8} {beam:>4} {wer:6.3f} {cer:6.3f} {took / joined_s:6.3f}"
                  f"  lang={lang}")


def main() -> None:
    which = sys.argv[1] if len(sys.argv) > 1 else "hearing"
    {"clips": measure_clips, "hearing": measure_hearing, "language": measure_language,
     "confidence": measure_confidence}[which]()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"\npeak RSS of this process: {peak} MiB")


if __name__ == "__main__":
    main()
