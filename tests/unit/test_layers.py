"""The layer contracts of pyproject.toml hold, and they would catch a wrong arrow."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=120)


def copy_of_the_project(tmp_path: Path) -> Path:
    for name in ("reception", "transcripts"):
        shutil.copytree(ROOT / name, tmp_path / name,
                        ignore=shutil.ignore_patterns("__pycache__", "templates", "translations"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_every_layer_contract_is_kept() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_handler_importing_an_adapter_breaks_the_web_contract(tmp_path: Path) -> None:
    tree = copy_of_the_project(tmp_path)
    (tree / "reception" / "web" / "sneaky.py").write_text(
        "from reception.adapters.db.engine import create_engine\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "reception.web.sneaky -> reception.adapters.db.engine" in result.stdout


def test_a_service_calling_whisper_directly_breaks_the_services_contract(tmp_path: Path) -> None:
    tree = copy_of_the_project(tmp_path)
    (tree / "reception" / "services" / "sneaky.py").write_text(
        "from transcripts.engine import transcribe_file\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "reception.services.sneaky -> transcripts.engine" in result.stdout


def test_importing_the_transcripts_library_does_not_load_the_model_library() -> None:
    code = ("import sys, transcripts, transcripts.formats; "
            "print(sorted(m for m in ('faster_whisper', 'ctranslate2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
