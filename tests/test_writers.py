"""The yaml and toml exporters (issue 14): the data format written for people, read back the same."""

from __future__ import annotations

import json
import sys
import warnings

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from strategies import spans

import timeline
from timeline import Timeline
from timeline.testing import corpus

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FORMATS = ("yaml", "toml")
#: Strings a careless writer gets wrong: they look like other YAML or TOML values, or hold escapes.
TRICKY = (
    "yes", "No", "on", "null", "~", "", " ", "1961", "02024", "0x1F", "1:20", "1_000", "1e3", ".inf", ".NaN",
    "2024-06-19", "2024-06-19T02:22", "..", "...", "---", "- item", "? key", ": x", "a: b", "a #b", "#comment",
    "trailing:", "&anchor", "*alias", "!!python/object", "|", ">", "'single'", '"double"', "%TAG", "@at", "`tick",
    " lead", "trail ", "tab\there", "line\nbreak", "two\n\nbreaks\n", "end\n", "\nstart", "crlf\r\nline",
    "back\\slash", 'quote"s', '"""', 'x"""y""', 'ends with "', "\u2028ls", "para\u2029", "bom\ufeff", "nel\x85",
    "Россия", "조선", "👩\u200d👩\u200d👧", "=", "<<", "{a: 1}", "[1, 2]", "a, b", "x" * 90,
)

_texts = st.one_of(st.sampled_from(TRICKY), st.text(max_size=30))
_keys = st.one_of(st.sampled_from(TRICKY), st.text(max_size=12))
_plain_values = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False), _texts,
)
_extra = st.recursive(
    _plain_values,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_keys, inner, max_size=3),
    max_leaves=8,
)


def _relation(draw: st.DrawFn, index: int) -> dict:
    """A link to the first event, plain or with a label of tricky text (none for the first event)."""
    if index == 0 or not draw(st.booleans()):
        return {}
    label = draw(st.none() | _texts.filter(lambda t: t.strip() != "" and len(t) <= 40))
    return {"related": ("e0",), "relation_labels": {} if label is None else {"e0": label}}


#: Tags YAML 1.1 would read as something else unquoted (no, yes, on, off), and ones with a script or region.
_TAGS = st.sampled_from(["ru", "ko", "no", "yes", "on", "off", "pt-BR", "zh-Hant", "sr-Latn-RS", "en", "es"])
_nonblank = _texts.filter(lambda t: t.strip() != "")
_translations = st.dictionaries(
    _TAGS,
    st.builds(timeline.Translation, title=st.none() | _nonblank, description=st.none() | _nonblank).filter(
        lambda t: t.title is not None or t.description is not None),
    max_size=3,
)


@st.composite
def timelines(draw: st.DrawFn, with_null: bool = True) -> Timeline:
    """Valid timelines with text of every kind, and extra data (with or without nulls)."""
    events = []
    for index in range(draw(st.integers(min_value=0, max_value=3))):
        start, end, ongoing = draw(spans())
        extra = draw(st.dictionaries(_keys, _extra, max_size=3))
        if not with_null:
            extra = json.loads(json.dumps(extra).replace("null", "0"))
        events.append(
            timeline.Event(
                id=f"e{index}",
                title=draw(_texts.filter(lambda t: t.strip() != "")),
                start=start,
                end=end,
                ongoing=ongoing,
                description=draw(_texts),
                tags=tuple(draw(st.lists(_texts.filter(lambda t: t.strip() != ""), max_size=2, unique=True))),
                group=draw(st.none() | _texts.filter(lambda t: t.strip() != "")),
                sources=(timeline.Source(title=draw(_texts.filter(lambda t: t.strip() != "")),
                                         url=draw(st.none() | st.just("https://example.org/a?b=c#d"))),),
                extra=extra,
                **_relation(draw, index),
                translations=draw(_translations),
            )
        )
    eras = [timeline.Era(title=draw(_nonblank), start=timeline.Date(1950), end=timeline.Date(1953),
                         translations=draw(_translations))]
    tl = Timeline(id="random", title=draw(_texts.filter(lambda t: t.strip() != "")), events=events,
                  description=draw(_texts), eras=draw(st.sampled_from([[], eras])), translations=draw(_translations))
    try:
        timeline.validate(tl)
    except timeline.InvalidTimelineError:
        assume(False)
    return tl


def _load(data: bytes, fmt: str) -> Timeline:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return timeline.load_bytes(data, input_format=fmt, name=f"x.{fmt}")


