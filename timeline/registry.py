"""Finding plugins, isolating their failures, and looking formats up.

Built-in formats and third-party ones arrive the same way, through the
``timeline`` entry-point group; the only privilege a built-in has is that a
third party cannot silently take its format name.  A plugin that fails to
import, or whose hook raises, is recorded and reported once; everything else
keeps working.  Set ``TIMELINE_PLUGINS=a,b`` to load only those third-party
plugins (by entry-point or distribution name), or to nothing for built-ins
only.

Two plugins offering the same format name are resolved the same way on every
machine, whatever ``tryfirst``/``trylast`` marks their hooks carry: a built-in
keeps its name; then entry-point plugins in (distribution, entry-point name)
order; then plugins registered in code, in registration order.  A
:class:`PluginWarning` names both.

A plugin may declare the plugin API it was written for with a module (or
object) attribute ``TIMELINE_PLUGIN_API = "1.0"``; one needing a newer or
different major API is reported and skipped like a broken plugin.
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from collections.abc import Callable, Iterable, Mapping
from pathlib import PurePath
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import attrs

from .errors import PluginDeprecationWarning, PluginError, PluginWarning, UnknownFormatError
from .pluginapi import api_problem
from .suggest import did_you_mean

if TYPE_CHECKING:  # pragma: no cover
    from .protocols import Exporter, Reader

_Format = TypeVar("_Format", "Exporter", "Reader")

__all__ = [
    "BUILTIN_DISTRIBUTION",
    "PluginDeprecationWarning",
    "PluginInfo",
    "PluginWarning",
    "Registry",
    "default_registry",
]

#: The distribution whose entry points count as built-in.
BUILTIN_DISTRIBUTION = "timeline-events"


@attrs.define
class PluginInfo:
    """What ``timeline plugins`` reports about one plugin."""

    name: str
    package: str | None
    version: str | None
    builtin: bool
    hooks: list[str] = attrs.field(factory=list)
    exporters: list[str] = attrs.field(factory=list)
    readers: list[str] = attrs.field(factory=list)
    error: str | None = None
    #: The ``TIMELINE_PLUGIN_API`` the plugin declares, if any.
    api: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


def _normalise(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _describe_error(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


# --- finding entry points without importlib.metadata -------------------------
#
# ``importlib.metadata`` (and the ``email`` package it parses metadata with)
# costs more to import than the rest of ``timeline export`` put together, so
# the registry reads ``entry_points.txt`` itself, with the semantics of
# ``importlib.metadata.entry_points(group=...)``: the ``*.dist-info`` and
# ``*.egg-info`` folders of each ``sys.path`` entry, in path order, the first
# distribution of a given normalised name hiding later ones.  Anything this
# scan does not handle (zipped path entries, ``.egg`` folders, a meta-path
# finder of its own that finds distributions) falls back to
# ``importlib.metadata``; ``tests/test_registry.py`` checks the two agree.

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
        import importlib

        found = re.match(_ENTRY_POINT_VALUE, self.value)
        if found is None:
            raise ValueError(f"malformed entry point value {self.value!r}")
        target: Any = importlib.import_module(found.group("module"))
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


def _group_entries(text: str, group: str) -> list[tuple[str, str]]:
    """The (name, value) pairs of ``[group]`` in an ``entry_points.txt``."""
    pairs = []
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
        elif section == group:
            name, equals, value = line.partition("=")
            if equals:
                pairs.append((name.strip(), value.strip()))
    return pairs


def _scan_entry_points(group: str, path: Iterable[object]) -> list[_EntryPoint] | None:
    """The entry points of ``group`` found on ``path``, or ``None`` where only ``importlib.metadata`` can tell."""
    seen: set[str] = set()
    found: list[_EntryPoint] = []
    marker = f"[{group}]"
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
            if text is None or marker not in text:
                continue
            pairs = _group_entries(text, group)
            if pairs:
                dist_name, version = meta or _name_and_version(info)
                found += (_EntryPoint(name, value, group, dist_name, version) for name, value in pairs)
    return found


def _metadata_entry_points(group: str) -> list[_EntryPoint]:
    """The entry points of ``group`` as ``importlib.metadata`` finds them."""
    from importlib.metadata import entry_points

    found = []
    for ep in entry_points(group=group):
        name, version = (ep.dist.name, ep.dist.version) if ep.dist is not None else (None, None)
        found.append(_EntryPoint(ep.name, ep.value, ep.group, name, version))
    return found


def _lean_scan_applies() -> bool:
    """Whether distributions are found by the standard path finder alone (no finder of a plugin's own)."""
    from importlib.machinery import PathFinder

    return all(finder is PathFinder or getattr(finder, "find_distributions", None) is None for finder in sys.meta_path)


def find_entry_points(group: str) -> list[_EntryPoint]:
    """The installed entry points of ``group``, as ``importlib.metadata.entry_points(group=group)`` lists them."""
    found = _scan_entry_points(group, sys.path) if _lean_scan_applies() else None
    return _metadata_entry_points(group) if found is None else found


class Registry:
    """The plugins of one run and the formats they provide.

    Nothing is imported until a format is asked for, so creating a registry
    is free.  ``Registry(entry_points=False)`` starts empty, for tests and
    embedding: add plugins with :meth:`register`.
    """

    def __init__(
        self,
        *,
        entry_points: bool = True,
        only: Iterable[str] | None = None,
        environ: Mapping[str, str] | None = None,
        hookspecs: Iterable[ModuleType | type] = (),
    ) -> None:
        """``hookspecs`` adds hook specifications to the built-in ones (an
        embedding application's own hooks, or a test of deprecations)."""
        env = os.environ if environ is None else environ
        if only is None and "TIMELINE_PLUGINS" in env:
            only = [p.strip() for p in env["TIMELINE_PLUGINS"].split(",") if p.strip()]
        self._only = None if only is None else {_normalise(n) for n in only}
        self._use_entry_points = entry_points
        self._manager: Any = None
        self._infos: dict[str, PluginInfo] = {}
        self._rank: dict[str, tuple[int, int]] = {}  # plugin key -> precedence, smaller wins
        self._extra_specs = tuple(hookspecs)
        self._pending: list[tuple[object, PluginInfo]] = []
        self._exporters: dict[str, Exporter] | None = None
        self._readers: dict[str, Reader] | None = None

    # -- plugins ---------------------------------------------------------
    def register(self, plugin: object, *, name: str | None = None, package: str | None = None) -> None:
        """Add a plugin object (a module or an instance with hook implementations)."""
        label = name or getattr(plugin, "__name__", None) or type(plugin).__name__
        info = PluginInfo(name=label, package=package, version=None, builtin=False)
        if self._manager is None:
            self._pending.append((plugin, info))
        else:
            self._add(plugin, info, strict=True)
        self._exporters = self._readers = None

    def _pm(self) -> Any:
        if self._manager is None:
            import pluggy

            from . import hookspecs

            manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
            manager.add_hookspecs(hookspecs)
            for specs in self._extra_specs:
                manager.add_hookspecs(specs)
            self._manager = manager
            if self._use_entry_points:
                self._load_entry_points()
        while self._pending:
            plugin, info = self._pending.pop(0)
            self._add(plugin, info, strict=True)
        return self._manager

    def _load_entry_points(self) -> None:
        from .hookspecs import PROJECT_NAME

        found = sorted(find_entry_points(PROJECT_NAME), key=lambda ep: (ep.dist_name or "", ep.name))
        for ep in found:
            package = ep.dist_name
            builtin = package is not None and _normalise(package) == BUILTIN_DISTRIBUTION
            if not builtin and not self._selected(ep.name, package):
                continue
            info = PluginInfo(name=ep.name, package=package, version=ep.dist_version, builtin=builtin)
            try:
                plugin = ep.load()
            except Exception as exc:  # isolate: one broken plugin must not stop the rest
                self._fail(info, f"could not be imported: {_describe_error(exc)}")
                continue
            self._add(plugin, info)

    def _selected(self, name: str, package: str | None) -> bool:
        """Whether ``TIMELINE_PLUGINS`` (or ``only=``) lets a third-party plugin load."""
        if self._only is None:
            return True
        return _normalise(name) in self._only or (package is not None and _normalise(package) in self._only)

    def _add(self, plugin: object, info: PluginInfo, *, strict: bool = False) -> None:
        key = f"{info.package or ''}:{info.name}"
        while key in self._infos:
            key += "'"
        declared = getattr(plugin, "TIMELINE_PLUGIN_API", None)
        info.api = declared if isinstance(declared, str) else None if declared is None else repr(declared)
        problem = api_problem(declared)
        if problem is not None:
            if strict:
                raise PluginError(f"plugin {info.name!r} {problem}")
            self._fail(info, problem)
            self._infos[key] = info
            return
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                self._manager.register(plugin, name=key)
                self._manager.check_pending()
        except Exception as exc:
            if self._manager.has_plugin(key):
                self._manager.unregister(name=key)
            reason = f"is not a valid plugin: {_describe_error(exc)}"
            if strict:  # registered by the caller's own code: tell them at once
                raise PluginError(f"plugin {info.name!r} {reason}") from exc
            self._fail(info, reason)
            self._infos[key] = info
            return
        info.hooks = sorted(caller.name for caller in self._manager.get_hookcallers(plugin) or ())
        self._infos[key] = info
        # Built-ins first, then entry points (loaded in a sorted order), then plugins registered in code.
        self._rank[key] = (0 if info.builtin else 2 if strict else 1, len(self._rank))
        self._reemit(caught, info)

    def _reemit(self, caught: Iterable[warnings.WarningMessage], info: PluginInfo) -> None:
        """Repeat warnings raised while registering, deprecations naming the plugin that caused them."""
        for record in caught:
            if issubclass(record.category, PluginDeprecationWarning):
                warnings.warn(
                    PluginDeprecationWarning(f"{self._origin(info)} {record.message}"), stacklevel=4
                )
            else:
                warnings.warn_explicit(record.message, record.category, record.filename, record.lineno)

    def _fail(self, info: PluginInfo, reason: str) -> None:
        origin = f" (package {info.package})" if info.package else ""
        info.error = reason
        self._infos.setdefault(f"{info.package or ''}:{info.name}", info)
        warnings.warn(f"plugin {info.name!r}{origin} {reason}; skipped", PluginWarning, stacklevel=3)

    def plugins(self) -> list[PluginInfo]:
        """Every plugin seen, loaded or not, with what it provides."""
        self.exporters()
        self.readers()
        return sorted(self._infos.values(), key=lambda i: (not i.builtin, i.package or "", i.name))

    # -- formats ---------------------------------------------------------
    def _collect(self, hook_name: str, kind: str, record: Callable[[PluginInfo], list[str]]) -> dict[str, Any]:
        pm = self._pm()
        hook = getattr(pm.hook, hook_name)
        table: dict[str, tuple[Any, PluginInfo]] = {}
        # pluggy orders implementations by tryfirst/trylast marks; precedence must not depend on them.
        impls = sorted(hook.get_hookimpls(), key=lambda impl: self._rank[impl.plugin_name])
        for impl in impls:
            info = self._infos[impl.plugin_name]
            try:
                provided = list(impl.function() or ())
            except Exception as exc:
                self._fail(info, f"raised in {hook_name}(): {_describe_error(exc)}")
                continue
            for item in provided:
                name = getattr(item, "name", None)
                if not isinstance(name, str) or not name:
                    self._fail(info, f"returned a {kind} without a name from {hook_name}()")
                    continue
                if name in table:
                    keeper, loser = table[name], (item, info)
                    warnings.warn(
                        f"{kind} {name!r} is provided by both {self._origin(keeper[1])} and "
                        f"{self._origin(loser[1])}; using the one from {self._origin(keeper[1])}",
                        PluginWarning,
                        stacklevel=3,
                    )
                else:
                    table[name] = (item, info)
        for item, info in table.values():
            record(info).append(item.name)
        return {name: pair[0] for name, pair in sorted(table.items())}

    @staticmethod
    def _origin(info: PluginInfo) -> str:
        return f"plugin {info.name!r}" + (f" (package {info.package})" if info.package else "")

    def exporters(self) -> dict[str, Exporter]:
        """Exporters by format name, in name order."""
        if self._exporters is None:
            self._exporters = self._collect("timeline_exporters", "format", lambda i: i.exporters)
        return self._exporters

    def readers(self) -> dict[str, Reader]:
        """Readers by name, in name order."""
        if self._readers is None:
            self._readers = self._collect("timeline_readers", "reader", lambda i: i.readers)
        return self._readers

    def exporter(self, name: str) -> Exporter:
        """The exporter called ``name``; a helpful error if there is none."""
        return self._by_name(self.exporters(), name, "format")

    def exporter_for_path(self, path: str | os.PathLike[str]) -> Exporter:
        """The exporter claiming ``path``'s extension (``story.md`` -> markdown)."""
        return self._by_extension(self.exporters().values(), path, "format", "--format")

    def reader(self, name: str) -> Reader:
        """The reader called ``name``; a helpful error if there is none."""
        return self._by_name(self.readers(), name, "input format")

    @staticmethod
    def _by_name(table: dict[str, _Format], name: str, kind: str) -> _Format:
        try:
            return table[name]
        except KeyError:
            known = ", ".join(table) or "none installed"
            raise UnknownFormatError(f"unknown {kind} {name!r}{_suggestion(name, table)}; available: {known}") from None

    def reader_for_path(self, path: str | os.PathLike[str]) -> Reader:
        """The reader claiming ``path``'s extension (``x.yaml`` -> yaml)."""
        return self._by_extension(self.readers().values(), path, "input format", "--input-format")

    def reader_extensions(self) -> set[str]:
        return {ext.lower() for reader in self.readers().values() for ext in reader.extensions}

    @staticmethod
    def _by_extension(items: Iterable[_Format], path: str | os.PathLike[str], kind: str, flag: str) -> _Format:
        suffixes = [s.lower() for s in PurePath(path).suffixes]
        # Longest match first, so ".tar.gz"-style extensions can beat ".gz".
        candidates = ["".join(suffixes[i:]) for i in range(len(suffixes))]
        for suffix in candidates:
            for item in items:
                if suffix in (e.lower() for e in item.extensions):
                    return item
        shown = "".join(suffixes) or "no extension"
        raise UnknownFormatError(
            f"cannot tell the {kind} of {os.fspath(path)!r} from its extension ({shown}); name it with {flag}"
        )


def _suggestion(name: str, table: Mapping[str, Any]) -> str:
    """What an unknown format name probably meant: a format declaring it as an alias, one claiming
    it as an extension (``csv`` -> the reader of ``.csv`` files), or the closest name."""
    wanted = name.strip().lower()
    for found, item in table.items():
        aliases = getattr(item, "aliases", None) or ()
        if not isinstance(aliases, str) and wanted in (str(alias).lower() for alias in aliases):
            return f" (did you mean {found!r}?)"
    extension = wanted if wanted.startswith(".") else f".{wanted}"
    claiming = [
        found for found, item in table.items()
        if extension in (str(ext).lower() for ext in getattr(item, "extensions", ()) or ())
    ]
    if claiming:
        shown = " or ".join(repr(found) for found in claiming)
        return f" (did you mean {shown}, for {extension} files?)"
    return did_you_mean(name, table)


_default: Registry | None = None


def default_registry() -> Registry:
    """The process-wide registry the CLI and the top-level functions use."""
    global _default
    if _default is None:
        _default = Registry()
    return _default
