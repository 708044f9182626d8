"""reception/domain imports only the standard library and the chosen pure libraries."""

from __future__ import annotations

import ast
import pathlib
import sys

DOMAIN = pathlib.Path(__file__).resolve().parents[3] / "reception" / "domain"
ALLOWED_THIRD_PARTY = {"holidays", "statemachine"}


def _imports(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_the_domain_imports_nothing_but_the_standard_library_and_pure_libraries() -> None:
    modules = sorted(DOMAIN.rglob("*.py"))
    assert len(modules) > 10
    offenders = []
    for module in modules:
        for name in _imports(module):
            top = name.split(".")[0]
            if top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY:
                continue
            if name == "reception.domain" or name.startswith("reception.domain."):
                continue
            offenders.append(f"{module.relative_to(DOMAIN)} imports {name}")
    assert offenders == []
