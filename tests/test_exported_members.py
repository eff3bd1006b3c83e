"""The public API is exactly the names in ``timeline.__all__``: pinned here, each one resolving, documented,
and visible to type checkers (issue 13 §1).

Adding a name is a plugin API change (a changelog entry, and here); removing or renaming one needs a
deprecation first (docs/plugins/api-policy.md).  The list is in ruff's ``__all__`` order (RUF022):
constants, then classes, then the rest, each alphabetically.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

import timeline

ROOT = Path(__file__).resolve().parent.parent
INIT = ROOT / "timeline" / "__init__.py"

PUBLIC_NAMES = [
    "PLUGIN_API_VERSION",
    "ArgumentTypeError",
    "Date",
    "DateError",
    "Document",
    "Era",
    "Event",
    "EventNotFoundError",
    "ExportContext",
    "ExportError",
    "ExportReport",
    "Exporter",
    "InvalidTimelineError",
    "Location",
    "Media",
    "Option",
    "OptionError",
    "PluginDeprecationWarning",
    "PluginError",
    "PluginWarning",
    "Precision",
    "Problem",
    "ReadContext",
    "ReadError",
    "ReadReport",
    "Reader",
    "Registry",
    "Relation",
    "Report",
    "ReportEntry",
    "Source",
    "Timeline",
    "TimelineError",
    "TranslatedText",
    "Translation",
    "UnknownFormatError",
    "UnknownLocaleError",
    "UsageError",
    "__version__",
    "as_of",
    "atomic_output",
    "civil_from_days",
    "data_timestamp",
    "days_from_civil",
    "decode_text",
    "display_width",
    "escape_markdown",
    "event_uid",
    "event_uid_text",
    "export",
    "export_date",
    "export_with_report",
    "hookimpl",
    "human_date",
    "human_duration",
    "human_span",
    "iter_events",
    "load",
    "load_bytes",
    "markdown_to_html",
    "markdown_to_markdown",
    "markdown_to_text",
    "message",
    "parse_span",
    "plural_message",
    "resolve_locale",
    "safe_url",
    "sample",
    "sample_path",
    "source_date_epoch",
    "translated",
    "validate",
]


def _isort_key(name: str) -> tuple[int, str]:
    """RUF022's order: SCREAMING_CASE, then CamelCase, then anything else."""
    if name.isupper() and len(name) > 1:
        return 0, name
    if name[:1].isupper():
        return 1, name
    return 2, name


def _module() -> ast.Module:
    return ast.parse(INIT.read_text(encoding="utf-8"))


def _type_checking_imports() -> dict[str, tuple[str, str]]:
    """name -> (module, imported name) for each ``from .module import X as Y`` under ``if TYPE_CHECKING:``."""
    found: dict[str, tuple[str, str]] = {}
    for node in _module().body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom) and statement.level == 1, ast.dump(statement)
                for alias in statement.names:
                    found[alias.asname or alias.name] = (statement.module or "", alias.name if alias.asname else "")
    return found


def test_all_is_exactly_the_public_names():
    assert timeline.__all__ == PUBLIC_NAMES


def test_all_is_a_sorted_literal_list():
    """A literal (not computed) list, so a type checker reads it, in ruff's order, without duplicates."""
    (assignment,) = [
        node
        for node in _module().body
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
    ]
    assert isinstance(assignment.value, ast.List)
    names = [ast.literal_eval(element) for element in assignment.value.elts]
    assert names == sorted(names, key=_isort_key) == PUBLIC_NAMES
    assert len(set(names)) == len(names)


def test_every_name_is_explicitly_re_exported_for_type_checkers():
    """``from .x import Y as Y`` (the redundant alias is what marks a re-export) for every name, from the module
    ``__getattr__`` loads it from at run time, in sorted statements."""
    imports = _type_checking_imports()
    lazy = dict(timeline._EXPORTS)
    assert set(imports) == set(lazy) == set(PUBLIC_NAMES) - {"__version__"}
    for name, (module, original) in imports.items():
        assert original == name, f"{name} must be imported as 'from .{module} import {name} as {name}'"
        assert module == lazy[name], f"{name}: TYPE_CHECKING imports it from .{module}, __getattr__ from .{lazy[name]}"
    version = [
        node
        for node in _module().body
        if isinstance(node, ast.ImportFrom) and node.module == "_version"
    ]
    assert [(a.name, a.asname) for node in version for a in node.names] == [("__version__", "__version__")]
    statements = next(
        node for node in _module().body if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
    ).body
    modules = [statement.module for statement in statements if isinstance(statement, ast.ImportFrom)]
    assert modules == sorted(modules) and len(set(modules)) == len(modules)


