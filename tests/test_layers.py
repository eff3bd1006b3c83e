"""The package's layers hold, and no import cycle hides inside a function.

Every ``import`` and ``from ... import`` in a module counts, wherever it is:
at the top, inside a function (where a cycle does not fail at import time
but still ties two layers together) or under ``if TYPE_CHECKING:``.  The
layers are the ones in ``docs/design.md`` ("Layers"); keep the two lists in
step.  The built-in plugins may import only what a third-party plugin may:
names in ``timeline.__all__`` (``from timeline import X``; ``import
timeline`` then ``timeline.X`` is not checked, since plugins also name
timelines ``timeline``), and their own package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import timeline

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "timeline"

#: Bottom to top: a module may import modules of its own layer and of the layers below.
LAYERS: list[tuple[str, set[str]]] = [
    (
        "foundation",
        {"_version", "_calendar", "text", "suggest", "problems", "errors", "encoding", "atomic", "_entrypoints",
         "pluginapi", "_schema", "_urls", "_escape", "_relations", "_tags"},
    ),
    (
        "dates and wording",
        {"dates", "display", "window", "markup", "_markdown", "locales", "_l10n", "_l10n.cldr", "_l10n.durations"},
    ),
    ("model", {"_records", "model", "options", "protocols", "reporting", "stamps", "progress", "rules", "validation",
               "_translations"}),
    ("building", {"fastpath", "_builder"}),
    ("plugin host", {"hookspecs", "registry"}),
    ("operations", {"loading", "exporting", "preview", "_live"}),
    (
        "kits",
        {"testing", "testing._declarations", "testing.corpus", "testing.exporters", "testing.readers", "scaffold"},
    ),
    ("command line", {"cli", "__main__"}),
]

#: Cycles still present, each with its reason; the list may only shrink.
KNOWN_CYCLES: set[frozenset[str]] = set()


def _modules() -> dict[str, tuple[Path, bool]]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        found[".".join(parts)] = (path, is_package)
    return found


def _imports(path: Path, package: str) -> set[str]:
    """Every module ``path`` imports anywhere, relative imports resolved, as dotted names."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            if node.module:  # ``from . import x`` imports x, not the package's facade
                found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph = {}
    for name, (path, is_package) in modules.items():
        if not name:
            continue  # timeline/__init__.py: the facade, above every layer
        package = "timeline." + name if is_package else "timeline." + name.rpartition(".")[0]
        package = package.rstrip(".")
        imported = set()
        for target in _imports(path, package):
            if target == "timeline" or target.startswith("timeline."):
                inner = target.removeprefix("timeline").lstrip(".")
                if inner in modules and inner != name:
                    imported.add(inner)
                elif target == "timeline":
                    imported.add("")  # the facade itself
        graph[name] = imported
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_the_graph_sees_imports_inside_functions():
    graph = _graph()
    assert "_calendar" in graph["dates"]
    assert "validation" in graph["model"]  # Timeline._validated imports it in a function
    assert "model" not in graph["validation"]  # the rules check the records of _records, never Timeline


def test_the_core_has_no_import_cycles():
    cycles = [cycle for cycle in _cycles(_graph()) if frozenset(cycle) not in KNOWN_CYCLES]
    assert cycles == []


def test_every_module_has_a_layer():
    layered = {name for _, names in LAYERS for name in names}
    assert set(_graph()) == layered


def test_modules_import_only_their_layer_and_below():
    level = {name: i for i, (_, names) in enumerate(LAYERS) for name in names}
    upward = []
    for name, imported in sorted(_graph().items()):
        for target in sorted(imported):
            if target == "":
                upward.append(f"{name} imports the timeline facade (import the defining module)")
            elif level[target] > level[name]:
                upward.append(f"{name} ({LAYERS[level[name]][0]}) imports {target} ({LAYERS[level[target]][0]})")
    assert upward == []


@pytest.mark.parametrize("path", sorted((ROOT / "plugins").glob("*.py")), ids=lambda p: p.name)
def test_builtin_plugins_use_only_the_public_api(path):
    public = set(timeline.__all__)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    wrong = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            wrong += [alias.name for alias in node.names if alias.name.startswith("timeline.")]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            module = node.module or ""
            if module == "timeline":
                wrong += [f"timeline.{alias.name}" for alias in node.names if alias.name not in public]
            elif module.startswith("timeline."):
                wrong.append(module)
    assert wrong == []
