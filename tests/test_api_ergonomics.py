"""Issue 13 §4: the Python API says what is wrong, in its own words.

str(Date) is EDTF; comparing dates with < points to sort_key(); a missing
id is an EventNotFoundError with suggestions; editing a timeline is one
validated call; wrong argument types are an ArgumentTypeError naming the
argument, at the public boundary, before any plugin runs.
"""

from __future__ import annotations

import io
import operator
import pickle
import sys
from collections.abc import Callable
from typing import Any

import pytest

import timeline
from timeline import (
    ArgumentTypeError,
    Date,
    Era,
    Event,
    EventNotFoundError,
    InvalidTimelineError,
    Location,
    Media,
    Source,
    Timeline,
    TimelineError,
)


def ev(id: str, start: str, **kw: Any) -> Event:
    kw.setdefault("title", id.title())
    return Event(id=id, start=Date.parse(start), **kw)


@pytest.fixture
def story() -> Timeline:
    return timeline.validate(
        Timeline(
            id="treaties",
            title="Treaties",
            events=[
                ev("treaty-1961", "1961-07-06", tags=["treaty"]),
                ev("treaty-2000", "2000-02-09", tags=["treaty"], related=["treaty-1961"]),
                ev("treaty-2024", "2024-06-19", tags=["treaty"], related=["treaty-1961", "treaty-2000"]),
            ],
        )
    )


# --- errors ------------------------------------------------------------------


def test_new_error_classes_are_timeline_errors_and_builtin_ones() -> None:
    assert issubclass(ArgumentTypeError, TypeError)
    assert issubclass(ArgumentTypeError, timeline.UsageError)
    assert issubclass(EventNotFoundError, KeyError)
    assert issubclass(EventNotFoundError, TimelineError)
    assert "ArgumentTypeError" in timeline.__all__ and "EventNotFoundError" in timeline.__all__


# --- Date: str and comparisons ---------------------------------------------------


@pytest.mark.parametrize("text", ["1961-07~", "1961", "-0043-03-15", "2024-06-19T03:00+09:00", "Y12345?"])
def test_str_of_a_date_is_its_edtf_text(text: str) -> None:
    date = Date.parse(text)
    assert str(date) == date.isoformat() == text
    assert f"{date}" == text
    assert repr(date).startswith("Date(year=")  # repr keeps the fields


def test_str_of_a_zoned_date_is_its_local_text() -> None:
    date = Date.parse("2024-06-19T02:22").in_zone("Asia/Pyongyang")
    assert str(date) == "2024-06-19T02:22"


@pytest.mark.parametrize("op", [operator.lt, operator.le, operator.gt, operator.ge])
def test_comparing_dates_points_to_sort_key(op: Callable[[Any, Any], bool]) -> None:
    with pytest.raises(ArgumentTypeError) as caught:
        op(Date.parse("1961"), Date.parse("1961-07-06"))
    assert isinstance(caught.value, TypeError) and isinstance(caught.value, TimelineError)
    message = str(caught.value)
    assert "sort_key()" in message and "first_day()" in message
    assert "1961 and 1961-07-06" in message


def test_dates_still_compare_for_equality_and_hash() -> None:
    assert Date.parse("1961-07") == Date.parse("1961-07")
    assert Date.parse("1961") != Date.parse("1961~")
    assert len({Date.parse("1961"), Date.parse("1961"), Date.parse("1962")}) == 2
    assert sorted([Date.parse("1962"), Date.parse("1961-07"), Date.parse("1961")], key=Date.sort_key) == [
        Date.parse("1961"),
        Date.parse("1961-07"),
        Date.parse("1962"),
    ]


def test_comparing_a_date_with_something_else_is_a_plain_type_error() -> None:
    with pytest.raises(TypeError) as caught:
        Date.parse("1961") < 1962  # noqa: B015
    assert not isinstance(caught.value, TimelineError)


# --- Timeline.get ------------------------------------------------------------------


def test_get_a_missing_id_names_it_and_the_closest_ids(story: Timeline) -> None:
    with pytest.raises(KeyError) as caught:
        story.get("treaty-2025")
    error = caught.value
    assert isinstance(error, EventNotFoundError) and isinstance(error, TimelineError)
    assert error.event_id == "treaty-2025" and error.args[0] == "treaty-2025"
    assert "treaty-2024" in error.suggestions
    text = str(error)
    assert text.startswith("no event has the id 'treaty-2025' in timeline 'treaties' (did you mean 'treaty-20")
    assert not text.startswith('"')  # not KeyError's quoted repr of the key
    assert error.exit_code == 1


