"""The TimelineJS readers: ``timelinejs`` (JSON) and ``timelinejs-sheet`` (the template's CSV).

Round trips through our own exporters (the ``timelinejs`` JSON and the
``timeline-csv`` example plugin), Knight Lab's own examples from the npm
package, and the mapping rules of docs/readers/timelinejs*.md one by one.
"""

from __future__ import annotations

import importlib.util
import json
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import spans

import timeline
from timeline import Date, Event, Media, ReadContext, Timeline

ROOT = Path(__file__).resolve().parent.parent
NPM = ROOT / "tests" / "browser" / "node_modules" / "@knight-lab" / "timelinejs" / "src"
HEADER = ("Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,"
          "Media Credit,Media Caption,Media Thumbnail,Type,Group,Background")

needs_npm = pytest.mark.skipif(not NPM.is_dir(), reason="tests/browser/node_modules missing (run .ci/setup)")


def reader(name: str):
    return timeline.Registry().reader(name)


def read(name: str, data: bytes, **options: object) -> tuple[dict, timeline.Report]:
    context = ReadContext(options=options)
    document = reader(name).read(data, "test-input", context=context)
    return document.content, context.report


def load(name: str, data: bytes, **options: object) -> Timeline:
    """Load through the host (schema and checks), with reader options given the 1.1 way."""
    if options:
        content, _ = read(name, data, **options)
        return timeline.load_bytes(json.dumps(content).encode(), input_format="json", name="t.json")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return timeline.load_bytes(data, input_format=name, name="test-input")


def sheet(*rows: str, header: str = HEADER) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode()


def row(**cells: str) -> str:
    names = HEADER.split(",")
    return ",".join(_csv_cell(cells.get(name.replace(" ", "_").lower(), "")) for name in names)


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n\r') else text


def by_id(tl: Timeline) -> dict[str, Event]:
    return {event.id: event for event in tl.events}


def same_instant(a: Date, b: Date) -> bool:
    return a.precision == b.precision and a.sort_key() == b.sort_key() and (
        a.utc_fields() == b.utc_fields() if a.has_time else True)


# --- registration -------------------------------------------------------------------------------


def test_registered_beside_the_exporter_of_the_same_name():
    registry = timeline.Registry()
    assert "timelinejs" in registry.readers() and "timelinejs" in registry.exporters()
    assert registry.reader("timelinejs").extensions == ()
    assert registry.reader_for_path("x.json").name == "json"
    assert registry.reader_for_path("sheet.csv").name == "timelinejs-sheet"
    assert [o.name for o in registry.reader("timelinejs-sheet").options] == ["timezone", "encoding"]


# --- TimelineJS JSON: round trip of our own export ----------------------------------------------


def assert_round_trip(original: Timeline, back: Timeline) -> None:
    assert back.title == original.title
    events = by_id(back)
    assert set(events) == {event.id for event in original.events}
    for event in original.events:
        got = events[event.id]
        assert got.title == event.title
        assert got.group == (event.group.strip() if event.group and event.group.strip() else None)
        assert same_instant(got.start, event.start), (event.start, got.start)
        assert (got.start.approximate, got.start.uncertain) == (event.start.approximate, event.start.uncertain)
        assert got.ongoing == event.ongoing
        if event.end is not None and got.end is not None:
            assert same_instant(got.end, event.end)
        if event.media is not None and got.media is not None:
            assert (got.media.url, got.media.caption, got.media.credit) == (
                event.media.url, event.media.caption, event.media.credit)


def test_sample_export_reads_back_into_the_same_events():
    story = timeline.sample()
    back = load("timelinejs", timeline.export(story, "timelinejs"))
    assert_round_trip(story, back)
    for event in story.events:
        got = by_id(back)[event.id]
        assert (got.end is None) == (event.end is None)
        assert got.media == event.media
        assert not got.extra, f"{event.id}: the display date is recognised, nothing is left over"
    assert [era.title for era in back.eras] == [era.title for era in story.eras]


def test_times_come_back_as_the_same_instants_with_the_offset_of_the_display_date():
    story = timeline.sample()
    landing = story.get("putin-arrives-pyongyang-2024")
    got = by_id(load("timelinejs", timeline.export(story, "timelinejs")))[landing.id]
    assert got.start.isoformat() == "2024-06-19T02:22+09:00"
    assert got.start.utc_fields() == landing.start.utc_fields()


