"""The house's one-way flow: no import circle in `src/compliance`, the core importing no outer room.

Every import counts, also those inside functions (made there to keep start-up light): a
circle through one is still two modules that cannot be understood apart.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "compliance"
#: the rooms around the core: presenters, batch, web and the command line
OUTER = ("compliance.presenters", "compliance.batch", "compliance.web", "compliance.cli",
         "compliance.commandline", "compliance.extract.cli")
#: the core: form → facts → engine → verdict (and what they are made of)
CORE = ("compliance.form", "compliance.facts", "compliance.fields", "compliance.conditions",
        "compliance.engine", "compliance.verdict", "compliance.checker", "compliance.rulebook.book",
        "compliance.rulebook.model", "compliance.result", "compliance.places",
        "compliance.reference", "compliance.explain", "compliance.whatif", "compliance.questions")


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The modules of the package this file imports, anywhere in it."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                names.add(full if full in modules else node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name in modules}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, modules) - {name} for name, path in modules.items()}


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in graph[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                other = stack.pop()
                group.append(other)
                if other == module:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return circles


def test_there_is_no_import_circle() -> None:
    assert _circles(_graph()) == []


def test_the_finder_finds_a_circle() -> None:
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_core_imports_no_presenter_batch_web_or_command_line() -> None:
    graph = _graph()
    leaks = {(module, other) for module, imported in graph.items()
             if module.startswith(CORE) for other in imported if other.startswith(OUTER)}
    assert leaks == set()


@pytest.mark.slow
def test_a_batch_worker_imports_no_spreadsheet_reader() -> None:
    """Each worker process imports the runner and builds a worker: openpyxl (~50 ms) is for
    reading a workbook, in the parent, and for Excel date serials, when a cell holds one."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from compliance.batch import runner\n"
            "from compliance.batch.worker import Job, Worker\n"
            "Worker(Job('python', None, None))\n"
            "print(sorted(name for name in sys.modules if name.split('.')[0] == 'openpyxl'))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, check=True)
    assert result.stdout.strip() == "[]"
