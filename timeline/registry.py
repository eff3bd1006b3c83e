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

A plugin may declare the formats it provides, with their extensions, in the
``timeline.formats`` entry-point group (plugin API 1.1)::

    [project.entry-points."timeline.formats"]
    "exporter.markdown.md" = "timeline.plugins.markdown"   # KIND.FORMAT[.EXTENSION] = the plugin's value
    "reader.timelinejs" = "timeline.plugins.timelinejs_readers"

Such a plugin is imported only when one of its formats is looked up (by
name or by extension) or everything is listed; the others are imported on
the first look-up, as before.  Precedence is decided from what is declared
and what imported plugins provide together, so the winner of a name or an
extension is the one importing every plugin would choose.  The built-ins
declare their formats this way too.

A plugin may declare the plugin API it was written for with a module (or
object) attribute ``TIMELINE_PLUGIN_API = "1.0"``; one needing a newer or
different major API is reported and skipped like a broken plugin.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterable, Mapping
from pathlib import PurePath
from types import FunctionType, MethodType, ModuleType
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
    "FORMATS_GROUP",
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


#: The entry-point group in which a plugin may declare the formats it provides (plugin API 1.1).
FORMATS_GROUP = "timeline.formats"

#: kind -> (its hook, the word messages use for it)
_KINDS = {"exporter": ("timeline_exporters", "format"), "reader": ("timeline_readers", "reader")}

_Declared = dict[str, dict[str, frozenset[str]]]  # kind -> format name -> extensions (lowercase, with the dot)


def _declaration(name: str) -> tuple[str, str, str | None] | None:
    """``exporter.markdown.md`` -> ``("exporter", "markdown", ".md")``; ``reader.timelinejs`` -> no extension;
    ``None`` for a name this version cannot read (the plugin is then imported on every run, as an undeclared one)."""
    kind, dot, rest = name.partition(".")
    if kind not in _KINDS or not dot:
        return None
    fmt, dot, extension = rest.partition(".")
    if not fmt or (dot and not extension):
        return None
    return kind, fmt, f".{extension.lower()}" if dot else None


def _value_key(value: str) -> str:
    return "".join(value.split())


def _declarations(entries: Iterable[Any]) -> dict[tuple[str, str], _Declared | None]:
    """What each ``(distribution, entry-point value)`` declares in :data:`FORMATS_GROUP`; ``None`` where any
    of its entries cannot be read."""
    found: dict[tuple[str, str], _Declared | None] = {}
    for ep in entries:
        key = (_normalise(ep.dist_name or ""), _value_key(ep.value))
        parsed = _declaration(ep.name)
        if key in found and found[key] is None:
            continue
        if parsed is None:
            found[key] = None
            continue
        kind, fmt, extension = parsed
        declared = found.setdefault(key, {"exporter": {}, "reader": {}})
        assert declared is not None
        extensions = declared[kind].get(fmt, frozenset())
        declared[kind][fmt] = extensions | {extension} if extension else extensions
    return found


def _extensions(item: Any) -> frozenset[str]:
    return frozenset(str(ext).lower() for ext in getattr(item, "extensions", ()) or ())


def _shown(table: Mapping[str, frozenset[str]]) -> str:
    return ", ".join(f"{name} ({' '.join(sorted(exts))})" if exts else name for name, exts in sorted(table.items()))


class _Plugin:
    """One plugin of the run, imported or not yet (not attrs: see ``_entrypoints._EntryPoint``)."""

    __slots__ = ("declared", "entry", "info", "key", "provided", "rank", "state")

    def __init__(self, key: str, info: PluginInfo, rank: tuple[int, int], entry: Any, declared: _Declared | None):
        self.key = key
        self.info = info
        self.rank = rank  # precedence on name clashes: smaller wins
        self.entry = entry  # the entry point, or None for a plugin registered in code
        self.declared = declared  # its formats, from FORMATS_GROUP, or None: imported on every run
        self.state = "new"  # "new" (not imported yet), "loaded" or "failed"
        self.provided: dict[str, list[Any]] = {}  # kind -> what its hook returned (called once)


