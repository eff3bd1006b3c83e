"""Plugins: discovery, isolation, precedence and look-ups."""

from __future__ import annotations

import warnings

import pytest
from plugin_kit import ClashingPlugin, LinesPlugin, RaisingPlugin

import timeline
from timeline import PluginError, PluginWarning, Registry, UnknownFormatError


def test_builtins_arrive_through_entry_points():
    registry = Registry()
    assert {"json", "markdown"} <= set(registry.exporters())
    assert {"json", "yaml", "toml"} <= set(registry.readers())
    infos = {info.name: info for info in registry.plugins()}
    assert infos["markdown"].builtin and infos["markdown"].package == "timeline-events"
    assert infos["markdown"].hooks == ["timeline_exporters"]


def test_lookup_by_name_and_extension_with_did_you_mean():
    registry = Registry()
    assert registry.exporter_for_path("story.MD").name == "markdown"
    assert registry.reader_for_path("a/b.yml").name == "yaml"
    with pytest.raises(UnknownFormatError, match="did you mean 'markdown'"):
        registry.exporter("markdwon")
    with pytest.raises(UnknownFormatError, match="cannot tell the format"):
        registry.exporter_for_path("story.xyz")


def test_registered_plugin_is_used_by_export():
    registry = Registry(entry_points=False)
    registry.register(LinesPlugin())
    tl = timeline.Timeline(id="t", title="T", events=[timeline.Event(id="a", title="A", start=timeline.Date(1))])
    assert timeline.export(tl, "lines", registry=registry, prefix="> ") == b"> a\n"


def test_a_raising_hook_is_isolated_with_a_warning():
    registry = Registry(entry_points=False)
    registry.register(RaisingPlugin(), name="broken")
    registry.register(LinesPlugin(), name="fine")
    with pytest.warns(PluginWarning, match="'broken' raised in timeline_exporters.*the plugin is broken"):
        assert list(registry.exporters()) == ["lines"]
    broken = next(i for i in registry.plugins() if i.name == "broken")
    assert "the plugin is broken" in (broken.error or "")


def test_a_third_party_cannot_take_a_builtin_name():
    registry = Registry()
    registry.register(ClashingPlugin(), name="clash", package="timeline-clash")
    with pytest.warns(PluginWarning, match="'json' is provided by both.*using the one from plugin 'json'"):
        assert registry.exporter("json").description.startswith("The timeline as canonical JSON")


def test_a_misspelt_hook_is_refused_when_registered_in_code():
    class Misspelt:
        @timeline.hookimpl
        def timeline_exporter(self) -> list[object]:
            return []

    registry = Registry(entry_points=False)
    registry.register(Misspelt(), name="typo")
    with pytest.raises(PluginError, match="timeline_exporter"):
        registry.exporters()


def test_timeline_plugins_env_limits_third_party_plugins():
    registry = Registry(environ={"TIMELINE_PLUGINS": ""})
    assert registry._only == set()
    assert "markdown" in registry.exporters()  # built-ins always load


# --- precedence on name clashes -------------------------------------------------


def _exporting(description: str, *, mark: dict[str, bool] | None = None) -> object:
    """A plugin object whose 'lines' exporter says which plugin it came from."""
    from plugin_kit import LinesExporter

    class Plugin:
        @timeline.hookimpl(**(mark or {}))
        def timeline_exporters(self) -> list[object]:
            exporter = LinesExporter()
            exporter.description = description
            return [exporter]

    return Plugin()


@pytest.mark.parametrize(
    "marks",
    [({}, {}), ({"trylast": True}, {}), ({}, {"trylast": True}), ({}, {"tryfirst": True}), ({"tryfirst": True}, {})],
)
def test_clash_precedence_ignores_tryfirst_and_trylast(marks):
    registry = Registry(entry_points=False)
    registry.register(_exporting("first", mark=marks[0]), name="first", package="timeline-a")
    registry.register(_exporting("second", mark=marks[1]), name="second", package="timeline-b")
    with pytest.warns(PluginWarning) as caught:
        assert registry.exporter("lines").description == "first"
    (warning,) = [w for w in caught if "provided by both" in str(w.message)]
    assert str(warning.message) == (
        "format 'lines' is provided by both plugin 'first' (package timeline-a) and plugin 'second' "
        "(package timeline-b); using the one from plugin 'first' (package timeline-a)"
    )
    info = {i.name: i for i in registry.plugins()}
    assert info["first"].exporters == ["lines"] and info["second"].exporters == []


