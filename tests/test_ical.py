"""The iCalendar exporter: mapping, octets, safety, determinism, and three parsers as judges."""

from __future__ import annotations

import datetime as dt
import io
import textwrap
import warnings
from pathlib import Path

import pytest

import timeline
from tests.ical_helpers import (
    UTC,
    check_all,
    check_octets,
    component_lines,
    parse_ical,
    parse_icalendar,
    parse_vobject,
    unescape,
    unfold,
)
from timeline import Date, Event, Location, Media, Source, Timeline


def export(tl: Timeline, **options: object) -> bytes:
    data = timeline.export(tl, "ical", **options)
    assert data is not None
    return data


def one(event: Event, **options: object) -> tuple[bytes, object]:
    """Export a one-event timeline; return the bytes and icalendar's VEVENT."""
    tl = Timeline(id="t", title="T", events=[event], updated=Date(2024, 11, 1))
    data = export(tl, **options)
    events = parse_icalendar(data).walk("VEVENT")
    return data, (events[0] if events else None)


def load_yaml(tmp_path: Path, text: str) -> Timeline:
    path = tmp_path / "timeline.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return timeline.load(path)


# --- the format and its registration ------------------------------------------------


def test_registered_as_plugin() -> None:
    from timeline.registry import default_registry

    exporter = default_registry().exporter("ical")
    assert exporter.name == "ical"
    assert ".ics" in exporter.extensions
    assert exporter.media_type.startswith("text/calendar")
    assert isinstance(exporter, timeline.Exporter)


def test_calendar_properties() -> None:
    tl = Timeline(id="t", title="Russia, DPRK; 1945\n–2024", description="A *bold* story.",
                  events=[Event(id="e", title="E", start=Date(1961, 7, 6))], updated=Date(2024, 11, 1))
    data = export(tl)
    calendar = parse_icalendar(data)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).endswith(f"timeline-events {timeline.__version__}//EN")
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    # icalendar keeps NAME and X-WR-* undecoded (vUnknown): decode them by hand
    assert unescape(str(calendar["NAME"])) == "Russia, DPRK; 1945 –2024"
    assert unescape(str(calendar["X-WR-CALNAME"])) == "Russia, DPRK; 1945 –2024"
    assert "*" not in str(calendar["DESCRIPTION"]) and "bold" in str(calendar["DESCRIPTION"])
    assert unescape(str(calendar["X-WR-CALDESC"])) == str(calendar["DESCRIPTION"])
    assert parse_vobject(data).contents["x-wr-calname"][0].value == "Russia, DPRK; 1945 –2024"
    assert calendar.decoded("REFRESH-INTERVAL") == dt.timedelta(hours=24)
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT24H"
    lines = unfold(export(tl, refresh_hours=6))
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H" in lines and "X-PUBLISHED-TTL:PT6H" in lines
    lines = unfold(export(tl, refresh_hours=0))
    assert not any(line.startswith(("REFRESH-INTERVAL", "X-PUBLISHED-TTL")) for line in lines)


def test_empty_timeline() -> None:
    data = export(Timeline(id="t", title="Nothing"))
    check_octets(data)
    assert component_lines(data) == ["BEGIN:VCALENDAR", "END:VCALENDAR"]
    parse_icalendar(data)
    parse_vobject(data)