def test_get_with_nothing_close_has_no_suggestion(story: Timeline) -> None:
    with pytest.raises(EventNotFoundError) as caught:
        story.get("zzz")
    assert caught.value.suggestions == ()
    assert str(caught.value) == "no event has the id 'zzz' in timeline 'treaties'"


def test_event_not_found_survives_pickling(story: Timeline) -> None:
    with pytest.raises(EventNotFoundError) as caught:
        story.get("treaty-2025")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert isinstance(copy, EventNotFoundError) and copy.event_id == "treaty-2025"


def test_get_wants_a_str_id(story: Timeline) -> None:
    with pytest.raises(ArgumentTypeError, match=r"Timeline.get\(event_id\) must be a str, not int"):
        story.get(1961)  # type: ignore[arg-type]


# --- editing -------------------------------------------------------------------------


def test_with_events_adds_in_order_and_validates(story: Timeline) -> None:
    new = ev("summit-2023", "2023-09-13", related=["treaty-2000"])
    edited = story.with_events(new)
    assert [e.id for e in edited] == ["treaty-1961", "treaty-2000", "summit-2023", "treaty-2024"]
    assert len(story) == 3  # the original is unchanged
    assert edited.title == story.title


def test_with_events_refuses_a_used_id_and_unknown_links(story: Timeline) -> None:
    with pytest.raises(InvalidTimelineError) as caught:
        story.with_events(ev("treaty-1961", "1961"), ev("x", "1990", related=["treaty-2023"]))
    messages = [p.message for p in caught.value.problems]
    assert any("duplicate id: 'treaty-1961'" in m for m in messages)
    assert any("no event has the id 'treaty-2023'" in m for m in messages)


def test_with_events_wants_events(story: Timeline) -> None:
    with pytest.raises(ArgumentTypeError, match="each event must be an Event, not str 'x'"):
        story.with_events("x")  # type: ignore[arg-type]


def test_replacing_swaps_events_by_id_and_validates(story: Timeline) -> None:
    fixed = ev("treaty-2000", "2000-02-09", title="Treaty of 2000", related=["treaty-1961"])
    edited = story.replacing(fixed)
    assert edited.get("treaty-2000").title == "Treaty of 2000"
    assert [e.id for e in edited] == [e.id for e in story]
    with pytest.raises(InvalidTimelineError, match=r"ends .* before it starts"):
        story.replacing(ev("treaty-2000", "2000", end=Date.parse("1999")))


def test_replacing_an_unknown_id_is_event_not_found(story: Timeline) -> None:
    with pytest.raises(EventNotFoundError, match="did you mean 'treaty-20"):
        story.replacing(ev("treaty-2001", "2001"))


def test_without_removes_events_and_links_to_them(story: Timeline) -> None:
    edited = story.without("treaty-1961")
    assert [e.id for e in edited] == ["treaty-2000", "treaty-2024"]
    assert edited.get("treaty-2000").related == ()
    assert edited.get("treaty-2024").related == ("treaty-2000",)
    assert story.get("treaty-2024").related == ("treaty-1961", "treaty-2000")
    assert len(story.without("treaty-1961", "treaty-2000", "treaty-2024")) == 0


def test_without_an_unknown_id_is_event_not_found(story: Timeline) -> None:
    with pytest.raises(EventNotFoundError, match="no event has the id 'treaty-1962'"):
        story.without("treaty-1962")
    with pytest.raises(ArgumentTypeError, match=r"pass ids, e.g. without\(event.id\)"):
        story.without(story.events[0])  # type: ignore[arg-type]


def test_editing_a_timeline_with_problems_reports_them(story: Timeline) -> None:
    broken = Timeline(id="t", title="T", events=[ev("a", "2000", related=["nope"])])
    with pytest.raises(InvalidTimelineError, match="no event has the id 'nope'"):
        broken.with_events(ev("b", "2001"))
    assert broken.without("a").events == ()  # removing the culprit fixes it


# --- constructors ----------------------------------------------------------------------

