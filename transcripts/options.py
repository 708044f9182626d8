"""Settings of one transcription: model, hardware and the guards against invented text."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .guard import GuardSettings
from .language import LanguageChoice


@dataclass(frozen=True, slots=True)
class TranscribeOptions:
    """Defaults are the measured ones of docs/transcription.md.

    `model`: a built-in name ("tiny.en", "base"), a CTranslate2 model directory, a
    faster-whisper/hub model name (downloaded: only when an operator configures it), or
    None/"auto" to pick a built-in by `language` (None = detect the language).
    """

    model: str | None = None
    language: str | None = "vi"
    cache_dir: Path | None = None  # where built-in models are assembled; default ./var/models
    device: str = "auto"  # "auto" = CUDA when CTranslate2 sees a GPU, else CPU
    compute_type: str | None = None  # None = int8 on CPU, int8_float16 on CUDA
    cpu_threads: int = 2
    beam_size: int = 5
    # Each recording's language is identified on its speech (multilingual models only): a
    # speaker confidently heard in another language is transcribed in it (see language.py).
    detect_language: bool = True
    language_windows: int = 1  # 30 s windows of speech weighed (each costs an encoder pass)
    language_choice: LanguageChoice = field(default_factory=LanguageChoice)
    # Guards against invented text, passed to faster-whisper:
    vad_filter: bool = True
    vad_min_silence_ms: int = 500
    compression_ratio_threshold: float = 2.4
    log_prob_threshold: float = -1.0
    temperatures: tuple[float, ...] = (0.0, 0.2, 0.4)  # bounded fallback: high T invents
    condition_on_previous_text: bool = False  # one bad line must not seed the next
    word_timestamps: bool = True
    # A line that loops inside itself is decoded once more over its own span (loops.py); at
    # most this many lines per recording (0: never), each costing up to one more window.
    loop_redecodes: int = 8
    # What happens to each line (kept, marked, or left out on record): guard.py. Whisper's
    # silence test (no-speech probability and log-probability) is applied there, per line.
    guard: GuardSettings = field(default_factory=GuardSettings)

    def __post_init__(self) -> None:
        if self.cpu_threads < 1:
            raise ValueError(f"cpu_threads must be >= 1, got {self.cpu_threads}")
        if self.beam_size < 1:
            raise ValueError(f"beam_size must be >= 1, got {self.beam_size}")
        if self.loop_redecodes < 0:
            raise ValueError(f"loop_redecodes must be >= 0, got {self.loop_redecodes}")
        if not self.temperatures:
            raise ValueError("temperatures must not be empty")
        if self.device not in ("auto", "cpu", "cuda"):
            raise ValueError(f"device must be auto, cpu or cuda, got {self.device!r}")