class Registry:
    """The plugins of one run and the formats they provide.

    Nothing is imported until a format is asked for, so creating a registry
    is free.  A plugin that declares its formats (the ``timeline.formats``
    entry-point group) is imported only when one of them is needed: looking
    up ``markdown`` imports the plugin declaring it and no other.  Listing
    every format (:meth:`exporters`, :meth:`readers`, :meth:`plugins`), or a
    name nothing declares, imports them all.  ``Registry(entry_points=False)``
    starts empty, for tests and embedding: add plugins with :meth:`register`.
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
        self._plugins: dict[str, _Plugin] = {}  # by key, in the order they were found
        self._extra_specs = tuple(hookspecs)
        self._pending: list[tuple[object, PluginInfo]] = []
        self._tables: dict[str, dict[str, Any]] = {}  # kind -> every format of that kind, once all are loaded
        self._warned: set[str] = set()  # clash warnings already given

    # -- plugins ---------------------------------------------------------
    def register(self, plugin: object, *, name: str | None = None, package: str | None = None) -> None:
        """Add a plugin object (a module or an instance with hook implementations)."""
        label = name or getattr(plugin, "__name__", None) or type(plugin).__name__
        info = PluginInfo(name=label, package=package, version=None, builtin=False)
        if self._manager is None:
            self._pending.append((plugin, info))
        else:
            self._add(plugin, info, strict=True)
        self._tables.clear()

    def _pm(self) -> Any:
        if self._manager is None:
            import pluggy

            from . import hookspecs

            manager = _manager_class(pluggy)(hookspecs.PROJECT_NAME)
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
        """Record every entry-point plugin, and import those that do not declare their formats."""
        from .hookspecs import PROJECT_NAME

        found = find_entry_points((PROJECT_NAME, FORMATS_GROUP))
        declarations = _declarations(ep for ep in found if ep.group == FORMATS_GROUP)
        plugins = sorted((ep for ep in found if ep.group == PROJECT_NAME), key=lambda ep: (ep.dist_name or "", ep.name))
        records = []
        for ep in plugins:
            package = ep.dist_name
            builtin = package is not None and _normalise(package) == BUILTIN_DISTRIBUTION
            if not builtin and not self._selected(ep.name, package):
                continue
            info = PluginInfo(name=ep.name, package=package, version=ep.dist_version, builtin=builtin)
            declared = declarations.get((_normalise(package or ""), _value_key(ep.value)))
            records.append(self._record(info, (0 if builtin else 1, len(self._plugins)), ep, declared))
        for record in records:
            if record.declared is None:
                self._import(record)

    def _record(self, info: PluginInfo, rank: tuple[int, int], entry: Any = None, declared: Any = None) -> _Plugin:
        key = f"{info.package or ''}:{info.name}"
        while key in self._plugins:
            key += "'"
        record = self._plugins[key] = _Plugin(key, info, rank, entry, declared)
        return record

    def _import(self, record: _Plugin) -> None:
        """Import an entry-point plugin not imported yet, and register it."""
        if record.state != "new":
            return
        record.state = "failed"
        try:
            plugin = record.entry.load()
        except Exception as exc:  # isolate: one broken plugin must not stop the rest
            self._fail(record.info, f"could not be imported: {describe_exception(exc)}")
            return
        self._add(plugin, record.info, record=record)

    def _selected(self, name: str, package: str | None) -> bool:
        """Whether ``TIMELINE_PLUGINS`` (or ``only=``) lets a third-party plugin load."""
        if self._only is None:
            return True
        return _normalise(name) in self._only or (package is not None and _normalise(package) in self._only)

    def _add(self, plugin: object, info: PluginInfo, *, strict: bool = False, record: _Plugin | None = None) -> None:
        if record is None:  # registered in code (strict), after every entry-point plugin
            record = self._record(info, (2 if strict else 1, len(self._plugins)))
        key = record.key
        record.state = "failed"
        declared = getattr(plugin, "TIMELINE_PLUGIN_API", None)
        info.api = declared if isinstance(declared, str) else None if declared is None else repr(declared)
        problem = api_problem(declared)
        if problem is not None:
            if strict:
                del self._plugins[key]
                raise PluginError(f"plugin {info.name!r} {problem}")
            self._fail(info, problem)
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
                del self._plugins[key]
                raise PluginError(f"plugin {info.name!r} {reason}") from exc
            self._fail(info, reason)
            return
        info.hooks = sorted(caller.name for caller in self._manager.get_hookcallers(plugin) or ())
        record.state = "loaded"
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
        warnings.warn(f"{info.describe()} {reason}; skipped", PluginWarning, stacklevel=3)

    def plugins(self) -> list[PluginInfo]:
        """Every plugin seen, loaded or not, with what it provides."""
        self.exporters()
        self.readers()
        infos = [record.info for record in self._plugins.values()]
        return sorted(infos, key=lambda i: (not i.builtin, i.package or "", i.name))

    # -- formats ---------------------------------------------------------
    def _provided(self, record: _Plugin, kind: str) -> list[Any]:
        """What ``record``'s hook for ``kind`` returns (called once), checked against its declaration."""
        if kind in record.provided:
            return record.provided[kind]
        items: list[Any] = []
        record.provided[kind] = items
        if record.state != "loaded":
            return items
        hook_name, word = _KINDS[kind]
        for impl in getattr(self._manager.hook, hook_name).get_hookimpls():
            if impl.plugin_name != record.key:
                continue
            try:
                provided = list(impl.function() or ())
            except Exception as exc:
                self._fail(record.info, f"raised in {hook_name}(): {describe_exception(exc)}")
                continue
            for item in provided:
                name = getattr(item, "name", None)
                if not isinstance(name, str) or not name:
                    self._fail(record.info, f"returned a {word} without a name from {hook_name}()")
                    continue
                items.append(item)
        if record.declared is not None:
            declared = record.declared[kind]
            actual: dict[str, frozenset[str]] = {}
            for item in items:
                actual[item.name] = actual.get(item.name, frozenset()) | _extensions(item)
            if actual != declared:
                warnings.warn(
                    f"{record.info.describe()} declares the {kind}s {_shown(declared) or '(none)'} in its "
                    f"{FORMATS_GROUP!r} entry points, but provides {_shown(actual) or 'none'}; "
                    "the plugin should correct its declaration",
                    PluginWarning,
                    stacklevel=4,
                )
        return items

    def _offers(self, kind: str) -> list[tuple[_Plugin, str, frozenset[str], Any]]:
        """Every (plugin, format name, extensions, format object or ``None`` if not imported yet) of ``kind``,
        in precedence order: what imported plugins provide, and what the others declare."""
        self._pm()
        offers: list[tuple[_Plugin, str, frozenset[str], Any]] = []
        for record in sorted(self._plugins.values(), key=lambda r: r.rank):
            if record.state == "failed":
                continue
            if kind in record.provided or record.declared is None:
                offers += ((record, item.name, _extensions(item), item) for item in self._provided(record, kind))
            else:
                offers += ((record, name, exts, None) for name, exts in record.declared[kind].items())
        return offers

    def _winners(self, kind: str) -> dict[str, tuple[_Plugin, frozenset[str], Any]]:
        """The offer that wins each name, in name order, warning (once) about each clash."""
        table: dict[str, tuple[_Plugin, frozenset[str], Any]] = {}
        for record, name, extensions, item in self._offers(kind):
            if name not in table:
                table[name] = (record, extensions, item)
                continue
            keeper, loser = table[name][0].info, record.info
            message = (
                f"{_KINDS[kind][1]} {name!r} is provided by both {keeper.describe()} and {loser.describe()}; "
                f"using the one from {keeper.describe()}"
            )
            if message not in self._warned:
                self._warned.add(message)
                warnings.warn(message, PluginWarning, stacklevel=4)
        return dict(sorted(table.items()))

    def _realise(self, kind: str, pick: Callable[[dict[str, tuple[_Plugin, frozenset[str], Any]]], str | None]) -> Any:
        """The format ``pick`` chooses among the winners, importing only the plugin it comes from.

        If that plugin turns out not to provide it after all (it failed to import, or declared wrongly),
        the choice is made again with what it does provide, as if every plugin had been imported.
        """
        while True:
            winners = self._winners(kind)
            name = pick(winners)
            if name is None:
                return None
            record, _, item = winners[name]
            if item is not None:
                return item
            self._import(record)
            self._provided(record, kind)

    def _table(self, kind: str) -> dict[str, Any]:
        """Every format of ``kind`` by name: imports every plugin."""
        if kind not in self._tables:
            self._pm()
            for record in list(self._plugins.values()):
                self._import(record)
                self._provided(record, kind)
            winners = self._winners(kind)
            for record in self._plugins.values():
                getattr(record.info, f"{kind}s").clear()
            for name, (record, _, _) in winners.items():
                getattr(record.info, f"{kind}s").append(name)
            self._tables[kind] = {name: item for name, (_, _, item) in winners.items()}
        return self._tables[kind]

    def exporters(self) -> dict[str, Exporter]:
        """Exporters by format name, in name order (every plugin is imported)."""
        return self._table("exporter")

    def readers(self) -> dict[str, Reader]:
        """Readers by name, in name order (every plugin is imported)."""
        return self._table("reader")

    def exporter(self, name: str) -> Exporter:
        """The exporter called ``name``; a helpful error if there is none."""
        found = self._realise("exporter", lambda winners: name if name in winners else None)
        return found if found is not None else self._by_name(self.exporters(), name, "format")

    def exporter_for_path(self, path: str | os.PathLike[str]) -> Exporter:
        """The exporter claiming ``path``'s extension (``story.md`` -> markdown)."""
        found = self._realise("exporter", lambda winners: _claiming(winners, path))
        return found if found is not None else self._by_extension(self.exporters().values(), path, "format",
                                                                  "--format")

    def reader(self, name: str) -> Reader:
        """The reader called ``name``; a helpful error if there is none."""
        found = self._realise("reader", lambda winners: name if name in winners else None)
        return found if found is not None else self._by_name(self.readers(), name, "input format")

    @staticmethod
    def _by_name(table: dict[str, _Format], name: str, kind: str) -> _Format:
        try:
            return table[name]
        except KeyError:
            known = ", ".join(table) or "none installed"
            raise UnknownFormatError(f"unknown {kind} {name!r}{_suggestion(name, table)}; available: {known}") from None

    def reader_for_path(self, path: str | os.PathLike[str]) -> Reader:
        """The reader claiming ``path``'s extension (``x.yaml`` -> yaml)."""
        found = self._realise("reader", lambda winners: _claiming(winners, path))
        return found if found is not None else self._by_extension(self.readers().values(), path, "input format",
                                                                  "--input-format")

    def reader_extensions(self) -> set[str]:
        """Every extension a reader claims (declared ones need no import)."""
        return {ext for _, extensions, _ in self._winners("reader").values() for ext in extensions}

    @staticmethod
    def _by_extension(items: Iterable[_Format], path: str | os.PathLike[str], kind: str, flag: str) -> _Format:
        for suffix in _suffixes(path):
            for item in items:
                if suffix in (e.lower() for e in item.extensions):
                    return item
        shown = "".join(s.lower() for s in PurePath(path).suffixes) or "no extension"
        raise UnknownFormatError(
            f"cannot tell the {kind} of {os.fspath(path)!r} from its extension ({shown}); name it with {flag}"
        )


