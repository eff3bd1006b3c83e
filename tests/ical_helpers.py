"""Judges of the iCalendar exporter's output: octet rules, three parsers, expectations.

The expectations here are written independently of ``plugins/ical.py`` (from
RFC 5545 and ``docs/exporters/ical.md``), so a test compares two readings
of the specification rather than the exporter with itself.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import shutil
import sys
import unicodedata
from collections.abc import Sequence
from typing import Any

import pytest

import timeline
from timeline import Event, Precision, Timeline

UTC = dt.timezone.utc
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

#: What counts as a line break in a value (CR LF and a lone CR are one break).
LINE_BREAKS = frozenset("\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def normalise(text: str, *, multiline: bool = True) -> str:
    """What a TEXT value should decode to, per the documented rules."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for char in text:
        if char in LINE_BREAKS:
            out.append("\n" if multiline else " ")
        elif unicodedata.category(char) == "Cc" and char != "\t":
            continue
        elif unicodedata.category(char) == "Cs":
            out.append("\ufffd")
        else:
            out.append(char)
    return "".join(out)


def unescape(value: str) -> str:
    """Decode an escaped TEXT value by hand (for properties a parser keeps raw)."""
    out = []
    chars = iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars)
            out.append("\n" if following in "nN" else following)
        else:
            out.append(char)
    return "".join(out)


# --- octets -----------------------------------------------------------------------


def check_octets(data: bytes) -> list[str]:
    """The physical lines, after checking CRLF endings, 75-octet folding and UTF-8."""
    assert data.endswith(b"\r\n"), "the last line must end with CRLF"
    body = data[:-2]
    assert b"\r" not in body.replace(b"\r\n", b""), "bare CR"
    assert b"\n" not in body.replace(b"\r\n", b""), "bare LF"
    lines = body.split(b"\r\n")
    for number, line in enumerate(lines, 1):
        assert len(line) <= 75, f"line {number} has {len(line)} octets: {line!r}"
        line.decode("utf-8")  # every physical line is valid UTF-8 on its own
        assert line, f"line {number} is empty"
    text = data.decode("utf-8")
    for char in text:
        if unicodedata.category(char) == "Cc":
            assert char in "\t\r\n", f"control character {char!r} in the output"
    # A backslash escape is never split by a fold.
    logical = unfold(data)
    for line in logical:
        value = line.partition(":")[2]
        index = 0
        while True:
            index = value.find("\\", index)
            if index < 0:
                break
            assert value[index + 1:index + 2] in ("\\", ";", ",", "n"), f"bad escape in {line!r}"
            index += 2
    assert logical[0] == "BEGIN:VCALENDAR" and logical[-1] == "END:VCALENDAR"
    return lines_as_text(lines)


def lines_as_text(lines: Sequence[bytes]) -> list[str]:
    return [line.decode("utf-8") for line in lines]


def unfold(data: bytes) -> list[str]:
    """Content lines (RFC 5545 3.1 unfolding)."""
    return data.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]


def component_lines(data: bytes) -> list[str]:
    """BEGIN/END lines in order: the component structure as a reader sees it."""
    return [line for line in unfold(data) if line.startswith(("BEGIN:", "END:"))]


# --- parsers ----------------------------------------------------------------------


def parse_icalendar(data: bytes) -> Any:
    """Parse with ``icalendar`` strictly: any property it could not read fails the test."""
    import icalendar

    calendar = icalendar.Calendar.from_ical(data)
    for component in calendar.walk():
        assert not component.errors, f"icalendar could not read {component.name}: {component.errors}"
    return calendar


def parse_ical(data: bytes) -> Any:
    """Parse with the ``ical`` package (pydantic models; strict about value types)."""
    from ical.calendar_stream import IcsCalendarStream

    return IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))


def parse_vobject(data: bytes) -> Any:
    import vobject

    return vobject.readOne(data.decode("utf-8"))


# --- expectations -------------------------------------------------------------------