D = Date.parse("2024-06-19")


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (lambda: Event(id="a", title="A", start="2024-06-19"),  # type: ignore[arg-type]
         "Event start must be a Date, not str '2024-06-19'; build dates with Date.parse('2024-06-19')"),
        (lambda: Event(id="a", title="A", start=D, end="2024"), "Event end must be a Date or None"),  # type: ignore[arg-type]
        (lambda: Event(id=1, title="A", start=D), "Event id must be a str, not int"),  # type: ignore[arg-type]
        (lambda: Event(id="a", title=None, start=D), "Event title must be a str, not None"),  # type: ignore[arg-type]
        (lambda: Event(id="a", title="A", start=D, ongoing="yes"), "Event ongoing must be True or False"),  # type: ignore[arg-type]
        (lambda: Event(id="a", title="A", start=D, tags="treaty"), "for one, write tags=['treaty']"),
        (lambda: Event(id="a", title="A", start=D, related="b"), "Event related must be a list or tuple of str"),
        (lambda: Event(id="a", title="A", start=D, tags=["a", 1]), "each of Event tags must be a str, not int"),  # type: ignore[list-item]
        (lambda: Event(id="a", title="A", start=D, sources=["x"]), "each of Event sources must be a Source"),  # type: ignore[list-item]
        (lambda: Event(id="a", title="A", start=D, sources="x"), "Event sources must be a list or tuple of Source"),  # type: ignore[arg-type]
        (lambda: Event(id="a", title="A", start=D, location="Pyongyang"), "Event location must be a Location"),  # type: ignore[arg-type]
        (lambda: Event(id="a", title="A", start=D, media="https://x.org"), "Event media must be a Media"),  # type: ignore[arg-type]
        (lambda: Event(id="a", title="A", start=D, extra=[1]), "Event extra must be a mapping"),  # type: ignore[arg-type]
        (lambda: Event(id="a", title="A", start=D, group=7), "Event group must be a str or None"),  # type: ignore[arg-type]
        (lambda: Era(title="War", start="1950"), "Era start must be a Date"),  # type: ignore[arg-type]
        (lambda: Source(title="T", date="2024"), "Source date must be a Date or None"),  # type: ignore[arg-type]
        (lambda: Source(title=5), "Source title must be a str or None"),  # type: ignore[arg-type]
        (lambda: Location("P", "39.0", 125.7), "Location lat must be a number"),  # type: ignore[arg-type]
        (lambda: Media(url=None), "Media url must be a str, not None"),  # type: ignore[arg-type]
        (lambda: Timeline(id="t", title="T", events="abc"), "Timeline events must be a list or tuple of Event"),  # type: ignore[arg-type]
        (lambda: Timeline(id="t", title="T", events=None), "Timeline events must be a list or tuple of Event"),  # type: ignore[arg-type]
        (lambda: Timeline(id="t", title="T", events=["x"]), "each of Timeline events must be an Event"),  # type: ignore[list-item]
        (lambda: Timeline(id="t", title="T", eras=[1]), "each of Timeline eras must be an Era, not int"),  # type: ignore[list-item]
        (lambda: Timeline(id="t", title="T", updated="2024"), "Timeline updated must be a Date or None"),  # type: ignore[arg-type]
    ],
)
def test_constructors_name_a_field_of_the_wrong_type(build: Callable[[], Any], words: str) -> None:
    with pytest.raises(ArgumentTypeError) as caught:
        build()
    assert isinstance(caught.value, TypeError) and isinstance(caught.value, TimelineError)
    assert words in str(caught.value)


def test_constructors_accept_lists_iterables_and_subclasses() -> None:
    class Text(str):
        pass

    event = Event(id=Text("a"), title="A", start=D, tags=iter(["x", "y"]), related=["b"],
                  sources=[Source(title="S")], extra={"k": 1})
    assert event.tags == ("x", "y") and event.related == ("b",) and len(event.sources) == 1
    assert Timeline(id="t", title="T", events=(e for e in [event])).events == (event,)


def test_extra_is_copied_not_shared() -> None:
    raw = {"k": 1}
    event = Event(id="a", title="A", start=D, extra=raw)
    raw["k"] = 2
    assert event.extra["k"] == 1


