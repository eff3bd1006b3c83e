"""Issue 15: ``--locale`` on the commands, and the locale reaching exporters through their context."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from plugin_kit import OldPlugin, PickyExporter, PickyPlugin

import timeline
import timeline.registry as registry_module
from timeline.cli import cli
from timeline.locales import SUPPORTED_LOCALES
from timeline.registry import Registry

CANONICAL = ("json", "yaml", "toml")


def run(runner: CliRunner, *args: str):
    return runner.invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def plugins() -> Iterator[Registry]:
    registry = Registry()
    registry.register(OldPlugin(), name="old")
    registry.register(PickyPlugin(), name="picky")
    saved = registry_module._default
    registry_module._default = registry
    try:
        yield registry
    finally:
        registry_module._default = saved


@pytest.mark.parametrize("command", [["export", "-f", "json"], ["show"], ["preview", "--print-path"]])
def test_an_unknown_locale_is_a_usage_error_with_a_suggestion(runner, command):
    result = run(runner, *command, str(timeline.sample_path()), "--locale", "kr")
    assert result.exit_code == 2
    assert "unknown locale 'kr' (did you mean 'ko'?); supported locales: de, en, fr, ja, ko, ru, uk, zh" in (
        result.stderr
    )
    assert result.stdout == ""


@pytest.mark.parametrize("command", ["export", "show", "preview"])
def test_help_lists_the_locale_option_in_english(runner, command):
    result = run(runner, command, "--help")
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "--locale LOCALE" in text and "de, en, fr, ja, ko, ru, uk, zh" in text


def test_the_locale_reaches_a_1_1_exporter_in_its_context_resolved(runner, plugins, write, tmp_path, minimal_yaml):
    PickyExporter.contexts.clear()
    source = write("t.yaml", minimal_yaml)
    result = run(runner, "export", str(source), "-o", str(tmp_path / "t.picky"), "--locale", "ru_RU.UTF-8")
    assert result.exit_code == 0, result.stderr
    [context] = PickyExporter.contexts
    assert context.locale == "ru"


def test_a_1_0_exporter_keeps_working_and_the_report_says_the_locale_was_ignored(
    runner, plugins, write, tmp_path, minimal_yaml
):
    source = write("t.yaml", minimal_yaml)
    out = tmp_path / "t.lines"
    result = run(runner, "export", str(source), "-o", str(out), "--locale", "ko", "--report")
    assert result.exit_code == 0, result.stderr
    assert out.read_text().split() == ["treaty-1961", "war", "summit"]
    assert "ignores the locale 'ko'" in result.stderr


def test_export_with_report_resolves_the_locale_even_for_an_exporter_that_ignores_it():
    story = timeline.sample()
    with pytest.raises(timeline.UnknownLocaleError, match="did you mean 'ja'"):
        timeline.export_with_report(story, "json", locale="jp")
    _, report = timeline.export_with_report(story, "json", locale="ru-RU")
    assert report.events == len(story)


def test_the_default_is_english_and_never_the_environment(runner, monkeypatch):
    for name in ("LANG", "LC_ALL", "LANGUAGE", "LC_TIME"):
        monkeypatch.setenv(name, "ru_RU.UTF-8")
    sample = str(timeline.sample_path())
    plain = run(runner, "export", sample, "-f", "markdown")
    assert plain.exit_code == 0
    assert plain.stdout_bytes == timeline.export(timeline.sample(), "markdown")
    assert run(runner, "export", sample, "-f", "markdown", "--locale", "en").stdout_bytes == plain.stdout_bytes


@pytest.mark.parametrize("fmt", CANONICAL)
def test_canonical_formats_do_not_change_with_the_locale(runner, fmt):
    sample = str(timeline.sample_path())
    english = run(runner, "export", sample, "-f", fmt).stdout_bytes
    for code in SUPPORTED_LOCALES:
        assert run(runner, "export", sample, "-f", fmt, "--locale", code).stdout_bytes == english, code


def test_show_in_korean_pads_by_display_width(runner):
    result = run(runner, "show", str(timeline.sample_path()), "--locale", "ko")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "2024년 6월 19일" in result.stdout
    rows = [line for line in lines[1:-1] if "  " in line]
    assert rows
    columns = set()  # every title begins in the same terminal column
    for line in rows:
        date, rest = line.split("  ", 1)
        gap = len(rest) - len(rest.lstrip(" "))
        columns.add(timeline.display_width(date) + 2 + gap)
    assert len(columns) == 1, columns
    count = len(timeline.sample().events)
    assert lines[-1] == f"사건 {count}건"


def test_show_in_english_is_unchanged(runner):
    result = run(runner, "show", str(timeline.sample_path()))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == f"{len(timeline.sample().events)} events"
    assert "19 June 2024" in result.stdout


def test_preview_writes_the_page_in_the_locale(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    result = run(runner, "preview", str(timeline.sample_path()), "--print-path", "--locale", "ru")
    assert result.exit_code == 0, result.stderr
    from pathlib import Path

    page = Path(result.stdout.strip()).read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