_titles = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=30).map(
    lambda text: " ".join(text.split())).filter(bool)


@st.composite
def _timelines(draw: st.DrawFn) -> Timeline:
    events = []
    for index in range(draw(st.integers(min_value=1, max_value=5))):
        start, end, ongoing = draw(spans())
        media = draw(st.none() | st.builds(Media, url=st.just(f"https://example.org/{index}.jpg"),
                                           caption=st.none() | _titles, credit=st.none() | _titles))
        events.append(Event(id=f"e{index}", title=draw(_titles), start=start, end=end, ongoing=ongoing,
                            group=draw(st.none() | _titles), media=media))
    updated = draw(st.none() | st.just(Date(2030, 1, 1)))
    return Timeline(id="random", title=draw(_titles), events=events, updated=updated)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(story=_timelines())
def test_generated_timelines_round_trip(story):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = timeline.export(story, "timelinejs")
    assert_round_trip(story, load("timelinejs", data))


# --- TimelineJS JSON: the mapping ---------------------------------------------------------------


def tljs(*events: dict, **top: object) -> bytes:
    return json.dumps({**top, "events": list(events)}).encode()


def slide(headline: str = "A", text: str = "", **fields: object) -> dict:
    return {"start_date": {"year": 2000}, "text": {"headline": headline, "text": text}, **fields}


@pytest.mark.parametrize(
    ("parts", "edtf"),
    [
        ({"year": 1961}, "1961"),
        ({"year": "1961", "month": "7"}, "1961-07"),
        ({"year": 1961, "month": 7, "day": 6}, "1961-07-06"),
        ({"year": -44, "month": 3, "day": 15}, "-0043-03-15"),
        ({"year": -1}, "0000"),
        ({"year": 1}, "0001"),
        ({"year": "-13800000000"}, "Y-13799999999"),
        ({"year": 2000, "month": 1, "day": 1, "hour": 0, "minute": "", "second": None}, "2000-01-01T00:00"),
    ],
)
def test_dates_keep_the_precision_given_and_count_bce_astronomically(parts, edtf):
    content, _ = read("timelinejs", tljs({"start_date": parts, "text": {"headline": "A"}}), timezone="UTC")
    assert content["events"][0]["start"] == edtf


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ({"month": 7}, "a date needs a year"),
        ({"year": 0}, "year 0 does not exist"),
        ({"year": "nineteen"}, "'nineteen' is not a whole number"),
        ({"year": 1961, "month": 13}, "month 13 is out of range"),
        ({"year": 1961, "day": 3}, "a day needs a month"),
        ({"year": 1961, "month": 1, "hour": 3}, "a time of day needs a year, month and day"),
        ({"year": True}, "true is not a whole number"),
    ],
)
def test_bad_date_parts_are_refused_naming_the_slide_and_field(parts, message):
    with pytest.raises(timeline.ReadError) as caught:
        read("timelinejs", tljs({"start_date": parts, "text": {"headline": "A"}}))
    assert "event #1, field 'start_date" in str(caught.value) and message in str(caught.value)
    assert caught.value.line == 1


def test_a_time_without_a_zone_needs_the_timezone_option():
    data = tljs({"start_date": {"year": 2024, "month": 6, "day": 19, "hour": 14, "minute": 30},
                 "text": {"headline": "A"}})
    with pytest.raises(timeline.ReadError, match="reader option timezone"):
        read("timelinejs", data)
    story = load("timelinejs", data, timezone="Asia/Seoul")
    assert story.events[0].start.isoformat() == "2024-06-19T14:30" and story.timezone == "Asia/Seoul"
    with pytest.raises(timeline.OptionError):
        read("timelinejs", data, timezone="KST")


def test_html_becomes_text_and_markdown_never_markup():
    text = ("<p>Take <a href='https://en.wikipedia.org/wiki/Ada_Lovelace'>Ada *Lovelace*</a>: "
            "<script>alert(1)</script><b>bold</b> <a href='javascript:alert(1)'>evil</a></p>"
            "<ul><li>one</li><li># two</li></ul><img src=x onerror=alert(1)>")
    content, report = read("timelinejs", tljs(slide("<i>Ada</i> &amp; <b>Charles</b>", text)))
    event = content["events"][0]
    assert event["title"] == "Ada & Charles"
    assert event["description"] == (
        "Take [Ada \\*Lovelace\\*](https://en.wikipedia.org/wiki/Ada_Lovelace): bold evil\n\n- one\n\n- \\# two")
    html = timeline.markdown_to_html(event["description"])
    assert "<script" not in html and "alert" not in html and "javascript" not in html
    how = {entry.reason for entry in report.result(format="timelinejs", events=0).approximated}
    assert any("<script>" in reason and "<img>" in reason for reason in how)