def expected_dates(event: Event) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime | None]:
    """DTSTART and DTEND for an event with a closed or no end (default options)."""
    start, end = event.start, None if event.ongoing else event.end
    if start.hour is not None and start.offset is not None and (
        end is None or (end.hour is not None and end.offset is not None)
    ):
        begin = dt.datetime(*start.utc_fields(), tzinfo=UTC)
        if end is None:
            return begin, None
        finish = dt.datetime(*end.utc_fields(), tzinfo=UTC)
        return begin, (finish if finish > begin else None)
    last = (end or start).last_day()
    return dt.date(*start.first_day()), dt.date(*last) + dt.timedelta(days=1)


def expected_summary(event: Event, ongoing: str = " (ongoing)") -> str:
    """The SUMMARY the exporter writes: the title, and ``ongoing`` (the locale's words) after an ongoing one's."""
    return normalise(event.title, multiline=False) + (ongoing if event.ongoing else "")


def expected_categories(event: Event) -> list[str]:
    return [c for c in (normalise(t, multiline=False).strip() for t in event.tags) if c]


def expected_precision(event: Event) -> str:
    words = {Precision.YEAR: "year", Precision.MONTH: "month", Precision.DAY: "day",
             Precision.MINUTE: "minute", Precision.SECOND: "second"}
    text = words[event.start.precision]
    if event.end is not None and event.end.precision != event.start.precision:
        text += "/" + words[event.end.precision]
    return text


def expected_related(event: Event, tl: Timeline) -> list[tuple[str, str]]:
    """(UID, RELTYPE) of each RELATED-TO: the related event's UID; PARENT for "part of", CHILD for
    "has part", SIBLING for any other link (RFC 5545 3.2.15: PARENT when not given, so always given)."""
    reltypes = {"part of": "PARENT", "has part": "CHILD"}
    out = []
    for other in event.related:
        label = " ".join((event.relation_labels.get(other) or "").lower().split())
        out.append((timeline.event_uid_text(tl.id, other), reltypes.get(label, "SIBLING")))
    return out


def in_range(event: Event) -> bool:
    """Whether iCalendar can hold the event's dates (years 1 to 9999)."""
    try:
        begin, finish = expected_dates(event)
    except (ValueError, OverflowError):
        return False
    return all(value is None or 1 <= value.year <= 9999 for value in (begin, finish))