def test_a_trylast_builtin_still_beats_a_tryfirst_third_party():
    class Greedy:
        @timeline.hookimpl(tryfirst=True)
        def timeline_exporters(self) -> list[object]:
            return ClashingPlugin().timeline_exporters()

    registry = Registry()
    registry.register(Greedy(), name="greedy", package="timeline-greedy")
    with pytest.warns(PluginWarning, match="using the one from plugin 'json' \\(package timeline-events\\)"):
        assert registry.exporter("json").description.startswith("The timeline as canonical JSON")


# --- the plugin API version -------------------------------------------------------


def _declaring(api: object) -> object:
    plugin = LinesPlugin()
    plugin.TIMELINE_PLUGIN_API = api  # type: ignore[attr-defined]
    return plugin


@pytest.mark.parametrize("api", ["1.0", timeline.PLUGIN_API_VERSION, " 1.0 "])
def test_a_plugin_declaring_a_compatible_api_loads(api):
    registry = Registry(entry_points=False)
    registry.register(_declaring(api), name="fine")
    assert "lines" in registry.exporters()
    assert registry.plugins()[0].api == api


@pytest.mark.parametrize(
    ("api", "message"),
    [
        ("1.99", "needs plugin API 1.99, but timeline .* provides plugin API 1.1; upgrade timeline-events"),
        ("2.0", "needs plugin API 2.0, but .*; upgrade timeline-events"),
        ("0.9", "needs plugin API 0.9, .*install a release of the plugin made for this plugin API"),
        ("one", "invalid TIMELINE_PLUGIN_API: plugin API version must be written MAJOR.MINOR"),
        (1.0, "declares TIMELINE_PLUGIN_API = 1.0, which is not a string"),
    ],
)
def test_an_incompatible_plugin_is_reported_like_a_broken_one(api, message):
    registry = Registry(entry_points=False)
    registry._pm()  # plugins registered after loading are checked at once
    with pytest.raises(PluginError, match=message):
        registry.register(_declaring(api), name="future")


def test_an_incompatible_entry_point_plugin_is_skipped_with_a_warning(monkeypatch):
    registry = Registry(entry_points=False)
    info = timeline.registry.PluginInfo(name="future", package="timeline-future", version="9", builtin=False)
    registry._pm()
    with pytest.warns(PluginWarning, match="plugin 'future' \\(package timeline-future\\) needs plugin API 2.0"):
        registry._add(_declaring("2.0"), info)
    (listed,) = registry.plugins()
    assert listed.error is not None and "needs plugin API 2.0" in listed.error
    assert listed.api == "2.0" and registry.exporters() == {}


# --- deprecations -------------------------------------------------------------------


class _DeprecatedSpecs:
    """A hook as it would look in hookspecs.py once deprecated."""

    @timeline.hookspecs.hookspec(
        warn_on_impl=timeline.pluginapi.deprecated_hook(
            "timeline_old_hook", since="1.1", removal="2.0", instead="timeline_exporters"
        )
    )
    def timeline_old_hook(self) -> list[object]:  # type: ignore[empty-body]
        """Deprecated."""


class _UsesTheOldHook:
    @timeline.hookimpl
    def timeline_old_hook(self) -> list[object]:
        return []


