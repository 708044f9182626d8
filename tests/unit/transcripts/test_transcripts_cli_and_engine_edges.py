from pathlib import Path

import pytest

from transcripts import AudioDecodeError, TranscribeOptions, TranscriptionError
from transcripts.cli import main
from transcripts.engine import decode, pick_compute_type


def test_models_list_prints_every_built_in(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "tiny.en" in out and "base" in out


def test_verify_fails_with_a_clear_message_when_nothing_is_assembled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--cache-dir", str(tmp_path), "verify", "base"]) == 1
    assert "reception models assemble base" in capsys.readouterr().err


def test_unknown_model_names_are_reported_not_raised(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "huge"]) == 1
    assert "unknown built-in model 'huge'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "no such file"),
        (b"", "file is empty"),
        (b"RIFF\x00\x00garbage" * 50, "cannot decode"),
    ],
)
def test_unreadable_audio_raises_a_typed_error_naming_the_file(
    tmp_path: Path, content: bytes | None, reason: str
) -> None:
    path = tmp_path / "upload.wav"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(AudioDecodeError, match=reason) as caught:
        decode(path)
    assert isinstance(caught.value, TranscriptionError) and str(path) in str(caught.value)


def test_cpu_defaults_to_int8_and_cuda_to_int8_float16() -> None:
    assert pick_compute_type("cpu", None) == "int8"
    assert pick_compute_type("cuda", None) == "int8_float16"
    assert pick_compute_type("cpu", "float32") == "float32"


@pytest.mark.parametrize("bad", [{"cpu_threads": 0}, {"beam_size": 0}, {"temperatures": ()}])
def test_nonsensical_options_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        TranscribeOptions(**bad)  # type: ignore[arg-type]
