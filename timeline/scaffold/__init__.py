"""``timeline plugins new NAME``: a working, tested, installable exporter plugin to start from.

The files come from the templates beside this module (package data, shipped
in the wheel) with ``{{placeholders}}`` filled in.  Nothing is written unless
everything can be: an existing target directory is refused, and the files
are written into a temporary directory that is renamed into place.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from importlib.resources import files
from pathlib import Path

from .._version import __version__
from ..errors import TimelineError, UsageError
from ..pluginapi import PLUGIN_API_VERSION
from ..protocols import FORMAT_NAME_PATTERN

__all__ = ["PluginExistsError", "new_plugin", "plugin_files"]

#: Template file -> where it goes inside the new package directory.
_LAYOUT = {
    "pyproject.toml.tmpl": "pyproject.toml",
    "module.py.tmpl": "{{module}}/__init__.py",
    "test_plugin.py.tmpl": "tests/test_{{module}}.py",
    "README.md.tmpl": "README.md",
}

_PLACEHOLDER = re.compile(r"\{\{([a-z_]+)\}\}")


class PluginExistsError(TimelineError):
    """The directory the new plugin would go into already exists (exit status 1)."""


def _check_name(name: str) -> None:
    if not re.fullmatch(FORMAT_NAME_PATTERN, name):
        suggestion = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        hint = f" (e.g. {suggestion!r})" if suggestion and re.fullmatch(FORMAT_NAME_PATTERN, suggestion) else ""
        raise UsageError(
            f"{name!r} is not a valid format name: use lowercase letters and digits, words joined by '-', "
            f"starting with a letter{hint}"
        )


def _values(name: str) -> dict[str, str]:
    words = name.split("-")
    title = " ".join(word.capitalize() for word in words)
    description = "Events as plain text, with dates people can read"
    major, minor = __version__.split(".")[:2]
    return {
        "name": name,
        "dist": f"timeline-{name}",
        "module": f"timeline_{name.replace('-', '_')}",
        "class": "".join(word.capitalize() for word in words) + "Exporter",
        "title": f"timeline-{name}",
        "description": description,
        "description_lower": description[0].lower() + description[1:],
        "requires": f"{major}.{minor}",
        "api": PLUGIN_API_VERSION,
        "version": __version__,
        "heading": title,
    }


def _fill(text: str, values: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise KeyError(f"template placeholder {{{{{key}}}}} has no value")
        return values[key]

    return _PLACEHOLDER.sub(replace, text)


def plugin_files(name: str) -> dict[str, str]:
    """The new plugin's files, relative path -> text, without writing anything."""
    _check_name(name)
    values = _values(name)
    templates = files(__name__).joinpath("templates")
    return {
        _fill(target, values): _fill(templates.joinpath(template).read_text(encoding="utf-8"), values)
        for template, target in _LAYOUT.items()
    }


def new_plugin(name: str, directory: str | os.PathLike[str] = ".") -> Path:
    """Write the package ``timeline-NAME`` inside ``directory``; return its path.

    :class:`~timeline.UsageError` for a bad name, :class:`PluginExistsError`
    if ``timeline-NAME`` is already there.
    """
    contents = plugin_files(name)
    parent = Path(directory)
    target = parent / f"timeline-{name}"
    if target.exists() or target.is_symlink():
        raise PluginExistsError(f"{str(target)!r} already exists; not overwriting it (choose --directory or remove it)")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".timeline-{name}-", dir=parent))
    except OSError as exc:
        raise TimelineError(f"cannot create the plugin in {str(parent)!r}: {exc.strerror or exc}") from exc
    try:
        for relative, text in contents.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        staging.chmod(0o755)
        os.rename(staging, target)  # atomic; fails rather than merging into a directory made meanwhile
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if target.exists():
            raise PluginExistsError(f"{str(target)!r} already exists; not overwriting it") from exc
        raise TimelineError(f"cannot write the plugin to {str(target)!r}: {exc.strerror or exc}") from exc
    return target
