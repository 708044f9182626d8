"""docs/workflow.md is what `reception docs` generates: the diagrams legal reads are current."""

from __future__ import annotations

import pathlib

from reception.domain.law.diagrams import mermaid
from reception.domain.processes.registry import all_processes
from reception.workflow_docs import render_docs, write_docs

ROOT = pathlib.Path(__file__).resolve().parents[3]


def test_the_checked_in_workflow_document_equals_the_generated_one() -> None:
    for name, content in render_docs().items():
        assert (ROOT / name).read_text(encoding="utf-8") == content, f"{name} is stale: run `reception docs`"


def test_the_document_lists_every_time_limit_and_every_process() -> None:
    text = render_docs()["docs/workflow.md"]
    for rule_id in ("R-1", "P-5", "C-3", "C-9", "D-4", "T-5", "T-12"):
        assert f"| {rule_id} |" in text
    assert text.count("```mermaid") == len(all_processes())


def test_each_process_renders_a_mermaid_state_diagram_with_every_state() -> None:
    for process in all_processes():
        diagram = mermaid(process)
        assert diagram.startswith("stateDiagram-v2")
        for spec in process.states:
            assert f"    {spec.code} : " in diagram


def test_write_docs_writes_the_rendered_files(tmp_path: pathlib.Path) -> None:
    written = write_docs(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in written] == ["docs/workflow.md"]
    assert written[0].read_text(encoding="utf-8") == render_docs()["docs/workflow.md"]


def test_the_glossary_maps_every_state_and_role_to_its_identifier() -> None:
    from reception.domain.law.workflow import Role

    glossary = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    for process in all_processes():
        for spec in process.states:
            assert f"`{spec.code}`" in glossary and spec.vn in glossary
    for role in Role:
        assert f"`Role.{role.value}`" in glossary
