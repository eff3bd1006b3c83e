"""Finding the entry points of a group without importing ``importlib.metadata``.

``importlib.metadata`` (and the ``email`` package it parses metadata with)
took 14 to 23 ms to import in the measurements of issue 13, out of a
``timeline export`` of 150 to 210 ms, so the registry reads
``entry_points.txt`` itself, with the semantics of
``importlib.metadata.entry_points(group=...)``: the ``*.dist-info`` and
``*.egg-info`` folders of each ``sys.path`` entry, in path order, the first
distribution of a given normalised name hiding later ones.  Anything this
scan does not handle (zipped path entries, ``.egg`` folders, a meta-path
finder of its own that finds distributions) falls back to
``importlib.metadata``; ``tests/test_entrypoints.py`` checks the two agree.

Internal (the underscore says so): :class:`timeline.Registry` is the API.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from typing import Any, NamedTuple

__all__ = ["find_entry_points"]

#: ``importlib.metadata.EntryPoint.pattern`` (compiled on first use: few runs load an entry point).
_ENTRY_POINT_VALUE = r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$"


class _EntryPoint(NamedTuple):  # not attrs: building an attrs class costs more than the whole scan
    """One entry point and the distribution declaring it (name and version from its metadata)."""

    name: str
    value: str
    group: str
    dist_name: str | None
    dist_version: str | None

    def load(self) -> Any:
        """The object the entry point names, as ``importlib.metadata.EntryPoint.load`` finds it."""
        found = re.match(_ENTRY_POINT_VALUE, self.value)
        if found is None:
            raise ValueError(f"malformed entry point value {self.value!r}")
        module = found.group("module")
        # ``__import__`` rather than ``importlib.import_module``: the same import, but ``python -X importtime``
        # lists it (import_module bypasses the C import path that reports), and the start-up tests rely on that.
        __import__(module)
        target: Any = sys.modules[module]
        for attr in filter(None, (found.group("attr") or "").split(".")):
            target = getattr(target, attr)
        return target


def _normalise_dist(name: str) -> str:
    """``importlib.metadata``'s normalisation of distribution names (PEP 503, dashes as underscores)."""
    return re.sub(r"[-_.]+", "-", name).lower().replace("-", "_")


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as stream:
            return stream.read()
    except (OSError, UnicodeDecodeError):  # importlib.metadata ignores unreadable files too
        return None


def _name_and_version(info: str) -> tuple[str | None, str | None]:
    """``Name`` and ``Version`` from the metadata of the distribution at ``info``, reading only the header."""
    text = _read(os.path.join(info, "METADATA")) or _read(os.path.join(info, "PKG-INFO")) or _read(info)
    found: dict[str, str] = {}
    key = None
    for line in (text or "").splitlines():
        if line[:1] in (" ", "\t"):  # a folded header line continues the one before
            if key is not None:
                found[key] += "\n" + line
            continue
        name, colon, value = line.partition(":")
        if not colon or not name or any(c.isspace() for c in name):
            break  # the end of the header: a blank line, or the body
        key = name.lower()
        if key in ("name", "version") and key not in found:
            found[key] = value.lstrip(" \t")
        else:
            key = None
    return found.get("name"), found.get("version")


def _group_entries(text: str, groups: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """The (name, value, group) triples of the ``groups`` sections of an ``entry_points.txt``, in file order."""
    triples = []
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
        elif section in groups:
            name, equals, value = line.partition("=")
            if equals:
                triples.append((name.strip(), value.strip(), section))
    return triples


def _scan_entry_points(group: str | tuple[str, ...], path: Iterable[object]) -> list[_EntryPoint] | None:
    """The entry points of ``group`` (or of several groups, in one pass) found on ``path``, or ``None`` where
    only ``importlib.metadata`` can tell."""
    groups = (group,) if isinstance(group, str) else group
    seen: set[str] = set()
    found: list[_EntryPoint] = []
    markers = [f"[{name}]" for name in groups]
    for entry in path:
        if not isinstance(entry, str):
            return None
        root = entry or "."
        try:
            children = os.listdir(root)
        except OSError:
            if os.path.exists(root):
                return None  # a zip file, say
            continue
        if os.path.basename(entry).lower().endswith(".egg"):
            return None  # an unpacked egg: its EGG-INFO has rules of its own
        # Grouped by the name in the folder's name, as importlib.metadata lists them.
        by_name: dict[str, list[str]] = {}
        for child in children:
            low = child.lower()
            if low.endswith((".dist-info", ".egg-info")):
                by_name.setdefault(_normalise_dist(low.rpartition(".")[0].partition("-")[0]), []).append(child)
        for child in (child for same_name in by_name.values() for child in same_name):
            info = os.path.join(entry, child)
            stem, ext = os.path.splitext(child)
            meta: tuple[str | None, str | None] | None = None
            if ext in (".dist-info", ".egg-info") and stem.partition("-")[0]:
                key = _normalise_dist(stem.partition("-")[0])
            else:  # importlib.metadata then goes by the Name in the metadata
                meta = _name_and_version(info)
                key = _normalise_dist(meta[0] or "")
            if key in seen:
                continue
            seen.add(key)
            text = _read(os.path.join(info, "entry_points.txt"))
            if text is None or not any(marker in text for marker in markers):
                continue
            triples = _group_entries(text, groups)
            if triples:
                dist_name, version = meta or _name_and_version(info)
                # grouped as importlib.metadata lists them: one group after the other, for each distribution
                found += (
                    _EntryPoint(name, value, in_group, dist_name, version)
                    for one_group in groups
                    for name, value, in_group in triples
                    if in_group == one_group
                )
    return found


def _metadata_entry_points(groups: tuple[str, ...]) -> list[_EntryPoint]:
    """The entry points of ``groups`` as ``importlib.metadata`` finds them."""
    from importlib.metadata import entry_points

    found = []
    for group in groups:
        for ep in entry_points(group=group):
            name, version = (ep.dist.name, ep.dist.version) if ep.dist is not None else (None, None)
            found.append(_EntryPoint(ep.name, ep.value, ep.group, name, version))
    return found


def _lean_scan_applies() -> bool:
    """Whether distributions are found by the standard path finder alone (no finder of a plugin's own)."""
    from importlib.machinery import PathFinder

    return all(finder is PathFinder or getattr(finder, "find_distributions", None) is None for finder in sys.meta_path)


def find_entry_points(group: str | tuple[str, ...]) -> list[_EntryPoint]:
    """The installed entry points of ``group``, as ``importlib.metadata.entry_points(group=group)`` lists them.

    Given several groups, the entry points of all of them (each carrying its ``group``), found in one pass
    over ``sys.path``; their order within one group is that of ``importlib.metadata``.
    """
    groups = (group,) if isinstance(group, str) else group
    found = _scan_entry_points(groups, sys.path) if _lean_scan_applies() else None
    return _metadata_entry_points(groups) if found is None else found