def _as_utc(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        assert value.tzinfo is not None, f"floating time {value!r}"
        return value.astimezone(UTC)
    return value


def compare_icalendar(calendar: Any, tl: Timeline, ongoing: str = " (ongoing)") -> None:
    """Every in-range event decoded by icalendar matches its source, field by field."""
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    wanted = [e for e in tl.events if in_range(e)]
    assert len(events) == len(wanted)
    for event in wanted:
        got = events[timeline.event_uid_text(tl.id, event.id)]
        assert str(got["SUMMARY"]) == expected_summary(event, ongoing)
        begin, finish = expected_dates(event)
        assert _as_utc(got.decoded("DTSTART")) == begin
        assert type(got.decoded("DTSTART")) is type(begin)
        if finish is None:
            assert "DTEND" not in got
        else:
            assert _as_utc(got.decoded("DTEND")) == finish
        description = str(got["DESCRIPTION"])
        if event.description.strip():
            assert normalise(timeline.markdown_to_text(event.description)).strip("\n") in description
        for source in event.sources:
            url = timeline.safe_url(source.url)
            if url is not None and source.url.isascii() and " " not in source.url:
                assert url in description
        cats = got.get("CATEGORIES")
        got_cats = [str(c) for c in cats.cats] if cats is not None else []
        assert got_cats == expected_categories(event)
        location = event.location
        if location is not None and location.name:
            assert str(got["LOCATION"]) == normalise(location.name, multiline=False)
        else:
            assert "LOCATION" not in got
        if location is not None and location.has_coordinates:
            geo = got["GEO"]
            assert abs(geo.latitude - location.lat) < 1e-6 and abs(geo.longitude - location.lon) < 1e-6
        else:
            assert "GEO" not in got
        links = got.get("RELATED-TO")
        links = [] if links is None else links if isinstance(links, list) else [links]
        assert [(str(link), link.params["RELTYPE"]) for link in links] == expected_related(event, tl)
        assert str(got["TRANSP"]) == "TRANSPARENT"
        assert str(got["X-TIMELINE-PRECISION"]) == expected_precision(event)
        assert got.decoded("DTSTAMP").tzinfo is not None


def compare_ical(calendar: Any, tl: Timeline, ongoing: str = " (ongoing)") -> None:
    """The same comparison through the ``ical`` package."""
    events = {e.uid: e for e in calendar.events}
    wanted = [e for e in tl.events if in_range(e)]
    assert len(events) == len(wanted)
    for event in wanted:
        got = events[timeline.event_uid_text(tl.id, event.id)]
        assert got.summary == expected_summary(event, ongoing)
        begin, finish = expected_dates(event)
        assert _as_utc(got.dtstart) == begin
        if finish is not None:
            assert _as_utc(got.dtend) == finish
        # ical 14 splits CATEGORIES at escaped commas too (its bug; icalendar and
        # vobject decode them right), so tags with a comma are compared only there.
        if not any("," in tag for tag in event.tags):
            assert list(got.categories) == expected_categories(event)
        if event.location is not None and event.location.name:
            assert got.location == normalise(event.location.name, multiline=False)
        if event.description.strip():
            assert normalise(timeline.markdown_to_text(event.description)).strip("\n") in got.description
        # ical 14 reads every RELTYPE as PARENT (it matches the parameter's name in lowercase, and
        # spells SIBLING "SIBBLING"); icalendar and vobject read it right, so only the UIDs here.
        assert [link.uid for link in got.related_to] == [uid for uid, _ in expected_related(event, tl)]


def compare_vobject(calendar: Any, tl: Timeline, ongoing: str = " (ongoing)") -> None:
    """The same comparison through ``vobject``."""
    wanted = [e for e in tl.events if in_range(e)]
    events = {e.uid.value: e for e in getattr(calendar, "vevent_list", [])}
    assert len(events) == len(wanted)
    for event in wanted:
        got = events[timeline.event_uid_text(tl.id, event.id)]
        assert got.summary.value == expected_summary(event, ongoing)
        begin, _finish = expected_dates(event)
        assert _as_utc(got.dtstart.value) == begin
        if event.description.strip():
            assert normalise(timeline.markdown_to_text(event.description)).strip("\n") in got.description.value
        if event.location is not None and event.location.name:
            assert got.location.value == normalise(event.location.name, multiline=False)
        links = [(link.value, link.params["RELTYPE"][0]) for link in got.contents.get("related-to", [])]
        assert links == expected_related(event, tl)


def check_all(data: bytes, tl: Timeline, ongoing: str = " (ongoing)") -> None:
    """Octets, structure and three parsers, each compared with the source timeline.

    ``ongoing`` is what follows an ongoing event's title in SUMMARY (the export's locale's words).
    """
    check_octets(data)
    structure = component_lines(data)
    wanted = sum(1 for e in tl.events if in_range(e))
    assert structure == ["BEGIN:VCALENDAR", *(["BEGIN:VEVENT", "END:VEVENT"] * wanted), "END:VCALENDAR"]
    compare_icalendar(parse_icalendar(data), tl, ongoing)
    compare_ical(parse_ical(data), tl, ongoing)
    compare_vobject(parse_vobject(data), tl, ongoing)


# --- external programs ----------------------------------------------------------------


def program(name: str) -> list[str]:
    """The command to run a calendar client; skipped locally when missing, a failure in CI."""
    if name == "khal" and importlib.util.find_spec("khal") is not None:
        return [sys.executable, "-m", "khal"]
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (.ci/setup installs it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return [path]
