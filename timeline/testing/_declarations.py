"""The kit's check of a plugin's ``timeline.formats`` declarations (plugin API 1.1).

A plugin that declares its formats is imported only when one of them is
needed, so its declarations must list exactly what its hooks provide: every
exporter and reader, with every extension.  The host warns at run time when
they differ; the kit fails the plugin's own test suite instead, with the
entries to write.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from ..registry import FORMATS_GROUP, Registry, _extensions, _normalise, _value_key

__all__ = ["check_format_declarations"]

_KINDS = ("exporter", "reader")


def _entry_lines(table: dict[str, dict[str, frozenset[str]]], value: str) -> list[str]:
    """The ``timeline.formats`` entries (pyproject.toml lines) that declare ``table``."""
    lines = []
    for kind in _KINDS:
        for name, extensions in sorted(table[kind].items()):
            keys = [f"{kind}.{name}{ext}" for ext in sorted(extensions)] or [f"{kind}.{name}"]
            lines += [f'"{key}" = "{value}"' for key in keys]
    return lines


def _shown(formats: dict[str, frozenset[str]]) -> str:
    listed = [f"{name} ({' '.join(sorted(exts))})" if exts else name for name, exts in sorted(formats.items())]
    return ", ".join(listed) or "none"


def check_format_declarations(kind: str, format_name: str) -> None:
    """Fail unless the installed plugin providing ``format_name`` declares exactly what it provides.

    ``kind`` is ``"exporter"`` or ``"reader"``.  The plugin is the one
    ``timeline`` uses for that name.  A plugin without declarations is
    skipped (it is imported on every run, which is allowed); one registered
    in code has no entry point to check.
    """
    registry = Registry()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the host's own warning about a wrong declaration: reported below
        for each in _KINDS:
            registry._table(each)  # import every plugin, as `timeline formats` does
        winner = registry._winners(kind).get(format_name)
    if winner is None:
        pytest.fail(f"no installed {kind} is called {format_name!r}")
    record = winner[0]
    if record.entry is None:
        pytest.skip(f"the {kind} {format_name!r} comes from a plugin registered in code: no entry point to check")
    provided = {each: _provided_formats(record.provided.get(each, [])) for each in _KINDS}
    value = record.entry.value
    expected = "\n".join(_entry_lines(provided, value))
    section = f'[project.entry-points."{FORMATS_GROUP}"]'
    if record.declared is None:
        unreadable = _own_entries(record)
        if unreadable:
            pytest.fail(
                f"{record.info.describe()} has {FORMATS_GROUP!r} entries this timeline cannot read "
                f"({', '.join(sorted(unreadable))}), so it is imported on every run; declare its formats as\n"
                f"{section}\n{expected}"
            )
        pytest.skip(
            f"{record.info.describe()} declares no formats in {FORMATS_GROUP!r}, so it is imported on every run; "
            f"to be imported only when needed, add to pyproject.toml:\n{section}\n{expected}"
        )
    problems = []
    for each in _KINDS:
        declared, actual = record.declared[each], provided[each]
        if declared != actual:
            problems.append(f"{each}s declared: {_shown(declared)}; provided: {_shown(actual)}")
    if problems:
        pytest.fail(
            f"{record.info.describe()}'s {FORMATS_GROUP!r} entry points do not match what its hooks provide ("
            + "; ".join(problems)
            + f"). timeline imports a plugin by its declarations, so a wrong one hides a format or imports the "
            f"plugin for nothing; declare exactly:\n{section}\n{expected}"
        )


def _provided_formats(items: list[Any]) -> dict[str, frozenset[str]]:
    formats: dict[str, frozenset[str]] = {}
    for item in items:
        formats[item.name] = formats.get(item.name, frozenset()) | _extensions(item)
    return formats


def _own_entries(record: Any) -> list[str]:
    """The names of the ``timeline.formats`` entries of ``record``'s distribution that point at its plugin."""
    from .._entrypoints import find_entry_points

    package = _normalise(record.info.package or "")
    value = _value_key(record.entry.value)
    return [
        ep.name
        for ep in find_entry_points((FORMATS_GROUP,))
        if _normalise(ep.dist_name or "") == package and _value_key(ep.value) == value
    ]
