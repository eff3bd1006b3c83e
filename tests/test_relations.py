"""Relations (issue 17): labelled links that read both ways, checked, kept through every format and filter."""

from __future__ import annotations

import json
import re
import sys
import textwrap
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import timeline
import timeline.testing
from timeline import Date, Event, Relation, Timeline

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

STORY = textwrap.dedent(
    """\
    id: relations
    title: Relations
    events:
      - id: charter
        title: UN Charter signed
        start: "1945-06-26"
      - id: treaty-1961
        title: Treaty of 1961
        start: "1961-07-06"
        tags: [old]
      - id: treaty-2024
        title: Treaty of 2024
        start: "2024-06-19"
        related: [treaty-1961]
      - id: text-published
        title: "Treaty text published; Article 4"
        start: "2024-06-20"
        related:
          - {id: charter, label: cites}
          - {id: treaty-1961, label: Echoes}
          - {id: treaty-2024, label: part  of}
          - {id: nato, label: compared with}
      - id: nato
        title: NATO treaty
        start: "1949-04-04"
    """
)


def _story() -> Timeline:
    return timeline.load_bytes(STORY.encode(), input_format="yaml", name="story.yaml")


def _problems(text: str) -> list[tuple[str | None, str | None, str]]:
    with pytest.raises(timeline.InvalidTimelineError) as caught:
        timeline.load_bytes(textwrap.dedent(text).encode(), input_format="yaml", name="bad.yaml")
    return [(p.field, p.event, p.message) for p in caught.value.problems]


# --- the model ----------------------------------------------------------------


def test_related_stays_the_ids_and_labels_sit_beside_them():
    event = _story().get("text-published")
    assert event.related == ("charter", "treaty-1961", "treaty-2024", "nato")
    assert dict(event.relation_labels) == {
        "charter": "cites", "treaty-1961": "Echoes", "treaty-2024": "part  of", "nato": "compared with",
    }
    assert event.relations[0] == Relation("charter", "cites")
    assert [r.kind for r in event.relations] == ["cites", "echoes", "part of", None]


def test_relations_read_both_ways():
    story = _story()
    assert [(r.id, r.phrase()) for r in story.relations_of("charter")] == [("text-published", "Cited by")]
    assert [(r.id, r.phrase()) for r in story.relations_of("treaty-1961")] == [
        ("treaty-2024", "Related"),
        ("text-published", "Echoed by"),
    ]
    # a free label reads as written one way, "Related" the other
    assert [r.phrase() for r in story.relations_of("text-published")] == [
        "Cites", "Echoes", "Part of", "Compared with",
    ]
    assert [(r.id, r.phrase()) for r in story.relations_of("nato")] == [("text-published", "Related")]
    assert [(r.id, r.phrase(), r.incoming) for r in story.relations_of(story.get("treaty-2024"))] == [
        ("treaty-1961", "Related", False),
        ("text-published", "Has part", True),
    ]
    assert story.relations() == {event.id: story.relations_of(event) for event in story if story.relations_of(event)}


def test_a_labelled_link_back_replaces_a_plain_one_and_each_event_is_listed_once():
    a = Event(id="a", title="A", start=Date(2000), related=("b",))
    b = Event(id="b", title="B", start=Date(2001), related=("a",), relation_labels={"a": "follows"})
    story = Timeline(id="t", title="T", events=(a, b))
    assert [(r.id, r.phrase()) for r in story.relations_of("a")] == [("b", "Followed by")]
    assert [(r.id, r.phrase()) for r in story.relations_of("b")] == [("a", "Follows")]


def test_phrases_come_from_the_catalogues():
    pytest.importorskip("babel")
    story = _story()
    assert [r.phrase("ru") for r in story.relations_of("charter")] == ["Упоминается в"]
    assert [r.phrase("de") for r in story.relations_of("nato")] == ["Verwandt"]
    assert story.relations_of("text-published")[3].phrase("ko") == "Compared with"  # the data's own text


def test_relations_of_an_unknown_event():
    with pytest.raises(timeline.EventNotFoundError):
        _story().relations_of("nowhere")
    with pytest.raises(timeline.ArgumentTypeError):
        _story().relations_of(3)  # type: ignore[arg-type]


def test_relation_type_checks():
    with pytest.raises(timeline.ArgumentTypeError):
        Relation(3)  # type: ignore[arg-type]
    with pytest.raises(timeline.ArgumentTypeError):
        Event(id="a", title="A", start=Date(2000), related=("b",), relation_labels=["b"])  # type: ignore[arg-type]


# --- filters leave no dangling link -------------------------------------------------