def _from_file(tl: Timeline) -> Timeline:
    """``tl`` as loading a file gives it (local times resolved, shorthand expanded)."""
    return _load(timeline.export(tl, "json"), "json")


def _round_trip(tl: Timeline, fmt: str) -> tuple[Timeline, bytes]:
    data = timeline.export(tl, fmt)
    assert isinstance(data, bytes)
    again = _load(data, fmt)
    assert timeline.export(again, fmt) == data, f"{fmt}: exporting what was read back gives other bytes"
    return again, data


@pytest.mark.parametrize("fmt", FORMATS)
def test_sample_round_trips_to_the_same_model_and_bytes(fmt):
    loaded = timeline.sample()
    again, _ = _round_trip(loaded, fmt)
    assert again == loaded
    assert timeline.export(again, "json") == timeline.export(loaded, "json")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", sorted(corpus()))
def test_corpus_round_trips(fmt, case):
    try:
        loaded = _from_file(corpus()[case])
    except timeline.InvalidTimelineError as refused:  # a timeline built in code that no file may hold
        with pytest.raises(timeline.InvalidTimelineError) as too:
            _load(timeline.export(corpus()[case], fmt), fmt)
        assert [p.message for p in too.value.problems] == [p.message for p in refused.problems]
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # toml: nulls in extra are reported
        data, report = timeline.export_with_report(loaded, fmt)
    again = _load(data, fmt)
    if fmt == "toml" and report.approximated:
        assert {entry.field for entry in report.approximated} == {"extra"}
        assert [e.id for e in again.events] == [e.id for e in loaded.events]
    else:
        assert again == loaded
    assert timeline.export(again, fmt) == data


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(tl=timelines(with_null=False))
def test_generated_timelines_round_trip(fmt, tl):
    loaded = _from_file(tl)
    again, _ = _round_trip(loaded, fmt)
    assert again == loaded


@settings(max_examples=300, deadline=None)
@given(text=st.text())
@example("yes")
@example("nel\x85x")
@example("a\u2028b")
def test_yaml_strings_read_back_as_written(text):
    """Any text at all: PyYAML's own safe loader reads back the string the writer wrote."""
    from timeline.plugins._yaml_writer import _literal_ok, double_quoted, yaml_scalar

    assert yaml.safe_load("k: " + yaml_scalar(text)) == {"k": text}
    assert yaml.safe_load("k: " + double_quoted(text)) == {"k": text}
    assert yaml.safe_load(yaml_scalar(text) + ": 1") == {text: 1}
    if _literal_ok(text):
        body = text[:-1] if text.endswith("\n") else text
        block = "k: " + ("|" if text.endswith("\n") else "|-") + "\n" + "\n".join(
            "  " + line if line else "" for line in body.split("\n")) + "\n"
        assert yaml.safe_load(block) == {"k": text}


@settings(max_examples=300, deadline=None)
@given(text=st.text())
@example('x"""y""')
@example('"')
@example("\\\n")
def test_toml_strings_read_back_as_written(text):
    from timeline.plugins._toml_writer import _multiline, toml_string

    assert tomllib.loads("k = " + toml_string(text)) == {"k": text}
    assert tomllib.loads("k = " + _multiline(text)) == {"k": text}
    assert tomllib.loads(toml_string(text) + " = 1") == {text: 1}


@settings(max_examples=200, deadline=None)
@given(value=st.floats(allow_nan=False, allow_infinity=False) | st.integers())
def test_numbers_keep_their_type_and_value(value):
    from timeline.plugins._toml_writer import _inline
    from timeline.plugins._yaml_writer import yaml_scalar

    read = yaml.safe_load("k: " + yaml_scalar(value))["k"]
    assert read == value and type(read) is type(value)
    read = tomllib.loads("k = " + _inline(value, "k", print))["k"]
    assert read == value and type(read) is type(value)


def test_yaml_layout_is_for_people():
    text = timeline.export(timeline.sample(), "yaml").decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "id: russia-dprk" and lines[1].startswith("title: Russia and North Korea, 1945–2024")
    assert "description: |" in lines  # block scalar, not an escaped one-liner
    assert '    start: "1961-07-06"' in lines and '    end: ".."' in lines  # dates quoted
    assert "events:" in lines and any(line.startswith("  - id: ") for line in lines)
    assert "\\u" not in text and "Russia–DPRK" in text  # Unicode unescaped
    assert not any(line.endswith(" ") for line in lines)


