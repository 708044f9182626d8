"""A Unicode TrueType font with every Vietnamese glyph (DejaVu, Debian fonts-dejavu-core)."""

from __future__ import annotations

from pathlib import Path

SEARCH = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
)
FILES = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf", "I": "DejaVuSerif-Italic.ttf"}


def font_files() -> dict[str, Path]:
    """style ("", "B", "I") → path; raises naming the Debian package when missing."""
    found: dict[str, Path] = {}
    for style, name in FILES.items():
        for folder in SEARCH:
            if (folder / name).exists():
                found[style] = folder / name
                break
    if "" not in found or "B" not in found:
        raise FileNotFoundError("DejaVu Serif not found: install the Debian package fonts-dejavu-core")
    found.setdefault("I", found[""])
    return found