def test_filter_and_without_drop_links_and_their_labels():
    story = _story()
    recent = story.filter(since=Date(2000))
    event = recent.get("text-published")
    assert event.related == ("treaty-2024",)
    assert dict(event.relation_labels) == {"treaty-2024": "part  of"}
    timeline.validate(recent)
    shorter = story.without("charter", "treaty-2024")
    assert dict(shorter.get("text-published").relation_labels) == {"treaty-1961": "Echoes", "nato": "compared with"}
    assert [r.id for r in shorter.relations_of("treaty-1961")] == ["text-published"]


@pytest.mark.parametrize("fmt", ["markdown", "timelinejs", "timelinejs-html", "ical", "json", "yaml", "toml"])
def test_no_output_names_a_filtered_out_event(fmt):
    recent = _story().filter(since=Date(2000))
    out = timeline.export(recent, fmt)
    for gone in (b"charter", b"UN Charter", b"treaty-1961", b"Treaty of 1961", b"nato", b"NATO"):
        assert gone not in out


# --- checks ------------------------------------------------------------------------


def test_every_mistake_is_reported_with_event_and_field():
    problems = _problems(
        """\
        id: t
        title: T
        events:
          - id: a
            title: A
            start: "2024"
            related:
              - {id: b, lable: cites}
              - b
              - a
              - {id: zz}
              - {label: x}
              - 3
              - {id: c, label: " "}
              - {id: d, label: "0123456789012345678901234567890123456789x"}
              - {id: e, label: [cites]}
          - {id: b, title: B, start: "2023"}
          - {id: c, title: C, start: "2023"}
          - {id: d, title: D, start: "2023"}
          - {id: e, title: E, start: "2023"}
        """
    )
    assert problems == [
        ("related[0].lable", "event 'a'", "unknown field 'lable'"),  # the hint: did you mean 'label'
        ("related[4].id", "event 'a'", "is required"),
        ("related[5]", "event 'a'", "expected an event id or a mapping with 'id' and 'label', got a number"),
        ("related[6].label", "event 'a'", "must not be empty"),
        ("related[7].label", "event 'a'", "a relation's label is at most 40 characters, this one has 41"),
        ("related[8].label", "event 'a'", "expected text, got a list"),
        ("related[1]", "event 'a'", "'b' is already listed, as related[0]"),
        ("related[2]", "event 'a'", "an event cannot be related to itself"),
        ("related[3]", "event 'a'", "no event has the id 'zz'"),
    ]


def test_problems_name_the_line():
    with pytest.raises(timeline.InvalidTimelineError) as caught:
        timeline.load_bytes(
            b"id: t\ntitle: T\nevents:\n  - id: a\n    title: A\n    start: '2024'\n    related:\n"
            b"      - b\n      - {id: b, label: cites}\n  - {id: b, title: B, start: '2023'}\n",
            name="bad.yaml",
        )
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.field) == ("bad.yaml", 9, "related[1]")


def test_validate_checks_labels_of_a_timeline_built_in_code():
    a = Event(id="a", title="A", start=Date(2000), related=("b",), relation_labels={"b": "x\ny", "c": "cites"})
    b = Event(id="b", title="B", start=Date(2001))
    with pytest.raises(timeline.InvalidTimelineError) as caught:
        timeline.validate(Timeline(id="t", title="T", events=(a, b)))
    fields = [(p.field, p.message) for p in caught.value.problems]
    assert ("relation_labels", "a label for 'c', which is not in related") in fields
    assert any(field == "related[0].label" for field, _ in fields)


# --- every data format keeps them ------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "yaml", "toml"])
def test_data_formats_round_trip_labels_and_keep_plain_ids_plain(fmt):
    story = _story()
    data = timeline.export(story, fmt)
    again = timeline.load_bytes(data, input_format=fmt, name=f"x.{fmt}")
    assert again == story
    assert again.get("text-published").relation_labels == story.get("text-published").relation_labels
    parsed = {"json": json.loads, "toml": tomllib.loads}.get(fmt)
    if parsed is not None:
        events = {e["id"]: e for e in parsed(data.decode())["events"]}
        assert events["treaty-2024"]["related"] == ["treaty-1961"]
        assert events["text-published"]["related"][0] == {"id": "charter", "label": "cites"}


def test_a_mapping_without_label_is_written_as_the_plain_id():
    story = timeline.load_bytes(
        b"id: t\ntitle: T\nevents:\n  - {id: a, title: A, start: '2024', related: [{id: b}]}\n"
        b"  - {id: b, title: B, start: '2023'}\n"
    )
    assert json.loads(timeline.export(story, "json"))["events"][1]["related"] == ["b"]


# --- Markdown: links to the headings, as GitHub makes their anchors ---------------------------------