def test_implementing_a_deprecated_hook_warns_naming_the_plugin():
    registry = Registry(entry_points=False, hookspecs=[_DeprecatedSpecs])
    registry.register(_UsesTheOldHook(), name="oldie", package="timeline-oldie")
    with pytest.warns(timeline.PluginDeprecationWarning) as caught:
        registry.exporters()
    assert [str(w.message) for w in caught] == [
        "plugin 'oldie' (package timeline-oldie) implements timeline_old_hook, deprecated since plugin API 1.1 "
        "and removed in 2.0: implement timeline_exporters instead"
    ]
    assert issubclass(timeline.PluginDeprecationWarning, PluginWarning)


def test_the_deprecation_warning_is_visible_on_the_command_line():
    import subprocess
    import sys

    code = """
import sys
sys.path.insert(0, "tests")
import timeline, timeline.registry
from test_registry import _DeprecatedSpecs, _UsesTheOldHook
registry = timeline.Registry(hookspecs=[_DeprecatedSpecs])
registry.register(_UsesTheOldHook(), name="oldie", package="timeline-oldie")
timeline.registry._default = registry
from timeline.cli import main
main(["formats"])
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (
        "timeline: warning: plugin 'oldie' (package timeline-oldie) implements timeline_old_hook, "
        "deprecated since plugin API 1.1" in proc.stderr
    )


def test_plugin_api_version_is_public_and_parses():
    from timeline.pluginapi import parse_api_version

    assert "PLUGIN_API_VERSION" in timeline.__all__ and "PluginDeprecationWarning" in timeline.__all__
    assert parse_api_version(timeline.PLUGIN_API_VERSION) >= (1, 0)


# --- the lean entry-point scan ----------------------------------------------------------


# --- loading only the plugins a run needs (issue 13 §5) ---------------------------------


def _imported(registry: Registry) -> set[str]:
    return {record.info.name for record in registry._plugins.values() if record.state != "new"}


def test_the_builtins_declare_exactly_the_formats_they_provide():
    from timeline._entrypoints import find_entry_points
    from timeline.registry import FORMATS_GROUP, _declarations

    declared = _declarations(ep for ep in find_entry_points(FORMATS_GROUP) if ep.dist_name == "timeline-events")
    builtins = [ep for ep in find_entry_points("timeline") if ep.dist_name == "timeline-events"]
    assert len(builtins) == 11
    for ep in builtins:
        module = ep.load()
        table = declared[("timeline-events", ep.value)]
        assert table is not None, ep.name
        for kind, hook in (("exporter", "timeline_exporters"), ("reader", "timeline_readers")):
            items = getattr(module, hook, lambda: [])()
            assert table[kind] == {item.name: frozenset(item.extensions) for item in items}, (ep.name, kind)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a declaration that does not match would warn
        Registry().plugins()


def test_a_lookup_imports_only_the_plugin_declaring_the_format():
    registry = Registry(environ={"TIMELINE_PLUGINS": ""})
    assert registry.exporter("markdown").name == "markdown"
    assert _imported(registry) == {"markdown"}
    assert registry.reader_for_path("a/b.YML").name == "yaml"
    assert registry.exporter_for_path("story.timeline.json").name == "timelinejs"
    assert registry.exporter_for_path("story.json").name == "json"
    assert _imported(registry) == {"markdown", "yaml", "timelinejs", "json"}
    assert ".csv" in registry.reader_extensions() and ".mw" in registry.reader_extensions()
    assert registry.reader("timelinejs").name == "timelinejs"
    assert _imported(registry) == {"markdown", "yaml", "timelinejs", "json", "timelinejs-readers"}


def test_an_unknown_name_imports_everything_for_its_did_you_mean():
    registry = Registry(environ={"TIMELINE_PLUGINS": ""})
    with pytest.raises(UnknownFormatError, match="did you mean 'markdown'"):
        registry.exporter("markdwon")
    assert len(_imported(registry)) == 11
    with pytest.raises(UnknownFormatError, match="cannot tell the input format"):
        Registry(environ={"TIMELINE_PLUGINS": ""}).reader_for_path("notes.xyz")


def _plugin_package(root, dist: str, module: str, source: str, *, formats: str = "", name: str | None = None):
    """An installed distribution ``dist`` whose module ``module`` is its ``timeline`` plugin."""
    import textwrap

    (root / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    info = root / f"{dist.replace('-', '_')}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n", encoding="utf-8")
    entries = f"[timeline]\n{name or module} = {module}\n"
    if formats:
        entries += "[timeline.formats]\n" + "".join(f"{line} = {module}\n" for line in formats.split())
    (info / "entry_points.txt").write_text(entries, encoding="utf-8")


_FORMAT_SOURCE = """
    import timeline

    class Format:
        def __init__(self, name, extensions):
            self.name, self.extensions = name, extensions
            self.media_type, self.description, self.options = "text/plain", "{origin}", ()

        def write(self, story, stream, options):
            stream.write(b"{origin}")

        def read(self, data, source):
            raise NotImplementedError

    @timeline.hookimpl
    def timeline_{hook}():
        return [{formats}]
