"""The example plugins in docs/examples/, installed and used the way a user would.

One fresh venv gets the ``timeline-events`` wheel and then each example,
installed with pip from a copy of its folder (not editable, so a file left
out of the package fails here).  In that venv each example's own test suite
must pass, and the installed ``timeline`` command must export the bundled
sample through it.  The Mermaid output is then drawn by the real Mermaid
(pinned in tests/browser/package.json) in headless Chromium, which must
show every title exactly as written, however hostile.
"""

from __future__ import annotations

import collections
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import textwrap
import venv
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import timeline

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"
PACKAGES = {"csv": "timeline-csv", "mermaid": "timeline-mermaid"}
MERMAID = ROOT / "tests" / "browser" / "node_modules" / "mermaid"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A fresh venv with the timeline wheel and both examples (with their test extras) installed."""
    base = tmp_path_factory.mktemp("examples")
    dist = base / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)], check=True
    )
    (wheel,) = dist.glob("timeline_events-*.whl")
    venv.create(base / "venv", with_pip=True)
    python = base / "venv" / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, str(wheel)], check=True)
    copies = base / "src"
    for package in PACKAGES.values():
        shutil.copytree(
            EXAMPLES / package,
            copies / package,
            ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache", "build", "*.egg-info"),
        )
    subprocess.run([*pip, *(f"{copies / package}[test]" for package in PACKAGES.values())], check=True)
    work = base / "work"
    work.mkdir()
    return {"bin": base / "venv" / "bin", "src": copies, "cwd": work}


def run(env: dict[str, Path], program: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "TIMELINE_PLUGINS")}
    environ["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run(
        [str(env["bin"] / program), *args], capture_output=True, text=True, cwd=cwd or env["cwd"], env=environ
    )


@pytest.mark.parametrize("package", sorted(PACKAGES.values()))
def test_example_test_suite_passes_when_installed(env, package):
    result = run(env, "pytest", "-q", "-p", "no:cacheprovider", cwd=env["src"] / package)
    assert result.returncode == 0, result.stdout + result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "skipped" not in summary and "error" not in summary, summary


def test_both_examples_are_listed_as_plugins(env):
    result = run(env, "timeline", "plugins", "--json")
    assert result.returncode == 0, result.stderr
    found = {p["package"]: p for p in json.loads(result.stdout) if not p["builtin"]}
    assert {name: (p["version"], p["exporters"], p["error"]) for name, p in found.items()} == {
        "timeline-csv": ("1.0.0", ["csv"], None),
        "timeline-mermaid": ("1.0.0", ["mermaid"], None),
    }


def test_cli_exports_the_sample_as_template_csv(env):
    result = run(env, "timeline", "export", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    story = timeline.sample()
    events = [row for row in rows if row["Type"] == ""]
    assert [row["Headline"].replace("&amp;", "&") for row in events] == [e.title for e in story.events]
    assert sum(row["Type"] == "era" for row in rows) == len(story.eras)
    assert rows[0]["Type"] == "title"
    # The extension picks the format; the file is CRLF-separated UTF-8.
    out = env["cwd"] / "sample.csv"
    assert run(env, "timeline", "export", "-o", str(out)).returncode == 0
    assert out.read_bytes().split(b"\r\n")[0].startswith(b"Year,Month,Day,Time,End Year")


def test_cli_exports_the_sample_as_a_mermaid_block(env):
    result = run(env, "timeline", "export", "--format", "mermaid", "-O", "fence=true")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == ["```mermaid", "timeline", "    title Russia and North Korea, 1945–2024"]
    assert lines[-1] == "```"
    bad = run(env, "timeline", "export", "--format", "mermaid", "-O", "fence=maybe")
    assert bad.returncode == 2 and "fence" in bad.stderr and "Traceback" not in bad.stderr


# --- the real Mermaid -----------------------------------------------------------------

HOSTILE_TITLES = [
    "Talks: day 2: 10:30",
    "#1 priority; see http://example.org/a#b",
    "%%{init: {'theme': 'dark'}}%% directive",
    "a %% comment after",
    "<br>broken<br/>line <script>window.__pwned = 1</script>",
    "<img src=x onerror='window.__pwned = 1'>",
    "```\nfence closed",
    "section Fake",
    "title Fake",
    "#58; and &amp; and &#60;b&#62; typed literally",
    "ﬂ°°58¶ß Mermaid's own placeholder",
    "Корея 한국 🇰🇵 👨‍👩‍👧",
]


def _hostile_yaml() -> str:
    events = "\n".join(
        f"  - id: e{index}\n    title: {json.dumps(title, ensure_ascii=False)}\n    start: \"{2000 + index // 2}\""
        for index, title in enumerate(HOSTILE_TITLES)
    )
    return textwrap.dedent("""\
        title: "%%{init: {'theme': 'forest'}}%% Title: <b>#1</b>"
        eras:
          - title: "Era: one; #2 %% <br>"
            start: "2000"
            end: "2003"
        events:
        """) + events + "\n"


def _expected_texts(
    title: str, sections: list[str], periods: list[str], entries: list[str]
) -> collections.Counter[str]:
    return collections.Counter(" ".join(text.split()) for text in [title, *sections, *periods, *entries])


def _missing_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python playwright is not installed (pip install -r tests/requirements-clients.txt)"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if not (MERMAID / "dist" / "mermaid.min.js").exists():
        return "Mermaid is not installed (cd tests/browser && npm ci)"
    return None


@pytest.fixture(scope="module")
def mermaid_page() -> Iterator[SimpleNamespace]:
    """A blank page with Mermaid loaded; page errors and (refused) requests are recorded."""
    reason = _missing_browser()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"Mermaid browser tests cannot run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"], headless=True
        )
        try:
            page = browser.new_page()
            state = SimpleNamespace(page=page, errors=[], requests=[])
            page.on("pageerror", lambda error: state.errors.append(str(error)))
            page.route("**/*", lambda route: (state.requests.append(route.request.url), route.abort()))
            page.set_content("<!DOCTYPE html><html><body><div id='out'></div></body></html>")
            page.add_script_tag(path=str(MERMAID / "dist" / "mermaid.min.js"))
            page.evaluate("mermaid.initialize({startOnLoad: false, securityLevel: 'strict'})")
            yield state
        finally:
            browser.close()


_DRAW = """async (source) => {
  const parsed = await mermaid.parse(source);
  const {svg} = await mermaid.render('diagram' + Math.floor(Math.random() * 1e9), source);
  const out = document.getElementById('out');
  out.innerHTML = svg;
  const root = out.querySelector('svg');
  // Mermaid wraps long labels into <tspan> lines: join them back with a space.
  const texts = [...root.querySelectorAll('text')].map(t =>
      t.children.length ? [...t.children].map(c => c.textContent).join(' ') : t.textContent);
  return {
    type: parsed.diagramType,
    config: parsed.config,
    texts: texts,
    tags: [...new Set([...root.querySelectorAll('*')].map(e => e.localName))].sort(),
    pwned: window.__pwned === 1,
  };
}"""


def draw(browser: SimpleNamespace, source: str) -> dict[str, Any]:
    """Parse and render ``source`` (a bare diagram or a ```mermaid block); check nothing escaped."""
    body = source
    if body.startswith("```mermaid\n"):
        body = body.removeprefix("```mermaid\n").removesuffix("```\n")
    result: dict[str, Any] = browser.page.evaluate(_DRAW, body)
    assert browser.errors == [] and browser.requests == []
    # No %%{init}%% directive was found, so no setting changed.
    assert result["type"] == "timeline" and result["config"] == {}
    assert not result["pwned"]
    assert set(result["tags"]) <= {"defs", "g", "line", "marker", "path", "rect", "style", "text", "title", "tspan"}
    return result


def test_mermaid_draws_the_sample_with_every_event(env, mermaid_page):
    source = run(env, "timeline", "export", "--format", "mermaid", "-O", "fence=true").stdout
    drawn = draw(mermaid_page, source)
    story = timeline.sample()
    texts = collections.Counter(" ".join(t.split()) for t in drawn["texts"])
    for event in story.events:
        assert texts[event.title] >= 1, event.title
    assert texts[story.title] == 1


@pytest.mark.parametrize("sections", ["true", "false"])
def test_mermaid_shows_hostile_text_exactly_as_written(env, mermaid_page, sections):
    data = env["cwd"] / "hostile.yaml"
    data.write_text(_hostile_yaml(), encoding="utf-8")
    result = run(env, "timeline", "export", str(data), "--format", "mermaid", "-O", f"sections={sections}")
    assert result.returncode == 0, result.stderr
    drawn = draw(mermaid_page, result.stdout)
    story = timeline.load(data)
    periods = sorted({timeline.human_span(e.start, e.end, ongoing=e.ongoing) for e in story.events})
    era = story.eras[0]
    section = [f"{era.title} ({timeline.human_span(era.start, era.end)})"] if sections == "true" else []
    other = ["Other events"] if sections == "true" else []
    expected = _expected_texts(story.title, section + other, periods, [e.title for e in story.events])
    assert collections.Counter(" ".join(t.split()) for t in drawn["texts"]) == expected