# --- dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "dtstart", "dtend", "precision"),
    [
        ("1961-07-06", None, dt.date(1961, 7, 6), dt.date(1961, 7, 7), "day"),
        ("1950-06-25", "1953-07-27", dt.date(1950, 6, 25), dt.date(1953, 7, 28), "day"),
        ("1961", None, dt.date(1961, 1, 1), dt.date(1962, 1, 1), "year"),
        ("2024-02", None, dt.date(2024, 2, 1), dt.date(2024, 3, 1), "month"),
        ("1900-02", None, dt.date(1900, 2, 1), dt.date(1900, 3, 1), "month"),
        ("1991", "1992-03", dt.date(1991, 1, 1), dt.date(1992, 4, 1), "year/month"),
        ("1999-12-31", None, dt.date(1999, 12, 31), dt.date(2000, 1, 1), "day"),
        ("2024-02-29", None, dt.date(2024, 2, 29), dt.date(2024, 3, 1), "day"),
        ("0001-01-01", None, dt.date(1, 1, 1), dt.date(1, 1, 2), "day"),
        ("9999-12-30", None, dt.date(9999, 12, 30), dt.date(9999, 12, 31), "day"),
        ("2024-06-19T03:00Z", None, dt.datetime(2024, 6, 19, 3, tzinfo=UTC), None, "minute"),
        ("2024-06-19T03:00:15+09:00", "2024-06-19T05:00:00+09:00",
         dt.datetime(2024, 6, 18, 18, 0, 15, tzinfo=UTC), dt.datetime(2024, 6, 18, 20, tzinfo=UTC), "second"),
        # a time at one end and a day at the other: an all-day span over the written days
        ("2024-06-19T03:00+09:00", "2024-06-21", dt.date(2024, 6, 19), dt.date(2024, 6, 22), "minute/day"),
        # the same instant at both ends: instantaneous, no DTEND
        ("2024-06-19T03:00+09:00", "2024-06-18T18:00Z", dt.datetime(2024, 6, 18, 18, tzinfo=UTC), None, "minute"),
    ],
)
def test_dates(start: str, end: str | None, dtstart: object, dtend: object, precision: str) -> None:
    event = Event(id="e", title="E", start=Date.parse(start), end=None if end is None else Date.parse(end))
    data, got = one(event)
    assert got.decoded("DTSTART") == dtstart
    assert type(got.decoded("DTSTART")) is type(dtstart)
    if dtend is None:
        assert "DTEND" not in got
    else:
        assert got.decoded("DTEND") == dtend
        assert got.decoded("DTEND") > got.decoded("DTSTART")
    assert str(got["X-TIMELINE-PRECISION"]) == precision
    lines = unfold(data)
    if isinstance(dtstart, dt.datetime):
        assert any(line.startswith("DTSTART:") and line.endswith("Z") for line in lines)
    else:
        assert any(line.startswith("DTSTART;VALUE=DATE:") for line in lines)
    check_all(data, Timeline(id="t", title="T", events=[event], updated=Date(2024, 11, 1)))


@pytest.mark.parametrize(
    ("start", "when"),
    [
        ("1961", "1961 (year known)"),
        ("1961~", "c. 1961 (year known, approximate)"),
        ("1961-07?", "July 1961? (month known, uncertain)"),
        ("1961-07-06%", "c. 6 July 1961? (approximate, uncertain)"),
    ],
)
def test_precision_and_qualifiers_in_text(start: str, when: str) -> None:
    _, got = one(Event(id="e", title="E", start=Date.parse(start)))
    assert str(got["DESCRIPTION"]).startswith(when)


def test_coarse_dates_skip_option() -> None:
    tl = Timeline(id="t", title="T", events=[
        Event(id="year", title="Y", start=Date(1961)),
        Event(id="month", title="M", start=Date(1961, 7)),
        Event(id="span", title="S", start=Date(1961, 7, 6), end=Date(1962)),
        Event(id="day", title="D", start=Date(1961, 7, 6)),
    ])
    calendar = parse_icalendar(export(tl, coarse_dates="skip"))
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["D"]
    assert len(parse_icalendar(export(tl)).walk("VEVENT")) == 4


def test_ongoing_marker() -> None:
    event = Event(id="war", title="War", start=Date(2022, 2, 24), ongoing=True)
    _, got = one(event)
    assert str(got["SUMMARY"]) == "War (ongoing)"
    assert got.decoded("DTSTART") == dt.date(2022, 2, 24)
    assert got.decoded("DTEND") == dt.date(2022, 2, 25)
    assert "ongoing as of 1 November 2024" in str(got["DESCRIPTION"])
    # a coarse start is marked over its own period: no day is invented
    _, got = one(Event(id="war", title="War", start=Date(2022, 2), ongoing=True))
    assert (got.decoded("DTSTART"), got.decoded("DTEND")) == (dt.date(2022, 2, 1), dt.date(2022, 3, 1))