def test_script_only_headline_is_no_title():
    content, _ = read("timelinejs", tljs(slide("<script>alert('x')</script>")))
    assert "title" not in content["events"][0]


def test_ids_from_unique_id_slugs_and_hashes_are_stable():
    events = [slide("Same", unique_id="good-id"), slide("Same", unique_id="Not Valid!"), slide("Same"),
              slide("Same"), slide("정상회담"), slide("Same", unique_id="good-id")]
    content, report = read("timelinejs", tljs(*events))
    ids = [event["id"] for event in content["events"]]
    assert ids[:3] == ["good-id", "not-valid", "same"]
    assert ids[3].startswith("same-") and ids[4].startswith("event-") and ids[5].startswith("good-id-")
    assert len(set(ids)) == len(ids)
    assert read("timelinejs", tljs(*events))[0] == content
    reasons = [entry.reason for entry in report.result(format="x", events=0).approximated if entry.field == "id"]
    assert any("'Not Valid!' is not a valid id" in reason for reason in reasons)
    assert any("is used twice" in reason for reason in reasons)


def test_display_date_group_media_eras_and_title_slide():
    data = json.dumps({
        "title": {"text": {"headline": "My <b>story</b>", "text": "<p>Intro</p>"},
                  "background": {"color": "#000"}},
        "events": [slide("A", display_date="Early &amp;lt;2000&amp;gt;", group="<b>War</b>",
                         media={"url": "https://example.org/p.jpg", "caption": "<i>c</i>", "credit": "AP",
                                "thumbnail": "https://example.org/t.jpg"},
                         background={"url": "https://example.org/bg.jpg"})],
        "eras": [{"start_date": {"year": 1950}, "end_date": {"year": 1953}, "text": {"headline": "Korean War"}}],
    }).encode()
    content, report = read("timelinejs", data)
    assert content["title"] == "My story" and content["description"] == "Intro"
    event = content["events"][0]
    assert event["extra"] == {"display_date": "Early <2000>", "media_thumbnail": "https://example.org/t.jpg"}
    assert event["group"] == "War"
    assert event["media"] == {"url": "https://example.org/p.jpg", "caption": "c", "credit": "AP"}
    assert content["eras"] == [{"title": "Korean War", "start": "1950", "end": "1953"}]
    fields = {(entry.event, entry.field) for entry in report.result(format="x", events=0).approximated}
    assert ("a", "background") in fields and ("title slide", "background") in fields


def test_media_that_is_not_an_http_url_is_left_out_and_reported():
    content, report = read("timelinejs", tljs(slide(media={"url": "javascript:alert(1)", "caption": "x"})))
    assert "media" not in content["events"][0]
    assert report.result(format="x", events=0).approximated[0].field == "media"


def test_problems_name_the_line_of_the_slide():
    data = b'{\n  "events": [\n    {"start_date": {"year": 2000}, "text": {"headline": "A"}},\n' \
           b'    {"start_date": {"year": 2000, "month": 2, "day": 30}, "text": {"headline": "B"}}\n  ]\n}\n'
    with pytest.raises(timeline.InvalidTimelineError) as caught:
        load("timelinejs", data)
    (problem,) = caught.value.problems
    assert (problem.line, problem.event, problem.field) == (4, "event 'b'", "start")


@needs_npm
@pytest.mark.parametrize(("name", "events", "eras"),
                         [("all-media-types", 40, 0), ("cosmo", 7, 0), ("eras", 20, 3)])
def test_knight_lab_examples_load(name, events, eras):
    story = load("timelinejs", (NPM / "template" / f"{name}.json").read_bytes())
    assert (len(story.events), len(story.eras)) == (events, eras)


# --- TimelineJS sheet ---------------------------------------------------------------------------


