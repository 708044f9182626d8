"""Every user-facing string is in the catalogs and has a Vietnamese translation."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def _tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("i18n_update", ROOT / "tools" / "i18n_update.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_marked_string_has_a_vietnamese_translation() -> None:
    extracted = {m.id for m in _tool().extract() if m.id}
    po = ROOT / "reception" / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as f:
        translated = {m.id for m in read_po(f) if m.id and m.string}
    missing = sorted(extracted - translated)
    assert not missing, f"run `make i18n` and translate: {missing}"
    assert len(extracted) > 50