# --- the public boundary ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda s: timeline.load(None), "load(paths) must be a path (str or pathlib.Path) or a list of paths, not None"),  # noqa: E501
        (lambda s: timeline.load(b"x.yaml"), "use timeline.load_bytes(data) for file contents"),
        (lambda s: timeline.load(["a.yaml", 3]), "each of load(paths) must be a path"),
        (lambda s: timeline.load("a.yaml", input_format=1), "load(input_format=...) must be a format name"),
        (lambda s: timeline.load_bytes("title: T"), "load_bytes(data) must be bytes, not str"),
        (lambda s: timeline.export(s, 5), "export(format) must be a format name (str)"),
        (lambda s: timeline.export("x.yaml", "markdown"), "export(timeline) must be a timeline.Timeline"),
        (lambda s: timeline.export(s, "markdown", io.StringIO()), "not StringIO; exporters write bytes"),
        (lambda s: timeline.export(s, "markdown", sys.stdout), "sys.stdout.buffer"),
        (lambda s: timeline.export(s, "markdown", 5), "export(dest) must be None (to get bytes), a path"),
        (lambda s: timeline.export(s, "markdown", registry="x"), "export(registry=...) must be a timeline.Registry"),
        (lambda s: timeline.export_with_report(s, "json", options=["indent"]), "options=...) must be a mapping"),
        (lambda s: s.filter(tags="treaty"), "Timeline.filter(tags=...) must be a list of str, not str 'treaty'"),
        (lambda s: s.filter(groups="Diplomacy"), "for one, write groups=['Diplomacy']"),
        (lambda s: s.filter(since="2000"), "write since=Date.parse('2000')"),
        (lambda s: Date.parse("2024-06-19T03:00").in_zone(None), "Date.in_zone(zone) must be an IANA zone name"),
        (lambda s: Date.parse("2024").in_zone(9), "Date.in_zone(zone) must be an IANA zone name"),
        (lambda s: Date.parse(1961), "Date.parse(text) must be a str"),
    ],
)
def test_wrong_argument_types_are_named_at_the_boundary(
    story: Timeline, call: Callable[[Timeline], Any], words: str
) -> None:
    with pytest.raises(ArgumentTypeError) as caught:
        call(story)
    assert words in str(caught.value)
    assert "exporter" not in str(caught.value).split(";")[0]  # the caller is named, not a plugin


def test_a_plugin_calling_the_api_wrongly_is_still_blamed() -> None:
    class Sloppy:
        name = "sloppy"
        extensions = ()
        media_type = "text/plain"
        description = "Calls Date.parse with a number"
        options = ()

        def write(self, story: Timeline, stream: Any, options: Any) -> None:
            Date.parse(1961)  # type: ignore[arg-type]

    class Plugin:
        @timeline.hookimpl
        def timeline_exporters(self) -> list[Any]:
            return [Sloppy()]

    registry = timeline.Registry(entry_points=False)
    registry.register(Plugin(), name="sloppy-plugin")
    story = Timeline(id="t", title="T")
    with pytest.raises(timeline.ExportError, match=r"the 'sloppy' exporter from plugin 'sloppy-plugin' failed: "
                                                     r"ArgumentTypeError: Date.parse\(text\) must be a str"):
        timeline.export(story, "sloppy", registry=registry)


def test_export_to_a_binary_stream_still_works(story: Timeline) -> None:
    buffer = io.BytesIO()
    timeline.export(story, "markdown", buffer)
    assert buffer.getvalue().startswith(b"# Treaties")


def test_a_reader_calling_the_api_wrongly_is_reported_against_the_reader() -> None:
    class SloppyReader:
        name = "sloppy"
        extensions = (".sloppy",)
        description = "Calls Date.parse with a number"

        def read(self, data: bytes, source: str) -> Any:
            Date.parse(1961)  # type: ignore[arg-type]

    class Plugin:
        @timeline.hookimpl
        def timeline_readers(self) -> list[Any]:
            return [SloppyReader()]

    registry = timeline.Registry(entry_points=False)
    registry.register(Plugin(), name="sloppy-plugin")
    with pytest.raises(InvalidTimelineError) as caught:
        timeline.load_bytes(b"x", input_format="sloppy", registry=registry)
    assert caught.value.problems[0].message == (
        "reader 'sloppy' failed: ArgumentTypeError: Date.parse(text) must be a str such as '2024-06-19', not int"
    )