@pytest.mark.parametrize("name", PUBLIC_NAMES)
def test_each_name_resolves(name: str):
    value = getattr(timeline, name)
    assert value is not None
    if name in timeline._EXPORTS:
        import importlib

        assert value is getattr(importlib.import_module(f"timeline.{timeline._EXPORTS[name]}"), name)
    assert name in dir(timeline)


def test_star_import_and_misspelt_names():
    namespace: dict[str, object] = {}
    exec("from timeline import *", namespace)
    assert set(PUBLIC_NAMES) <= set(namespace)
    with pytest.raises(AttributeError, match="has no attribute 'Optoin'"):
        timeline.Optoin  # noqa: B018


def _documentation() -> str:
    pages = [ROOT / "docs" / "python-api.md", *sorted((ROOT / "docs" / "plugins" / "reference").glob("*.md"))]
    return "\n".join(page.read_text(encoding="utf-8") for page in pages)


@pytest.mark.parametrize("name", PUBLIC_NAMES)
def test_each_name_is_documented(name: str):
    """Named as ``timeline.NAME`` or as a code span starting with it (a reference table's `` `NAME(...)` ``), in
    docs/python-api.md or docs/plugins/reference/."""
    text = _documentation()
    qualified = re.search(rf"timeline\.{re.escape(name)}(?!\w)", text)
    span = re.search(rf"`{re.escape(name)}(?=[`(\[ ])", text)
    assert qualified or span, f"timeline.{name} is public but documented in neither docs/python-api.md nor " \
        "docs/plugins/reference/"


def _imported_after(code: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", f"import sys\n{code}\nprint('\\n'.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(proc.stdout.split())


def test_import_timeline_stays_lazy():
    """``import timeline`` loads its version and nothing else of its own, and none of its dependencies; the
    explicit re-exports are for type checkers only."""
    modules = _imported_after("import timeline")
    assert {m for m in modules if m.split(".")[0] == "timeline"} == {"timeline", "timeline._version"}
    for heavy in ("attrs", "attr", "pendulum", "pluggy", "yaml", "markdown_it", "importlib.metadata"):
        assert heavy not in modules, f"import timeline imported {heavy}"


def test_english_dates_import_neither_babel_nor_pendulum():
    """Issue 15: dates in English, the default, and resolving a locale tag need neither library (Babel's data
    is an extra; pendulum costs ~60 ms to import and is loaded only when a duration is written)."""
    modules = _imported_after(
        "import timeline\n"
        "d = timeline.Date.parse('2024-06-19')\n"
        "timeline.human_date(d)\ntimeline.human_date(d, locale='en-GB')\ntimeline.human_span(d, ongoing=True)\n"
        "timeline.resolve_locale('ru_RU.UTF-8')\n"
        "from timeline.locales import display_width\ndisplay_width('한국어')"
    )
    for heavy in ("babel", "pendulum"):
        assert heavy not in modules, f"an English date imported {heavy}"
    assert "timeline._l10n" not in modules


def test_a_duration_imports_pendulum_but_not_babel_in_english():
    modules = _imported_after(
        "import timeline\nd = timeline.Date.parse\ntimeline.human_duration(d('1950-06'), d('1953-07'))"
    )
    assert "pendulum" in modules and "babel" not in modules


def test_the_warnings_and_errors_cost_no_attrs():
    """``timeline.PluginWarning`` lives with the exceptions in timeline.errors (it used to need the registry, and
    with it attrs)."""
    modules = _imported_after("import timeline\ntimeline.PluginWarning\ntimeline.PluginDeprecationWarning\n"
                              "timeline.ExportError")
    assert "attrs" not in modules and "timeline.registry" not in modules
