"""Plugins: discovery, isolation, precedence and look-ups."""

from __future__ import annotations

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
