"""Every legal or media citation in the code resolves inside the repository: `docs/law.md §N`
(and `§5 qN`) to a heading of docs/law.md, `docs/media.md pitfall N` to one of docs/media.md."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for folder in ("reception", "transcripts", "bench", "webclient", "migrations")
           for p in (ROOT / folder).rglob("*") if p.suffix in (".py", ".toml", ".html", ".js")]
LAW = re.compile(r"docs/law\.md((?:,? ?§\s?[0-9]+(?:\.[0-9]+)*(?: q[0-9]+)?)+)")
SECTION = re.compile(r"§\s?([0-9]+(?:\.[0-9]+)*)(?: (q[0-9]+))?")
PITFALL = re.compile(r"docs/media\.md pitfall ([0-9]+)")


def headings(path: Path) -> str:
    return "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                     if line.startswith("#"))


def cited() -> tuple[set[str], set[str]]:
    sections, pitfalls = set(), set()
    for source in SOURCES:
        text = source.read_text(encoding="utf-8")
        for match in LAW.finditer(text):
            for number, question in SECTION.findall(match.group(1)):
                sections.add(f"§{number.rstrip('.')} {question}".strip())
        pitfalls.update(PITFALL.findall(text))
    return sections, pitfalls


def test_the_code_cites_the_project_s_own_references_and_nothing_outside() -> None:
    sections, pitfalls = cited()
    assert len(sections) > 20 and len(pitfalls) >= 4  # the finder finds what is there
    outside = [str(p.relative_to(ROOT)) for p in SOURCES
               if re.search(r"\bSTATUTES\b|shared/notes|(?<!docs/)MEDIA\.md",
                            p.read_text(encoding="utf-8"))]
    assert outside == []


def test_every_law_citation_is_a_heading_of_docs_law_md() -> None:
    law = headings(ROOT / "docs" / "law.md")
    sections, _ = cited()
    missing = sorted(s for s in sections
                     if not re.search(rf"^#+ {re.escape(s)}(?:\s|$)", law, re.M))
    assert missing == []


def test_every_media_citation_is_a_pitfall_of_docs_media_md() -> None:
    media = headings(ROOT / "docs" / "media.md")
    _, pitfalls = cited()
    assert [p for p in sorted(pitfalls) if f"Pitfall {p} " not in media] == []
