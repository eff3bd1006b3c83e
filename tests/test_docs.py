"""The documentation is tested like code, so it cannot drift from it.

* docs/cli.md must be exactly what scripts/gen_cli_docs.py generates.
* Every ```python block of docs/python-api.md runs, in order, in one
  namespace; the block's lines that start with "# " show what it prints,
  and must match.
* The examples of docs/data-format.md (marked ``<!-- example: NAME -->``)
  load, describe the same timeline in YAML, TOML and JSON, and the error
  listing shown there is what ``timeline check`` prints.
* The example plugin of docs/plugins.md (files marked ``<!-- file: NAME -->``)
  is built and installed with pip, then used through the real CLI.
* Links between pages (and to headings in them) resolve.
"""

from __future__ import annotations

import contextlib
import csv
import importlib.metadata
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import timeline

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

# A marker comment, then a fenced block: (marker argument, block text, line of the block's first line).
_MARKED_BLOCK = re.compile(r"^<!-- (\w+)(?::\s*(\S+))? -->\n```[\w-]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _marked(page: str, kind: str) -> dict[str, str]:
    """The fenced blocks of docs/PAGE preceded by ``<!-- KIND: NAME -->``, by NAME."""
    text = (DOCS / page).read_text(encoding="utf-8")
    blocks = {name: body for marker, name, body in _MARKED_BLOCK.findall(text) if marker == kind}
    assert blocks, f"no <!-- {kind}: ... --> blocks in docs/{page}"
    return blocks


def _python_blocks(page: str) -> list[tuple[int, str]]:
    """(first line number, code) of every ```python block of docs/PAGE."""
    text = (DOCS / page).read_text(encoding="utf-8")
    return [(text.count("\n", 0, match.start(1)) + 1, match.group(1)) for match in _PYTHON_BLOCK.finditer(text)]


# --- links ------------------------------------------------------------------

_FENCE = re.compile(r"^```.*?^```|`[^`\n]*`", re.MULTILINE | re.DOTALL)  # code blocks and spans
_LINK = re.compile(r"\[[^\]]*\]\(<?([^)\s>]+)>?\)")
_HEADING = re.compile(r"^#{1,6} +(.+?) *#* *$", re.MULTILINE)


def _anchors(page: Path) -> set[str]:
    """The anchors GitHub gives the headings of PAGE."""
    seen: dict[str, int] = {}
    anchors = set()
    for heading in _HEADING.findall(_FENCE.sub("", page.read_text(encoding="utf-8"))):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def _pages() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


@pytest.mark.parametrize("page", _pages(), ids=lambda page: str(page.relative_to(ROOT)))
def test_links_between_pages_resolve(page: Path):
    broken = []
    for target in _LINK.findall(_FENCE.sub("", page.read_text(encoding="utf-8"))):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:: not checked here
            continue
        path, _, fragment = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif fragment and linked.suffix == ".md" and fragment not in _anchors(linked):
            broken.append(f"{target}: no heading with that anchor")
    assert not broken, f"{page.relative_to(ROOT)}: " + "; ".join(broken)


# --- docs/cli.md -------------------------------------------------------------


def _gen_cli_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_generated_from_the_commands():
    expected = _gen_cli_docs().render()
    actual = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/cli.md is out of date: run python scripts/gen_cli_docs.py"


def test_cli_reference_has_a_section_per_command():
    generator = _gen_cli_docs()
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert generator.commands(), "no commands found"
    for name in generator.commands():
        assert f"\n## `timeline {name}`\n" in text
        assert f"Usage: timeline {name} [OPTIONS]" in text


# --- docs/python-api.md ------------------------------------------------------


def test_python_api_examples_run_and_print_what_they_show(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    blocks = _python_blocks("python-api.md")
    assert len(blocks) >= 10
    namespace: dict[str, object] = {"__name__": "python_api_md"}
    for line, code in blocks:
        # Pad so that a traceback points at the right line of the page.
        compiled = compile("\n" * (line - 1) + code, str(DOCS / "python-api.md"), "exec")
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compiled, namespace)
        shown = "".join(row[2:] + "\n" for row in code.splitlines() if row.startswith("# "))
        if shown:
            assert printed.getvalue() == shown, f"docs/python-api.md, block at line {line}"


# --- docs/data-format.md -----------------------------------------------------


@pytest.fixture
def data_format_examples(tmp_path: Path) -> Path:
    for name, body in _marked("data-format.md", "example").items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    return tmp_path


def test_data_format_example_is_the_same_in_yaml_toml_and_json(data_format_examples: Path):
    from_yaml, from_toml, from_json = (
        timeline.load(data_format_examples / name) for name in ("example.yaml", "example.toml", "example.json")
    )
    assert from_yaml == from_toml == from_json
    assert len(from_yaml) == 2 and from_yaml.eras[0].ongoing


def test_data_format_json_example_is_what_the_exporter_writes(data_format_examples: Path):
    written = timeline.export(timeline.load(data_format_examples / "example.yaml"), "json")
    assert written.decode("utf-8") == (data_format_examples / "example.json").read_text(encoding="utf-8")


def test_data_format_error_listing_is_what_check_prints(data_format_examples: Path):
    shown = _marked("data-format.md", "output")["bad.yaml"]
    result = subprocess.run(
        [sys.executable, "-m", "timeline", "check", "bad.yaml"],
        capture_output=True,
        text=True,
        cwd=data_format_examples,
        env={**os.environ, "TIMELINE_PLUGINS": ""},
    )
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines(keepends=True) if not line.startswith("timeline: warning:")]
    assert "".join(errors) == shown