def _suffixes(path: str | os.PathLike[str]) -> list[str]:
    """The extensions ``path`` could be claimed by, longest first, so ".tar.gz"-style ones can beat ".gz"."""
    suffixes = [s.lower() for s in PurePath(path).suffixes]
    return ["".join(suffixes[i:]) for i in range(len(suffixes))]


def _claiming(winners: Mapping[str, tuple[Any, frozenset[str], Any]], path: str | os.PathLike[str]) -> str | None:
    """The name of the first format (in name order) claiming ``path``'s longest claimed extension."""
    for suffix in _suffixes(path):
        for name, (_, extensions, _) in winners.items():
            if suffix in extensions:
                return name
    return None


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


_MANAGER: list[type] = []


def _manager_class(pluggy: ModuleType) -> type:
    """pluggy's ``PluginManager``, quicker to register a plugin module (made once, on first use).

    pluggy looks at every name of a module plugin (classes, constants, imported
    names) with ``inspect.getattr_static``, about 70 look-ups for a built-in
    plugin, which showed in the start-up of every command.  A name bound in a
    plain module's namespace to anything but a function, a bound method, a
    ``staticmethod`` or a ``classmethod`` can be no hook implementation for
    pluggy, so it is skipped at once; every other name is left to pluggy.
    """
    if not _MANAGER:

        class _Manager(pluggy.PluginManager):  # type: ignore[misc, name-defined]
            def parse_hookimpl_opts(self, plugin: object, name: str) -> Any:
                if type(plugin) is ModuleType:
                    value = plugin.__dict__.get(name, _ABSENT)
                    if value is not _ABSENT and not isinstance(value, _HOOKABLE):
                        return None
                return super().parse_hookimpl_opts(plugin, name)

        _MANAGER.append(_Manager)
    return _MANAGER[0]


_ABSENT = object()
_HOOKABLE = (FunctionType, MethodType, staticmethod, classmethod)

_default: Registry | None = None


def default_registry() -> Registry:
    """The process-wide registry the CLI and the top-level functions use."""
    global _default
    if _default is None:
        _default = Registry()
    return _default
