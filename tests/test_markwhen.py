"""The markwhen reader: its subset, its refusals, and a differential test against markwhen's own parser."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import warnings
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import timeline
from timeline import Date, ReadContext, ReadError

HERE = Path(__file__).parent / "markwhen"
CORPUS = sorted((HERE / "corpus").glob("*.mw"))
NOW = "2025-01-01T00:00:00Z"  # markwhen's "now", fixed so ranges ending in now compare
PARSER = Path(__file__).parent / "browser" / "node_modules" / "@markwhen" / "parser"


def read(text: str, context: ReadContext | None = None) -> dict:
    reader = timeline.Registry().readers()["markwhen"]
    return reader.read(text.encode(), "test.mw", context=context).content


def load(text: str, tmp_path: Path, name: str = "t.mw") -> timeline.Timeline:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return timeline.load(path)


# --- the subset ---------------------------------------------------------------------------------


def test_header_events_tags_ids_and_descriptions():
    content = read(
        "title: T\ntimezone: Asia/Pyongyang\ndescription: About\n#treaty: blue\n\n"
        "1961-07-06: Treaty #treaty #alliance\nid: treaty-1961\nSigned in Moscow.\n\nLapsed in 1996. #history\n"
        "2024-06-19 02:22: Landing\n"
    )
    assert content["title"] == "T" and content["timezone"] == "Asia/Pyongyang" and content["description"] == "About"
    first, second = content["events"]
    assert first == {
        "id": "treaty-1961",
        "title": "Treaty",
        "start": "1961-07-06",
        "tags": ["treaty", "alliance", "history"],
        "description": "Signed in Moscow.\n\nLapsed in 1996.",
    }
    assert second == {"id": "landing", "title": "Landing", "start": "2024-06-19T02:22"}


@pytest.mark.parametrize(
    ("line", "start", "end"),
    [
        ("2024", "2024", None),
        ("2024-06", "2024-06", None),
        ("2024-06-19", "2024-06-19", None),
        ("2024-06-19 10:30", "2024-06-19T10:30", None),
        ("2017-09-03T03:30:01Z", "2017-09-03T03:30:01Z", None),
        ("1950-06-25/1953-07-27", "1950-06-25", "1953-07-27"),
        ("1950 / 1953-07", "1950", "1953-07"),
        ("2022-02-24/now", "2022-02-24", ".."),
        ("2024-06-19 10:30/2024-06-19 12:00", "2024-06-19T10:30", "2024-06-19T12:00"),
        ("1945-1948", "1945", "1948"),
        ("1945 - 1948", "1945", "1948"),
        ("1991 to 1992", "1991", "1992"),
    ],
)
def test_dates(line, start, end):
    (event,) = read(f"timezone: UTC\n{line}: E\n")["events"]
    assert event["start"] == start and event.get("end") == end


def test_headings_nest_into_one_group_name():
    content = read("2020: none\n# A\n2021: a\n## B\n2022: ab\n#### D\n2023: abd\n## C\n2024: ac\n# E\n2025: e\n")
    assert [e.get("group") for e in content["events"]] == [None, "A", "A / B", "A / B / D", "A / C", "E"]


def test_generated_ids_are_slugs_and_unique():
    content = read("2020: Hello, World!\n2021: Hello world\n2022: ¿?\n2023: x\nid: hello-world-2\n")
    assert [e["id"] for e in content["events"]] == ["hello-world", "hello-world-3", "event", "hello-world-2"]


def test_lines_markwhen_reads_as_text_are_kept_and_reported():
    context = ReadContext()
    content = read("2024-06-19: Summit\n2024-06-19T02:22: Landing\n2024-01 - 2024-03: Months\n", context)
    (event,) = content["events"]
    assert event["description"] == "2024-06-19T02:22: Landing\n2024-01 - 2024-03: Months"
    report = context.report.result(format="markwhen", events=0)
    assert [(e.event, e.field) for e in report.approximated] == [("summit", "description")] * 2
    assert "line 2" in report.approximated[0].reason and "YYYY-MM-DDTHH:MM:SSZ" in report.approximated[0].reason


def test_loads_and_locates(tmp_path):
    tl = load("title: T\ntimezone: UTC\n\n# G\n2024-06-19: A #x\nid: a\n", tmp_path)
    (event,) = tl.events
    assert (event.id, event.group, event.tags) == ("a", "G", ("x",))


def test_problems_found_by_the_schema_name_line_event_and_field(tmp_path):
    with pytest.raises(timeline.InvalidTimelineError) as caught:
        load("timezone: UTC\n\n2024-01: fine\n2025/2024: Reversed\nid: rev\n", tmp_path)
    assert "t.mw:4: event 'rev', field 'end'" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "line", "piece"),
    [
        ("March 3 2024: x\n", 1, "natural-language dates"),
        ("2024: a\nafter !a 3 days: b\n", 2, "relative dates"),
        ("2024: a\n10: b\n", 2, "time of day without a date"),
        ("2024: a\nevery 2 days: b\n", 2, ""),
        ("2024: a\n800: b\n", 2, "four digits"),
        ("2024: a\n2024-06-19 9:30: b\n", 2, "HH:MM"),
        ("2024: a\n: b\n", 2, "needs a date"),
        ("2024: a\n2024-06-19 3pm: b\n", 2, "12-hour"),
        ("2024: a\n1/2/2024: b\n", 2, "slash dates"),
        ("2024: a\n100 BC: b\n", 2, "BCE"),
        ("2024: A !id\n", 1, "'!name'"),
        ("2024: A [Pyongyang](location)\n", 1, "location link"),
        ("2024: A #a-b\n", 1, "tag '#a-"),
        ("2024: a\nnote: not a property\n", 2, "event property 'note'"),
        ("2024: a\nid: x\nid: y\n", 3, "'id' twice"),
        ("title: T\nauthor: me\n", 2, "key 'author'"),
        ("title: 'quoted'\n", 1, "YAML syntax"),
        ("title: T\ntitle: U\n", 2, "given twice"),
        ("just words\n", 1, "not a header line"),
        ("# G\nsome text\n", 2, "outside any event"),
        ("# G #tag\n", 1, "tags on headings"),
        ("#  \n", 1, "needs a title"),
        ("# A / B\n", 1, "' / '"),
        ("2024: a\n\ngroup Treaties\n", 3, "'group … endGroup'"),
        ("---\ntitle: T\n---\n", 1, "front matter"),
        ("2024-06-19T10:00: x\n", 1, "looks like an event"),
    ],
)
def test_refusals_name_the_line_and_construct(text, line, piece):
    with pytest.raises(ReadError) as caught:
        read(text)
    assert caught.value.line == line and piece in str(caught.value)


# --- differential: markwhen's own parser on the corpus ------------------------------------------


def _markwhen() -> dict:
    node = shutil.which("node")
    if node is None or not PARSER.is_dir():
        pytest.skip("node or tests/browser/node_modules/@markwhen/parser missing (run .ci/setup)")
    env = {**os.environ, "TZ": "UTC", "NOW": NOW}
    out = subprocess.run([node, str(HERE / "parse.mjs"), *map(str, CORPUS)], capture_output=True, text=True,
                         check=True, env=env, timeout=120).stdout
    return json.loads(out)


def _instant(date: Date, zone: str, *, end: bool) -> dt.datetime:
    """The first instant of ``date`` (or, with ``end``, the instant markwhen ends it at) in ``zone``."""
    if date.has_time:
        return dt.datetime(*date.utc_fields(), tzinfo=dt.timezone.utc)
    year, month, day = date.last_day() if end else date.first_day()
    local = dt.datetime(year, month, day, tzinfo=ZoneInfo(zone))
    return local + dt.timedelta(days=1) if end else local


@pytest.mark.slow
def test_corpus_covers_the_subset():
    text = "\n".join(path.read_text(encoding="utf-8") for path in CORPUS)
    for construct in ("/now", "/", " - ", "-19", " to ", "T03:30:01Z", " 02:22", "#", "## ", "### ", "id: ",
                      "title: ", "timezone: ", "description: ", "#treaty: ", "//"):
        assert construct in text, construct


@pytest.mark.slow
def test_differential_against_markwhen_parser():
    theirs = _markwhen()
    now = dt.datetime.fromisoformat(NOW.replace("Z", "+00:00"))
    compared = 0
    for path in CORPUS:
        result = theirs[str(path)]
        assert result["messages"] == [], f"{path.name}: markwhen reports {result['messages']}"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the report on lines markwhen reads as text
            tl = timeline.load(path)
        zone = tl.timezone or "UTC"
        ours = {event.title: event for event in tl.events}
        assert len(ours) == len(tl.events), f"{path.name}: titles must be unique in the corpus"
        assert sorted(ours) == sorted(e["title"].strip() for e in result["events"]), path.name
        for their in result["events"]:
            event = ours[their["title"].strip()]
            where = f"{path.name}:{their['line']} {event.title!r}"
            start = dt.datetime.fromisoformat(their["start"].replace("Z", "+00:00"))
            end = dt.datetime.fromisoformat(their["end"].replace("Z", "+00:00"))
            assert _instant(event.start, zone, end=False) == start, where
            if event.ongoing:
                assert end == now, where
            else:
                assert _instant(event.end or event.start, zone, end=True) == end, where
            assert list(event.tags) == their["tags"], where
            assert event.group == (" / ".join(their["groups"]) or None), where
            if their["id"] is not None:
                assert event.id == their["id"], where
            compared += 1
    assert compared >= 30
