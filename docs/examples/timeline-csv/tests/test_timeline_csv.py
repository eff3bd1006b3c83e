"""What the CSV says, read back the way a spreadsheet or TimelineJS reads it.

Every test parses the output with :mod:`csv` and looks at cells by column
name, so a wrong column order or a stray quote fails here.  The plugin is
used as installed: through its entry point and ``timeline.export``.
"""

from __future__ import annotations

import csv
import io
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import timeline
from timeline import Date, Era, Event, Media, Source, Timeline

COLUMNS = [
    "Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date",
    "Headline", "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Type", "Group",
    "Background",
]
# Cells the exporter fills from the data's text (the others hold numbers it computes).
TEXT_COLUMNS = ["Display Date", "Headline", "Text", "Media", "Media Credit", "Media Caption", "Group"]


def export(story: Timeline, **options: object) -> bytes:
    data = timeline.export(story, "csv", **options)
    assert isinstance(data, bytes)
    return data


def table(data: bytes) -> list[dict[str, str]]:
    """The rows as dicts keyed by the header, after checking the header itself."""
    text = data.decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = next(reader)
    assert header == COLUMNS
    rows = [dict(zip(header, row, strict=True)) for row in reader]
    return rows


def load(yaml_text: str) -> Timeline:
    return timeline.load_bytes(textwrap.dedent(yaml_text).encode(), input_format="yaml")


def event_rows(data: bytes) -> list[dict[str, str]]:
    return [row for row in table(data) if row["Type"] == ""]


def one_event(start: str, title: str = "E", **fields: object) -> Timeline:
    return Timeline(id="t", title="T", events=[Event(id="e", title=title, start=Date.parse(start), **fields)])


# --- installation ------------------------------------------------------------


def test_found_through_its_entry_point():
    infos = [info for info in timeline.Registry().plugins() if info.package == "timeline-csv"]
    assert [(info.name, info.exporters, info.error) for info in infos] == [("csv", ["csv"], None)]


def test_sample_exports_one_row_per_event_and_era():
    story = timeline.sample()
    rows = table(export(story))
    kinds = [row["Type"] for row in rows]
    assert kinds[0] == "title"
    assert kinds.count("") == len(story.events)
    assert kinds.count("era") == len(story.eras)
    assert rows[0]["Headline"] == story.title


# --- the file itself ---------------------------------------------------------


def test_records_end_with_crlf_and_text_is_utf8():
    story = Timeline(id="t", title="Корея 한국 🇰🇵", events=[
        Event(id="a", title="Line one\nline two", start=Date.parse("1961"), description="first\n\nsecond"),
    ])
    data = export(story)
    assert data.endswith(b"\r\n")
    # Every CRLF ends a record; newlines inside quoted cells stay bare LF.
    assert data.count(b"\r\n") == 3
    assert "Корея 한국 🇰🇵".encode() in data
    assert not data.startswith(b"\xef\xbb\xbf")


def test_bom_option_for_excel():
    data = export(timeline.sample(), bom=True)
    assert data.startswith(b"\xef\xbb\xbf")
    assert table(data[3:])[0]["Type"] == "title"


def test_header_title_eras_and_sources_options():
    story = timeline.sample()
    bare = export(story, header=False, title=False, eras=False, sources=False)
    rows = list(csv.reader(io.StringIO(bare.decode(), newline="")))
    assert len(rows) == len(story.events)
    assert rows[0][COLUMNS.index("Headline")] == story.events[0].title
    assert all("Sources:" not in row[COLUMNS.index("Text")] for row in rows)
    assert all(len(row) == len(COLUMNS) for row in rows)


def test_same_input_same_bytes():
    assert export(timeline.sample()) == export(timeline.sample())


# --- dates -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "cells", "display"),
    [
        ("1961", ("1961", "", "", ""), "1961"),
        ("1961-07", ("1961", "7", "", ""), "July 1961"),
        ("1961-07-06", ("1961", "7", "6", ""), "6 July 1961"),
        ("2024-06-19T03:00+09:00", ("2024", "6", "19", "03:00"), "19 June 2024, 03:00 (UTC+9)"),
        ("2017-09-03T03:30:01Z", ("2017", "9", "3", "03:30:01"), "3 September 2017, 03:30:01 (UTC)"),
        ("1961~", ("1961", "", "", ""), "c. 1961"),
        ("1961-07%", ("1961", "7", "", ""), "c. July 1961?"),
        ("0000", ("-1", "", "", ""), "1 BCE"),
        ("-0043-03-15", ("-44", "3", "15", ""), "15 March 44 BCE"),
        ("Y-12000", ("-12001", "", "", ""), "12001 BCE"),
    ],
)
def test_start_fills_only_what_the_date_knows(start, cells, display):
    (row,) = event_rows(export(one_event(start)))
    assert (row["Year"], row["Month"], row["Day"], row["Time"]) == cells
    assert (row["End Year"], row["End Month"], row["End Day"], row["End Time"]) == ("", "", "", "")
    assert row["Display Date"] == display


def test_span_keeps_the_precision_of_each_end():
    (row,) = event_rows(export(one_event("2003-08-27", end=Date.parse("2008-12"))))
    assert (row["End Year"], row["End Month"], row["End Day"]) == ("2008", "12", "")
    assert row["Display Date"] == "27 August 2003 – December 2008"