"""


def _source(origin: str, hook: str, *formats: tuple[str, tuple[str, ...]]) -> str:
    listed = ", ".join(f"Format({name!r}, {extensions!r})" for name, extensions in formats)
    return _FORMAT_SOURCE.format(origin=origin, hook=hook, formats=listed)


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A folder of installed third-party plugins, first on ``sys.path``; their modules forgotten afterwards."""
    import sys

    root = tmp_path / "site"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    before = set(sys.modules)
    yield root
    for name in set(sys.modules) - before:
        if name.startswith("tp_"):
            del sys.modules[name]


def _lookups(registry: Registry) -> dict[str, str]:
    """What each look-up of the scenario below gives: the origin of the format, or the error."""
    results = {}
    for label, lookup in [
        ("json", lambda: registry.exporter("json")),
        ("lines", lambda: registry.exporter("lines")),
        ("a.md", lambda: registry.exporter_for_path("a.md")),
        ("a.x", lambda: registry.reader_for_path("a.x")),
        ("a.y", lambda: registry.reader_for_path("a.y")),
        ("a.z", lambda: registry.reader_for_path("a.z")),
        ("said", lambda: registry.exporter("said")),
        ("done", lambda: registry.exporter("done")),
        ("gone", lambda: registry.exporter("gone")),
    ]:
        try:
            results[label] = lookup().description
        except UnknownFormatError as exc:
            results[label] = f"error: {str(exc).split(';')[0]}"
    results["extensions"] = " ".join(sorted(registry.reader_extensions()))
    return results


def _scenario(site) -> None:
    # Declared, and trying to take the built-in json: never imported for it, and never used.
    _plugin_package(site, "timeline-aa", "tp_aa", _source("aa", "exporters", ("json", ())), formats="exporter.json")
    # Two third parties declaring 'lines': the distribution sorting first wins.
    _plugin_package(site, "timeline-lb", "tp_lb", _source("lb", "exporters", ("lines", (".lines",))),
                    formats="exporter.lines.lines")
    _plugin_package(site, "timeline-la", "tp_la", _source("la", "exporters", ("lines", ())), formats="exporter.lines")
    # Undeclared (imported on every run), claiming .md under a name sorting before 'markdown': it gets .md.
    _plugin_package(site, "timeline-amd", "tp_amd", _source("amd", "exporters", ("amd", (".md",))))
    # 'foo' declared by two: the winner (timeline-fa) claims .y, the loser .x, so nothing reads .x.
    _plugin_package(site, "timeline-fa", "tp_fa", _source("fa", "readers", ("foo", (".y",))), formats="reader.foo.y")
    _plugin_package(site, "timeline-fb", "tp_fb", _source("fb", "readers", ("foo", (".x",)), ("bar", (".z",))),
                    formats="reader.foo.x reader.bar.z")
    # A declaration that does not match what the plugin provides ('done', not 'said').
    _plugin_package(site, "timeline-liar", "tp_liar", _source("liar", "exporters", ("done", ())),
                    formats="exporter.said")
    # A declared plugin that cannot be imported.
    _plugin_package(site, "timeline-gone", "tp_gone", "raise ImportError('gone for good')\n", formats="exporter.gone")


