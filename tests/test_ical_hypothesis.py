"""Property tests: any text and any date survive the iCalendar exporter and three parsers."""

from __future__ import annotations

import uuid
import warnings

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import timeline
from tests.ical_helpers import (
    check_all,
    check_octets,
    expected_categories,
    expected_summary,
    in_range,
    normalise,
    parse_icalendar,
)
from tests.strategies import spans
from timeline import Date, Event, Location, Source, Timeline
from timeline.stamps import UID_NAMESPACE

# Arbitrary Unicode (no NUL, no lone surrogates), with the characters that
# matter to iCalendar drawn far more often than chance would.
SPECIAL = list("\r\n;,\\:\t\"'") + ["\r\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x7f", "\x9b",
                                    "\x01", "END:VEVENT", "BEGIN:VCALENDAR", "\\n", "😀", "🇰🇵", "한", "조선",
                                    "Россия", "é", "\u200d", "\ufeff", "\ud800", "\udfff", "\x01,", "\\\x01"]
texts = st.lists(
    st.one_of(
        st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=20),
        st.sampled_from(SPECIAL),
    ),
    max_size=12,
).map("".join)
titles = texts.filter(lambda t: t.strip() != "")


def _events(draw: st.DrawFn, count: int) -> list[Event]:
    events = []
    for index in range(count):
        start, end, ongoing = draw(spans())
        location = draw(st.one_of(
            st.none(),
            st.builds(Location, name=st.one_of(st.none(), titles),
                      lat=st.one_of(st.none(), st.floats(-90, 90)), lon=st.one_of(st.none(), st.floats(-180, 180))),
        ))
        events.append(Event(
            id=f"e{index}",
            title=draw(titles),
            start=start,
            end=end,
            ongoing=ongoing,
            description=draw(texts),
            tags=tuple(draw(st.lists(titles, max_size=3, unique=True))),
            location=location,
            sources=tuple(draw(st.lists(st.builds(Source, title=titles, url=st.sampled_from(
                [None, "https://example.org/x?a=1,b;c", "mailto:a@example.org", "javascript:alert(1)"])),
                max_size=2))),
        ))
    return events


@st.composite
def timelines(draw: st.DrawFn) -> Timeline:
    count = draw(st.integers(min_value=0, max_value=4))
    return Timeline(id=draw(st.text("abcdefghij-", min_size=1, max_size=10)), title=draw(titles),
                    description=draw(texts), events=_events(draw, count), updated=Date(2024, 11, 1))


def _export(tl: Timeline) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # out-of-range years are counted in a warning
        data = timeline.export(tl, "ical")
    assert data is not None
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines())
def test_any_timeline_round_trips_through_three_parsers(tl: Timeline) -> None:
    check_all(_export(tl), tl)


@settings(max_examples=300, deadline=None)
@given(title=titles, text=texts)
def test_any_text_round_trips(title: str, text: str) -> None:
    event = Event(id="e", title=title, start=Date(2024, 6, 19), description=text, tags=(title,),
                  location=Location(name=title))
    tl = Timeline(id="t", title=title, events=[event])
    data = _export(tl)
    check_octets(data)
    got = parse_icalendar(data).walk("VEVENT")[0]
    assert str(got["SUMMARY"]) == expected_summary(event)
    assert str(got["LOCATION"]) == normalise(title, multiline=False)
    cats = got.get("CATEGORIES")
    assert ([str(c) for c in cats.cats] if cats is not None else []) == expected_categories(event)
    body = normalise(timeline.markdown_to_text(text)).strip("\n")
    assert body in str(got["DESCRIPTION"])


@settings(max_examples=300, deadline=None)
@given(spans())
def test_any_span_round_trips(span: tuple[Date, Date | None, bool]) -> None:
    start, end, ongoing = span
    event = Event(id="e", title="E", start=start, end=end, ongoing=ongoing)
    tl = Timeline(id="t", title="T", events=[event], updated=Date(2024, 11, 1))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = timeline.export(tl, "ical")
    assert data is not None
    skipped = [w for w in caught if "cannot hold" in str(w.message)]
    assert len(skipped) == (0 if in_range(event) else 1)
    check_all(data, tl)


def _reference_fold(line: str) -> bytes:
    """RFC 5545 folding written independently of the exporter: count octets and backslashes by hand.

    Cut at 75 octets (74 after the leading space of a continuation), moved
    back to the start of a UTF-8 character, and back once more if an odd
    run of backslashes before the cut means the last one starts an escape.
    """
    data = line.encode("utf-8")
    pieces, start, limit = [], 0, 75
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:
            cut -= 1
        run = 0
        while cut - run > start and data[cut - run - 1] == ord("\\"):
            run += 1
        if run % 2:
            cut -= 1
        pieces.append(data[start:cut])
        start, limit = cut, 74
    pieces.append(data[start:])
    return b"\r\n ".join(pieces) + b"\r\n"


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(["SUMMARY:", "DESCRIPTION:", "X:", "LOCATION;LANGUAGE=ko:"]), text=texts,
       multiline=st.booleans(), pad=st.integers(0, 80))
def test_folding_matches_the_reference_fold(name: str, text: str, multiline: bool, pad: int) -> None:
    """The exporter's path (marked UTF-8, one regular expression) and ``fold`` both agree with the test's own fold."""
    from timeline.plugins.ical import _escaped, _folded, _unmarked, fold, text_value

    prefix = name + "x" * pad
    expected = _reference_fold(prefix + text_value(text, multiline=multiline))
    assert _unmarked(_folded(prefix.encode() + _escaped(text, multiline))) == expected
    assert fold(prefix + text_value(text, multiline=multiline)) == expected


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", " ", "\\", "\\\\", "\\n", "\\;", "к", "한", "😀", "\\한", "\\😀"]),
                max_size=120).map("".join), st.integers(0, 80))
def test_fold_of_any_escaped_line_matches_the_reference_fold(body: str, pad: int) -> None:
    """Backslash runs of any length, escapes of multi-octet characters, a lone backslash at the end."""
    from timeline.plugins.ical import fold

    line = "X:" + "x" * pad + body
    assert fold(line) == _reference_fold(line)


@settings(max_examples=500, deadline=None)
@given(timeline_id=st.text(st.characters(exclude_categories=("Cs",)), min_size=1),
       event_id=st.text(st.characters(exclude_categories=("Cs",)), min_size=1))
def test_uid_text_is_the_uuid5(timeline_id: str, event_id: str) -> None:
    """``event_uid_text`` hashes by hand: it must stay exactly the RFC 4122 name-based UUID."""
    want = str(uuid.uuid5(UID_NAMESPACE, f"{timeline_id}/{event_id}"))
    assert timeline.event_uid_text(timeline_id, event_id) == want