def test_ongoing_until_export(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1732406400")  # 2024-11-24T00:00:00Z
    event = Event(id="war", title="War", start=Date(2022, 2, 24), ongoing=True)
    _, got = one(event, ongoing="until_export")
    assert got.decoded("DTSTART") == dt.date(2022, 2, 24)
    assert got.decoded("DTEND") == dt.date(2024, 11, 25)
    assert "24 November 2024" in str(got["DESCRIPTION"])
    # an ongoing event starting after the export date keeps its start marker
    _, got = one(Event(id="later", title="Later", start=Date(2030, 1, 1), ongoing=True), ongoing="until_export")
    assert got.decoded("DTEND") == dt.date(2030, 1, 2)


def test_out_of_range_years_are_skipped_with_one_warning() -> None:
    tl = Timeline(id="t", title="T", events=[
        Event(id="caesar", title="Caesar", start=Date(-43, 3, 15)),
        Event(id="bce-span", title="Span", start=Date(-100), end=Date(50)),
        Event(id="far", title="Far", start=Date(12345)),
        Event(id="edge", title="Edge", start=Date(9999, 12, 31)),  # DTEND would be year 10000
        Event(id="ok", title="Fine", start=Date(1961)),
        Event(id="utc-shift", title="Shift", start=Date(1, 1, 1, 1, 0, offset=9 * 60)),
    ])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = export(tl)
    messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    assert len(messages) == 1
    assert messages[0] == (
        "ical: skipped 5 of 6 events: bce-span, caesar, utc-shift (iCalendar cannot hold years before 1); "
        "edge, far (iCalendar cannot hold years after 9999)"
    )
    assert [str(e["SUMMARY"]) for e in parse_icalendar(data).walk("VEVENT")] == ["Fine"]
    check_all(data, tl)


def test_cli_warns_once_on_stderr(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from timeline.cli import cli

    source = tmp_path / "t.yaml"
    source.write_text(textwrap.dedent("""
        id: t
        title: T
        events:
          - {id: a, title: A, start: "-0043-03-15"}
          - {id: b, title: B, start: "-0100"}
          - {id: c, title: C, start: "1961"}
    """), encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", str(source), "-f", "ical", "-o", str(tmp_path / "t.ics")])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("timeline: warning:") == 1
    assert (
        f"wrote 1 of 3 events to {tmp_path / 't.ics'}; skipped 2: b, a (iCalendar cannot hold years before 1)"
        in result.stderr
    )
    assert (tmp_path / "t.ics").read_bytes().count(b"BEGIN:VEVENT") == 1


# --- historical offsets --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "local", "utc"),
    [
        # Pyongyang used UTC+8:30 from 15 August 2015 to 4 May 2018
        ("Asia/Pyongyang", "2016-05-05T12:00", "20160505T033000Z"),
        ("Asia/Pyongyang", "2018-05-05T12:00", "20180505T030000Z"),
        ("Asia/Pyongyang", "2014-05-05T12:00", "20140505T030000Z"),
        ("Asia/Pyongyang", "2045-07-01T12:00", "20450701T030000Z"),  # after 2038
        # Moscow: UTC+3 in 1961, MSD UTC+4 in summer 1985, UTC+4 all year 2011-2014, UTC+3 since
        ("Europe/Moscow", "1961-07-06T10:00", "19610706T070000Z"),
        ("Europe/Moscow", "1985-07-01T12:00", "19850701T080000Z"),
        ("Europe/Moscow", "1985-01-15T12:00", "19850115T090000Z"),
        ("Europe/Moscow", "2012-01-15T12:00", "20120115T080000Z"),
        ("Europe/Moscow", "2016-01-15T12:00", "20160115T090000Z"),
        # either side of each change, from the tz database's history
        ("Asia/Pyongyang", "2015-08-14T12:00", "20150814T030000Z"),
        ("Asia/Pyongyang", "2015-08-16T12:00", "20150816T033000Z"),
        ("Asia/Pyongyang", "2016-06-01T12:00", "20160601T033000Z"),
        ("Asia/Pyongyang", "2018-05-04T12:00", "20180504T033000Z"),
        ("Asia/Pyongyang", "2018-05-06T12:00", "20180506T030000Z"),
        ("Europe/Moscow", "2011-03-26T12:00", "20110326T090000Z"),  # the last winter of UTC+3...
        ("Europe/Moscow", "2011-03-28T12:00", "20110328T080000Z"),  # ...then UTC+4 all year
        ("Europe/Moscow", "2012-07-01T12:00", "20120701T080000Z"),
        ("Europe/Moscow", "2014-10-25T12:00", "20141025T080000Z"),
        ("Europe/Moscow", "2014-10-27T12:00", "20141027T090000Z"),  # back to UTC+3
        ("Europe/Moscow", "1961-07-06T12:00", "19610706T090000Z"),
        ("Europe/Moscow", "1925-06-01T12:00", "19250601T100000Z"),  # UTC+2 from 1922 to 1930
        ("Europe/Moscow", "2040-01-15T12:00", "20400115T090000Z"),
        ("Asia/Seoul", "1988-07-01T12:00", "19880701T020000Z"),  # Olympic summer time, UTC+10
        # summer time rules carried on past 2038 (where 32-bit tz data stops)
        ("America/New_York", "2045-07-01T12:00", "20450701T160000Z"),
        ("America/New_York", "2045-01-15T12:00", "20450115T170000Z"),
        ("America/New_York", "1961-07-06T12:00", "19610706T160000Z"),
    ],
)
def test_historical_offsets(tmp_path: Path, zone: str, local: str, utc: str) -> None:
    tl = load_yaml(tmp_path, f"""
        id: t
        title: T
        timezone: {zone}
        events:
          - {{id: e, title: E, start: "{local}"}}
    """)
    data = export(tl)
    assert f"DTSTART:{utc}" in unfold(data)
    assert f"local time in {zone}" in str(parse_icalendar(data).walk("VEVENT")[0]["DESCRIPTION"])
    check_all(data, tl)


def test_span_across_an_offset_change_and_event_zone(tmp_path: Path) -> None:
    # Pyongyang's clocks went back half an hour at midnight on 15 August 2015:
    # each end of the span takes the offset in force at its own time.
    tl = load_yaml(tmp_path, """
        id: t
        title: T
        timezone: Europe/Moscow
        events:
          - {id: e, title: E, start: "2015-08-14T20:00", end: "2015-08-15T02:00", timezone: Asia/Pyongyang}
          - {id: m, title: M, start: "2012-07-01T12:00"}
    """)
    data = export(tl)
    lines = unfold(data)
    assert "DTSTART:20150814T110000Z" in lines and "DTEND:20150814T173000Z" in lines
    assert "DTSTART:20120701T080000Z" in lines  # the timeline's zone for the other event
    spans = {str(e["UID"]): (e.decoded("DTSTART"), e.decoded("DTEND", None))
             for e in parse_icalendar(data).walk("VEVENT")}
    assert spans[timeline.event_uid_text("t", "e")] == (dt.datetime(2015, 8, 14, 11, tzinfo=UTC),
                                                         dt.datetime(2015, 8, 14, 17, 30, tzinfo=UTC))
    check_all(data, tl)


def test_no_floating_times() -> None:
    # A local time the loader never resolved cannot be placed: it becomes its written day.
    data, got = one(Event(id="e", title="E", start=Date(2024, 6, 19, 3, 0)))
    assert got.decoded("DTSTART") == dt.date(2024, 6, 19)
    for line in unfold(data):
        if line.startswith(("DTSTART", "DTEND", "DTSTAMP")) and "VALUE=DATE" not in line:
            assert line.endswith("Z")


# --- text, escaping, folding, injection ----------------------------------------------------


NASTY = [
    "semi;colon, comma\\backslash: colon",
    "line\r\nbreak\rand\nmore",
    "END:VCALENDAR",
    "x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected",
    "x\nEND:VCALENDAR\nBEGIN:VCALENDAR",
    "tab\there, nul\x00 and bell\x07 and del\x7f and c1\x9b",
    "unicode breaks\u2028and\u2029and\x85nel\x0bvt\x0cff",
    "Корея и Россия, 조선민주주의인민공화국 😀🇰🇵 " * 5,
    "\\n is not a newline, \\\\ neither",
    "trailing backslash \\",
    ";;;,,,\\\\\\" * 30,
]


@pytest.mark.parametrize("text", NASTY)
def test_text_round_trips_and_cannot_inject(text: str) -> None:
    event = Event(
        id="e",
        title=text,
        start=Date(2024, 6, 19),
        description=text,
        tags=(text, "plain"),
        location=Location(name=text, lat=39.0392, lon=125.7625),
        sources=(Source(title=text, url="https://example.org/a?b=c,d;e"),),
    )
    tl = Timeline(id="t", title=text, description=text, events=[event], updated=Date(2024, 11, 1))
    data = export(tl)
    check_all(data, tl)
    assert data.count(b"\r\nBEGIN:VEVENT\r\n") == 1
    assert data.count(b"\r\nEND:VCALENDAR\r\n") == 1 and data.endswith(b"\r\nEND:VCALENDAR\r\n")
    names = [line.partition(":")[0].partition(";")[0] for line in unfold(data)]
    assert names.count("SUMMARY") == 1
    assert names.count("DESCRIPTION") == 2
    assert all(name.replace("-", "").isalnum() and name.isupper() for name in names)


def test_fold_never_splits_characters_or_escapes() -> None:
    from timeline.plugins.ical import fold

    for prefix in range(0, 8):
        for body in ("к" * 80, "한" * 60, "😀" * 40, "\\;" * 60, "a\\\\" * 40, "x\\n" * 50):
            line = "DESCRIPTION:" + "a" * prefix + body
            data = fold(line)
            physical = data[:-2].split(b"\r\n")
            for index, chunk in enumerate(physical):
                assert len(chunk) <= 75
                text = chunk.decode("utf-8")  # never splits a character
                if index:
                    assert text.startswith(" ")
            joined = b"".join(p[1:] if i else p for i, p in enumerate(physical)).decode()
            assert joined == line
            for chunk in physical[:-1]:
                run = len(chunk) - len(chunk.rstrip(b"\\"))
                assert run % 2 == 0, f"escape split after {chunk!r}"


def test_long_lines_fold_at_exactly_75_octets() -> None:
    from timeline.plugins.ical import fold

    physical = fold("SUMMARY:" + "a" * 200)[:-2].split(b"\r\n")
    assert [len(p) for p in physical] == [75, 75, 60]


def test_description_has_plain_text_and_sources() -> None:
    event = Event(
        id="e", title="E", start=Date(2024, 6, 19),
        description="The **treaty** is [signed](https://example.org/x).\n\nSecond paragraph.",
        sources=(
            Source(title="Treaty text", publisher="Kremlin", url="https://example.org/treaty", date=Date(2024, 6, 19)),
            Source(title="Report", url="javascript:alert(1)"),
            Source(url="https://example.org/second"),
        ),
        media=Media(url="https://example.org/photo.jpg", caption="Signing", credit="Pool"),
    )
    _, got = one(event)
    text = str(got["DESCRIPTION"])
    assert "**" not in text and "treaty" in text and "Second paragraph." in text
    assert "- Treaty text, Kremlin, 19 June 2024: https://example.org/treaty" in text
    assert "javascript:" not in text
    assert "https://example.org/second" in text
    assert "Media: Signing, Pool: https://example.org/photo.jpg" in text
    assert str(got["URL"]) == "https://example.org/treaty"
    _, got = one(event, sources=False)
    assert "Sources" not in str(got["DESCRIPTION"])


def test_url_is_a_valid_uri() -> None:
    event = Event(id="e", title="E", start=Date(2024, 6, 19),
                  sources=(Source(title="x", url="ftp://example.org/"),
                           Source(title="y", url="https://example.org/путь?q=a b\"<>")))
    data, got = one(event)
    url = str(got["URL"])
    assert url.startswith("https://example.org/%D0%BF") and " " not in url and '"' not in url
    assert url.isascii()
    assert parse_ical(data).events[0].url is not None


def test_geo_and_location() -> None:
    event = Event(id="e", title="E", start=Date(2024, 6, 19), location=Location(lat=-33.8688123456, lon=0.0))
    data, got = one(event)
    assert "LOCATION" not in got
    assert "GEO:-33.868812;0" in unfold(data)
    _, got = one(Event(id="e", title="E", start=Date(2024, 6, 19), location=Location(name="Vladivostok")))
    assert str(got["LOCATION"]) == "Vladivostok" and "GEO" not in got


def test_uid_is_stable_and_dtstamp_from_data(monkeypatch: pytest.MonkeyPatch) -> None:
    event = Event(id="e", title="E", start=Date(2024, 6, 19))
    tl = Timeline(id="russia-dprk", title="T", events=[event], updated=Date(2024, 11, 1))
    first, second = export(tl), export(tl)
    assert first == second
    got = parse_icalendar(first).walk("VEVENT")[0]
    assert str(got["UID"]) == timeline.event_uid_text("russia-dprk", "e")
    assert got.decoded("DTSTAMP") == dt.datetime(2024, 11, 1, tzinfo=UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    no_updated = Timeline(id="russia-dprk", title="T", events=[event])
    got = parse_icalendar(export(no_updated)).walk("VEVENT")[0]
    assert got.decoded("DTSTAMP") == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)


def test_uids_never_change() -> None:
    # Subscribed calendars match events by UID: a change here would duplicate every event.
    assert timeline.event_uid_text("russia-dprk", "treaty-1961") == "0285bac0-8057-5cc9-af01-173232cc5dee"
    data = export(Timeline(id="russia-dprk", title="T", events=[Event(id="treaty-1961", title="E",
                                                                      start=Date(1961, 7, 6))]))
    assert "UID:0285bac0-8057-5cc9-af01-173232cc5dee" in unfold(data)


def test_lone_surrogates_become_replacement_characters() -> None:
    # JSON escapes can produce lone surrogates, which UTF-8 cannot hold; this
    # used to crash the URL (bug: quote() raised UnicodeEncodeError).
    bad = "x\ud800y"
    event = Event(id="e", title=bad, start=Date(2024, 6, 19), description=bad, tags=(bad,),
                  location=Location(name=bad), sources=(Source(title=bad, url="https://example.org/\udc00?q"),))
    tl = Timeline(id="t", title=bad, events=[event], updated=Date(2024, 11, 1))
    data = export(tl)
    check_all(data, tl)
    got = parse_icalendar(data).walk("VEVENT")[0]
    assert str(got["SUMMARY"]) == str(got["LOCATION"]) == "x\ufffdy"
    assert str(got["URL"]) == "https://example.org/%EF%BF%BD?q"


def test_streams_one_event_at_a_time() -> None:
    class Recorder(io.BytesIO):
        def __init__(self) -> None:
            super().__init__()
            self.writes = 0

        def write(self, data: bytes) -> int:  # type: ignore[override]
            self.writes += 1
            return super().write(data)

    events = [Event(id=f"e{i}", title=f"E{i}", start=Date(2000, 1, 1 + i % 28)) for i in range(50)]
    stream = Recorder()
    timeline.export(Timeline(id="t", title="T", events=events), "ical", dest=stream)
    assert stream.writes >= 50


# --- the bundled timeline -------------------------------------------------------------------


def test_sample_timeline(tmp_path: Path) -> None:
    tl = timeline.sample()
    data = export(tl)
    check_all(data, tl)
    calendar = parse_icalendar(data)
    assert len(calendar.walk("VEVENT")) == len(tl.events)
    target = tmp_path / "russia-dprk.ics"
    timeline.export(tl, dest=target)
    assert target.read_bytes() == data