# --- docs/plugins.md ---------------------------------------------------------

PLUGIN_PACKAGE = "timeline-csv-demo"


def _plugin_sources(base: Path) -> Path:
    files = _marked("plugins.md", "file")
    assert set(files) == {"pyproject.toml", "timeline_csv_demo.py"}
    base.mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        (base / name).write_text(body, encoding="utf-8")
    return base


def test_plugin_example_test_passes(tmp_path, monkeypatch):
    """The 'Testing a plugin' snippet, run against the module from the page, needs no install."""
    monkeypatch.syspath_prepend(str(_plugin_sources(tmp_path / "src")))
    (snippet,) = _marked("plugins.md", "test").values()
    namespace: dict[str, object] = {"__name__": "plugin_test_snippet"}
    try:
        exec(compile(snippet, "docs/plugins.md", "exec"), namespace)
        tests = [value for name, value in namespace.items() if name.startswith("test_") and callable(value)]
        assert tests
        for test in tests:
            test()
    finally:
        sys.modules.pop("timeline_csv_demo", None)  # imported from tmp_path: do not leak it


def _can_build_without_network() -> bool:
    """Whether setuptools here can build a wheel without fetching anything."""
    try:
        version = importlib.metadata.version("setuptools")
    except importlib.metadata.PackageNotFoundError:
        return False
    if importlib.util.find_spec("wheel") is not None:
        return True
    major, minor = (int(part) for part in re.findall(r"\d+", version)[:2])
    return (major, minor) >= (70, 1)  # bdist_wheel moved into setuptools in 70.1


@pytest.fixture(scope="module")
def csv_plugin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The example plugin pip-installed into a private folder, and the environment that sees it.

    ``pip install --target`` does a real install (a wheel is built, its
    entry points written to the .dist-info), but into a folder that only the
    subprocesses given PYTHONPATH see: tests running beside this one never
    meet the extra plugin, and removing the folder uninstalls it.
    """
    base = tmp_path_factory.mktemp("csv-plugin")
    source = _plugin_sources(base / PLUGIN_PACKAGE)
    site = base / "site"
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--no-input",
        "--disable-pip-version-check",
        "--target",
        str(site),
        str(source),
    ]
    # Offline when the local setuptools can do it; otherwise pip fetches a build backend.
    attempts = [[*command, "--no-build-isolation"], command] if _can_build_without_network() else [command]
    failures = []
    for attempt in attempts:
        result = subprocess.run(attempt, capture_output=True, text=True)
        if result.returncode == 0:
            break
        failures.append(f"$ {' '.join(attempt)}\n{result.stdout}{result.stderr}")
    else:
        pytest.fail("could not install the example plugin:\n" + "\n".join(failures))
    environ = {k: v for k, v in os.environ.items() if k not in ("TIMELINE_PLUGINS", "SOURCE_DATE_EPOCH")}
    environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))
    try:
        yield environ
    finally:
        shutil.rmtree(site, ignore_errors=True)


def _timeline(env: dict[str, str], *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "timeline", *args], capture_output=True, text=True, env=env, cwd=cwd)


@pytest.mark.slow
def test_plugin_example_appears_in_formats_and_plugins(csv_plugin):
    formats = _timeline(csv_plugin, "formats")
    assert formats.returncode == 0, formats.stderr
    assert re.search(r"^  csv +\.csv +One row per event", formats.stdout, re.MULTILINE), formats.stdout
    assert "-O delimiter=<str> [,|;|tab]" in formats.stdout
    listing = {p["name"]: p for p in json.loads(_timeline(csv_plugin, "plugins", "--json").stdout)}
    assert listing["csv"]["package"] == PLUGIN_PACKAGE
    assert listing["csv"]["exporters"] == ["csv"]
    assert listing["csv"]["error"] is None


@pytest.mark.slow
def test_plugin_example_exports_the_sample(csv_plugin, tmp_path):
    sample = timeline.sample()
    result = _timeline(csv_plugin, "export", str(timeline.sample_path()), "-f", "csv", "-O", "delimiter=;")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout, newline=""), delimiter=";"))
    header, *events = rows
    assert header == ["id", "start", "end", "date", "title", "tags", "group", "description", "source"]
    assert [row[0] for row in events] == [event.id for event in sample]
    for row, event in zip(events, sample, strict=True):
        record = dict(zip(header, row, strict=True))
        assert record["start"] == event.start.isoformat()
        assert record["date"] == timeline.human_span(event.start, event.end, ongoing=event.ongoing)
        assert record["title"] == event.title


@pytest.mark.slow
def test_plugin_example_format_follows_the_output_extension(csv_plugin, tmp_path):
    result = _timeline(csv_plugin, "export", str(timeline.sample_path()), "-o", "story.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"wrote {len(timeline.sample())} events to story.csv" in result.stderr
    assert (tmp_path / "story.csv").read_text(encoding="utf-8").startswith("id,start,end,")


@pytest.mark.slow
def test_timeline_plugins_variable_selects_the_example_plugin(csv_plugin):
    chosen = _timeline({**csv_plugin, "TIMELINE_PLUGINS": PLUGIN_PACKAGE}, "formats")
    assert "  csv " in chosen.stdout
    none = _timeline({**csv_plugin, "TIMELINE_PLUGINS": ""}, "formats")
    assert "  csv " not in none.stdout and "  json " in none.stdout
