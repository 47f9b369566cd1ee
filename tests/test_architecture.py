"""The layout is a contract: one-way layers (import-linter) and no import cycle between modules."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    modules = sorted(graph.modules)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.find_modules_directly_imported_by(node)):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in modules:
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle_between_modules() -> None:
    """Imports under TYPE_CHECKING count too: a cycle for the type checker is still a cycle."""
    graph = grimp.build_graph("tcstandards")
    assert _cycles(graph) == []


def test_the_layers_contract_holds() -> None:
    """`lint-imports` reads [tool.importlinter] in pyproject.toml (docs/architecture.md)."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout


def test_a_module_importing_a_layer_above_breaks_the_contract(tmp_path: Path) -> None:
    """Not vacuous: an upward import (validation -> hq) in a copy of the package is reported."""
    skip = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "tcstandards", tmp_path / "tcstandards", ignore=skip)
    probe = tmp_path / "tcstandards" / "validation" / "probe_upward.py"
    probe.write_text("from tcstandards.hq import status  # noqa: F401\n", encoding="utf-8")
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout
    assert "tcstandards.validation.probe_upward -> tcstandards.hq.status" in result.stdout


def test_findings_are_made_in_one_place() -> None:
    """Every finding comes from ``make_finding``: message from the catalogue, severity from the rule
    (``kept_finding`` reads back one the store kept, made so)."""
    import ast

    makers = []
    for module in sorted((ROOT / "tcstandards").rglob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "Finding"
            ):
                makers.append(str(module.relative_to(ROOT)))
    assert makers == ["tcstandards/validation/findings.py"] * 2  # make_finding, kept_finding