def test_lazy_lookups_choose_what_importing_everything_chooses(site):
    _scenario(site)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lazy = _lookups(Registry())
        eager_registry = Registry()
        eager_registry.plugins()
        eager = _lookups(eager_registry)
    assert lazy == eager
    assert lazy == {
        "json": "The timeline as canonical JSON, lossless: read it back with timeline itself",
        "lines": "la",
        "a.md": "amd",
        "a.x": "error: cannot tell the input format of 'a.x' from its extension (.x)",
        "a.y": "fa",
        "a.z": "fb",
        "said": "error: unknown format 'said'",
        "done": "liar",
        "gone": "error: unknown format 'gone' (did you mean 'done'?)",
        "extensions": ".csv .ical .ics .json .mw .toml .y .yaml .yml .z",
    }
    messages = [str(w.message) for w in caught]
    assert any("'json' is provided by both plugin 'json' (package timeline-events) and plugin 'tp_aa'" in m
               for m in messages)
    assert any("'lines' is provided by both plugin 'tp_la' (package timeline-la) and plugin 'tp_lb'" in m
               for m in messages)
    assert any("plugin 'tp_liar' (package timeline-liar) declares the exporters said in its 'timeline.formats' "
               "entry points, but provides done" in m for m in messages)
    assert any("plugin 'tp_gone' (package timeline-gone) could not be imported: ImportError: gone for good" in m
               for m in messages)


def test_a_declared_plugin_is_imported_only_when_its_format_is_needed(site):
    _scenario(site)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        registry = Registry()
        assert registry.exporter("json").name == "json"  # the clash is known from the declarations alone
        assert _imported(registry) == {"json", "tp_amd"}  # the undeclared plugin is imported on every run
        assert registry.exporter("lines").description == "la"
        assert registry.reader_for_path("a.z").description == "fb"
        assert _imported(registry) == {"json", "tp_amd", "tp_la", "tp_fb"}
    assert [str(w.message) for w in caught if "provided by both" in str(w.message)] == [
        "format 'json' is provided by both plugin 'json' (package timeline-events) and plugin 'tp_aa' "
        "(package timeline-aa); using the one from plugin 'json' (package timeline-events)",
        "format 'lines' is provided by both plugin 'tp_la' (package timeline-la) and plugin 'tp_lb' "
        "(package timeline-lb); using the one from plugin 'tp_la' (package timeline-la)",
        "reader 'foo' is provided by both plugin 'tp_fa' (package timeline-fa) and plugin 'tp_fb' "
        "(package timeline-fb); using the one from plugin 'tp_fa' (package timeline-fa)",
    ]
    assert not any("could not be imported" in str(w.message) for w in caught)  # tp_gone was never needed


def test_timeline_plugins_leaves_out_declared_plugins_too(site):
    _scenario(site)
    registry = Registry(environ={"TIMELINE_PLUGINS": "timeline-lb"})
    assert registry.exporter("lines").description == "lb"
    assert {info.name for info in registry.plugins() if not info.builtin} == {"tp_lb"}


def test_a_declaration_this_version_cannot_read_makes_the_plugin_load_eagerly(site):
    _plugin_package(site, "timeline-future", "tp_future", _source("future", "exporters", ("fut", ())),
                    formats="exporter.fut locale.ko")
    registry = Registry()
    registry.exporter("json")
    assert "tp_future" in _imported(registry)


def test_declaration_names():
    from timeline.registry import _declaration

    assert _declaration("exporter.markdown.md") == ("exporter", "markdown", ".md")
    assert _declaration("exporter.timelinejs.timeline.JSON") == ("exporter", "timelinejs", ".timeline.json")
    assert _declaration("reader.timelinejs") == ("reader", "timelinejs", None)
    for unreadable in ("exporter", "exporter.", "exporter.x.", "locale.ko", "reader..md"):
        assert _declaration(unreadable) is None, unreadable