def test_end_that_timelinejs_would_place_before_the_start_is_left_to_display_date():
    # "2008-12" sits at 1 December for TimelineJS, before 15 December.
    (row,) = event_rows(export(one_event("2008-12-15", end=Date.parse("2008-12"))))
    assert row["End Year"] == "" and row["Display Date"] == "15 December 2008 – December 2008"


def test_ongoing_event_runs_to_the_last_update():
    story = load("""
        title: T
        updated: "2024-11-01"
        events:
          - {id: war, title: War, start: "2022-02-24", end: ".."}
          - {id: late, title: Later than the update, start: "2025-01", end: ".."}
    """)
    war, late = event_rows(export(story))
    assert (war["End Year"], war["End Month"], war["End Day"]) == ("2024", "11", "1")
    assert war["Display Date"] == "24 February 2022 – ongoing"
    assert late["End Year"] == "" and late["Display Date"] == "January 2025 – ongoing"


def test_eras_always_get_an_end_after_their_start():
    story = Timeline(id="t", title="T", eras=[
        Era(title="Open", start=Date.parse("2022-02"), ongoing=True),
        Era(title="One year", start=Date.parse("1950"), end=Date.parse("1950")),
        Era(title="Last day of the year", start=Date.parse("1999-12-31"), end=Date.parse("1999-12-31")),
    ], updated=Date.parse("2024-11-01"))
    rows = {row["Headline"]: row for row in table(export(story)) if row["Type"] == "era"}
    assert (rows["Open"]["End Year"], rows["Open"]["End Month"], rows["Open"]["End Day"]) == ("2024", "11", "1")
    assert (rows["One year"]["Year"], rows["One year"]["End Year"]) == ("1950", "1951")
    last = rows["Last day of the year"]
    assert (last["End Year"], last["End Month"], last["End Day"]) == ("2000", "1", "1")
    assert last["Display Date"] == "31 December 1999"


# --- text, links and media ---------------------------------------------------


def test_headline_is_html_escaped_only_where_html_would_read_markup():
    (row,) = event_rows(export(one_event("2000", title="<script>x</script> & Trade &amp; aid <3")))
    assert row["Headline"] == "&lt;script>x&lt;/script> & Trade &amp;amp; aid <3"


def test_display_date_and_group_are_escaped_twice():
    # TimelineJS strips markup from these (decoding once) and then inserts the result as HTML.
    (row,) = event_rows(export(one_event("2000", group="<b>War</b> & &lt;peace&gt;")))
    assert row["Group"] == "&amp;lt;b>War&amp;lt;/b> & &amp;amp;lt;peace&amp;amp;gt;"


def test_description_is_safe_html_and_sources_are_listed():
    story = one_event(
        "2000",
        description="**Bold** <img src=x onerror=alert(1)> [bad](javascript:alert(1)) [ok](https://example.org)",
        sources=(Source(title="A & B <i>", url="https://example.org/a?x=1&y=2"), Source(title="Offline")),
    )
    (row,) = event_rows(export(story))
    text = row["Text"]
    assert "<strong>Bold</strong>" in text
    assert "<img" not in text and "&lt;img" in text
    assert "javascript:" not in text
    assert '<a href="https://example.org" rel="noopener noreferrer">ok</a>' in text
    assert '<li><a href="https://example.org/a?x=1&amp;y=2">A & B &lt;i></a></li><li>Offline</li>' in text


def test_media_keeps_only_http_urls():
    safe = one_event("2000", media=Media(url="https://example.org/p.jpg", caption="<i>c</i>", credit="AP & AFP"))
    (row,) = event_rows(export(safe))
    assert (row["Media"], row["Media Caption"], row["Media Credit"]) == (
        "https://example.org/p.jpg", "&lt;i>c&lt;/i>", "AP & AFP")
    for url in ("javascript:alert(1)", "data:text/html,x", "mailto:a@example.org", "//example.org/x"):
        (row,) = event_rows(export(one_event("2000", media=Media(url=url, caption="c"))))
        assert row["Media"] == row["Media Caption"] == ""


# --- spreadsheet formulas ----------------------------------------------------


@pytest.mark.parametrize("title", ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_cells_that_would_start_a_formula_get_an_apostrophe(title):
    (row,) = event_rows(export(one_event("2000", title=title)))
    assert row["Headline"] == "'" + title


def test_numbers_we_compute_are_not_touched():
    (row,) = event_rows(export(one_event("-0043")))
    assert row["Year"] == "-44"


texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=150, deadline=None)
@given(title=texts.filter(str.strip), group=texts, caption=texts, description=texts)
def test_no_data_can_add_rows_columns_or_formulas(title, group, caption, description):
    story = one_event(
        "2000", title=title, group=group or None, description=description,
        media=Media(url="https://example.org/m.png", caption=caption or None),
    )
    rows = table(export(story, title=False, eras=False))
    assert len(rows) == 1
    for column in TEXT_COLUMNS:
        assert not rows[0][column].startswith(("=", "+", "-", "@", "\t", "\r", "\n", "\0"))
