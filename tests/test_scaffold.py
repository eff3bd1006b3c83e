"""``timeline plugins new``: the package it writes is valid, works in-process, and (slow) installs and passes
its own tests in a fresh venv."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from venvs import Venv, timeline_wheel

import timeline
from timeline.scaffold import PluginExistsError, new_plugin, plugin_files

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib


def _load_module(package: Path, module: str):
    spec = importlib.util.spec_from_file_location(module, package / module / "__init__.py")
    assert spec is not None and spec.loader is not None
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def test_files_and_metadata():
    files = plugin_files("wiki-table")
    assert sorted(files) == [
        "README.md",
        "pyproject.toml",
        "tests/test_timeline_wiki_table.py",
        "timeline_wiki_table/__init__.py",
    ]
    meta = tomllib.loads(files["pyproject.toml"])
    major, minor = timeline.__version__.split(".")[:2]
    assert meta["project"]["name"] == "timeline-wiki-table"
    assert meta["project"]["dependencies"] == [f"timeline-events>={major}.{minor}"]
    assert meta["project"]["entry-points"]["timeline"] == {"wiki-table": "timeline_wiki_table"}
    # Its formats are declared, so it is imported only when one is needed: exactly what the exporter provides.
    assert meta["project"]["entry-points"]["timeline.formats"] == {
        "exporter.wiki-table.wiki-table.txt": "timeline_wiki_table"
    }
    assert meta["tool"]["setuptools"]["packages"] == ["timeline_wiki_table"]
    for name, text in files.items():
        assert "{{" not in text and "}}" not in text, f"unfilled placeholder in {name}"
        if name.endswith(".py"):
            compile(text, name, "exec")
    assert "class TestWikiTableExporter(ExporterConformance):" in files["tests/test_timeline_wiki_table.py"]
    assert f'TIMELINE_PLUGIN_API = "{timeline.PLUGIN_API_VERSION}"' in files["timeline_wiki_table/__init__.py"]
    assert "timeline plugins new wiki-table" in files["README.md"]


def test_generated_code_is_lint_clean(tmp_path):
    ruff = Path(sys.executable).with_name("ruff")
    if not ruff.exists():
        pytest.skip("ruff is not installed beside this Python")
    target = new_plugin("lint-me", tmp_path)
    proc = subprocess.run(
        [str(ruff), "check", "--no-cache", "--isolated", "--select", "E,F,W,I,B,UP,SIM,RUF", "--line-length=120", "."],
        cwd=target,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_generated_exporter_works_in_process(tmp_path):
    target = new_plugin("plain", tmp_path)
    module = _load_module(target, "timeline_plain")
    registry = timeline.Registry(entry_points=False)
    registry.register(module, name="plain", package="timeline-plain")
    story = timeline.Timeline(
        id="demo",
        title="Demo\r\nFORGED",
        events=[
            timeline.Event(
                id="a",
                title="War\x1b[31m\nbegins",
                start=timeline.Date.parse("2022-02-24"),
                ongoing=True,
                description="First *paragraph*.\n\nSecond [link](javascript:alert(1)).",
            )
        ],
    )
    text = timeline.export(story, "plain", registry=registry).decode()
    assert text == (
        "Demo FORGED\n===========\n\n24 February 2022 – ongoing: War [31m begins\n"
        "    First paragraph.\n\n    Second link.\n"
    )
    exporter = registry.exporter("plain")
    assert exporter.media_type == "text/plain; charset=utf-8"
    declared = tomllib.loads((target / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"]
    assert declared["timeline.formats"] == {f"exporter.plain{ext}": "timeline_plain" for ext in exporter.extensions}
    with pytest.raises(timeline.OptionError, match="did you mean 'descriptions'"):
        timeline.export(story, "plain", registry=registry, description=False)


def test_existing_directory_is_never_touched(tmp_path):
    (tmp_path / "timeline-demo").mkdir()
    with pytest.raises(PluginExistsError, match="already exists"):
        new_plugin("demo", tmp_path)
    assert list((tmp_path / "timeline-demo").iterdir()) == []
    (tmp_path / "timeline-link").symlink_to(tmp_path / "nowhere")
    with pytest.raises(PluginExistsError):
        new_plugin("link", tmp_path)


def test_no_temporary_directory_is_left_behind(tmp_path):
    new_plugin("tidy", tmp_path / "made" / "for" / "it")
    assert [p.name for p in (tmp_path / "made" / "for" / "it").iterdir()] == ["timeline-tidy"]


@pytest.mark.parametrize("name", ["Upper", "under_score", "1st", "trailing-", "two--hyphens", "ü"])
def test_bad_names_are_usage_errors(name, tmp_path):
    with pytest.raises(timeline.UsageError, match="not a valid format name") as info:
        new_plugin(name, tmp_path)
    assert info.value.exit_code == 2 and list(tmp_path.iterdir()) == []


def test_bad_name_hint_suggests_a_valid_one(tmp_path):
    with pytest.raises(timeline.UsageError, match=r"e\.g\. 'wiki-table'"):
        new_plugin("Wiki_Table", tmp_path)


# --- the real thing: generate, pip install -e, run its tests, use it --------------------------


@pytest.mark.slow
def test_generated_plugin_installs_and_passes_its_own_tests(tmp_path_factory):
    base = tmp_path_factory.mktemp("scaffold")
    env = Venv.create(base, timeline_wheel(tmp_path_factory))
    made = env.timeline("plugins", "new", "demo-text", "--directory", str(base / "src"))
    assert made.returncode == 0, made.stderr
    package = base / "src" / "timeline-demo-text"
    env.pip("install", "-e", f"{package}[test]")

    tests = env.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=package)
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-2000:]
    summary = tests.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "failed" not in summary and "error" not in summary, summary
    # The kit checked the timeline.formats declarations the scaffold wrote (a plugin without them is skipped).
    declared = env.run("python", "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "-k", "declarations",
                       cwd=package)
    assert declared.returncode == 0 and "1 passed" in declared.stdout, declared.stdout[-2000:]
    assert "skipped" not in declared.stdout, declared.stdout[-2000:]

    formats = env.timeline("formats")
    assert formats.returncode == 0, formats.stderr
    assert any(line.split()[:2] == ["demo-text", ".demo-text.txt"] for line in formats.stdout.splitlines())
    assert "-O descriptions=<bool>" in formats.stdout

    exported = env.timeline("export", "--format", "demo-text", "-O", "descriptions=false")
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith("Russia and North Korea")
    assert "6 July 1961: Soviet–DPRK Treaty of Friendship" in exported.stdout

    listing = {p["name"]: p for p in json.loads(env.timeline("plugins", "--json").stdout)}
    assert listing["demo-text"]["package"] == "timeline-demo-text"
    assert listing["demo-text"]["api"] == timeline.PLUGIN_API_VERSION
    assert listing["demo-text"]["error"] is None and listing["demo-text"]["exporters"] == ["demo-text"]
