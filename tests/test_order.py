"""Same-day order an author controls: the ``order`` field (issue 12, section 3)."""

from __future__ import annotations

import json
import re
import textwrap
import warnings

import attrs
import pytest

import timeline
from timeline import Date, Event, InvalidTimelineError, Timeline, validate
from timeline.fastpath import FastBuilder

ZONE = "Asia/Pyongyang"


def ev(id: str, start: str, **kw: object) -> Event:
    date = Date.parse(start)
    if date.is_local:
        date = date.in_zone(ZONE)
    return Event(id=id, title=id.replace("-", " ").title(), start=date, **kw)  # type: ignore[arg-type]


def ids(tl: Timeline) -> list[str]:
    return [event.id for event in tl]


def test_order_ranks_same_day_events_before_time_and_id():
    tl = Timeline(
        id="t",
        title="T",
        timezone=ZONE,
        events=[
            ev("signing", "2024-06-19"),
            ev("landing", "2024-06-19T02:22", order=-1),
            ev("dinner", "2024-06-19T20:00"),
            ev("bridge", "2024-06-19", order=1),
            ev("next-day", "2024-06-20", order=-1000),
            ev("day-before", "2024-06-18T23:00", order=1000),
        ],
    )
    # Day before and next day are unaffected by their orders; within 19 June:
    # order -1, then order 0 (day-precision first, then by time), then order 1.
    assert ids(tl) == ["day-before", "landing", "signing", "dinner", "bridge", "next-day"]


def test_order_default_keeps_the_old_rule_date_before_time_then_id():
    tl = Timeline(
        id="t",
        title="T",
        events=[ev("b", "2024-06-19T02:22"), ev("z", "2024-06-19"), ev("a", "2024-06-19")],
    )
    assert ids(tl) == ["a", "z", "b"]
    assert Event(id="x", title="X", start=Date(2024)).order == 0


def test_order_applies_within_a_month_or_year_bucket_not_across_days():
    tl = Timeline(
        id="t",
        title="T",
        events=[
            ev("june-19", "2024-06-19", order=-5),
            ev("june-a", "2024-06"),
            ev("june-b", "2024-06", order=-1),
            ev("year", "2024", order=5),
            ev("june-1", "2024-06-01", order=5),
        ],
    )
    # A coarser date still comes before the finer dates inside it, whatever the order.
    assert ids(tl) == ["year", "june-b", "june-a", "june-1", "june-19"]


def test_same_day_means_the_day_as_written_in_the_events_zone():
    # 23:30 on 18 June in Moscow is 05:30 on 19 June in Pyongyang, but it was written on 18 June.
    moscow = Event(
        id="moscow",
        title="Moscow",
        start=Date.parse("2024-06-18T23:30").in_zone("Europe/Moscow"),
        timezone="Europe/Moscow",
        order=5,
    )
    tl = Timeline(id="t", title="T", timezone=ZONE, events=[ev("pyongyang", "2024-06-19", order=-5), moscow])
    assert ids(tl) == ["moscow", "pyongyang"]


def test_sort_key_has_order_after_the_day():
    event = ev("a", "2024-06-19T02:22", order=-1)
    assert event.sort_key()[:4] == (2024, 6, 19, -1)
    assert event.sort_key()[-1] == "a"


SAMPLE_DOC = """
id: demo
title: Demo
timezone: Asia/Pyongyang
events:
  - id: treaty
    title: Treaty signed
    start: "2024-06-19"
  - id: landing
    title: Landing
    start: "2024-06-19T02:22"
    order: -1
  - id: bridge
    title: Bridge agreement
    start: "2024-06-19"
    order: 1
"""


@pytest.fixture(params=["fast", "careful"])
def load_path(request, monkeypatch):
    if request.param == "careful":
        monkeypatch.setattr(FastBuilder, "event", lambda self, raw, zone: None)
    return request.param