def test_yaml_field_order_is_the_documented_one():
    tl = corpus()["everything"]
    written = yaml.safe_load(timeline.export(tl, "yaml"))
    canonical = json.loads(timeline.export(tl, "json"))
    assert list(written) == list(canonical)
    for mine, theirs in zip(written["events"], canonical["events"], strict=True):
        assert list(mine) == list(theirs) and mine == theirs
    assert written == canonical  # the same data as the canonical JSON


def test_toml_holds_the_same_data_as_the_json():
    tl = _from_file(corpus()["sources-media-locations"])
    data, report = timeline.export_with_report(tl, "toml")
    written = tomllib.loads(data.decode("utf-8"))
    canonical = json.loads(timeline.export(tl, "json"))
    assert canonical["events"][0]["extra"]["nested"]["list"][2] == {"deep": None}
    canonical["events"][0]["extra"]["nested"]["list"][2] = {}  # TOML has no null, and says so:
    assert [(e.event, e.reason) for e in report.approximated] == [
        ("full", "TOML has no null: extra.nested.list[2].deep is left out")
    ]
    assert written == canonical
    assert [list(e) for e in written["events"]] == [list(e) for e in canonical["events"]]


def test_toml_reports_the_nulls_it_cannot_hold():
    event = timeline.Event(id="a", title="A", start=timeline.Date(2024),
                           extra={"gone": None, "list": [1, None, 2], "kept": {"deep": None, "x": 1}})
    tl = Timeline(id="t", title="T", events=[event])
    data, report = timeline.export_with_report(tl, "toml")
    assert report.reported and report.wrote == ("a",)
    reasons = [(entry.event, entry.field, entry.reason) for entry in report.approximated]
    assert reasons == [
        ("a", "extra", "TOML has no null: extra.gone is left out"),
        ("a", "extra", "TOML has no null: extra.kept.deep is left out"),
        ("a", "extra", "TOML has no null: extra.list[1] is left out"),
    ]
    assert tomllib.loads(data.decode())["events"][0]["extra"] == {"kept": {"x": 1}, "list": [1, 2]}
    yaml_data, yaml_report = timeline.export_with_report(tl, "yaml")
    assert not yaml_report.approximated and _load(yaml_data, "yaml").events[0].extra == event.extra


def test_toml_multiline_description_and_sources_keep_the_order():
    text = timeline.export(timeline.sample(), "toml").decode("utf-8")
    assert 'description = """\n' in text and "sources = [\n  { title = " in text
    assert 'start = "1945-06-26"' in text and "[[events]]" in text
    assert "\\u" not in text and "Russia–DPRK" in text


def test_empty_timeline(tmp_path):
    tl = Timeline(id="empty", title="Empty")
    for fmt in FORMATS:
        data = timeline.export(tl, fmt)
        assert _load(data, fmt) == tl
    assert timeline.export(tl, "yaml") == b"id: empty\ntitle: Empty\n\nevents: []\n"
    assert timeline.export(tl, "toml") == b'id = "empty"\ntitle = "Empty"\nevents = []\n'


def test_migration_path_from_the_command_line(runner, tmp_path):
    from timeline.cli import cli

    story = tmp_path / "story.yaml"
    result = runner.invoke(cli, ["export", "-o", str(story)])
    assert result.exit_code == 0, result.output
    assert "wrote 57 events" in result.stderr
    toml_file = tmp_path / "story.toml"
    result = runner.invoke(cli, ["export", str(story), "-o", str(toml_file)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["export", str(toml_file), "-f", "json"])
    assert result.stdout.encode() == timeline.export(timeline.sample(), "json")


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_exporter_page_shows_what_it_writes(fmt):
    """docs/exporters/FMT.md shows the data format's example as the exporter writes it."""
    import re
    from pathlib import Path

    docs = Path(__file__).resolve().parent.parent / "docs"
    example = re.search(r"<!-- example: example.yaml -->\n```yaml\n(.*?)```", (docs / "data-format.md").read_text(
        encoding="utf-8"), re.S)
    shown = re.search(rf"<!-- exported: {fmt} -->\n```{fmt}\n(.*?)```", (docs / "exporters" / f"{fmt}.md").read_text(
        encoding="utf-8"), re.S)
    assert example and shown
    story = timeline.load_bytes(example.group(1).encode(), input_format="yaml")
    assert timeline.export(story, fmt).decode("utf-8") == shown.group(1)