class _Links(HTMLParser):
    """Headings (id, text) and links (href, text) of rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: dict[str, str] = {}
        self.links: list[tuple[str, str]] = []
        self._open: tuple[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._open, self._text = (tag, found.get("id")), []
        elif tag == "a" and (found.get("href") or "").startswith("#"):
            self._open, self._text = ("a", found["href"]), []

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == self._open[0]:
            text = "".join(self._text)
            if tag == "a":
                self.links.append((self._open[1] or "", text))
            else:
                assert self._open[1] is not None
                self.headings.setdefault(self._open[1], text)
            self._open = None

    def handle_data(self, data: str) -> None:
        self._text.append(data)


def _rendered(markdown: bytes) -> _Links:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.anchors import anchors_plugin

    parser = _Links()
    renderer = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    parser.feed(renderer.use(anchors_plugin, min_level=1, max_level=6).render(markdown.decode()))
    return parser


def _check_links(story: Timeline, **options: object) -> _Links:
    markdown = timeline.export(story, "markdown", **options)
    assert isinstance(markdown, bytes)
    page = _rendered(markdown)
    expected = sum(len(found) for found in story.relations().values())
    assert len(page.links) == expected
    for href, text in page.links:
        anchor = unquote(href[1:])  # the renderer percent-encodes the link, as a browser reads it
        assert anchor in page.headings, (href, text)
        assert page.headings[anchor] == text, (href, text)
    return page


def test_markdown_lists_each_relation_as_a_link_to_the_heading():
    markdown = timeline.export(_story(), "markdown").decode()
    assert (
        "See also:\n\n"
        "- Cites: [UN Charter signed](#un-charter-signed)\n"
        "- Echoes: [Treaty of 1961](#treaty-of-1961)\n"
        "- Part of: [Treaty of 2024](#treaty-of-2024)\n"
        "- Compared with: [NATO treaty](#nato-treaty)\n\n"
    ) in markdown
    assert "- Cited by: [Treaty text published; Article 4](#treaty-text-published-article-4)\n" in markdown
    _check_links(_story())
    _check_links(_story(), toc=True, heading_level=3)


def test_markdown_anchors_of_the_sample_and_the_corpus():
    page = _check_links(timeline.sample())
    assert len(page.links) > 40
    everything = timeline.testing.corpus()["everything"]
    _check_links(everything)


_titles = st.sampled_from(["Events", "Eras", "Treaty", "Treaty!", "treaty", "Treaty-1", "Treaty 1", "Год 1961",
                           "条约", "a_b", "  spaced  out ", "`code`", "*em*", "!!!", "x" * 30, "Ünï-cödé", "Tab\tx"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    titles=st.lists(st.one_of(_titles, st.text(min_size=1, max_size=12)), min_size=2, max_size=6),
    heading=st.sampled_from(["", "# Treaty\n", "Treaty\n===\n", "## Events\n\ntext\n"]),
    toc=st.booleans(),
)
def test_markdown_anchors_match_a_renderer_for_any_titles(titles, heading, toc):
    events = [
        Event(id=f"e{i}", title=title, start=Date(2000 + i), description=heading,
              related=("e0",) if i else ("e1",), relation_labels={"e0": "cites"} if i else {})
        for i, title in enumerate(titles)
    ]
    story = Timeline(id="t", title=titles[-1], events=events, eras=(timeline.Era(title=titles[0], start=Date(1999)),))
    try:
        timeline.validate(story)
    except timeline.InvalidTimelineError:
        assume(False)
    _check_links(story, toc=toc)


# --- iCalendar: RELATED-TO, and read back ------------------------------------------------------

FOREIGN = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Other//EN\r
BEGIN:VEVENT\r
UID:parent-1@example.org\r
DTSTAMP:20240101T000000Z\r
DTSTART;VALUE=DATE:20240601\r
SUMMARY:Conference\r
RELATED-TO;RELTYPE=CHILD:child-1@example.org\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:child-1@example.org\r
DTSTAMP:20240101T000000Z\r
DTSTART;VALUE=DATE:20240602\r
SUMMARY:Keynote\r
RELATED-TO:parent-1@example.org\r
RELATED-TO;RELTYPE=SIBLING:elsewhere@example.org\r
RELATED-TO;RELTYPE=SIBLING:talk-2@example.org\r
RELATED-TO;RELTYPE=X-DEPENDS:talk-2@example.org\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:talk-2@example.org\r
DTSTAMP:20240101T000000Z\r
DTSTART;VALUE=DATE:20240603\r
SUMMARY:Talk\r
RELATED-TO;RELTYPE=SIBLING:talk-2@example.org\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_ical_reader_maps_related_to_back_when_both_events_are_in_the_file():
    with pytest.warns(UserWarning):
        story = timeline.load_bytes(FOREIGN, input_format="ical", name="other.ics")
    assert story.get("conference").relations == (Relation("keynote", "has part"),)
    # no RELTYPE is PARENT (RFC 5545 3.2.15); a UID not in the file, a repeat and a link to itself are dropped
    assert story.get("keynote").relations == (Relation("conference", "part of"), Relation("talk"))
    assert story.get("talk").relations == ()


def test_ical_reader_reports_a_related_uid_not_in_the_file():
    with pytest.warns(UserWarning, match="RELATED-TO 'elsewhere@example.org': no event of the file"):
        timeline.load_bytes(FOREIGN, input_format="ical", name="other.ics")


def test_ical_round_trips_labels_and_writes_related_to():
    story = timeline.testing.corpus()["everything"]
    data = timeline.export(story, "ical")
    assert isinstance(data, bytes)
    again = timeline.load_bytes(data, input_format="ical", name="x.ics")
    linked = [event for event in story if event.relation_labels]
    assert linked
    for event in linked:
        assert again.get(event.id).relations == event.relations
    sample = timeline.sample()
    data = timeline.export(sample, "ical")
    uid = timeline.event_uid_text(sample.id, "unsc-1874")
    assert f"RELATED-TO;RELTYPE=SIBLING:{uid}\r\n".encode() in data


def test_ical_relations_survive_a_calendar_that_drops_our_own_properties():
    story = Timeline(id="t", title="T", events=(
        Event(id="conference", title="Conference", start=Date(2024, 6, 1)),
        Event(id="keynote", title="Keynote", start=Date(2024, 6, 2), related=("conference", "talk"),
              relation_labels={"conference": "part of", "talk": "cites"}),
        Event(id="talk", title="Talk", start=Date(2024, 6, 3)),
    ))
    data = timeline.export(story, "ical")
    assert isinstance(data, bytes)
    stripped = b"".join(line for line in data.splitlines(keepends=True) if not line.startswith(b"X-TIMELINE"))
    again = timeline.load_bytes(stripped, input_format="ical", name="x.ics")
    assert again.get("keynote").relations == (Relation("conference", "part of"), Relation("talk"))


# --- TimelineJS: links to the related slides (followed in Chromium: tests/test_timelinejs_browser.py) ---------


def test_timelinejs_slides_link_to_the_related_slides():
    story = _story()
    data = json.loads(timeline.export(story, "timelinejs"))
    text = {slide["unique_id"]: slide["text"]["text"] for slide in data["events"]}
    assert text["charter"] == (
        '<p>See also:</p><ul><li>Cited by: <a href="#event-text-published">'
        "Treaty text published; Article 4</a></li></ul>"
    )
    assert '<li>Compared with: <a href="#event-nato">NATO treaty</a></li>' in text["text-published"]


def test_timelinejs_escapes_free_labels_and_titles():
    story = timeline.testing.corpus()["everything"]
    data = json.loads(timeline.export(story, "timelinejs"))
    slide = next(s for s in data["events"] if s["unique_id"] == "sources-media-locations.full")
    link = '<a href="#event-sources-media-locations.poles">'
    assert "Cites &quot;&lt;b&gt;^&quot; &amp; [x](y);a,b:c: " + link in slide["text"]["text"]


def _options(page: bytes) -> dict[str, object]:
    found = re.search(rb'<script type="application/json" id="timeline-options">(.*?)</script>', page)
    assert found is not None
    return json.loads(found.group(1))


def test_the_page_turns_hash_bookmarks_on_when_slides_link_to_each_other():
    page = timeline.export(_story(), "timelinejs-html")
    assert _options(page)["hash_bookmark"] is True
    plain = Timeline(id="t", title="T", events=(Event(id="a", title="A", start=Date(2000)),))
    assert _options(timeline.export(plain, "timelinejs-html"))["hash_bookmark"] is False
    assert _options(timeline.export(_story(), "timelinejs-html", hash_bookmark=False))["hash_bookmark"] is False
    assert _options(timeline.export(plain, "timelinejs-html", hash_bookmark=True))["hash_bookmark"] is True


def test_the_markdown_page_shows_what_the_sample_gives():
    from pathlib import Path

    page = (Path(__file__).parent.parent / "docs" / "exporters" / "markdown.md").read_text(encoding="utf-8")
    section = page.split("## Relations\n", 1)[1]
    shown = re.search(r"```markdown\n(.*?)```", section, re.S)
    assert shown is not None
    assert shown.group(1) in timeline.export(timeline.sample(), "markdown").decode()
