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
import warnings
from collections.abc import Callable, Iterable, Mapping
from pathlib import PurePath
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ._entrypoints import find_entry_points
from .errors import PluginDeprecationWarning, PluginError, PluginWarning, UnknownFormatError, describe_exception
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

    def describe(self) -> str:
        """``plugin 'x' (package y)``: how every message names a plugin."""
        return f"plugin {self.name!r}" + (f" (package {self.package})" if self.package else "")


def _normalise(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


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
                self._fail(info, f"could not be imported: {describe_exception(exc)}")
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
            reason = f"is not a valid plugin: {describe_exception(exc)}"
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
                    PluginDeprecationWarning(f"{info.describe()} {record.message}"), stacklevel=4
                )
            else:
                warnings.warn_explicit(record.message, record.category, record.filename, record.lineno)

    def _fail(self, info: PluginInfo, reason: str) -> None:
        info.error = reason
        self._infos.setdefault(f"{info.package or ''}:{info.name}", info)
        warnings.warn(f"{info.describe()} {reason}; skipped", PluginWarning, stacklevel=3)

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
                self._fail(info, f"raised in {hook_name}(): {describe_exception(exc)}")
                continue
            for item in provided:
                name = getattr(item, "name", None)
                if not isinstance(name, str) or not name:
                    self._fail(info, f"returned a {kind} without a name from {hook_name}()")
                    continue
                if name in table:
                    keeper, loser = table[name], (item, info)
                    warnings.warn(
                        f"{kind} {name!r} is provided by both {keeper[1].describe()} and "
                        f"{loser[1].describe()}; using the one from {keeper[1].describe()}",
                        PluginWarning,
                        stacklevel=3,
                    )
                else:
                    table[name] = (item, info)
        for item, info in table.values():
            record(info).append(item.name)
        return {name: pair[0] for name, pair in sorted(table.items())}

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
