"""The registry's own entry-point scan (``timeline/_entrypoints.py``) against ``importlib.metadata``.

The scan exists for start-up time alone; these tests keep it finding exactly
what ``importlib.metadata.entry_points(group=...)`` finds.
"""

from __future__ import annotations

import pytest

from timeline import _entrypoints


def _as_importlib_finds(group: str) -> list[tuple[str, str, str, str | None, str | None]]:
    from importlib.metadata import entry_points

    return [
        (ep.name, ep.value, ep.group, ep.dist.name if ep.dist else None, ep.dist.version if ep.dist else None)
        for ep in entry_points(group=group)
    ]


def _as_scan_finds(group: str) -> list[tuple[str, str, str, str | None, str | None]]:
    import sys

    from timeline._entrypoints import _scan_entry_points

    found = _scan_entry_points(group, sys.path)
    assert found is not None, "the lean scan gave up on this sys.path"
    return [tuple(ep) for ep in found]


@pytest.mark.parametrize("group", ["timeline", "timeline.formats", "console_scripts", "pytest11"])
def test_the_lean_scan_finds_what_importlib_metadata_finds(group):
    assert _as_scan_finds(group) == _as_importlib_finds(group)


def test_one_scan_of_several_groups_finds_what_scans_of_each_find():
    from timeline._entrypoints import find_entry_points

    both = find_entry_points(("timeline", "timeline.formats"))
    for group in ("timeline", "timeline.formats"):
        assert [ep for ep in both if ep.group == group] == find_entry_points(group)
    assert {ep.group for ep in both} == {"timeline", "timeline.formats"}


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
    both = _entrypoints._scan_entry_points(("timeline", "timeline.other"), sys.path)
    assert both is not None
    assert [tuple(ep) for ep in both if ep.group == "timeline.other"] == _as_importlib_finds("timeline.other")
    assert [tuple(ep) for ep in both if ep.group == "timeline"] == _as_importlib_finds("timeline")
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

    from timeline._entrypoints import _EntryPoint

    for value in ("timeline.registry", "timeline.registry:Registry", "timeline.registry : Registry.register  [x]"):
        ours = _EntryPoint("x", value, "timeline", None, None).load()
        assert ours is EntryPoint(name="x", value=value, group="timeline").load()


def test_the_lean_scan_leaves_what_it_cannot_read_to_importlib_metadata(tmp_path, monkeypatch):
    import sys
    import zipfile

    from timeline._entrypoints import _scan_entry_points, find_entry_points

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
    assert not _entrypoints._lean_scan_applies()
    assert {ep.name for ep in find_entry_points("timeline")} >= {"json", "markdown"}
