"""Transcription of hearings: faster-whisper engine, per-speaker merge, subtitle formats and
offline model provisioning. A library of its own: it imports nothing from `reception`."""

from .engine import (
    DEFAULT_MODEL_CACHE,
    ModelCache,
    ProgressCallback,
    load_model,
    transcribe_file,
    transcribe_file_async,
)
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
from .guard import GuardSettings, filter_segments
from .merge import canonical_json, merge_speakers, transcript_hash
from .models import ModelStatus, assemble, default_cache_dir, list_models, resolve_model, verify
from .options import TranscribeOptions
from .values import Segment, SpeakerTrack, Transcript, TranscriptLine, Word

__all__ = [
    "DEFAULT_MODEL_CACHE",
    "AudioDecodeError",
    "ChecksumMismatch",
    "GuardSettings",
    "ModelCache",
    "ModelLoadError",
    "ModelPartMissing",
    "ModelSettingError",
    "ModelStatus",
    "ProgressCallback",
    "ProvisioningError",
    "Segment",
    "SpeakerTrack",
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
    "to_json",
    "to_srt",
    "to_text",
    "to_vtt",
    "transcribe_file",
    "transcribe_file_async",
    "transcript_hash",
    "verify",
]
