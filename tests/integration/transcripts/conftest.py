"""Real Whisper models, loaded once per session: tiny.en (bundled) and base (assembled)."""

from __future__ import annotations

from pathlib import Path

import pytest

from transcripts import ModelCache, TranscribeOptions, assemble, load_model

SPEECH = Path(__file__).parents[2] / "fixtures" / "speech"


@pytest.fixture(scope="session")
def model_cache() -> ModelCache:
    return ModelCache()


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("models")
    assemble("base", directory)
    return directory


@pytest.fixture(scope="session")
def english(model_cache: ModelCache) -> TranscribeOptions:
    options = TranscribeOptions(model="tiny.en", language="en", beam_size=1)
    load_model(options, model_cache)
    return options


@pytest.fixture(scope="session")
def vietnamese(model_cache: ModelCache, models_dir: Path) -> TranscribeOptions:
    options = TranscribeOptions(model="base", language="vi", cache_dir=models_dir)
    load_model(options, model_cache)
    return options
