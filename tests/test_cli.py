"""The command line: exit statuses, messages, atomic output, filters, stdin/stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import timeline
from timeline.cli import cli
from timeline.registry import Registry


def run(runner: CliRunner, *args: str, **kw):
    return runner.invoke(cli, list(args), catch_exceptions=False, **kw)


def test_version_and_help(runner):
    version = run(runner, "--version").output
    assert version == f"timeline {timeline.__version__} (plugin API {timeline.PLUGIN_API_VERSION})\n"
    result = run(runner, "--help")
    assert result.exit_code == 0 and "export" in result.output and "check" in result.output


def test_export_json_to_stdout_and_file(runner, write, minimal_yaml, tmp_path):
    source = write("t.yaml", minimal_yaml)
    result = run(runner, "export", str(source), "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["events"][0]["id"] == "treaty-1961"
    out = tmp_path / "out.json"
    result = run(runner, "export", str(source), "-o", str(out))
    assert result.exit_code == 0 and "wrote 3 events" in result.stderr
    assert out.read_bytes() == timeline.export(timeline.load(source), "json")


def test_check_reports_problems_with_exit_status_1(runner, write):
    bad = write("bad.yaml", "title: X\nevents:\n  - {id: a, title: A, start: '2024-02-30'}\n")
    result = run(runner, "check", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:3: event 'a', field 'start'" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_check_ok(runner, write, minimal_yaml):
    result = run(runner, "check", str(write("t.yaml", minimal_yaml)))
    assert result.exit_code == 0 and "3 events" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "-f", "nope"], "unknown format 'nope'"),
        (["export"], "name a format"),
        (["export", "-f", "json", "-O", "indnet=1"], "did you mean 'indent'"),
        (["export", "-f", "json", "-O", "indent=x"], "takes an integer"),
        (["export", "-o", "out.unknown"], "cannot tell the format"),
        (["export", "-f", "json", "--since", "yesterday"], "is not a valid date"),
    ],
)
def test_usage_errors_exit_2(runner, args, message, tmp_path, write, minimal_yaml):
    source = write("t.yaml", minimal_yaml)
    with runner.isolated_filesystem(temp_dir=tmp_path):
        result = run(runner, *args, str(source))
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_default_input_is_said_on_stderr(runner, tmp_path, write, minimal_yaml):
    with runner.isolated_filesystem(temp_dir=tmp_path) as here:
        Path(here, "timeline.yaml").write_text(write("t.yaml", minimal_yaml).read_text())
        result = run(runner, "show")
    assert "timeline: reading timeline.yaml" in result.stderr
    assert "6 July 1961" in result.stdout and "24 February 2022 – ongoing" in result.stdout


def test_filters(runner, write, minimal_yaml):
    source = str(write("t.yaml", minimal_yaml))
    data = json.loads(run(runner, "export", source, "-f", "json", "--tag", "war", "--tag", "summit").stdout)
    assert [e["id"] for e in data["events"]] == ["war", "summit"]
    assert "related" not in data["events"][0]  # its link pointed at a filtered-out event
    data = json.loads(run(runner, "export", source, "-f", "json", "--until", "2000").stdout)
    assert [e["id"] for e in data["events"]] == ["treaty-1961"]


def test_stdin_input(runner, minimal_yaml):
    import textwrap

    result = run(runner, "export", "-", "-f", "json", input=textwrap.dedent(minimal_yaml))
    assert result.exit_code == 0 and '"summit"' in result.stdout


def test_failed_export_leaves_existing_output_untouched(tmp_path, write, minimal_yaml, monkeypatch):
    from plugin_kit import LinesPlugin

    registry = Registry(entry_points=False)
    registry.register(LinesPlugin())
    tl = timeline.load(write("t.yaml", minimal_yaml))
    out = tmp_path / "story.lines"
    out.write_bytes(b"previous\n")
    with pytest.raises(timeline.ExportError, match=r"'lines' exporter .* failed: RuntimeError: boom half-way"):
        timeline.export(tl, "lines", out, registry=registry, fail_after=2)
    assert out.read_bytes() == b"previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.lines", "t.yaml"]  # no temp file left
    timeline.export(tl, dest=out, registry=registry)
    assert out.read_text() == "treaty-1961\nwar\nsummit\n"


def test_failed_cli_export_exit_1_no_traceback(tmp_path, write, monkeypatch, runner):
    out = tmp_path / "out.json"
    out.write_text("keep me")
    bad = write("bad.yaml", "events: [{id: a, title: A, start: '2024-13'}]\n")
    result = run(runner, "export", str(bad), "-o", str(out))
    assert result.exit_code == 1 and "month 13" in result.stderr
    assert out.read_text() == "keep me"


def run_subprocess(*args: str, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "timeline", *args], capture_output=True, text=True, **kw)


@pytest.mark.slow
def test_python_m_and_closed_pipe():
    proc = subprocess.run(
        f"{sys.executable} -m timeline export -f json | head -c 10",
        shell=True,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr


@pytest.mark.slow
@pytest.mark.parametrize("args", [["--help"], ["export", "--help"], ["plugins", "new", "--help"], ["--version"]])
def test_help_imports_nothing_heavy(args):
    code = f"from timeline.cli import main; main({args!r})"
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True)
    assert "Usage:" in proc.stdout or "plugin API" in proc.stdout
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
    for heavy in ("pendulum", "babel", "pluggy", "importlib.metadata", "timeline.plugins", "yaml", "markdown_it",
                  "attrs"):
        assert heavy not in imported, f"--help imported {heavy}"


@pytest.mark.slow
@pytest.mark.parametrize("command", ["show", "check"])
def test_show_and_check_import_neither_pendulum_nor_babel(command, tmp_path):
    """Issue 15: durations (pendulum) and other languages (Babel) cost nothing until they are written."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "timeline", command], capture_output=True,
                          text=True, cwd=tmp_path)  # no timeline.yaml here: the bundled sample is read
    assert proc.returncode == 0, proc.stderr
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
    for heavy in ("pendulum", "babel", "timeline._l10n"):
        assert heavy not in imported, f"timeline {command} imported {heavy}"


