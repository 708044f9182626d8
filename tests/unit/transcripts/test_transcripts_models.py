import hashlib
from pathlib import Path

import pytest

from transcripts import (
    ChecksumMismatch,
    ModelPartMissing,
    ModelSettingError,
    ProvisioningError,
    assemble,
    list_models,
    resolve_model,
    verify,
)
from transcripts.builtin_models import BUILTIN_MODELS, BuiltinModel, PackageFile


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fake_registry(packages: Path, *, corrupt: bool = False) -> dict[str, BuiltinModel]:
    """A two-part multilingual model in a fake package directory, plus the real tiny.en."""
    packages.mkdir(exist_ok=True)
    contents = {"model.bin.part1": b"AAAA" * 1000, "model.bin.part2": b"BBBB", "config.json": b"{}"}
    for name, data in contents.items():
        (packages / name).write_bytes(data)
    if corrupt:
        (packages / "model.bin.part2").write_bytes(b"BBBX")

    def file(name: str, requirement: str) -> PackageFile:
        return PackageFile(requirement, "not_installed_module", name, sha(contents[name]), packages)

    multi = BuiltinModel(
        name="base",
        multilingual=True,
        licence="MIT",
        description="fake",
        model_parts=(
            file("model.bin.part1", "part-one==1"),
            file("model.bin.part2", "part-two==1"),
        ),
        other_files=(file("config.json", "part-one==1"),),
        model_sha256=sha(contents["model.bin.part1"] + contents["model.bin.part2"]),
    )
    return {"tiny.en": BUILTIN_MODELS["tiny.en"], "base": multi}


def test_assembling_joins_the_parts_copies_the_other_files_and_leaves_no_temp_dir(
    tmp_path: Path,
) -> None:
    registry = fake_registry(tmp_path / "pkg")
    directory = assemble("base", tmp_path / "cache", registry)
    assert (directory / "model.bin").read_bytes() == b"AAAA" * 1000 + b"BBBB"
    assert (directory / "config.json").read_bytes() == b"{}"
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["base"]
    assert verify("base", tmp_path / "cache", registry) == directory


def test_a_corrupted_part_is_refused_naming_its_package_and_the_pinned_hash(
    tmp_path: Path,
) -> None:
    registry = fake_registry(tmp_path / "pkg", corrupt=True)
    with pytest.raises(ChecksumMismatch) as caught:
        assemble("base", tmp_path / "cache", registry)
    message = str(caught.value)
    assert "part-two==1" in message and sha(b"BBBB") in message
    assert list((tmp_path / "cache").iterdir()) == []  # nothing half-built is left behind
    # The English built-in does not depend on the broken wheel.
    assert resolve_model(None, "en", tmp_path / "cache", registry) == str(
        BUILTIN_MODELS["tiny.en"].model_parts[0].locate("tiny.en").parent
    )


def test_a_missing_part_names_the_package_to_install(tmp_path: Path) -> None:
    registry = fake_registry(tmp_path / "pkg")
    (tmp_path / "pkg" / "model.bin.part2").unlink()
    with pytest.raises(ModelPartMissing, match="pip install part-two==1"):
        assemble("base", tmp_path / "cache", registry)


def test_a_part_whose_package_is_not_installed_is_reported_as_missing() -> None:
    part = PackageFile("nowhere==1", "surely_not_an_installed_module", "x.bin", "0" * 64)
    with pytest.raises(ModelPartMissing, match="nowhere==1"):
        part.locate("base")


def test_verify_catches_a_model_damaged_after_assembly(tmp_path: Path) -> None:
    registry = fake_registry(tmp_path / "pkg")
    directory = assemble("base", tmp_path / "cache", registry)
    (directory / "model.bin").write_bytes(b"tampered")
    with pytest.raises(ChecksumMismatch, match=registry["base"].model_sha256):
        verify("base", tmp_path / "cache", registry)


def test_verify_of_a_model_never_assembled_says_how_to_assemble_it(tmp_path: Path) -> None:
    with pytest.raises(ProvisioningError, match="reception models assemble base"):
        verify("base", tmp_path, fake_registry(tmp_path / "pkg"))


def test_vietnamese_and_language_detection_resolve_to_the_multilingual_model(
    tmp_path: Path,
) -> None:
    registry = fake_registry(tmp_path / "pkg")
    cache = tmp_path / "cache"
    assert resolve_model(None, "vi", cache, registry) == str(cache / "base")  # assembled now
    assert resolve_model("auto", None, cache, registry) == str(cache / "base")
    assert resolve_model("base", "en", cache, registry) == str(cache / "base")


def test_an_english_only_model_is_refused_for_vietnamese(tmp_path: Path) -> None:
    with pytest.raises(ModelSettingError, match="English-only"):
        resolve_model("tiny.en", "vi", tmp_path)
    with pytest.raises(ModelSettingError, match="English-only"):
        resolve_model("small.en", None, tmp_path)


def test_a_model_directory_must_exist_and_hold_model_bin(tmp_path: Path) -> None:
    with pytest.raises(ModelSettingError, match="has no model.bin"):
        resolve_model(str(tmp_path), "vi")
    with pytest.raises(ModelSettingError, match="does not exist"):
        resolve_model("./no/such/model", "vi")
    (tmp_path / "model.bin").write_bytes(b"x")
    assert resolve_model(str(tmp_path), "vi") == str(tmp_path)


def test_a_hub_name_is_passed_through_for_the_engine_to_download() -> None:
    assert resolve_model("large-v3-turbo", "vi") == "large-v3-turbo"
    assert resolve_model("org/whisper-vi-ct2", "vi") == "org/whisper-vi-ct2"


def test_list_reports_which_models_are_ready(tmp_path: Path) -> None:
    registry = fake_registry(tmp_path / "pkg")
    before = {s.name: s for s in list_models(tmp_path / "cache", registry)}
    assert before["tiny.en"].ready and not before["tiny.en"].multilingual
    assert before["base"].installed and not before["base"].ready
    assemble("base", tmp_path / "cache", registry)
    assert {s.name: s.ready for s in list_models(tmp_path / "cache", registry)}["base"]
