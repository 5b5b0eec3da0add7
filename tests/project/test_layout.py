"""The package's shape: it imports anywhere Python runs, and its modules form no cycle."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "pipeline"


def test_the_command_line_imports_on_a_python_without_fcntl():
    """Windows has no fcntl: blocking the module stands in for it."""
    code = ("import sys; sys.modules['fcntl'] = None; import pipeline.cli, pipeline.project.lock; "
            "print('imported')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "imported"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    path = ROOT / name.replace(".", "/")
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _imports(path: Path) -> set[str]:
    """Modules of the package that ``path`` imports when it is itself imported (top level)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.parse(path.read_text("utf-8")).body:
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("pipeline")):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            target = node.module if not node.level else (f"{base}.{node.module}" if node.module else base)
            submodules = {f"{target}.{alias.name}" for alias in node.names}
            found |= submodules
            if not all(_is_module(name) for name in submodules):  # names defined in target itself
                found.add(target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("pipeline"))
    return found


def test_no_import_cycles():
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph = {name: sorted(_imports(path) & modules.keys() - {name}) for name, path in modules.items()}
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "open":
            cycle = trail[trail.index(name):] + [name]
            pytest.fail("import cycle: " + " -> ".join(cycle))
        state[name] = "open"
        for target in graph[name]:
            visit(target, [*trail, name])
        state[name] = "done"

    for module in sorted(graph):
        visit(module, [])
