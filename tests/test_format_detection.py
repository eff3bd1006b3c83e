"""Format look-up messages: an unknown -I/-f names the format claiming it as an extension or alias,
and TimelineJS JSON given to the JSON reader says which reader to use instead of failing field by field."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

import timeline
import timeline.registry as registry_module
from timeline.cli import cli
from timeline.registry import Registry


class SheetReader:
    """A stand-in spreadsheet reader: claims .tsv and the alias 'spreadsheet' (the built-in sheet reader has .csv)."""

    name = "sheet-events"
    extensions = (".tsv",)
    aliases = ("spreadsheet",)
    description = "CSV rows"

    def read(self, data: bytes, source: str) -> timeline.Document:
        return timeline.Document({"title": "Sheet", "events": []})


class SheetPlugin:
    @timeline.hookimpl
    def timeline_readers(self) -> list[Any]:
        return [SheetReader()]


@pytest.fixture
def registry() -> Iterator[Registry]:
    found = Registry()
    found.register(SheetPlugin(), name="sheet")
    saved = registry_module._default
    registry_module._default = found
    try:
        yield found
    finally:
        registry_module._default = saved


def test_unknown_input_format_suggests_the_reader_of_that_extension(registry):
    with pytest.raises(timeline.UnknownFormatError) as caught:
        registry.reader("tsv")
    assert "unknown input format 'tsv' (did you mean 'sheet-events', for .tsv files?)" in str(caught.value)
    with pytest.raises(timeline.UnknownFormatError, match=r"did you mean 'sheet-events', for \.tsv files"):
        registry.reader(".TSV")


def test_unknown_input_format_suggests_a_declared_alias(registry):
    with pytest.raises(timeline.UnknownFormatError, match="did you mean 'sheet-events'"):
        registry.reader("spreadsheet")


def test_minus_i_csv_suggests_the_built_in_sheet_reader():
    with pytest.raises(timeline.UnknownFormatError, match=r"did you mean 'timelinejs-sheet', for \.csv files"):
        Registry().reader("csv")


def test_unknown_output_format_suggests_by_extension_too():
    with pytest.raises(timeline.UnknownFormatError, match=r"did you mean 'markdown', for \.md files"):
        Registry().exporter("md")
    with pytest.raises(timeline.UnknownFormatError, match=r"unknown format 'nope'; available"):
        Registry().exporter("nope")


def test_cli_from_cannot_tell_to_the_right_reader(runner, tmp_path):
    sheet = tmp_path / "sheet.tsv"
    sheet.write_text("id,start\n", encoding="utf-8")
    result = runner.invoke(cli, ["check", str(sheet)])
    assert result.exit_code == 1 and "name it with --input-format" in result.stderr
    found = Registry()
    found.register(SheetPlugin(), name="sheet")
    saved = registry_module._default
    registry_module._default = found
    try:
        result = runner.invoke(cli, ["check", str(sheet), "-I", "tsv"])
    finally:
        registry_module._default = saved
    assert result.exit_code == 2
    assert "unknown input format 'tsv' (did you mean 'sheet-events', for .tsv files?)" in result.stderr


TIMELINEJS_TITLE = {"title": {"text": {"headline": "A story"}}, "events": []}
TIMELINEJS_EVENTS = {"events": [{"start_date": {"year": "1961", "month": "7"}, "text": {"headline": "Treaty"}}]}


@pytest.mark.parametrize(("content", "shape"), [
    (TIMELINEJS_TITLE, "a title slide with 'text'"),
    (TIMELINEJS_EVENTS, "events with 'start_date' objects"),
])
def test_timelinejs_json_read_as_json_names_the_timelinejs_reader(tmp_path, content, shape):
    path = tmp_path / "story.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(timeline.InvalidTimelineError) as caught:
        timeline.load(path)
    (problem,) = caught.value.problems
    assert f"this is TimelineJS JSON ({shape})" in problem.message and "-I timelinejs" in problem.message


def test_our_own_timelinejs_export_is_recognised(runner):
    data = timeline.export(timeline.sample(), "timelinejs")
    result = runner.invoke(cli, ["check", "-", "-I", "json"], input=data)
    assert result.exit_code == 1 and "read it with -I timelinejs" in result.stderr
    assert result.stderr.count("\n") <= 3  # one problem, not one per field of every slide


def test_the_data_format_is_never_taken_for_timelinejs():
    data = {"title": "T", "events": [{"id": "a", "title": "A", "start": "1961",
                                      "extra": {"start_date": {"year": 1961}, "title": {"text": "x"}}}]}
    story = timeline.load_bytes(json.dumps(data).encode(), input_format="json")
    assert story.events[0].extra["start_date"] == {"year": 1961}