def test_both_load_paths_read_order(load_path):
    tl = timeline.load_bytes(textwrap.dedent(SAMPLE_DOC).encode(), input_format="yaml")
    assert ids(tl) == ["landing", "treaty", "bridge"]
    assert [e.order for e in tl] == [-1, 0, 1]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("true", "got true/false"),
        ("1.5", "got a number"),
        ("2.0", "got a number"),
        ('"1"', "got text"),
        ("1001", "1001 is not between -1000 and 1000"),
        ("-1001", "-1001 is not between -1000 and 1000"),
        ("100000000000000000000", "is not between -1000 and 1000"),
        ("[1]", "got list"),
    ],
)
def test_bad_order_is_a_located_problem_on_both_paths(load_path, value, message):
    doc = 'title: T\nevents:\n  - id: a\n    title: A\n    start: "2024"\n    order: ' + value + "\n"
    with pytest.raises(InvalidTimelineError) as info:
        timeline.load_bytes(doc.encode(), input_format="yaml")
    [problem] = info.value.problems
    assert problem.field == "order"
    assert problem.line == 6
    assert message in problem.message


@pytest.mark.parametrize("value", [-1000, 1000, 0, None])
def test_order_limits_are_accepted(load_path, value):
    raw = {"id": "a", "title": "A", "start": "2024", "order": value}
    tl = timeline.load_bytes(json.dumps({"title": "T", "events": [raw]}).encode(), input_format="json")
    assert tl.events[0].order == (value or 0)


def test_validate_checks_order_of_events_built_in_code():
    for bad in (True, 1.5, 5000):
        tl = Timeline(id="t", title="T", events=[attrs.evolve(ev("a", "2024"), order=bad)])
        with pytest.raises(InvalidTimelineError, match="order"):
            validate(tl)
    assert validate(Timeline(id="t", title="T", events=[ev("a", "2024", order=-7)]))


def test_canonical_json_writes_order_only_when_set_and_round_trips():
    tl = timeline.load_bytes(textwrap.dedent(SAMPLE_DOC).encode(), input_format="yaml")
    data = json.loads(timeline.export(tl, "json"))
    by_id = {e["id"]: e for e in data["events"]}
    assert by_id["landing"]["order"] == -1
    assert by_id["bridge"]["order"] == 1
    assert "order" not in by_id["treaty"]
    # documented field order: order right after the date fields
    assert list(by_id["landing"])[:4] == ["id", "title", "start", "order"]
    again = timeline.load_bytes(timeline.export(tl, "json"), input_format="json")
    assert again == tl


def test_toml_reads_order():
    doc = textwrap.dedent(
        """
        title = "T"
        timezone = "Asia/Pyongyang"
        [[events]]
        id = "treaty"
        title = "Treaty"
        start = 2024-06-19
        [[events]]
        id = "landing"
        title = "Landing"
        start = "2024-06-19T02:22"
        order = -1
        """
    )
    tl = timeline.load_bytes(doc.encode(), input_format="toml")
    assert ids(tl) == ["landing", "treaty"]
    again = timeline.load_bytes(timeline.export(tl, "json"), input_format="json")
    assert again == tl


# --- every exporter follows the order ------------------------------------------


EXPECTED = ["landing", "treaty", "bridge"]


@pytest.fixture
def same_day() -> Timeline:
    return timeline.load_bytes(textwrap.dedent(SAMPLE_DOC).encode(), input_format="yaml")


def test_markdown_follows_order(same_day):
    text = timeline.export(same_day, "markdown").decode()
    positions = [text.index(title) for title in ("Landing", "Treaty signed", "Bridge agreement")]
    assert positions == sorted(positions)


def test_json_follows_order(same_day):
    data = json.loads(timeline.export(same_day, "json"))
    assert [e["id"] for e in data["events"]] == EXPECTED


def test_ical_vevents_follow_order(same_day):
    text = timeline.export(same_day, "ical").decode()
    uids = re.findall(r"^UID:([^\r\n]*)", text, flags=re.MULTILINE)
    assert uids == [timeline.event_uid_text("demo", event_id) for event_id in EXPECTED]
    summaries = re.findall(r"^SUMMARY:([^\r\n]*)", text, flags=re.MULTILINE)
    assert summaries == ["Landing", "Treaty signed", "Bridge agreement"]


def test_timelinejs_slides_follow_order(same_day):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = json.loads(timeline.export(same_day, "timelinejs"))
    assert [slide["unique_id"] for slide in data["events"]] == EXPECTED


def test_sample_lands_before_signing():
    sample = timeline.sample()
    day = [e.id for e in sample if e.start.first_day() == (2024, 6, 19)]
    assert day[0] == "putin-arrives-pyongyang-2024"
    assert day.index("putin-arrives-pyongyang-2024") < day.index("treaty-2024-signed")