def _csv_plugin():
    path = ROOT / "docs" / "examples" / "timeline-csv" / "timeline_csv.py"
    spec = importlib.util.spec_from_file_location("timeline_csv_for_tests", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_what_the_timeline_csv_example_writes_reads_back():
    csv_plugin = _csv_plugin()
    story = timeline.sample()
    back = load("timelinejs-sheet", _write_csv(csv_plugin, story))
    assert back.title == story.title
    assert len(back.events) == len(story.events) and len(back.eras) == len(story.eras)
    titles = {event.title: event for event in back.events}
    for event in story.events:
        got = titles[event.title]
        assert same_instant(got.start, event.start) and got.ongoing == event.ongoing
        assert got.group == event.group


def _write_csv(module, story: Timeline) -> bytes:
    import io

    stream = io.BytesIO()
    module.CsvExporter().write(story, stream, {"header": True, "title": True, "eras": True, "sources": True})
    return stream.getvalue()


@pytest.mark.parametrize("title", ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-1", "@SUM(A1)", "\tx", "'quoted'"])
def test_the_writers_formula_apostrophe_is_taken_off_and_only_that(title):
    module = _csv_plugin()
    story = Timeline(id="t", title="T", events=[Event(id="e", title=title, start=Date(2000))])
    back = load("timelinejs-sheet", _write_csv(module, story))
    assert back.events[0].title == " ".join(title.split())


@needs_npm
@pytest.mark.parametrize("path", ["template/my-own-timeline.csv", "js/core/__tests__/women_in_computing.csv",
                                  "js/core/__tests__/parser_test.csv"])
def test_knight_lab_sheets_read_without_error(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        story = load("timelinejs-sheet", (NPM / path).read_bytes())
    if "parser_test" in path:
        assert len(story.events) == 0  # not a TimelineJS sheet: its columns are ignored, with a warning
    else:
        assert story.title in ("MY OWN CSV", "Women in Computing") and len(story.events) == 10
        ada = by_id(story)["ada-lovelace"]
        assert (ada.start.isoformat(), ada.end.isoformat()) == ("1815-12-10", "1852-11-27")


def test_google_download_bom_crlf_blank_rows_and_trailing_columns():
    data = b"\xef\xbb\xbf" + (HEADER + ",,\r\n" + row(year="1961", month="07", day="6", headline="A") + ",,\r\n"
                              + "," * 19 + "\r\n\r\n" + row(year=" 1,961 ", headline="B") + ",,\r\n").encode()
    story = load("timelinejs-sheet", data)
    assert [(e.title, e.start.isoformat()) for e in story.events] == [("B", "1961"), ("A", "1961-07-06")]


def test_excel_semicolons_utf16_and_legacy_encodings():
    text = (HEADER.replace(",", ";") + "\r\n" + row(year="2024", headline="Саммит").replace(",", ";") + "\r\n")
    assert load("timelinejs-sheet", text.encode("utf-16")).events[0].title == "Саммит"
    assert load("timelinejs-sheet", text.encode("utf-8")).events[0].title == "Саммит"
    with pytest.raises(timeline.ReadError, match="encoding=cp1251"):
        read("timelinejs-sheet", text.encode("cp1251"))
    assert load("timelinejs-sheet", text.encode("cp1251"), encoding="cp1251").events[0].title == "Саммит"
    korean = sheet(row(year="2024", headline="정상회담")).decode()
    assert load("timelinejs-sheet", korean.encode("cp949"), encoding="cp949").events[0].title == "정상회담"


@pytest.mark.parametrize(
    ("time", "edtf"),
    [("2:22 AM", "2024-06-19T02:22"), ("2:22 p.m.", "2024-06-19T14:22"), ("12:05 am", "2024-06-19T00:05"),
     ("14:30", "2024-06-19T14:30"), ("1430", "2024-06-19T14:30"), ("14:30:05", "2024-06-19T14:30:05"),
     ("9", "2024-06-19T09:00")],
)
def test_time_cells(time, edtf):
    story = load("timelinejs-sheet", sheet(row(year="2024", month="6", day="19", time=time, headline="A")),
                 timezone="Asia/Pyongyang")
    assert story.events[0].start.isoformat() == edtf


def test_time_without_zone_is_refused_naming_the_row():
    with pytest.raises(timeline.ReadError) as caught:
        read("timelinejs-sheet", sheet(row(year="2024", headline="A"),
                                       row(year="2024", month="6", day="19", time="14:30", headline="B")))
    assert caught.value.line == 3 and "field 'Time'" in str(caught.value) and "timezone" in str(caught.value)


def test_types_eras_title_group_tag_media_display_date():
    header = HEADER + ",Alt Text,Tag"
    rows = [
        row(headline="The <b>story</b>", text="<p>Intro</p>", type="title") + ",,",
        row(year="1950", month="6", end_year="1953", headline="Korean War", type="era") + ",,",
        row(year="1961", headline="A", display_date="Early 60s", media="https://example.org/a.jpg",
            media_credit="AP", media_caption="<i>c</i>", media_thumbnail="https://example.org/t.jpg",
            background="#fff") + ",Alt,Old tag",
    ]
    content, report = read("timelinejs-sheet", sheet(*rows, header=header))
    assert content["title"] == "The story" and content["description"] == "Intro"
    assert content["eras"] == [{"title": "Korean War", "start": "1950-06", "end": "1953"}]
    (event,) = content["events"]
    assert event["group"] == "Old tag"
    assert event["media"] == {"url": "https://example.org/a.jpg", "caption": "c", "credit": "AP"}
    assert event["extra"] == {"display_date": "Early 60s", "media_thumbnail": "https://example.org/t.jpg",
                              "media_alt": "Alt"}
    assert [e.field for e in report.result(format="x", events=0).approximated] == ["Background"]


def test_v1_start_and_end_date_columns():
    header = "Start Date,End Date,Headline,Text,Media,Media Credit,Media Caption,Tag"
    data = (header + "\r\n1961-07-06,7/27/1963,A,,,,,Treaties\r\n2024-06-19T02:22+09:00,,B,,,,,\r\n").encode()
    story = load("timelinejs-sheet", data)
    a, b = by_id(story)["a"], by_id(story)["b"]
    assert (a.start.isoformat(), a.end.isoformat(), a.group) == ("1961-07-06", "1963-07-27", "Treaties")
    assert b.start.isoformat() == "2024-06-19T02:22+09:00"


def test_calendar_problems_are_reported_by_the_loader_at_the_row_line():
    data = sheet(row(year="2024", headline="Fine"), row(year="2023", month="2", day="29", headline="Leap"))
    with pytest.raises(timeline.InvalidTimelineError) as caught:
        load("timelinejs-sheet", data)
    (problem,) = caught.value.problems
    assert (problem.line, problem.event, problem.field) == (3, "event 'leap'", "start")


@pytest.mark.parametrize(
    ("cells", "field", "message"),
    [
        ({"year": "abc"}, "Year", "'abc' is not a whole number"),
        ({"year": "1961", "month": "13"}, "Month", "month 13 is out of range"),
        ({"year": "1961", "month": "2", "day": "32"}, "Day", "day 32 is out of range"),
        ({"year": "1961", "type": "slide"}, "Type", "'slide' is not a row type"),
        ({"year": "0"}, "Year", "year 0 does not exist"),
        ({"time": "10:00"}, "Time", "a time without a date"),
        ({"year": "2024", "month": "1", "day": "1", "time": "noon"}, "Time", "is not a time"),
        ({}, "Year", "empty: TimelineJS needs at least a year"),
    ],
)
def test_bad_cells_name_the_row_and_column(cells, field, message):
    with pytest.raises(timeline.ReadError) as caught:
        read("timelinejs-sheet", sheet(row(year="2000", headline="Ok"), row(headline="H", **cells)))
    assert caught.value.line == 3
    assert f"field {field!r}" in str(caught.value) and message in str(caught.value)


def test_short_row_and_bad_quoting_are_refused_with_the_line():
    with pytest.raises(timeline.ReadError, match="has 3 cells where the header row has 18") as caught:
        read("timelinejs-sheet", sheet(row(year="2000", headline="A"), "1961,2,3"))
    assert caught.value.line == 3
    with pytest.raises(timeline.ReadError, match="invalid CSV"):
        read("timelinejs-sheet", sheet('2000,,,,,,,,,"A"x,,,,,,,,'))


def test_ids_slug_the_headline_with_a_hash_on_collision_and_are_stable():
    data = sheet(row(year="2000", headline="Summit"), row(year="2001", headline="Summit"),
                 row(year="2002", headline="Summit"))
    ids = [event["id"] for event in read("timelinejs-sheet", data)[0]["events"]]
    assert ids[0] == "summit" and ids[1].startswith("summit-") and len(set(ids)) == 3
    assert ids == [event["id"] for event in read("timelinejs-sheet", data)[0]["events"]]
