"""The documentation is tested like code, so it cannot drift from it.

* docs/cli.md must be exactly what scripts/gen_cli_docs.py generates.
* Every ```python block of docs/python-api.md runs, in order, in one
  namespace; the block's lines that start with "# " show what it prints,
  and must match.
* The examples of docs/data-format.md (marked ``<!-- example: NAME -->``)
  load, describe the same timeline in YAML, TOML and JSON, and the error
  listing shown there is what ``timeline check`` prints.
* Links between pages (and to headings in them) resolve, and the site
  builds with ``mkdocs build --strict`` with every page in its navigation.

The plugin pages (docs/plugins/) are executed by tests/test_plugin_docs.py.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import io
import os
import re
import subprocess
import sys
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


# --- docs/tutorial.md -----------------------------------------------------------


@pytest.mark.slow
def test_user_tutorial_runs_and_prints_what_it_shows(tmp_path: Path):
    """The first-timeline tutorial, followed literally, with the conventions of the plugin pages.

    Its files are written, its console blocks run with the installed
    ``timeline`` and compared, and the mistake it makes is caught.
    """
    from test_plugin_docs import base_environment, parse_blocks, run_page

    page = DOCS / "tutorial.md"
    ran = run_page(page, tmp_path, base_environment(Path(sys.executable).parent), in_process_python=True)
    assert ran >= 7
    blocks = parse_blocks(page)
    assert any(block.marker == "exit" and "timeline check" in block.body for block in blocks)
    assert {path.name for path in tmp_path.iterdir()} >= {"story.yaml", "story.md", "story.ics", "story.html"}
    story = timeline.load(tmp_path / "story.yaml")
    assert sorted(event.start.precision.name for event in story) == ["DAY", "DAY", "MINUTE", "MONTH", "YEAR"]
    assert sum(event.ongoing for event in story) == 1
    assert all(event.sources for event in story)


# --- the site ------------------------------------------------------------------


@pytest.mark.slow
def test_site_builds_with_mkdocs_strict(tmp_path: Path):
    """``mkdocs build --strict``: a broken link, anchor or nav entry fails (see mkdocs.yml)."""
    if importlib.util.find_spec("mkdocs") is None:
        pytest.fail("mkdocs is not installed: pip install -r tests/requirements-docs.txt")
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    assert (site / "plugins" / "tutorial" / "index.html").is_file()
    # Repository files the pages link to are published, and the links point at them.
    assert (site / "_repo" / "plugins" / "markdown.py").is_file()
    overview = (site / "plugins" / "index.html").read_text(encoding="utf-8")
    assert 'href="../_repo/plugins/markdown.py"' in overview
    # Every relative link and image of every built page leads to a file of the site.
    dead = [f"{page.relative_to(site)}: {target}" for page, target in _site_links(site) if not _resolves(page, target)]
    assert not dead, "links that lead nowhere in the built site:\n" + "\n".join(dead)


_HTML_LINK = re.compile(r'<(?:a|img|link|script)\b[^>]*?\b(?:href|src)="([^"]*)"')


def _site_links(site: Path) -> list[tuple[Path, str]]:
    """(page, target) for every relative href or src of the site's HTML pages."""
    found = []
    for page in sorted(site.rglob("*.html")):
        for target in _HTML_LINK.findall(page.read_text(encoding="utf-8")):
            if target and not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|//|/|#", target):
                found.append((page, target))
    return found


def _resolves(page: Path, target: str) -> bool:
    path = re.split(r"[?#]", target, maxsplit=1)[0]
    resolved = (page.parent / path).resolve()
    return resolved.is_file() or (resolved / "index.html").is_file()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("link", "builds"),
    [("../notes.py", True), ("../guide/", True), ("../missing.py", False), ("../tests/", False), ("other.md", False)],
)
def test_links_out_of_docs_are_published_or_fail_the_build(tmp_path: Path, link: str, builds: bool):
    """The rule of mkdocs.yml and scripts/mkdocs_hooks.py, on a small site.

    A repository file (or a folder with a README.md) that a page links to is
    copied into the site and the link follows it; a link to anything else
    fails ``mkdocs build --strict``.
    """
    (tmp_path / "docs").mkdir()
    (tmp_path / "notes.py").write_text("print('notes')\n", encoding="utf-8")
    (tmp_path / "guide").mkdir()
    (tmp_path / "guide" / "README.md").write_text("# Guide\n", encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("", encoding="utf-8")
    (tmp_path / "docs" / "index.md").write_text(f"# Home\n\nSee [this]({link}).\n", encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    hooks = str(ROOT / "scripts" / "mkdocs_hooks.py")
    settings = config[: config.index("\nnav:")].replace("scripts/mkdocs_hooks.py", hooks)
    (tmp_path / "mkdocs.yml").write_text(settings, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert (result.returncode == 0) is builds, result.stderr
    if builds:
        home = tmp_path / "site" / "index.html"
        links = [target for page, target in _site_links(tmp_path / "site") if page == home]
        assert all(_resolves(home, target) for target in links), links
        assert any(target.startswith("_repo/") for target in links), links


def test_every_page_is_in_the_site_navigation():
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    listed = set(re.findall(r":\s*([\w./-]+\.md)\s*$", nav, re.MULTILINE))
    pages = {page.relative_to(DOCS).as_posix() for page in DOCS.rglob("*.md")}
    assert pages - listed == set(), "pages missing from mkdocs.yml's nav"
    assert listed - pages == set(), "mkdocs.yml's nav lists pages that do not exist"
