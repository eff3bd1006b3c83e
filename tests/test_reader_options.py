"""Reader options (plugin API 1.1): declared by a reader, checked by the host, given in ReadContext.options.

Also ``timeline check --report``: what readers reported, per file.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

import timeline
import timeline.registry as registry_module
from timeline.cli import cli
from timeline.registry import Registry

pytestmark = pytest.mark.filterwarnings("ignore:.*reader 'opts':UserWarning")

DATA = {"id": "t", "title": "T", "events": [
    {"id": "a", "title": "A", "start": "2024"},
    {"id": "b", "title": "B", "start": "2023", "extra": {"drop": True}},
]}


class OptionsReader:
    """Reads ``.opts`` files (JSON); drops events whose ``extra.drop`` is set, and says so."""

    name = "opts"
    extensions = (".opts",)
    description = "JSON with reader options"
    options = (
        timeline.Option("limit", "read at most this many events", type="int", default=100, minimum=0),
        timeline.Option("mode", "how to read", choices=("strict", "lax"), default="strict"),
        timeline.Option("drop", "drop events marked drop", type="bool", default=True),
    )
    seen: ClassVar[list[Any]] = []

    def read(self, data: bytes, source: str, *, context: Any = None) -> timeline.Document:
        type(self).seen.append(context)
        content = json.loads(data)
        kept = []
        for event in content["events"][: context.options["limit"]]:
            if context.options["drop"] and event.get("extra", {}).get("drop"):
                context.report.skipped(event["id"], "marked drop")
                continue
            kept.append(event)
            context.report.approximated(event["id"], "start", "read as a year")
        content["events"] = kept
        return timeline.Document(content)


class OldReader:
    """A plugin API 1.0 reader: no context, so it cannot report (and declares no options)."""

    name = "old-opts"
    extensions = (".old",)
    description = "JSON, 1.0 style"

    def read(self, data: bytes, source: str) -> timeline.Document:
        return timeline.Document(json.loads(data))


class ConfusedReader(OldReader):
    """Declares options but takes no context: it could never be given them."""

    name = "confused"
    extensions = (".confused",)
    options = (timeline.Option("x", "an option"),)


class Plugin:
    @timeline.hookimpl
    def timeline_readers(self) -> list[Any]:
        return [OptionsReader(), OldReader(), ConfusedReader()]


@pytest.fixture
def registry() -> Iterator[Registry]:
    """The CLI's registry: the built-ins and the test readers."""
    found = Registry()
    found.register(Plugin(), name="opts")
    saved = registry_module._default
    registry_module._default = found
    OptionsReader.seen.clear()
    try:
        yield found
    finally:
        registry_module._default = saved


@pytest.fixture
def opts_file(tmp_path):
    path = tmp_path / "story.opts"
    path.write_text(json.dumps(DATA), encoding="utf-8")
    return path


def test_declared_options_reach_the_reader_with_defaults(registry, opts_file):
    story = timeline.load(opts_file, registry=registry, reader_options={"limit": "1"})
    assert [e.id for e in story.events] == ["a"]
    assert dict(OptionsReader.seen[-1].options) == {"limit": 1, "mode": "strict", "drop": True}
    timeline.load(opts_file, registry=registry)
    assert dict(OptionsReader.seen[-1].options) == {"limit": 100, "mode": "strict", "drop": True}


def test_options_are_typed_and_checked(registry, opts_file):
    story = timeline.load(opts_file, registry=registry, reader_options={"drop": False, "mode": "lax"})
    assert len(story) == 2
    with pytest.raises(timeline.OptionError, match="'limit' takes an integer"):
        timeline.load(opts_file, registry=registry, reader_options={"limit": "many"})
    with pytest.raises(timeline.OptionError, match="must be one of: strict, lax"):
        timeline.load(opts_file, registry=registry, reader_options={"mode": "loose"})
    with pytest.raises(timeline.OptionError, match="at least 0"):
        timeline.load(opts_file, registry=registry, reader_options={"limit": -1})


def test_unknown_option_names_the_reader_and_lists_its_options(registry, opts_file):
    with pytest.raises(timeline.OptionError) as caught:
        timeline.load(opts_file, registry=registry, reader_options={"limt": 3})
    message = str(caught.value)
    assert "reader 'opts' has no option 'limt'" in message
    assert "did you mean 'limit'" in message and "its options are: drop, limit, mode" in message
    assert caught.value.exit_code == 2


