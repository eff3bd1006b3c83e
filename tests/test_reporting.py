"""Plugin API 1.1: exports that say what they kept (context, report, CLI summaries, --report, --strict)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from plugin_kit import PickyExporter

import timeline
from timeline import Date, Event, Timeline
from timeline.cli import cli
from timeline.registry import Registry
from timeline.reporting import accepts_context

BCE_YAML = """
    id: story
    title: Story
    events:
      - {id: gojoseon-legend, title: Gojoseon, start: "-2332"}
      - {id: treaty, title: Treaty, start: "1961-07-06"}
      - {id: summit, title: Summit, start: "2024-06-19"}
"""


def run(runner, *args: str):
    return runner.invoke(cli, list(args), catch_exceptions=False)



def test_plugin_api_is_1_1_and_a_1_0_plugin_still_loads(plugins):
    assert timeline.PLUGIN_API_VERSION == "1.1"
    assert "lines" in plugins.exporters() and "picky" in plugins.exporters()
    assert timeline.pluginapi.api_problem("1.0") is None and timeline.pluginapi.api_problem("1.2") is not None


def test_accepts_context_by_name_or_kwargs():
    class KwOnly:
        def write(self, tl, stream, options, *, context=None): ...

    class Kwargs:
        def write(self, tl, stream, options, **kwargs): ...

    class Old:
        def write(self, tl, stream, options): ...

    assert accepts_context(KwOnly().write) and accepts_context(Kwargs().write)
    assert not accepts_context(Old().write)


def test_summary_is_singular_for_one_event(runner, write, tmp_path):
    source = write("one.yaml", "id: t\ntitle: T\nevents:\n  - {id: a, title: A, start: '1961'}\n")
    out = tmp_path / "one.md"
    result = run(runner, "export", str(source), "-o", str(out))
    assert result.exit_code == 0
    assert result.stderr == f"timeline: wrote 1 event to {out}\n"


def test_summary_counts_what_ical_skipped(runner, write, tmp_path):
    source = write("story.yaml", BCE_YAML)
    out = tmp_path / "story.ics"
    result = run(runner, "export", str(source), "-o", str(out))
    assert result.exit_code == 0
    assert (
        f"timeline: warning: wrote 2 of 3 events to {out}; skipped 1: gojoseon-legend "
        "(iCalendar cannot hold years before 1)" in result.stderr
    )
    assert result.stderr.count("\n") == 1
    assert out.read_bytes().count(b"BEGIN:VEVENT") == 2


def test_coarse_dates_skip_is_counted(runner, tmp_path):
    out = tmp_path / "sample.ics"
    result = run(runner, "export", str(timeline.sample_path()), "-o", str(out), "-O", "coarse_dates=skip")
    assert result.exit_code == 0
    written = out.read_bytes().count(b"BEGIN:VEVENT")
    total = len(timeline.sample())
    assert written < total
    assert f"wrote {written} of {total} events to {out}; skipped {total - written}: " in result.stderr
    assert "coarse_dates=skip" in result.stderr


def test_report_text_lists_fields(runner, write, tmp_path):
    source = write("story.yaml", BCE_YAML)
    result = run(runner, "export", "--report", str(source), "-f", "ical")
    assert result.exit_code == 0 and result.stdout.startswith("BEGIN:VCALENDAR")
    assert "report of the ical export:" in result.stderr
    assert "    gojoseon-legend: iCalendar cannot hold years before 1" in result.stderr


def test_report_json_for_scripts(runner, write, tmp_path):
    source = write("story.yaml", BCE_YAML)
    out = tmp_path / "story.timeline.json"
    result = run(runner, "export", str(source), "-o", str(out), "--report-json", "-")
    assert result.exit_code == 0
    first, _, rest = result.stderr.partition("\n")
    assert first == f"timeline: wrote 3 events to {out}"
    report = json.loads(rest)
    assert json.loads(rest) == json.loads(
        run(runner, "export", str(source), "-o", str(out), "--report-json", str(tmp_path / "r.json")) and
        (tmp_path / "r.json").read_text()
    )
    assert report["format"] == "timelinejs" and report["events"] == 3 and report["wrote"] == 3
    assert report["skipped"] == [] and report["reported"] is True


def test_report_json_approximations(runner, write, tmp_path, minimal_yaml):
    source = write("t.yaml", minimal_yaml)
    result = run(runner, "export", str(source), "-f", "ical", "--report-json", "-")
    report = json.loads(result.stderr)
    assert {"event": "war", "field": "end", "reason": "ongoing: written as a marker on its start, with no end"} in (
        report["approximated"]
    )


def test_strict_fails_and_keeps_the_earlier_file(runner, write, tmp_path):
    source = write("story.yaml", BCE_YAML)
    out = tmp_path / "story.ics"
    out.write_bytes(b"earlier")
    result = run(runner, "export", str(source), "-o", str(out), "--strict")
    assert result.exit_code == 1
    assert "--strict: the ical export left out 1 of 3 events: gojoseon-legend" in result.stderr
    assert out.read_bytes() == b"earlier"
    result = run(runner, "export", str(source), "-o", str(tmp_path / "story.md"), "--strict")
    assert result.exit_code == 0


def test_a_1_0_plugin_gets_an_honest_summary(runner, plugins, write, tmp_path, minimal_yaml):
    source = write("t.yaml", minimal_yaml)
    out = tmp_path / "t.lines"
    result = run(runner, "export", str(source), "-o", str(out), "--report")
    assert result.exit_code == 0
    assert out.read_text().split() == ["treaty-1961", "war", "summit"]
    assert f"timeline: wrote {out} (the 'lines' exporter does not report what it kept)" in result.stderr
    assert "does not accept a context (plugin API 1.0)" in result.stderr
    assert run(runner, "export", str(source), "-o", str(out), "--strict").exit_code == 1


def test_a_1_1_plugin_gets_the_context_and_its_report_shows(runner, plugins, write, tmp_path, minimal_yaml):
    PickyExporter.contexts.clear()
    source = write("t.yaml", minimal_yaml)
    out = tmp_path / "t.picky"
    result = run(runner, "export", str(source), "-o", str(out), "--report")
    assert result.exit_code == 0
    [context] = PickyExporter.contexts
    assert isinstance(context, timeline.ExportContext) and context.locale == "en"
    assert f"wrote 2 of 3 events to {out}; skipped 1: war (picky cannot show an event still going on)" in (
        result.stderr
    )
    assert "    war: picky cannot show an event still going on" in result.stderr


def test_export_with_report_python_api():
    tl = Timeline(id="t", title="T", events=[
        Event(id="old", title="Old", start=Date(-50)), Event(id="new", title="New", start=Date(1961, 7, 6)),
    ])
    data, report = timeline.export_with_report(tl, "ical", options={"sources": False})
    assert data is not None and data.count(b"BEGIN:VEVENT") == 1
    assert isinstance(report, timeline.ExportReport) and report.reported
    assert report.wrote == ("new",)
    assert report.skipped == (timeline.ReportEntry("old", "iCalendar cannot hold years before 1"),)
    assert report.lost and report.events == 2
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert timeline.export(tl, "ical") == timeline.export_with_report(tl, "ical")[0]
    assert [str(w.message) for w in caught] == [
        "ical: skipped 1 of 2 events: old (iCalendar cannot hold years before 1)"
    ]


def test_export_with_report_check_keeps_the_file(tmp_path: Path):
    tl = Timeline(id="t", title="T", events=[Event(id="old", title="Old", start=Date(-50))])
    out = tmp_path / "x.ics"
    out.write_bytes(b"earlier")

    def refuse(report: timeline.ExportReport) -> None:
        if report.lost:
            raise timeline.ExportError("lost")

    with pytest.raises(timeline.ExportError):
        timeline.export_with_report(tl, dest=out, check=refuse)
    assert out.read_bytes() == b"earlier"


def test_a_1_1_reader_gets_a_read_context(tmp_path):
    seen = []

    class Reader:
        name = "ctx"
        extensions = (".ctx",)
        description = "JSON, with a context"

        def read(self, data, source, *, context=None):
            seen.append(context)
            context.report.skipped("dropped", "the reader could not read it")
            return timeline.Document(json.loads(data))

    class Plugin:
        @timeline.hookimpl
        def timeline_readers(self):
            return [Reader()]

    registry = Registry()
    registry.register(Plugin(), name="ctx")
    path = tmp_path / "t.ctx"
    path.write_text('{"id": "t", "title": "T", "events": []}')
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        timeline.load(path, registry=registry)
    assert isinstance(seen[0], timeline.ReadContext) and dict(seen[0].options) == {}
    assert any("skipped dropped: the reader could not read it" in str(w.message) for w in caught)
