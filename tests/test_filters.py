"""--since/--until/--tag/--group and Timeline.filter (issue 12, section 2)."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import timeline
from timeline import Date, Era, Event, Timeline
from timeline.cli import cli

ZONE = "Asia/Pyongyang"


def d(text: str, zone: str | None = ZONE) -> Date:
    date = Date.parse(text)
    return date.in_zone(zone) if date.is_local and zone else date


def ev(id: str, start: str, end: str | None = None, zone: str | None = ZONE, **kw: object) -> Event:
    return Event(
        id=id,
        title=id,
        start=d(start, zone),
        end=d(end, zone) if end else None,
        **kw,  # type: ignore[arg-type]
    )


def ids(tl: Timeline) -> list[str]:
    return [event.id for event in tl]


SUMMIT = Timeline(
    id="t",
    title="T",
    timezone=ZONE,
    events=[
        ev("landing", "2024-06-19T02:22", order=-1),
        ev("signing", "2024-06-19"),
        ev("dinner", "2024-06-19T20:00"),
        ev("may", "2024-05"),
        ev("year", "2024"),
        ev("war", "2022-02-24", ongoing=True),
        ev("next", "2024-06-20"),
    ],
    eras=[
        Era(title="Soviet patronage", start=d("1945"), end=d("1991-12")),
        Era(title="Sanctions", start=d("2006-10"), end=d("2022-01")),
        Era(title="Wartime", start=d("2022-02"), ongoing=True),
    ],
)


# --- eras ------------------------------------------------------------------------


def test_since_and_until_filter_eras_by_overlap():
    assert [e.title for e in SUMMIT.filter(since=d("2022")).eras] == ["Sanctions", "Wartime"]
    assert [e.title for e in SUMMIT.filter(since=d("2022-02")).eras] == ["Wartime"]
    assert [e.title for e in SUMMIT.filter(until=d("1991-12-31")).eras] == ["Soviet patronage"]
    assert [e.title for e in SUMMIT.filter(since=d("1992"), until=d("2006-09")).eras] == []
    assert SUMMIT.filter(tags=["x"]).eras == SUMMIT.eras  # only the period filters eras


# --- precision and zones -----------------------------------------------------------


def test_since_a_time_drops_earlier_times_that_day_keeps_the_day():
    # The ongoing war and the year 2024 overlap the period too.
    assert ids(SUMMIT.filter(since=Date.parse("2024-06-19T10:00"))) == ["war", "year", "signing", "dinner", "next"]


def test_until_a_time_keeps_the_minute_it_names():
    assert "landing" in ids(SUMMIT.filter(until=Date.parse("2024-06-19T02:22")))
    assert "landing" not in ids(SUMMIT.filter(until=Date.parse("2024-06-19T02:21")))
    assert "landing" in ids(SUMMIT.filter(since=Date.parse("2024-06-19T02:22")))
    assert "landing" not in ids(SUMMIT.filter(since=Date.parse("2024-06-19T02:23")))


def test_since_a_month_keeps_that_month_and_later():
    kept = ids(SUMMIT.filter(since=Date.parse("2024-06")))
    assert "may" not in kept
    assert {"year", "war", "landing", "signing", "dinner", "next"} <= set(kept)
    assert ids(SUMMIT.filter(since=Date.parse("2024-05-31"), until=Date.parse("2024-05-31"))) == [
        "war",
        "year",
        "may",
    ]


def test_a_time_with_an_offset_is_converted_to_the_timelines_zone():
    # 17:22 UTC on 18 June is 02:22 on 19 June in Pyongyang.
    assert "landing" in ids(SUMMIT.filter(since=Date.parse("2024-06-18T17:22Z")))
    assert "landing" not in ids(SUMMIT.filter(since=Date.parse("2024-06-18T17:23Z")))
    # An event written in another zone is placed on the timeline's clock:
    # 20:00 on 18 June in Moscow is 02:00 on 19 June in Pyongyang.
    moscow = Timeline(id="t", title="T", timezone=ZONE, events=[ev("moscow", "2024-06-18T20:00", zone="Europe/Moscow")])
    assert ids(moscow.filter(since=Date.parse("2024-06-19"))) == ["moscow"]
    assert ids(moscow.filter(until=Date.parse("2024-06-18"))) == []


def test_a_timeline_without_a_zone_compares_in_utc():
    tl = Timeline(id="t", title="T", events=[ev("utc", "2024-06-19T02:22Z", zone=None)])
    assert ids(tl.filter(since=Date.parse("2024-06-19T02:22"))) == ["utc"]
    assert ids(tl.filter(since=Date.parse("2024-06-19T02:23"))) == []


def test_a_reversed_window_is_a_value_error():
    with pytest.raises(ValueError, match=r"2025.*2024"):
        SUMMIT.filter(since=d("2025"), until=d("2024"))
    with pytest.raises(ValueError):
        SUMMIT.filter(since=Date.parse("2024-06-19T10:00"), until=Date.parse("2024-06-19T09:59"))
    # the same day, or a time inside a coarser until, is not reversed
    assert ids(SUMMIT.filter(since=Date.parse("2024-06-19T10:00"), until=d("2024-06-19"))) == [
        "war",
        "year",
        "signing",
        "dinner",
    ]


# --- the property -------------------------------------------------------------------

ZONES = ["Asia/Pyongyang", "Europe/Moscow", "America/New_York", "UTC"]


@st.composite
def date_texts(draw: st.DrawFn, timed: bool | None = None) -> str:
    year = draw(st.integers(2015, 2017))
    precision = draw(st.sampled_from(["year", "month", "day", "minute", "second"] if timed is None else ["minute"]))
    if precision == "year":
        return f"{year:04d}"
    month = draw(st.integers(1, 12))
    if precision == "month":
        return f"{year:04d}-{month:02d}"
    day = draw(st.integers(1, 28))
    if precision == "day":
        return f"{year:04d}-{month:02d}-{day:02d}"
    hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    text = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}"
    if precision == "second":
        text += f":{draw(st.integers(0, 59)):02d}"
    return text + draw(st.sampled_from(["", "", "Z", "+03:00", "-05:00"]))


def _oracle_span(date: Date, zone: str | None) -> tuple[dt.datetime, dt.datetime]:
    """The stretch of the timeline's wall clock a date covers, worked out with datetime."""
    if date.hour is None:
        first = dt.datetime(date.year, date.month or 1, date.day or 1)
        year, month, day = date.year, date.month or 12, date.day
        if day is None:
            nxt = dt.datetime(year + 1, 1, 1) if month == 12 else dt.datetime(year, month + 1, 1)
        else:
            nxt = dt.datetime(year, month, day) + dt.timedelta(days=1)
        return first, nxt
    wall = dt.datetime(date.year, date.month, date.day, date.hour, date.minute or 0, date.second or 0)  # type: ignore[arg-type]
    if date.offset is not None and not (date.zone is not None and date.zone == zone):
        aware = wall.replace(tzinfo=dt.timezone(dt.timedelta(minutes=date.offset)))
        wall = aware.astimezone(ZoneInfo(zone or "UTC")).replace(tzinfo=None)
    return wall, wall + dt.timedelta(seconds=1 if date.second is not None else 60)


