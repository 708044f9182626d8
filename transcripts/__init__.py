"""Transcription of hearings: faster-whisper engine, per-speaker merge, subtitle formats and
offline model provisioning. A library of its own: it imports nothing from `reception`.

Importing the package is cheap: the engine (faster-whisper, CTranslate2, ~130 ms and their
native libraries) loads only when one of its names is first used, so a web process exporting
subtitles never pays for the model library.
"""

from typing import TYPE_CHECKING, Any

from .errors import (
    AudioDecodeError,
    ChecksumMismatch,
    ModelLoadError,
    ModelPartMissing,
    ModelSettingError,
    ProvisioningError,
    TranscriptionCancelled,
    TranscriptionError,
)
from .formats import from_json, to_json, to_srt, to_text, to_vtt
from .guard import GuardSettings, Screened, filter_segments, screen
from .language import LanguageChoice
from .merge import canonical_json, merge_speakers, transcript_hash
from .models import ModelStatus, assemble, default_cache_dir, list_models, resolve_model, verify
from .options import TranscribeOptions
from .track_json import track_from_json, track_to_json
from .values import (
    Doubt,
    Dropped,
    LanguageGuess,
    ProgressCallback,
    Segment,
    SpeakerTrack,
    TrackResult,
    Transcript,
    TranscriptLine,
    Word,
)

if TYPE_CHECKING:
    from .engine import (
        DEFAULT_MODEL_CACHE,
        ModelCache,
        load_model,
        transcribe_file,
        transcribe_file_async,
        transcribe_track,
        transcribe_track_async,
    )

_ENGINE_NAMES = frozenset({"DEFAULT_MODEL_CACHE", "ModelCache", "load_model", "transcribe_file",
                           "transcribe_file_async", "transcribe_track", "transcribe_track_async"})


def __getattr__(name: str) -> Any:  # PEP 562: the engine is imported on first use only
    if name in _ENGINE_NAMES:
        from . import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'transcripts' has no attribute {name!r}")


__all__ = [
    "DEFAULT_MODEL_CACHE",
    "AudioDecodeError",
    "ChecksumMismatch",
    "Doubt",
    "Dropped",
    "GuardSettings",
    "LanguageChoice",
    "LanguageGuess",
    "ModelCache",
    "ModelLoadError",
    "ModelPartMissing",
    "ModelSettingError",
    "ModelStatus",
    "ProgressCallback",
    "ProvisioningError",
    "Screened",
    "Segment",
    "SpeakerTrack",
    "TrackResult",
    "TranscribeOptions",
    "Transcript",
    "TranscriptLine",
    "TranscriptionCancelled",
    "TranscriptionError",
    "Word",
    "assemble",
    "canonical_json",
    "default_cache_dir",
    "filter_segments",
    "from_json",
    "list_models",
    "load_model",
    "merge_speakers",
    "resolve_model",
    "screen",
    "to_json",
    "to_srt",
    "to_text",
    "to_vtt",
    "track_from_json",
    "track_to_json",
    "transcribe_file",
    "transcribe_file_async",
    "transcribe_track",
    "transcribe_track_async",
    "transcript_hash",
    "verify",
]