def _hook_names(manager, plugin) -> dict[str, object]:
    return {name: manager.parse_hookimpl_opts(plugin, name) for name in dir(plugin)}


def test_the_quicker_manager_finds_what_pluggy_finds_in_a_module():
    """The registry skips names of a module plugin that pluggy could not take as hooks; nothing else."""
    import functools
    import importlib
    import types

    import pluggy

    from timeline.registry import _manager_class

    module = types.ModuleType("odd_plugin")
    exec(  # a module written here, with every kind of value a plugin module may hold
        "import functools\n"
        "import timeline\n"
        "@timeline.hookimpl\n"
        "def timeline_exporters():\n    return []\n"
        "@timeline.hookimpl(specname='timeline_readers')\n"
        "def readers_under_another_name():\n    return []\n"
        "class Holder:\n"
        "    @staticmethod\n"
        "    @timeline.hookimpl\n"
        "    def timeline_exporters():\n        return []\n"
        "    @classmethod\n"
        "    @timeline.hookimpl\n"
        "    def timeline_readers(cls):\n        return []\n"
        "timeline_stat = Holder.__dict__['timeline_exporters']\n"
        "timeline_cls = Holder.__dict__['timeline_readers']\n"
        "timeline_bound = Holder.timeline_readers\n"
        "timeline_partial = functools.partial(timeline_exporters)\n"
        "timeline_number = 5\n",
        module.__dict__,
    )
    plain = pluggy.PluginManager("timeline")
    quick = _manager_class(pluggy)("timeline")
    modules = [module, functools, importlib.import_module("timeline.plugins.markdown"),
               importlib.import_module("timeline.plugins.yaml_format")]
    for plugin in modules:
        assert _hook_names(quick, plugin) == _hook_names(plain, plugin), plugin
    assert {name for name, opts in _hook_names(quick, module).items() if opts is not None} == {
        "readers_under_another_name", "timeline_bound", "timeline_cls", "timeline_exporters", "timeline_stat"
    }
    holder = module.Holder()  # not a module: left to pluggy entirely
    assert _hook_names(quick, holder) == _hook_names(plain, holder)


@pytest.mark.parametrize(
    ("formats", "outcome"),
    [
        ("exporter.tp-one.one exporter.tp-one.uno reader.tp-in.in", "passes"),
        ("exporter.tp-one.one reader.tp-in.in", "fails"),  # an extension left out
        ("exporter.tp-one.one exporter.tp-one.uno exporter.tp-two reader.tp-in.in", "fails"),  # not provided
        ("exporter.tp-one.one exporter.tp-one.uno", "fails"),  # a reader left out
        ("", "skips"),  # no declarations: imported on every run, which is allowed
        ("exporter.tp-one.one exporter.tp-one.uno reader.tp-in.in viewer.tp-one", "fails"),  # unreadable entry
    ],
)
def test_the_kit_checks_format_declarations_against_what_the_plugin_provides(site, formats, outcome):
    from timeline.testing._declarations import check_format_declarations

    source = _source("tp", "exporters", ("tp-one", (".one", ".uno"))) + (
        "\n    @timeline.hookimpl\n    def timeline_readers():\n        return [Format('tp-in', ('.in',))]\n"
    )
    _plugin_package(site, "tp-kit", "tp_kit", source, formats=formats)
    caught = {"passes": None, "fails": pytest.fail.Exception, "skips": pytest.skip.Exception}[outcome]
    for kind, name in (("exporter", "tp-one"), ("reader", "tp-in")):
        if caught is None:
            check_format_declarations(kind, name)
            continue
        with pytest.raises(caught) as raised:
            check_format_declarations(kind, name)
        message = str(raised.value)
        assert "plugin 'tp_kit' (package tp-kit)" in message
        # What to write instead, ready to paste:
        entries = ["exporter.tp-one.one", "exporter.tp-one.uno", "reader.tp-in.in"]
        assert "\n".join(f'"{entry}" = "tp_kit"' for entry in entries) in message
