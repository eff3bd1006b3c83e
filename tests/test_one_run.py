"""Issue 12: every problem in one run, and one rule set for files and code.

A file with a problem in every field family, in one event and spread over
events, reports all of them at once, in JSON, YAML and TOML alike, with no
consequential noise; ``timeline check --json`` gives the same list as a
JSON document; :func:`timeline.validate` applies the rules ``load`` applies.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

import timeline
from timeline import Date, Event, Media, Source, Timeline
from timeline.cli import cli

# (field, what its message must say) for the event with a problem in every field
ONE_EVENT: list[tuple[str, str]] = [
    ("id", "'Bad Id' is not a valid id"),
    ("title", "expected text, got a number"),
    ("start", "February 2024 has 29 days"),
    ("end", "'2024-13' is not a valid date"),
    ("timezone", "Mars/Olympus"),
    ("order", "5000 is not between -1000 and 1000"),
    ("description", "control character U+001B"),
    ("tags[0]", "expected non-empty text"),
    ("group", "expected text, got a number"),
    ("location.name", "control character U+001B"),
    ("location.lat", "200.0 is not a latitude"),
    ("location.lon", "expected a number, got text"),
    ("media.url", "'javascript:alert(1)' is not an http(s) URL"),
    ("media.caption", "expected text, got a number"),
    ("sources[0]", "a source needs a title or a url"),
    ("sources[1].url", "'ftp://example.org/x' is not an http(s) URL"),
    ("sources[1].date", "'2024-02-31' is not a valid date"),
    ("sources[2].title", "expected text, got a number"),
    ("related[0]", "no event has the id 'nowhere'"),
    ("extra.note", "control character U+0007"),
    ("sorces", "unknown field 'sorces'"),
]

EVERYTHING_WRONG: dict[str, Any] = {
    "id": "Bad Id",
    "title": 5,
    "start": "2024-02-30",
    "end": "2024-13",
    "timezone": "Mars/Olympus",
    "order": 5000,
    "description": "bad \x1b[31m",
    "tags": [""],
    "group": 7,
    "location": {"name": "x\x1b", "lat": 200, "lon": "east"},
    "media": {"url": "javascript:alert(1)", "caption": 3},
    "sources": [
        {"title": None, "url": None},
        {"title": "S", "url": "ftp://example.org/x", "date": "2024-02-31"},
        {"title": 9, "url": "https://example.org/ok"},
    ],
    "related": ["nowhere"],
    "extra": {"note": "bell \x07"},
    "sorces": [],
}


def _ok(event_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": event_id, "title": event_id.title(), "start": "2024-06-19", **fields}


# one event per family, each otherwise well-formed: (event, field, message)
SPREAD: list[tuple[dict[str, Any], str, str]] = [
    ({"id": "UPPER", "title": "T", "start": "2024"}, "id", "is not a valid id"),
    (_ok("title", title="   "), "title", "must not be empty"),
    (_ok("date", start="2023-02-29"), "start", "February 2023 has 28 days"),
    (_ok("interval", start="2020/2010"), "start", "the interval ends"),
    (_ok("reversed", start="2020", end="2019"), "end", "ends (2019) before it starts (2020)"),
    (_ok("zone", timezone="Nowhere/City", start="2024-06-19T10:00"), "timezone", "Nowhere/City"),
    (_ok("order", order=-1001), "order", "-1001 is not between"),
    (_ok("tags", tags=["ok", 4]), "tags[1]", "expected non-empty text"),
    (_ok("group", group=["a"]), "group", "expected text, got a list"),
    (_ok("lat", location={"lat": -91, "lon": 0}), "location.lat", "-91.0 is not a latitude"),
    (_ok("lon", location={"lat": 0, "lon": 181}), "location.lon", "181.0 is not a longitude"),
    (_ok("pair", location={"name": "X", "lat": 1}), "location", "give both 'lat' and 'lon'"),
    (_ok("place", location={"name": "\x9b2J"}), "location.name", "control character U+009B"),
    (_ok("media", media={"url": "data:text/html,x"}), "media.url", "is not an http(s) URL"),
    (_ok("caption", media={"url": "https://example.org/a.png", "caption": "\x1b]0;x\x07"}), "media.caption", "U+001B"),
    (_ok("source", sources=[{"publisher": "P"}]), "sources[0]", "a source needs a title or a url"),
    (_ok("source-url", sources=[{"url": "javascript:x"}]), "sources[0].url", "is not an http(s) URL"),
    (_ok("source-title", sources=[{"title": "\x7f"}]), "sources[0].title", "control character U+007F"),
    (_ok("source-date", sources=[{"title": "S", "date": "2024-00"}]), "sources[0].date", "is not a valid date"),
    (_ok("related", related=["missing"]), "related[0]", "no event has the id 'missing'"),
    (_ok("self", related=["self"]), "related[0]", "cannot be related to itself"),
    (_ok("extra", extra={"k": {"\x01": 1}}), "extra.k.\x01", "has a key that contains the control character"),
    (_ok("description", description="\x00"), "description", "control character U+0000"),
    (_ok("related-of-bad", start="2024-99", related=["gone"]), "related[0]", "no event has the id 'gone'"),
]


def _toml_value(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items() if v is not None) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value)  # strings, numbers, booleans: JSON's escapes are TOML's


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def _write(tmp_path: Any, fmt: str, events: list[dict[str, Any]]) -> str:
    data = {"title": "Everything wrong", "events": events}
    path = tmp_path / f"bad.{fmt}"
    if fmt == "json":
        path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    elif fmt == "yaml":
        path.write_text(yaml.safe_dump(data, allow_unicode=False, sort_keys=False), encoding="utf-8")
    else:
        lines = ['title = "Everything wrong"']
        for event in events:
            # TOML has no null: a key set to null is left out
            lines += ["", "[[events]]"] + [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in event.items()]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _problems(path: str) -> list[timeline.Problem]:
    with pytest.raises(timeline.InvalidTimelineError) as info:
        timeline.load(path)
    return list(info.value.problems)


CASCADES = ("has a time of day but no zone", "other problems")


@pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
def test_every_field_family_of_one_event_reported_in_one_run(tmp_path, fmt):
    expected = list(ONE_EVENT)
    if fmt == "toml":  # TOML cannot write null: the first source is an empty table
        expected = [(f, m) for f, m in expected]
    problems = _problems(_write(tmp_path, fmt, [EVERYTHING_WRONG]))
    found = [(p.field, p.message) for p in problems]
    for field, message in expected:
        assert any(f == field and message in m for f, m in found), (field, message, found)
    assert all(p.event == "event 'Bad Id'" for p in problems)
    assert len(problems) == len(expected), found  # nothing twice, no consequential noise
    if fmt == "yaml":
        assert all(p.line is not None for p in problems)


@pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
def test_every_field_family_across_events_reported_in_one_run(tmp_path, fmt):
    events = [event for event, _, _ in SPREAD]
    problems = _problems(_write(tmp_path, fmt, events))
    found = [(p.event, p.field, p.message) for p in problems]
    for event, field, message in SPREAD:
        who = f"event {event['id']!r}"
        assert any(e == who and f == field and message in m for e, f, m in found), (who, field, message, found)
    # 'related-of-bad' has two (its date and its link); every other event exactly one
    assert len(problems) == len(SPREAD) + 1, found
    assert not any(cascade in m for _, _, m in found for cascade in CASCADES), found


def test_a_bad_zone_does_not_also_report_its_local_times(write):
    path = write(
        "zone.yaml",
        """
        title: Z
        events:
          - {id: a, title: A, start: "2024-06-19T10:00", end: "2024-06-19T11:00", timezone: Mars/Base}
        """,
    )
    problems = _problems(str(path))
    assert [(p.field, "Mars/Base" in p.message) for p in problems] == [("timezone", True)]


def test_an_event_with_problems_still_counts_for_links_and_ids(write):
    path = write(
        "links.yaml",
        """
        title: L
        events:
          - {id: a, title: A, start: "2024-02-30", related: [b]}
          - {id: b, title: B, start: "2024", related: [a]}
        """,
    )
    problems = _problems(str(path))
    assert [(p.event, p.field) for p in problems] == [("event 'a'", "start")]


def test_check_json_lists_every_problem_with_a_summary(tmp_path, runner):
    path = _write(tmp_path, "yaml", [EVERYTHING_WRONG, _ok("fine")])
    result = runner.invoke(cli, ["check", "--json", path])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert list(document) == ["version", "summary", "problems"]
    assert document["version"] == 1
    summary = document["summary"]
    assert list(summary) == ["ok", "problems", "files_with_problems", "events_with_problems", "events", "eras"]
    assert summary == {
        "ok": False,
        "problems": len(ONE_EVENT),
        "files_with_problems": 1,
        "events_with_problems": 1,
        "events": None,
        "eras": None,
    }
    first = document["problems"][0]
    assert list(first) == ["file", "line", "event", "field", "message", "hint"]
    assert first["file"] == path and isinstance(first["line"], int) and first["event"] == "event 'Bad Id'"
    assert {p["field"] for p in document["problems"]} == {f for f, _ in ONE_EVENT}
    assert result.stdout.isascii()


def test_check_json_when_all_is_well(runner, write, minimal_yaml):
    path = write("ok.yaml", minimal_yaml)
    result = runner.invoke(cli, ["check", "--json", str(path)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["problems"] == []
    assert document["summary"]["ok"] is True and document["summary"]["problems"] == 0
    assert document["summary"]["events"] >= 1


def test_check_json_reports_file_problems_too(runner, tmp_path):
    result = runner.invoke(cli, ["check", "--json", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 1
    problem = json.loads(result.stdout)["problems"][0]
    assert problem["file"].endswith("missing.yaml") and problem["event"] is None and problem["line"] is None


# Lone surrogates and empty sources: what check accepts, every exporter writes


@pytest.mark.parametrize(
    "field, event",
    [
        ("title", {"title": "\ud800"}),
        ("description", {"description": "a \udc00 b"}),
        ("tags[0]", {"tags": ["\ud83d"]}),
        ("group", {"group": "\udfff"}),
        ("location.name", {"location": {"name": "\ud800"}}),
        ("media.caption", {"media": {"url": "https://example.org/a.png", "caption": "\ud800"}}),
        ("sources[0].title", {"sources": [{"title": "\ud800"}]}),
        ("sources[0].publisher", {"sources": [{"title": "T", "publisher": "\ud800"}]}),
        ("related[0]", {"related": ["\ud800"]}),
        ("extra.k", {"extra": {"k": "\ud800"}}),
        ("extra.\ud800", {"extra": {"\ud800": 1}}),
    ],
)
def test_a_lone_surrogate_is_refused_naming_event_and_field(field, event):
    data = {"title": "S", "events": [{"id": "a", "title": "A", "start": "2024", **event}]}
    raw = json.dumps(data).encode()  # json.dumps writes "\ud800" as an escape
    with pytest.raises(timeline.InvalidTimelineError) as info:
        timeline.load_bytes(raw, input_format="json")
    (problem,) = info.value.problems
    assert (problem.event, problem.field) == ("event 'a'", field)
    assert "lone surrogate" in problem.message


def test_a_lone_surrogate_in_the_header_is_refused():
    raw = json.dumps({"title": "\ud800", "events": []}).encode()
    with pytest.raises(timeline.InvalidTimelineError, match="field 'title': contains a lone surrogate U\\+D800"):
        timeline.load_bytes(raw, input_format="json")


@pytest.mark.parametrize(
    "source",
    [{"title": None, "url": None}, {"title": "", "url": None}, {"title": " ", "publisher": "P"}, {"url": ""}, ""],
)
def test_a_source_needs_a_title_or_a_url(source):
    data = {"title": "S", "events": [{"id": "a", "title": "A", "start": "2024", "sources": [source]}]}
    with pytest.raises(timeline.InvalidTimelineError) as info:
        timeline.load_bytes(json.dumps(data).encode(), input_format="json")
    (problem,) = info.value.problems
    assert (problem.field, problem.message) == ("sources[0]", "a source needs a title or a url")


# validate() applies the rules load() applies


T = Timeline  # short, for the table below


def _event(**fields: Any) -> Event:
    return Event(**{"id": "a", "title": "A", "start": Date(2024), **fields})


@pytest.mark.parametrize(
    "build, who, field, message",
    [
        (lambda: T(id="t", title="T", events=[_event(id="Bad Id")]), "event 'Bad Id'", "id", "is not a valid id"),
        (lambda: T(id="../../x", title="T"), "timeline", "id", "'../../x' is not a valid id"),
        (lambda: T(id="t", title="T", events=[_event(title=None)]), "event 'a'", "title", "is required"),
        (lambda: T(id="t", title="", events=[]), "timeline", "title", "must not be empty"),
        (
            lambda: T(id="t", title="T", events=[_event(start=Date(2024, 6, 19, 10, 0))]),
            "event 'a'",
            "start",
            "'2024-06-19T10:00' has a time of day but no zone",
        ),
        (
            lambda: T(id="t", title="T", events=[_event(sources=[Source(date=Date(2024, 1, 1, 9, 0), url="https://x.org")])]),
            "event 'a'",
            "sources[0].date",
            "has a time of day but no zone",
        ),
        (lambda: T(id="t", title="T", events=[_event(sources=[Source()])]), "event 'a'", "sources[0]", "needs a title"),
        (lambda: T(id="t", title="T", events=[_event(title="\ud800")]), "event 'a'", "title", "lone surrogate"),
        (lambda: T(id="t", title="T", events=[_event(tags=("",))]), "event 'a'", "tags[0]", "must not be empty"),
        (lambda: T(id="t", title="T", events=[_event(timezone="Mars/Base")]), "event 'a'", "timezone", "Mars/Base"),
        (lambda: T(id="t", title="T", events=[_event(order=True)]), "event 'a'", "order", "got true/false"),
        (lambda: T(id="t", title="T", events=[_event(media=Media(url=None))]), "event 'a'", "media.url", "is required"),
        (
            lambda: T(id="t", title="T", events=[_event(end=Date(2025), ongoing=True)]),
            "event 'a'",
            "end",
            "an ongoing event has no end date",
        ),
        (lambda: T(id="t", title="T", events=[_event(description=None)]), "event 'a'", "description", "expected text"),
        (lambda: T(id="t", title="T", updated=Date(2024, 1, 1, 9, 0)), "timeline", "updated", "no zone"),
    ],
)
def test_validate_applies_the_rules_load_applies(build, who, field, message):
    """Refused by validate(), or earlier: a value of the wrong type is refused by the constructor."""
    try:
        tl = build()
    except timeline.ArgumentTypeError as exc:
        assert field.split(".")[-1].split("[")[0] in str(exc), str(exc)
        return
    with pytest.raises(timeline.InvalidTimelineError) as info:
        timeline.validate(tl)
    found = [(p.event, p.field, p.message) for p in info.value.problems]
    assert any(e == who and f == field and message in m for e, f, m in found), found


def test_validate_reports_every_problem_of_an_event_once():
    tl = Timeline(
        id="t",
        title="T",
        events=[_event(id="Bad Id", title="", media=Media(url="javascript:x"), related=("nowhere",))],
    )
    with pytest.raises(timeline.InvalidTimelineError) as info:
        timeline.validate(tl)
    fields = sorted(p.field or "" for p in info.value.problems)
    assert fields == ["id", "media.url", "related[0]", "title"]
