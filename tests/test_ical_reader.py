"""The iCalendar reader: mapping, zones, repeats, ids, reports, and our own exports read back."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import timeline
from tests.strategies import spans
from timeline import Date, Event, Location, Media, Precision, ReadContext, ReadError, Source, Timeline

FIXTURES = Path(__file__).parent / "fixtures" / "ical"


def reader() -> Any:
    return timeline.Registry().readers()["ical"]


def ics(*lines: str, header: tuple[str, ...] = ("VERSION:2.0", "PRODID:-//test//test//EN")) -> bytes:
    return ("\r\n".join(["BEGIN:VCALENDAR", *header, *lines, "END:VCALENDAR"]) + "\r\n").encode("utf-8")


def vevent(*lines: str) -> tuple[str, ...]:
    return ("BEGIN:VEVENT", *lines, "END:VEVENT")


def read(data: bytes, **options: object) -> tuple[dict[str, Any], timeline.ExportReport]:
    context = ReadContext(options=options)
    document = reader().read(data, "test.ics", context=context)
    return document.content, context.report.result(format="ical", events=0)


def load(data: bytes, tmp_path: Path, name: str = "test.ics") -> Timeline:
    path = tmp_path / name
    path.write_bytes(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return timeline.load(path)


def events(data: bytes, **options: object) -> list[dict[str, Any]]:
    return read(data, **options)[0]["events"]


# --- dates and precision -------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "start", "end"),
    [
        (("DTSTART;VALUE=DATE:20240619",), "2024-06-19", None),
        (("DTSTART;VALUE=DATE:20240619", "DTEND;VALUE=DATE:20240620"), "2024-06-19", None),
        (("DTSTART;VALUE=DATE:20240619", "DTEND;VALUE=DATE:20240619"), "2024-06-19", None),  # DTEND = DTSTART
        (("DTSTART;VALUE=DATE:20240619", "DTEND;VALUE=DATE:20240622"), "2024-06-19", "2024-06-21"),
        (("DTSTART;VALUE=DATE:20240601", "DTEND;VALUE=DATE:20240701"), "2024-06", None),
        (("DTSTART;VALUE=DATE:20240201", "DTEND;VALUE=DATE:20240501"), "2024-02", "2024-04"),
        (("DTSTART;VALUE=DATE:19610101", "DTEND;VALUE=DATE:19620101"), "1961", None),
        (("DTSTART;VALUE=DATE:19500101", "DTEND;VALUE=DATE:19540101"), "1950", "1953"),
        (("DTSTART;VALUE=DATE:20240601", "DURATION:P3D"), "2024-06-01", "2024-06-03"),
        # X-TIMELINE-PRECISION decides, when the days are whole periods of it
        (("DTSTART;VALUE=DATE:20240601", "DTEND;VALUE=DATE:20240701", "X-TIMELINE-PRECISION:day"),
         "2024-06-01", "2024-06-30"),
        (("DTSTART;VALUE=DATE:19610101", "DTEND;VALUE=DATE:19610801", "X-TIMELINE-PRECISION:year/month"),
         "1961", "1961-07"),
        (("DTSTART;VALUE=DATE:20240615", "DTEND;VALUE=DATE:20240715", "X-TIMELINE-PRECISION:month"),
         "2024-06-15", "2024-07-14"),  # does not fit: days
        (("DTSTART:20240619T022200Z",), "2024-06-19T02:22Z", None),
        (("DTSTART:20240619T022230Z", "DTEND:20240619T032200Z"), "2024-06-19T02:22:30Z", "2024-06-19T03:22:00Z"),
        (("DTSTART:20240619T022200Z", "DTEND:20240619T022200Z"), "2024-06-19T02:22Z", None),
        (("DTSTART:20240619T022200Z", "DURATION:PT1H30M"), "2024-06-19T02:22Z", "2024-06-19T03:52Z"),
    ],
)
def test_dates_and_precision(lines: tuple[str, ...], start: str, end: str | None) -> None:
    (event,) = events(ics(*vevent("UID:a", "SUMMARY:A", *lines)))
    assert event["start"] == start
    assert event.get("end") == end


def test_a_precision_that_does_not_fit_is_reported() -> None:
    _, report = read(ics(*vevent("UID:a", "SUMMARY:A", "DTSTART;VALUE=DATE:20240615",
                                 "DTEND;VALUE=DATE:20240715", "X-TIMELINE-PRECISION:month")))
    assert any("does not fit" in entry.reason for entry in report.approximated)


# --- zones ------------------------------------------------------------------------------


def test_iana_tzid_keeps_the_zone_and_the_local_time() -> None:
    (event,) = events(ics(*vevent("UID:a", "SUMMARY:A", "DTSTART;TZID=Asia/Pyongyang:20160505T120000",
                                  "DTEND;TZID=Asia/Pyongyang:20160505T133000")))
    assert (event["start"], event["end"], event["timezone"]) == ("2016-05-05T12:00", "2016-05-05T13:30",
                                                                 "Asia/Pyongyang")


def test_windows_zone_names_map_through_cldr(tmp_path: Path) -> None:
    tl = load((FIXTURES / "outlook.ics").read_bytes(), tmp_path)
    review = next(e for e in tl.events if e.title == "Treaty review")
    assert review.timezone == "Asia/Seoul" and review.start.zone == "Asia/Seoul"
    assert review.start.utc_fields() == (2024, 6, 19, 5, 0, 0)


def test_vtimezone_with_x_lic_location_is_matched_to_the_iana_zone() -> None:
    data = ics("BEGIN:VTIMEZONE", "TZID:My Seoul", "X-LIC-LOCATION:Asia/Seoul", "BEGIN:STANDARD",
               "DTSTART:19700101T000000", "TZOFFSETFROM:+0900", "TZOFFSETTO:+0900", "END:STANDARD", "END:VTIMEZONE",
               *vevent("UID:a", "SUMMARY:A", "DTSTART;TZID=My Seoul:20240619T090000"))
    (event,) = events(data)
    assert (event["start"], event["timezone"]) == ("2024-06-19T09:00", "Asia/Seoul")


def test_vtimezone_without_a_known_name_keeps_its_offset_and_says_so() -> None:
    data = ics("BEGIN:VTIMEZONE", "TZID:Old Pyongyang", "BEGIN:STANDARD", "DTSTART:19700101T000000",
               "TZOFFSETFROM:+0830", "TZOFFSETTO:+0830", "END:STANDARD", "END:VTIMEZONE",
               *vevent("UID:a", "SUMMARY:A", "DTSTART;TZID=Old Pyongyang:20160601T120000"))
    content, report = read(data)
    (event,) = content["events"]
    assert event["start"] == "2016-06-01T12:00+08:30" and "timezone" not in event
    assert [(e.field, "kept as its UTC offset +08:30" in e.reason) for e in report.approximated] == [("start", True)]


def test_utc_stays_utc() -> None:
    (event,) = events(ics(*vevent("UID:a", "SUMMARY:A", "DTSTART:20240619T022200Z")))
    assert event["start"].endswith("Z") and "timezone" not in event


def test_floating_times_take_x_wr_timezone_or_the_option() -> None:
    body = vevent("UID:a", "SUMMARY:A", "DTSTART:20240619T090000")
    content, _ = read(ics(*body, header=("VERSION:2.0", "X-WR-TIMEZONE:Europe/Moscow")))
    assert content["timezone"] == "Europe/Moscow" and content["events"][0]["start"] == "2024-06-19T09:00"
    (event,) = events(ics(*body), timezone="Asia/Seoul")
    assert event["timezone"] == "Asia/Seoul"
    # the option is the user's word: it wins over the file's
    content, _ = read(ics(*body, header=("VERSION:2.0", "X-WR-TIMEZONE:Europe/Moscow")), timezone="Asia/Seoul")
    assert content["events"][0]["timezone"] == "Asia/Seoul"


def test_floating_times_without_a_zone_are_refused_naming_the_events() -> None:
    data = ics(*vevent("UID:a", "SUMMARY:Lunch", "DTSTART:20240619T120000"),
               *vevent("UID:b", "SUMMARY:Dinner", "DTSTART:20240619T190000"),
               *vevent("UID:c", "SUMMARY:Day", "DTSTART;VALUE=DATE:20240619"))
    with pytest.raises(ReadError) as caught:
        reader().read(data, "test.ics")
    assert "'lunch', 'dinner'" in caught.value.message and "-R timezone=" in caught.value.message
    assert caught.value.line == 7  # the first DTSTART


def test_windows_name_in_x_wr_timezone() -> None:
    content, _ = read(ics(*vevent("UID:a", "SUMMARY:A", "DTSTART:20240619T120000"),
                          header=("VERSION:2.0", "X-WR-TIMEZONE:Korea Standard Time")))
    assert content["timezone"] == "Asia/Seoul"


# --- repeats, cancellations, other components ------------------------------------------


def test_repeating_event_is_its_first_occurrence_with_a_report_line() -> None:
    content, report = read((FIXTURES / "google-calendar.ics").read_bytes())
    weekly = next(e for e in content["events"] if e["title"] == "Weekly call")
    assert weekly["start"] == "2024-07-05T01:00Z"
    assert ("weekly-call", "start") in {(e.event, e.field) for e in report.approximated}
    assert any("only the first occurrence" in e.reason for e in report.approximated)


def test_exdate_on_the_first_occurrence_moves_to_the_next_and_overrides_follow() -> None:
    data = ics(*vevent("UID:w", "SUMMARY:Weekly", "DTSTART;TZID=Europe/Berlin:20240101T100000",
                       "DTEND;TZID=Europe/Berlin:20240101T110000", "RRULE:FREQ=WEEKLY;COUNT=5",
                       "EXDATE;TZID=Europe/Berlin:20240101T100000,20240108T100000"),
               *vevent("UID:w", "RECURRENCE-ID;TZID=Europe/Berlin:20240115T100000", "SUMMARY:Weekly (moved)",
                       "DTSTART;TZID=Europe/Berlin:20240115T120000", "DTEND;TZID=Europe/Berlin:20240115T130000"),
               *vevent("UID:w", "RECURRENCE-ID;TZID=Europe/Berlin:20240122T100000", "SUMMARY:Weekly later",
                       "DTSTART;TZID=Europe/Berlin:20240122T120000"))
    content, report = read(data)
    (event,) = content["events"]
    assert (event["title"], event["start"], event["end"]) == ("Weekly (moved)", "2024-01-15T12:00", "2024-01-15T13:00")
    assert [e.event for e in report.skipped] == ["weekly-later"]


def test_cancelled_events_todos_and_journals_are_skipped_and_reported() -> None:
    data = ics(*vevent("UID:a", "SUMMARY:Kept", "DTSTART;VALUE=DATE:20240101"),
               *vevent("UID:b", "SUMMARY:Gone", "STATUS:CANCELLED", "DTSTART;VALUE=DATE:20240101"),
               "BEGIN:VTODO", "UID:t", "SUMMARY:Buy milk", "END:VTODO",
               "BEGIN:VJOURNAL", "UID:j", "SUMMARY:Notes", "END:VJOURNAL")
    content, report = read(data)
    assert [e["title"] for e in content["events"]] == ["Kept"]
    assert {(e.event, e.reason) for e in report.skipped} == {
        ("gone", "cancelled (STATUS:CANCELLED)"), ("buy-milk", "a to-do (VTODO), not an event"),
        ("notes", "a journal entry (VJOURNAL), not an event")}


def test_alarms_and_attendees_are_noted() -> None:
    _, report = read((FIXTURES / "outlook.ics").read_bytes())
    noted = {(e.event, e.field) for e in report.approximated}
    assert {("treaty-review", "attendees"), ("treaty-review", "alarms")} <= noted


def test_several_calendars_in_one_file_and_invitations() -> None:
    one = ics(*vevent("UID:a", "SUMMARY:First", "DTSTART;VALUE=DATE:20240101"),
              header=("VERSION:2.0", "METHOD:REQUEST", "X-WR-CALNAME:One"))
    two = ics(*vevent("UID:b", "SUMMARY:Second", "DTSTART;VALUE=DATE:20240102"),
              header=("VERSION:2.0", "X-WR-CALNAME:Two"))
    content, _ = read(one + two)
    assert content["title"] == "One" and [e["title"] for e in content["events"]] == ["First", "Second"]


def test_a_later_revision_of_the_same_uid_wins() -> None:
    data = ics(*vevent("UID:a", "SEQUENCE:2", "SUMMARY:New", "DTSTART;VALUE=DATE:20240102"),
               *vevent("UID:a", "SEQUENCE:1", "SUMMARY:Old", "DTSTART;VALUE=DATE:20240101"))
    content, report = read(data)
    assert [e["title"] for e in content["events"]] == ["New"] and len(report.skipped) == 1


# --- ids and fields ---------------------------------------------------------------------


def test_ids_are_slugs_with_a_hash_of_the_uid_on_collision() -> None:
    data = ics(*vevent("UID:one@x", "SUMMARY:Summit in Pyongyang!", "DTSTART;VALUE=DATE:20240101"),
               *vevent("UID:two@x", "SUMMARY:Summit", "DTSTART;VALUE=DATE:20240101"),
               *vevent("UID:three@x", "SUMMARY:summit", "DTSTART;VALUE=DATE:20240102"),
               *vevent("UID:four@x", "SUMMARY:정상회담", "DTSTART;VALUE=DATE:20240102"))
    ids = [e["id"] for e in events(data)]
    assert ids[0] == "summit-in-pyongyang"
    assert re.fullmatch(r"summit-[0-9a-f]{8}", ids[1]) and re.fullmatch(r"summit-[0-9a-f]{8}", ids[2])
    assert ids[1] != ids[2] and ids[3] == "event"
    # stable: the same ids whatever the order of the VEVENTs
    swapped = ics(*vevent("UID:three@x", "SUMMARY:summit", "DTSTART;VALUE=DATE:20240102"),
                  *vevent("UID:two@x", "SUMMARY:Summit", "DTSTART;VALUE=DATE:20240101"))
    assert sorted(e["id"] for e in events(swapped)) == sorted(ids[1:3])


def test_fields() -> None:
    data = ics(*vevent("UID:a", "SUMMARY:A\\, b", "DTSTART;VALUE=DATE:20240101", "DESCRIPTION:Line\\none",
                       "LOCATION:Pyongyang", "GEO:39.0392;125.7625", "CATEGORIES:treaty,visit",
                       "CATEGORIES:summit", "URL:https://example.org/a", "ATTACH:https://example.org/a.jpg",
                       "ATTACH;ENCODING=BASE64;VALUE=BINARY:AAAA"))
    content, _ = read(data)
    (event,) = content["events"]
    assert event["title"] == "A, b" and event["description"] == "Line\none"
    assert event["location"] == {"name": "Pyongyang", "lat": 39.0392, "lon": 125.7625}
    assert event["tags"] == ["treaty", "visit", "summit"]
    assert event["sources"] == [{"url": "https://example.org/a"}]
    assert event["media"] == {"url": "https://example.org/a.jpg"}


def test_calendar_fixtures_load(tmp_path: Path) -> None:
    google = load((FIXTURES / "google-calendar.ics").read_bytes(), tmp_path, "g.ics")
    assert google.title == "Korea desk" and google.timezone == "Asia/Seoul"
    assert [e.title for e in google.events] == ["Summit briefing", "Deadline", "Weekly call", "Floating lunch"]
    lunch = google.events[-1]
    assert lunch.start.zone == "Asia/Seoul" and lunch.start.utc_fields() == (2024, 8, 1, 3, 0, 0)
    apple = load((FIXTURES / "apple-calendar.ics").read_bytes(), tmp_path, "a.ics")
    autumn, lavrov = apple.events
    assert autumn.start == Date(1961, 9) and autumn.tags == ("treaty",)
    assert lavrov.start.zone == "Europe/Moscow" and lavrov.start.utc_fields() == (2024, 6, 13, 8, 0, 0)
    assert lavrov.location is not None and lavrov.location.lat == 39.0392
    outlook = load((FIXTURES / "outlook.ics").read_bytes(), tmp_path, "o.ics")
    assert [e.start.precision for e in outlook.events] == [Precision.MINUTE, Precision.DAY]


def test_file_written_by_the_icalendar_library_with_vtimezones(tmp_path: Path) -> None:
    from zoneinfo import ZoneInfo

    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//library test//EN")
    calendar.add("version", "2.0")
    for index, (zone, when) in enumerate([("Europe/Moscow", dt.datetime(1961, 7, 6, 12, 0)),
                                          ("Asia/Pyongyang", dt.datetime(2016, 6, 1, 12, 0)),
                                          ("America/New_York", dt.datetime(2045, 7, 1, 12, 0))]):
        event = icalendar.Event()
        event.add("uid", f"lib-{index}")
        event.add("summary", f"In {zone}")
        event.add("dtstart", when.replace(tzinfo=ZoneInfo(zone)))
        event.add("dtend", (when + dt.timedelta(hours=1)).replace(tzinfo=ZoneInfo(zone)))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    data = calendar.to_ical()
    assert data.count(b"BEGIN:VTIMEZONE") == 3
    tl = load(data, tmp_path)
    for event in tl.events:
        zone = event.title.removeprefix("In ")
        assert event.start.zone == zone
        local = dt.datetime(*event.start.utc_fields(), tzinfo=dt.timezone.utc).astimezone(ZoneInfo(zone))
        assert (local.hour, local.minute) == (12, 0)


# --- our own exports -------------------------------------------------------------------------


def _same(original: Event, back: Event) -> None:
    assert back.id == original.id and back.title == original.title
    assert back.start == original.start and back.end == original.end and back.ongoing == original.ongoing
    assert back.timezone == original.timezone and back.tags == original.tags
    assert back.sources == original.sources and back.media == original.media
    assert (back.order, back.group, back.related) == (original.order, original.group, original.related)
    assert back.relation_labels == original.relation_labels


def test_the_sample_reads_back_losslessly(tmp_path: Path) -> None:
    sample = timeline.sample()
    back = load(timeline.export(sample, "ical"), tmp_path)
    assert (back.id, back.title, back.timezone) == (sample.id, sample.title, sample.timezone)
    assert [e.id for e in back.events] == [e.id for e in sample.events]
    for original, read_back in zip(sample.events, back.events, strict=True):
        _same(original, read_back)
        assert read_back.description == timeline.markdown_to_text(original.description or "").strip("\n") or None
        if original.location is not None:
            assert read_back.location is not None and read_back.location.name == original.location.name


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1,
                max_size=20).map(str.strip).filter(bool)


@st.composite
def timelines(draw: st.DrawFn) -> Timeline:
    zone = draw(st.sampled_from([None, "Asia/Pyongyang", "Europe/Moscow", "America/New_York"]))
    built = []
    for index in range(draw(st.integers(1, 6))):
        start, end, ongoing = draw(spans())
        own = draw(st.sampled_from([None, "Asia/Seoul", "Australia/Lord_Howe"]))
        use = own or zone or "UTC"
        try:
            start = start.in_zone(use) if start.is_local else start
            end = end.in_zone(use) if end is not None and end.is_local else end
        except timeline.DateError:
            continue
        if not 2 <= start.year <= 9997 or (end is not None and not 2 <= end.year <= 9997):
            continue
        if end is not None and end.sort_key() < start.sort_key():
            continue
        built.append(Event(
            id=f"e{index}", title=draw(_text), start=start, end=end, ongoing=ongoing, timezone=own,
            tags=tuple(draw(st.lists(_text, max_size=2, unique=True))),
            sources=tuple(draw(st.lists(st.builds(Source, title=_text, url=st.sampled_from(
                [None, "https://example.org/x?a=1,b;c"])), max_size=2))),
            media=draw(st.one_of(st.none(), st.builds(Media, url=st.just("https://example.org/m.jpg"),
                                                      caption=st.one_of(st.none(), _text)))),
            location=draw(st.one_of(st.none(), st.builds(Location, name=_text))),
        ))
    return Timeline(id="generated", title=draw(_text), timezone=zone, events=built, updated=Date(2024, 11, 1))


def _valid(tl: Timeline) -> bool:
    try:
        timeline.validate(tl)
    except timeline.InvalidTimelineError:
        return False
    return True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(timelines())
def test_generated_timelines_read_back(tmp_path_factory: pytest.TempPathFactory, tl: Timeline) -> None:
    if not _valid(tl):
        return
    path = tmp_path_factory.mktemp("rt") / "t.ics"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        timeline.export(tl, "ical", dest=path)
        back = timeline.load(path)
    assert back.id == tl.id and back.title == tl.title
    by_id = {e.id: e for e in back.events}
    assert set(by_id) == {e.id for e in tl.events}
    for original in tl.events:
        _same(original, by_id[original.id])


_OURS = re.compile(rb"^X-TIMELINE-(?:ID|DATE|TIMEZONE|SOURCE|MEDIA):.*\r\n(?: .*\r\n)*", re.M)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(timelines())
def test_without_our_properties_dates_keep_what_icalendar_holds(tl: Timeline) -> None:
    """A file from elsewhere (here: ours, stripped of X-TIMELINE-* but the precision): days and instants."""
    if not _valid(tl):
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        data = _OURS.sub(b"", timeline.export(tl, "ical"))
    content, _ = read(data)
    assert len(content["events"]) == len(tl.events)
    for original, event in zip(tl.events, content["events"], strict=True):
        start = Date.parse(event["start"])
        if original.ongoing or original.end is None or original.start.has_time != original.end.has_time:
            pass
        if original.start.has_time and original.start.offset is not None and (
                original.end is None or original.ongoing or original.end.has_time):
            assert start.utc_fields()[:5] == original.start.utc_fields()[:5]
        else:
            assert start.first_day() == original.start.first_day()


def test_an_edited_export_trusts_dtstart(tmp_path: Path) -> None:
    tl = Timeline(id="t", title="T", events=[Event(id="a", title="A", start=Date(2024, 6, 19))])
    data = timeline.export(tl, "ical").replace(b"DTSTART;VALUE=DATE:20240619", b"DTSTART;VALUE=DATE:20240620")
    content, report = read(data)
    assert content["events"][0]["start"] == "2024-06-20" and content["events"][0]["id"] == "a"
    assert any("no longer matches" in e.reason for e in report.approximated)


def test_reading_imports_icalendar_only_when_a_file_is_read() -> None:
    code = ("import sys, timeline; r = timeline.Registry().readers()['ical']; "
            "assert 'icalendar' not in sys.modules; print('ok')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "ok", result.stderr


def test_the_timezone_option_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "floating.ics"
    path.write_bytes(ics(*vevent("UID:a", "SUMMARY:Lunch", "DTSTART:20240619T120000")))
    command = [sys.executable, "-m", "timeline", "check", str(path)]
    refused = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1 and "event 'lunch', field 'start': a floating time" in refused.stderr
    assert "Traceback" not in refused.stderr
    accepted = subprocess.run([*command, "-R", "timezone=Asia/Seoul"], capture_output=True, text=True, timeout=60)
    assert accepted.returncode == 0, accepted.stderr


@pytest.mark.parametrize(("locale", "suffix"), [("en", " (ongoing)"), ("ru", " (продолжается)"), ("ja", "（継続中）")])
def test_an_ongoing_summary_says_so_in_the_locale_and_reads_back_without_it(locale, suffix):
    pytest.importorskip("babel")
    story = timeline.Timeline(id="t", title="T", updated=timeline.Date.parse("2024-12-01"), events=[
        timeline.Event(id="war", title="War (in the east)", start=timeline.Date.parse("2022-02-24"), ongoing=True),
    ])
    data, _report = timeline.export_with_report(story, "ical", locale=locale)
    assert f"SUMMARY:War (in the east){suffix}\r\n" in data.decode("utf-8")
    back = timeline.load_bytes(data, input_format="ical")
    assert back.events[0].title == "War (in the east)" and back.events[0].ongoing
