"""The package's layers, read from its source: who may import whom, and no import cycles.

Every import counts, wherever it is written: at the top, inside a function, or
under ``if TYPE_CHECKING:`` (a cycle of type hints is still two modules that
cannot be read one without the other). The layers:

- ``tui_hopfield.model`` never imports Textual, the UI or the experiments;
- ``tui_hopfield.experiments`` never imports Textual or the UI;
- ``tui_hopfield.config`` (reading the config file) never imports Textual or the UI;
- no two modules of the package import each other, directly or round a loop.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tui_hopfield

ROOT = Path(tui_hopfield.__file__).parent
PACKAGE = "tui_hopfield"

FORBIDDEN = {
    "tui_hopfield.model": ("textual", "tui_hopfield.ui", "tui_hopfield.experiments"),
    "tui_hopfield.experiments": ("textual", "tui_hopfield.ui"),
    "tui_hopfield.config": ("textual", "tui_hopfield.ui"),
}
"""For each layer, what none of its modules may import."""


def module_name(path: Path, root: Path, package: str) -> str:
    """``tui_hopfield/ui/slider.py`` -> ``tui_hopfield.ui.slider``; a package's ``__init__``
    is the package."""
    parts = [package, *path.relative_to(root).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(tree: ast.AST, name: str, is_package: bool, known: set[str]) -> set[str]:
    """Every module the source of module ``name`` imports, anywhere in it.

    ``from a.b import c`` imports the module ``a.b.c`` when there is one, else
    (a name defined in ``a.b``) the module ``a.b``. Relative imports are
    resolved against the module's package.
    """
    found: set[str] = set()
    here = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.add(submodule if submodule in known else source)
    found.discard(name)
    return found


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Each module of the package under ``root`` and the modules it imports."""
    paths = {module_name(path, root, package): path for path in sorted(root.rglob("*.py"))}
    known = set(paths)
    return {
        name: imports_of(
            ast.parse(path.read_text(encoding="utf-8"), str(path)),
            name,
            path.name == "__init__.py",
            known,
        )
        for name, path in paths.items()
    }


def within(module: str, prefix: str) -> bool:
    """Whether ``module`` is ``prefix`` or inside it."""
    return module == prefix or module.startswith(prefix + ".")


def violations(graph: dict[str, set[str]]) -> list[str]:
    """``a imports b`` for every import a layer forbids."""
    found = []
    for module, imported in sorted(graph.items()):
        for layer, banned in FORBIDDEN.items():
            if within(module, layer):
                found += [
                    f"{module} imports {target}"
                    for target in sorted(imported)
                    if any(within(target, ban) for ban in banned)
                ]
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles among the graph's own modules: each strongly connected set of two
    or more (Tarjan's algorithm), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(graph[module]):
            if target not in graph:
                continue
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            members = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                members.append(member)
                if member == module:
                    break
            if len(members) > 1:
                found.append(sorted(members))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(found)


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph(ROOT, PACKAGE)


def test_the_graph_sees_the_whole_package(graph):
    assert {"tui_hopfield.model.network", "tui_hopfield.ui.slider"} <= set(graph)
    assert "tui_hopfield.model.rules" in graph["tui_hopfield.model.network"]
    assert "textual" in graph["tui_hopfield.ui.slider"]


def test_the_model_and_the_experiments_keep_to_their_layers(graph):
    assert violations(graph) == []


def test_no_modules_import_each_other(graph):
    assert cycles(graph) == []


def test_the_checks_see_imports_in_functions_and_type_checking_blocks(tmp_path):
    """The checks themselves: a hidden import is found, and so is a cycle through it."""
    files = {
        "__init__.py": "",
        "model/__init__.py": "",
        "model/a.py": "def f():\n    from textual.widget import Widget\n",
        "ui/__init__.py": "",
        "ui/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import c\n",
        "ui/c.py": "from tui_hopfield.ui.b import B\n",
        "ui/d.py": "from .c import C\n",
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    found = import_graph(tmp_path, PACKAGE)
    assert found["tui_hopfield.ui.b"] == {"typing", "tui_hopfield.ui.c"}
    assert found["tui_hopfield.ui.d"] == {"tui_hopfield.ui.c"}
    assert violations(found) == ["tui_hopfield.model.a imports textual.widget"]
    assert cycles(found) == [["tui_hopfield.ui.b", "tui_hopfield.ui.c"]]
