"""The diagram's structure, read back with the rules Mermaid's own lexer uses.

``read_diagram`` (in ``diagram_reader.py``) follows Mermaid's timeline
grammar and its entity decoding, so a title that smuggled in a colon, a
comment or a directive would show up here as an extra entry, a missing one
or a changed text.  The repository's CI also draws these diagrams with the
real Mermaid in a browser.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata

import pytest
from diagram_reader import read_diagram
from hypothesis import given, settings
from hypothesis import strategies as st

import timeline
from timeline import Date, Era, Event, Timeline


def export(story: Timeline, **options: object) -> str:
    data = timeline.export(story, "mermaid", **options)
    assert isinstance(data, bytes)
    return data.decode("utf-8")


def event(event_id: str, start: str, title: str = "E", **fields: object) -> Event:
    return Event(id=event_id, title=title, start=Date.parse(start), **fields)


def test_found_through_its_entry_point():
    infos = [info for info in timeline.Registry().plugins() if info.package == "timeline-mermaid"]
    assert [(info.name, info.exporters, info.error) for info in infos] == [("mermaid", ["mermaid"], None)]


def test_sample_diagram_has_every_event_in_order():
    story = timeline.sample()
    diagram = read_diagram(export(story))
    assert diagram.title == story.title
    titles = [entry for _, _, entries in diagram.periods for entry in entries]
    assert titles == [e.title for e in story.events]
    assert diagram.periods[0][0] == story.eras[0].title + " (1945 – December 1991)"


def test_fence_wraps_the_diagram_for_markdown():
    text = export(timeline.sample(), fence=True)
    assert text.startswith("```mermaid\ntimeline\n") and text.endswith("\n```\n")
    assert read_diagram(text) == read_diagram(export(timeline.sample()))


def test_periods_show_precision_qualifiers_and_ongoing():
    story = Timeline(id="t", title="T", events=[
        event("a", "1961~"),
        event("b", "1961-07?"),
        event("c", "-0043-03-15"),
        event("d", "2022-02-24", ongoing=True),
        event("e", "2024-06-19T03:00+09:00"),
        event("f", "1950-06", end=Date.parse("1950-07")),
    ])
    periods = [period for _, period, _ in read_diagram(export(story)).periods]
    assert periods == [
        "15 March 44 BCE", "June–July 1950", "c. 1961", "July 1961?", "24 February 2022 – ongoing",
        "19 June 2024, 03:00 (UTC+9)",
    ]


def test_events_on_the_same_date_share_a_period():
    story = Timeline(id="t", title="T", events=[
        event("a", "2024-06-19", "A"), event("b", "2024-06-19", "B"), event("c", "2024-06-20", "C"),
    ])
    assert read_diagram(export(story)).periods == [(None, "19 June 2024", ["A", "B"]), (None, "20 June 2024", ["C"])]


def test_eras_become_sections_and_events_outside_them_are_kept():
    story = Timeline(
        id="t", title="T",
        eras=[
            Era(title="Cold War", start=Date.parse("1947"), end=Date.parse("1991")),
            Era(title="Détente", start=Date.parse("1969"), end=Date.parse("1979")),
        ],
        events=[
            event("a", "1945", "Before"), event("b", "1950", "Early"), event("c", "1972", "Inside both"),
            event("d", "1985", "Late"), event("e", "2000", "After"),
        ],
    )
    diagram = read_diagram(export(story))
    assert [(s, e) for s, _, e in diagram.periods] == [
        (None, ["Before"]),
        ("Cold War (1947–1991)", ["Early"]),
        ("Détente (1969–1979)", ["Inside both"]),
        ("Cold War (1947–1991)", ["Late"]),
        ("Other events", ["After"]),
    ]
    flat = read_diagram(export(story, sections=False))
    assert {s for s, _, _ in flat.periods} == {None}
    assert "section" not in export(story, sections=False)


def test_empty_timeline_is_still_a_diagram():
    assert export(Timeline(id="t", title="Nothing yet")) == "timeline\n    title Nothing yet\n"


HOSTILE = [
    "Talks: day 2: 10:30",
    "#1 priority; see http://example.org/a#b",
    "%%{init: {'theme': 'dark'}}%% directive",
    "a %% comment",
    "line one\nline two\r\n\u2028three",
    "<br>broken<br/>line <script>alert(1)</script>",
    "```\nfence closed",
    "section Fake",
    "title Fake",
    "ﬂ°°58¶ß placeholder",
    "tab\there\x00and\x1bcontrols",
    "Корея 한국 🇰🇵 👨‍👩‍👧",
]


@pytest.mark.parametrize("title", HOSTILE)
def test_hostile_titles_stay_one_entry_and_read_back_exactly(title):
    story = Timeline(id="t", title=title, events=[event("a", "2000", title), event("b", "2000", "next")],
                     eras=[Era(title=title, start=Date.parse("1999"), end=Date.parse("2001"))])
    text = export(story, fence=True)
    expected = " ".join(title.replace("\x00", "").replace("\x1b", "").split())
    diagram = read_diagram(text)
    assert diagram.title == expected
    (section, period, entries), = diagram.periods
    assert (section, period, entries) == (f"{expected} (1999–2001)", "2000", [expected, "next"])
    assert text.count("```") == 2


def expected_label(text: str) -> str:
    """What a label should read as: controls gone, whitespace collapsed, surrogates replaced."""
    kept = "".join(c for c in text if c.isspace() or unicodedata.category(c) != "Cc")
    label = re.sub("[\ud800-\udfff]", "\ufffd", " ".join(kept.split()))
    return label or "(untitled)"


texts = st.text(st.characters(codec="utf-8"), min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(titles=st.lists(texts, min_size=1, max_size=4))
def test_any_titles_keep_the_diagram_shape(titles):
    story = Timeline(id="t", title=titles[0], events=[event(f"e{i}", "2000", t) for i, t in enumerate(titles)])
    diagram = read_diagram(export(story, fence=True))
    ((_, period, entries),) = diagram.periods
    assert period == "2000" and len(entries) == len(titles)
    for entry, title in zip(entries, titles, strict=True):
        assert entry == expected_label(title)


def test_long_diagrams_warn_about_mermaids_size_limit():
    story = Timeline(id="t", title="T", events=[event(f"e{i}", "2000", "x" * 60) for i in range(1000)])
    with pytest.warns(timeline.PluginWarning, match="maxTextSize"):
        export(story)


def test_reports_every_event_written_and_what_it_leaves_out():
    story = timeline.sample()
    _, report = timeline.export_with_report(story, "mermaid")
    assert list(report.wrote) == [event.id for event in story.events]
    assert not report.skipped
    described = {event.id for event in story.events if event.description}
    assert {entry.event for entry in report.approximated if entry.field == "description"} == described


def test_same_input_same_bytes():
    assert export(timeline.sample()) == export(timeline.sample())


def test_loaded_file_to_exact_text():
    data = textwrap.dedent("""
        title: "Ceasefire: talks"
        events:
          - {id: a, title: "Round 1: Geneva; 50% agreed", start: "2024-03"}
    """).encode()
    story = timeline.load_bytes(data, input_format="yaml")
    assert export(story) == (
        "timeline\n"
        "    title Ceasefire#58; talks\n"
        "    March 2024 : Round 1#58; Geneva#59; 50#37; agreed\n"
    )
