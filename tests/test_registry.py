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