@pytest.mark.slow
@pytest.mark.parametrize(("args", "pendulum"), [
    (["show", "--locale", "ko"], False),  # dates in Korean: Babel, but no durations
    (["export", "-f", "ical"], False),  # iCalendar writes no durations
    (["export", "-f", "markdown", "-O", "durations=false"], False),
    (["export", "-f", "markdown"], True),  # the sample has spans: their durations need pendulum
    (["export", "-f", "timelinejs"], True),
])
def test_pendulum_is_imported_only_when_a_duration_is_written(args, pendulum, tmp_path):
    """Issue 15: pendulum (about 60 ms) is loaded by the first duration written, and English never loads Babel."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "timeline", *args], capture_output=True,
                          text=True, cwd=tmp_path)  # no timeline.yaml here: the bundled sample is read
    assert proc.returncode == 0, proc.stderr
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
    assert ("pendulum" in imported) is pendulum, f"timeline {' '.join(args)}: pendulum imported: {not pendulum}"
    assert ("babel" in imported) is ("--locale" in args)


@pytest.mark.slow
def test_markdown_export_of_the_sample_imports_no_package_metadata(tmp_path):
    """Issue 7 (e): the entry-point scan reads ``entry_points.txt`` itself (see ``timeline/registry.py``).

    Without durations: pendulum (issue 15) brings dateutil, and with it ``tempfile``; that is its own cost,
    allowed for an export that writes durations (``test_pendulum_is_imported_only_when_a_duration_is_written``).
    """
    environ = {k: v for k, v in os.environ.items() if k != "TIMELINE_PLUGINS"}
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "timeline", "export", "-f", "markdown", "-O", "durations=false"],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # no timeline.yaml here: the bundled sample is read
        env=environ,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("#")
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
    for heavy in ("importlib.metadata", "email", "secrets", "tempfile"):
        assert heavy not in imported, f"export -f markdown imported {heavy}"


def _imported_by(*args: str, cwd: Path) -> set[str]:
    """The modules ``timeline ARGS`` imports (``-X importtime``), with every third-party plugin left out."""
    environ = {**os.environ, "TIMELINE_PLUGINS": ""}
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "timeline", *args], capture_output=True, text=True, cwd=cwd,
        env=environ,
    )
    assert proc.returncode == 0, proc.stderr
    return {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}


_HELPERS = {"timeline.plugins", "timeline.plugins._numbers"}  # the package, and what the readers share


@pytest.mark.slow
def test_checking_yaml_imports_no_other_plugin(tmp_path, minimal_yaml):
    """Issue 13 §5: a plugin is imported only when one of its formats is needed."""
    (tmp_path / "t.yaml").write_text(minimal_yaml, encoding="utf-8")
    imported = _imported_by("check", "t.yaml", cwd=tmp_path)
    assert {m for m in imported if m.startswith("timeline.plugins")} == {*_HELPERS, "timeline.plugins.yaml_format"}
    for heavy in ("icalendar", "dateutil", "markdown_it", "csv", "html.parser"):
        assert heavy not in imported, f"check imported {heavy}"
    # Nor what only other commands need: options (no -R given, the YAML reader declares none), exporting.
    for unneeded in ("timeline.options", "timeline.exporting", "timeline.atomic", "timeline.locales"):
        assert unneeded not in imported, f"check imported {unneeded}"


@pytest.mark.slow
@pytest.mark.parametrize("durations", [True, False])
def test_a_markdown_export_imports_only_the_markdown_plugin_and_its_reader(tmp_path, durations):
    imported = _imported_by("export", "-f", "markdown", "-o", "out.md", "-O", f"durations={str(durations).lower()}",
                            cwd=tmp_path)  # the bundled YAML sample
    assert {m for m in imported if m.startswith("timeline.plugins")} == {
        *_HELPERS, "timeline.plugins.yaml_format", "timeline.plugins.markdown", "timeline.plugins._durations",
    }
    # dateutil comes with pendulum, which only durations need
    for heavy in ("icalendar", "csv", "html.parser", *(() if durations else ("dateutil", "pendulum"))):
        assert heavy not in imported, f"export -f markdown imported {heavy}"
    assert (tmp_path / "out.md").read_text(encoding="utf-8").startswith("#")


def test_plugins_listing_json(runner):
    data = json.loads(run(runner, "plugins", "--json").stdout)
    names = {d["name"] for d in data}
    assert {"json", "yaml", "toml"} <= names
    assert all(d["builtin"] for d in data if d["package"] == "timeline-events")


def test_formats_lists_options(runner):
    result = run(runner, "formats")
    assert "json" in result.stdout and "-O indent=<int>" in result.stdout


@pytest.mark.slow
def test_output_is_the_same_whatever_the_environment(tmp_path):
    outputs = set()
    for env in (
        {"TZ": "UTC", "LC_ALL": "C"},
        {"TZ": "Pacific/Kiritimati", "LC_ALL": "tr_TR.UTF-8", "PYTHONHASHSEED": "7"},
    ):
        proc = run_subprocess("export", "-f", "json", env={**os.environ, **env})
        assert proc.returncode == 0, proc.stderr
        outputs.add(proc.stdout)
    assert len(outputs) == 1


def test_export_help_describes_the_chosen_format(runner):
    plain = run(runner, "export", "--help").stdout
    assert "Format json" not in plain
    variants = (["export", "--format", "json", "--help"], ["export", "-h", "-f", "json"], ["export", "-fjson", "-h"])
    for args in variants:
        result = run(runner, *args)
        assert result.exit_code == 0
        assert result.stdout.startswith(plain.split("\n\n")[0])  # the usual help comes first
        section = result.stdout[len(plain) :]
        assert "Format json:" in section and "Media type  application/json" in section
        assert "-O indent=<int>" in section and "(0 to 8; default: 2)" in " ".join(section.split())
    markdown = run(runner, "export", "-f", "markdown", "--help").stdout
    assert "Extensions  .md, .markdown" in markdown and "one of" not in markdown
    assert "-O toc=<bool>" in markdown and "(default: false)" in " ".join(markdown.split())


def test_export_help_for_an_unknown_format_is_a_usage_error(runner):
    result = run(runner, "export", "-f", "markdwon", "--help")
    assert result.exit_code == 2 and "did you mean 'markdown'" in result.stderr


def test_export_help_for_a_format_without_options(runner):
    from plugin_kit import LinesExporter

    class NoOptions(LinesExporter):
        options = ()

    class Plugin:
        @timeline.hookimpl
        def timeline_exporters(self):
            return [NoOptions()]

    registry = Registry(entry_points=False)
    registry.register(Plugin(), name="plain")
    import timeline.registry as registry_module

    saved = registry_module._default
    registry_module._default = registry
    try:
        result = run(runner, "export", "-f", "lines", "--help")
    finally:
        registry_module._default = saved
    assert "This format takes no options." in result.stdout


def test_formats_columns_line_up_with_long_names(runner):
    lines = run(runner, "formats").stdout.splitlines()
    rows = [line for line in lines if line.startswith("  ") and not line.startswith("      ")]
    starts = {line.index(".") for line in rows if "." in line.split()[1]}
    assert len(rows) >= 7 and len(starts) == 1, rows  # extensions start in one column, however long the name
    assert any(line.split()[:3] == ["timelinejs-html", ".html,", ".htm"] for line in rows)
    assert any(line.split()[:2] == ["timelinejs-sheet", ".csv"] for line in rows)  # the longest name


def test_plugins_listing_says_the_plugin_api(runner):
    lines = run(runner, "plugins").stdout.splitlines()
    assert lines[0] == f"timeline {timeline.__version__}, plugin API {timeline.PLUGIN_API_VERSION}"
    assert "json (built-in)" in lines


def test_plugins_new_writes_a_package(runner, tmp_path):
    result = run(runner, "plugins", "new", "wiki-table", "--directory", str(tmp_path))
    assert result.exit_code == 0, result.output
    target = tmp_path / "timeline-wiki-table"
    assert f"created {target}" in result.stderr
    assert sorted(result.stdout.split()) == [
        "timeline-wiki-table/README.md",
        "timeline-wiki-table/pyproject.toml",
        "timeline-wiki-table/tests/test_timeline_wiki_table.py",
        "timeline-wiki-table/timeline_wiki_table/__init__.py",
    ]
    assert 'wiki-table = "timeline_wiki_table"' in (target / "pyproject.toml").read_text()


def test_plugins_new_refuses_to_overwrite(runner, tmp_path):
    target = tmp_path / "timeline-demo"
    target.mkdir()
    (target / "mine.txt").write_text("keep")
    result = run(runner, "plugins", "new", "demo", "-d", str(tmp_path))
    assert result.exit_code == 1
    assert "already exists; not overwriting it" in result.stderr and "Traceback" not in result.output
    assert [p.name for p in target.iterdir()] == ["mine.txt"]


@pytest.mark.parametrize("name", ["Demo", "my_plugin", "9lives", "x-", "a--b", "dé", ""])
def test_plugins_new_rejects_bad_names_with_exit_2(runner, tmp_path, name):
    result = run(runner, "plugins", "new", name, "-d", str(tmp_path))
    assert result.exit_code == 2 and "is not a valid format name" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_plugins_json_still_works_beside_the_subcommand(runner):
    data = json.loads(run(runner, "plugins", "--json").stdout)
    assert {"api", "builtin", "error", "exporters", "hooks", "name", "package", "readers", "version"} == set(data[0])


# --- messages (issue 11 §6) ----------------------------------------------------------


@pytest.mark.slow
def test_a_missing_folder_is_said_to_be_missing(tmp_path):
    proc = run_subprocess("export", "events/", "-f", "json", cwd=tmp_path)
    assert proc.returncode == 1
    assert "events/: no such file or folder" in proc.stderr
    assert "input format" not in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_the_same_file_twice_is_read_once_with_a_warning(tmp_path, minimal_yaml):
    (tmp_path / "a.yaml").write_text(minimal_yaml, encoding="utf-8")
    (tmp_path / "link.yaml").symlink_to("a.yaml")
    for twice in (["a.yaml", "a.yaml"], ["a.yaml", "./a.yaml"], ["a.yaml", "link.yaml"]):
        proc = run_subprocess("check", *twice, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert "duplicate" not in proc.stderr
        assert proc.stderr.count("timeline: warning:") == 1 and "read once" in proc.stderr, proc.stderr
