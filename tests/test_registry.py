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


def _as_importlib_finds(group: str) -> list[tuple[str, str, str, str | None, str | None]]:
    from importlib.metadata import entry_points

    return [
        (ep.name, ep.value, ep.group, ep.dist.name if ep.dist else None, ep.dist.version if ep.dist else None)
        for ep in entry_points(group=group)
    ]


def _as_scan_finds(group: str) -> list[tuple[str, str, str, str | None, str | None]]:
    import sys

    from timeline.registry import _scan_entry_points

    found = _scan_entry_points(group, sys.path)
    assert found is not None, "the lean scan gave up on this sys.path"
    return [tuple(ep) for ep in found]


@pytest.mark.parametrize("group", ["timeline", "console_scripts", "pytest11"])
def test_the_lean_scan_finds_what_importlib_metadata_finds(group):
    assert _as_scan_finds(group) == _as_importlib_finds(group)


def _dist(folder, child: str, *, metadata: str | None = None, entry_points: str | None = None, meta_file="METADATA"):
    info = folder / child
    info.mkdir(parents=True)
    if metadata is not None:
        (info / meta_file).write_text(metadata, encoding="utf-8")
    if entry_points is not None:
        (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")


def _simple(folder, child: str, name: str, version: str, entry_point: str) -> None:
    _dist(folder, child, metadata=f"Name: {name}\nVersion: {version}\n", entry_points=f"[timeline]\n{entry_point}\n")


def test_the_lean_scan_agrees_with_importlib_metadata_on_odd_installations(tmp_path, monkeypatch):
    import sys

    first, second, here = tmp_path / "first", tmp_path / "second", tmp_path / "here"
    eps = "[timeline]\n{name} = {module}\n"
    _dist(
        first,
        "Alpha_Pkg-1.0.dist-info",
        metadata="Metadata-Version: 2.1\nName: Alpha.Pkg\nVersion: 1.0\nSummary: a: b\n\nName: not-this\n",
        entry_points="# comment\n[console_scripts]\nalpha = alpha:main\n\n"
        "[timeline]\n  alpha = alpha_mod:plugin [extra]\nbeta=alpha_mod.sub:obj.attr\n[timeline.other]\nnot = this\n",
    )
    _dist(
        first,
        "beta-2.0.egg-info",
        metadata="Metadata-Version: 1.1\nName: beta\nVersion: 2.0\n",
        entry_points=eps.format(name="b", module="beta"),
        meta_file="PKG-INFO",
    )
    _simple(first, "gamma.dist-info", "Gamma", "0.1", "g = g")
    # The extension in capitals: importlib.metadata then goes by the metadata's Name ("epsilon").
    _simple(first, "Delta-1.0.DIST-INFO", "epsilon", "5", "d = d")
    _dist(first, "noentries-1.0.dist-info", metadata="Name: noentries\nVersion: 1.0\n")
    _dist(first, "nometa-1.0.dist-info", entry_points="[console_scripts]\nx = y\n")
    _dist(first, "not-a-distribution", entry_points=eps.format(name="no", module="no"))
    (first / "old-1.0.egg-info").write_text("Metadata-Version: 1.0\nName: old\nVersion: 1.0\n", encoding="utf-8")
    # Hidden by the first distribution of the same normalised name, whatever the case, dots and dashes:
    _simple(second, "alpha.pkg-2.0.dist-info", "alpha.pkg", "2.0", "a2 = a2")
    _simple(second, "BETA-3.0.dist-info", "BETA", "3.0", "b3 = b3")
    _simple(second, "old-2.0.dist-info", "old", "2.0", "o2 = o2")
    _simple(second, "epsilon-9.dist-info", "epsilon", "9", "e9 = e9")
    # ...but not a distribution of another name:
    _simple(second, "zeta-1.0.dist-info", "Zeta", "1.0", "z = z")
    # The current directory, as "" on sys.path:
    _simple(here, "eta_x-1.0.dist-info", "eta-x", "1.0", "h = h")
    monkeypatch.chdir(here)
    monkeypatch.setattr(sys, "path", [str(first), str(tmp_path / "missing"), "", str(second)])
    for group in ("timeline", "console_scripts", "timeline.other"):
        assert _as_scan_finds(group) == _as_importlib_finds(group), group
    names = {(name, dist) for name, _, _, dist, _ in _as_scan_finds("timeline")}
    assert names == {
        ("alpha", "Alpha.Pkg"),
        ("beta", "Alpha.Pkg"),
        ("b", "beta"),
        ("g", "Gamma"),
        ("d", "epsilon"),
        ("z", "Zeta"),
        ("h", "eta-x"),
    }


def test_the_lean_scan_loads_entry_points_like_importlib_metadata():
    from importlib.metadata import EntryPoint

    from timeline.registry import _EntryPoint

    for value in ("timeline.registry", "timeline.registry:Registry", "timeline.registry : Registry.register  [x]"):
        ours = _EntryPoint("x", value, "timeline", None, None).load()
        assert ours is EntryPoint(name="x", value=value, group="timeline").load()


def test_the_lean_scan_leaves_what_it_cannot_read_to_importlib_metadata(tmp_path, monkeypatch):
    import sys
    import zipfile

    from timeline.registry import _scan_entry_points, find_entry_points

    zipped = tmp_path / "plugins.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("zipped-1.0.dist-info/METADATA", "Name: zipped\nVersion: 1.0\n")
        archive.writestr("zipped-1.0.dist-info/entry_points.txt", "[timeline]\nzipped = zipped\n")
    assert _scan_entry_points("timeline", [str(zipped)]) is None
    monkeypatch.setattr(sys, "path", [*sys.path, str(zipped)])
    assert ("zipped", "zipped") in {(ep.name, ep.dist_name) for ep in find_entry_points("timeline")}

    class FindsItsOwn:
        @staticmethod
        def find_distributions(context=None):
            return iter(())

    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, FindsItsOwn])
    assert not timeline.registry._lean_scan_applies()
    assert {ep.name for ep in find_entry_points("timeline")} >= {"json", "markdown"}