@st.composite
def events(draw: st.DrawFn) -> Event:
    zone = draw(st.sampled_from(ZONES))
    first = d(draw(date_texts()), zone)
    end = None
    if draw(st.booleans()):
        second = d(draw(date_texts()), zone)
        a, b = _oracle_span(first, zone), _oracle_span(second, zone)
        if b[1] < a[0]:
            first, second = second, first
        end = second
    ongoing = end is None and draw(st.integers(0, 5)) == 0
    event_id = draw(st.from_regex(r"[a-z]{1,6}", fullmatch=True))
    return Event(id=event_id, title="E", start=first, end=end, ongoing=ongoing, timezone=zone)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(events(), max_size=8, unique_by=lambda e: e.id),
    st.sampled_from([*ZONES, None]),
    st.none() | date_texts(),
    st.none() | date_texts(),
)
def test_filter_keeps_exactly_what_overlaps_the_window(evs, zone, since_text, until_text):
    tl = Timeline(id="t", title="T", timezone=zone, events=evs)
    since = Date.parse(since_text) if since_text else None
    until = Date.parse(until_text) if until_text else None
    low = _oracle_span(since, zone)[0] if since else dt.datetime.min
    high = _oracle_span(until, zone)[1] if until else dt.datetime.max
    if since and until and low >= high:
        with pytest.raises(ValueError):
            tl.filter(since=since, until=until)
        return
    expected = []
    for event in tl.events:
        first = _oracle_span(event.start, zone)[0]
        last = dt.datetime.max if event.ongoing else _oracle_span(event.end or event.start, zone)[1]
        if first < high and last > low:
            expected.append(event.id)
    assert ids(tl.filter(since=since, until=until)) == expected


# --- the command line -----------------------------------------------------------------


def run(runner, *args: str):
    return runner.invoke(cli, [*args, str(timeline.sample_path())])


def test_cli_since_drops_eras_before_the_window(runner):
    result = run(runner, "export", "-f", "json", "--since", "2022")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    titles = [era["title"] for era in data["eras"]]
    assert "Soviet patronage" not in titles
    assert "Wartime alignment" in titles


def test_cli_reversed_window_is_a_usage_error_naming_both_bounds(runner):
    result = run(runner, "show", "--since", "2025", "--until", "2024-06")
    assert result.exit_code == 2
    assert "--since 2025" in result.stderr and "--until 2024-06" in result.stderr


def test_cli_warns_about_a_tag_or_group_no_event_has(runner):
    result = run(runner, "show", "--tag", "treaties")
    assert result.exit_code == 0
    assert "no event has tag 'treaties' (did you mean 'treaty'?)" in result.stderr
    assert "0 events" in result.stdout
    result = run(runner, "show", "--group", "diplomacy")
    assert "no event is in group 'diplomacy' (did you mean 'Diplomacy'?)" in result.stderr
    result = run(runner, "show", "--group", "summits", "--tag", "treaty")
    assert "no event is in group 'summits'" in result.stderr
    assert "tag 'treaty'" not in result.stderr


def test_cli_since_a_time_is_read_in_the_timelines_zone(runner):
    result = run(runner, "show", "--since", "2024-06-19T10:00", "--until", "2024-06-19")
    assert result.exit_code == 0, result.output
    assert "Putin lands" not in result.stdout
    assert "sign the Treaty" in result.stdout
    result = run(runner, "show", "--since", "2024-06-19T02:22", "--until", "2024-06-19")
    assert "Putin lands" in result.stdout