def test_a_reader_without_options_takes_none(registry, tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("id: t\ntitle: T\nevents: []\n", encoding="utf-8")
    with pytest.raises(timeline.OptionError, match="reader 'yaml' takes no options"):
        timeline.load(path, registry=registry, reader_options={"zone": "UTC"})


def test_mixed_readers_each_get_what_they_declare(registry, opts_file, tmp_path):
    other = tmp_path / "more.yaml"
    other.write_text("events: [{id: c, title: C, start: '2020'}]\n", encoding="utf-8")
    story = timeline.load([opts_file, other], registry=registry, reader_options={"limit": 1})
    assert [e.id for e in story.events] == ["c", "a"]
    with pytest.raises(timeline.OptionError, match=r"no reader of these files has option 'nope'.*opts: limit, mode"):
        timeline.load([opts_file, other], registry=registry, reader_options={"nope": 1})


def test_load_bytes_takes_reader_options(registry):
    story = timeline.load_bytes(json.dumps(DATA).encode(), input_format="opts", registry=registry,
                                reader_options={"drop": "no"})
    assert len(story) == 2
    with pytest.raises(timeline.OptionError):
        timeline.load_bytes(b"{}", input_format="opts", registry=registry, reader_options={"x": 1})


def test_options_for_a_reader_that_takes_no_context_are_refused(registry, tmp_path):
    path = tmp_path / "a.confused"
    path.write_text(json.dumps(DATA), encoding="utf-8")
    with pytest.raises(timeline.OptionError, match="takes no context"):
        timeline.load(path, registry=registry, reader_options={"x": "1"})


def test_reports_list_replaces_the_warnings(registry, opts_file):
    with pytest.warns(UserWarning, match="skipped b: marked drop"):
        timeline.load(opts_file, registry=registry)
    reports: list[timeline.ReadReport] = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        timeline.load(opts_file, registry=registry, reports=reports)
    (report,) = reports
    assert report.reader == "opts" and report.reported and report.source == str(opts_file)
    assert [(e.event, e.reason) for e in report.skipped] == [("b", "marked drop")]
    assert [(e.event, e.field) for e in report.approximated] == [("a", "start")]
    assert report.as_dict()["options"] == {"limit": 100, "mode": "strict", "drop": True}


def test_a_1_0_reader_reports_that_it_cannot_report(registry, tmp_path):
    path = tmp_path / "a.old"
    path.write_text(json.dumps(DATA), encoding="utf-8")
    reports: list[timeline.ReadReport] = []
    timeline.load(path, registry=registry, reports=reports)
    assert not reports[0].reported and "does not accept a context" in reports[0].text()


# --- the command line ----------------------------------------------------------------------------


def test_cli_reader_option_on_every_reading_command(runner, registry, opts_file, tmp_path):
    result = runner.invoke(cli, ["check", str(opts_file), "-R", "limit=1"])
    assert result.exit_code == 0, result.output
    assert "1 event" in result.stdout and OptionsReader.seen[-1].options["limit"] == 1
    result = runner.invoke(cli, ["show", str(opts_file), "--reader-option", "drop=false"])
    assert result.exit_code == 0 and "2 events" in result.stdout
    result = runner.invoke(cli, ["export", str(opts_file), "-f", "json", "-R", "mode=lax"])
    assert result.exit_code == 0 and OptionsReader.seen[-1].options["mode"] == "lax"
    result = runner.invoke(cli, ["preview", str(opts_file), "--print-path", "-R", "limit=1"])
    assert result.exit_code == 0, result.output


def test_cli_bad_reader_option_is_a_usage_error(runner, registry, opts_file):
    result = runner.invoke(cli, ["check", str(opts_file), "-R", "limt=1"])
    assert result.exit_code == 2
    assert "reader 'opts' has no option 'limt' (did you mean 'limit'?)" in result.stderr
    result = runner.invoke(cli, ["export", "-", "-I", "opts", "-f", "json", "-R", "mode=x"], input="{}")
    assert result.exit_code == 2 and "must be one of: strict, lax" in result.stderr
    assert OptionsReader.seen == []  # refused before anything was read


def test_cli_reader_option_from_standard_input(runner, registry):
    result = runner.invoke(cli, ["check", "-", "-I", "opts", "-R", "limit=1"], input=json.dumps(DATA))
    assert result.exit_code == 0 and "1 event" in result.stdout


def test_formats_lists_reader_options(runner, registry):
    result = runner.invoke(cli, ["formats"])
    assert result.exit_code == 0
    assert "-R limit=<int>" in result.stdout and "read at most this many events" in result.stdout
    assert "one of: strict, lax" in result.stdout


def test_check_report_prints_what_readers_reported(runner, registry, opts_file, tmp_path):
    result = runner.invoke(cli, ["check", str(opts_file), "--report"])
    assert result.exit_code == 0
    assert f"report of reading {opts_file} (reader opts):" in result.stderr
    assert "b: marked drop" in result.stderr and "a start: read as a year" in result.stderr
    assert "options: limit=100, mode=strict, drop=true" in result.stderr
    assert "warning" not in result.stderr  # the report replaces the warnings
    plain = tmp_path / "plain.yaml"
    plain.write_text("id: t\ntitle: T\nevents: []\n", encoding="utf-8")
    result = runner.invoke(cli, ["check", str(plain), "--report"])
    assert "(reader yaml):\n  nothing skipped or approximated" in result.stderr


def test_check_report_is_printed_even_when_the_data_is_bad(runner, registry, tmp_path):
    bad = dict(DATA, events=[*DATA["events"], {"id": "c", "title": "C", "start": "2024-13"}])
    path = tmp_path / "bad.opts"
    path.write_text(json.dumps(bad), encoding="utf-8")
    result = runner.invoke(cli, ["check", str(path), "--report"])
    assert result.exit_code == 1 and "b: marked drop" in result.stderr


def test_the_reader_kit_checks_declared_options():
    from timeline.testing import ReaderConformance

    class Kit(ReaderConformance):
        reader = OptionsReader()

    Kit().test_options_are_valid()

    class BadOption(OptionsReader):
        options = (timeline.Option("Bad-Name", "h"),)

    Kit.reader = BadOption()
    with pytest.raises(AssertionError):
        Kit().test_options_are_valid()
    Kit.reader = ConfusedReader()
    with pytest.raises(AssertionError, match="must accept a keyword-only context"):
        Kit().test_options_are_valid()
