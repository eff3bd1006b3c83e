"""The model: ordering, filtering, immutability."""

from __future__ import annotations

import attrs
import pytest

from timeline import Date, Event, Timeline


def ev(id: str, start: str, end: str | None = None, **kw) -> Event:
    return Event(id=id, title=id.upper(), start=Date.parse(start), end=Date.parse(end) if end else None, **kw)


def test_events_are_kept_sorted_coarse_before_fine_ties_by_id():
    tl = Timeline(
        id="t",
        title="T",
        events=[
            ev("c", "1961-07-06"),
            ev("b", "1961"),
            ev("a", "1961"),
            ev("d", "1961-07"),
            ev("e", "1950"),
        ],
    )
    assert [e.id for e in tl] == ["e", "a", "b", "d", "c"]


def test_models_are_frozen_and_hashable():
    event = ev("a", "2000", extra={"k": [1, 2]})
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        event.title = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        event.extra["k"] = 3  # type: ignore[index]
    assert hash(event) == hash(ev("a", "2000", extra={"k": [1, 2]}))


def test_filter_by_tag_group_and_period_at_known_precision():
    tl = Timeline(
        id="t",
        title="T",
        events=[
            ev("old", "1961", tags=["treaty"], group="Diplomacy"),
            ev("war", "2022-02-24", ongoing=True, tags=["war"], related=["old"]),
            ev("span", "1950-06", "1953-07", tags=["war"]),
            ev("late", "2024-06-19", tags=["summit"], group="Diplomacy", related=["war"]),
        ],
    )
    assert [e.id for e in tl.filter(tags=["war"])] == ["span", "war"]
    assert [e.id for e in tl.filter(groups=["Diplomacy"])] == ["old", "late"]
    since = tl.filter(since=Date.parse("2023"))
    assert [e.id for e in since] == ["war", "late"]  # ongoing overlaps everything after its start
    assert since.get("war").related == ()  # the link to a filtered-out event is dropped
    assert [e.id for e in tl.filter(until=Date.parse("1961-01"))] == ["span", "old"]  # 1961 overlaps Jan 1961
    assert [e.id for e in tl.filter(since=Date.parse("1953-07-31"), until=Date.parse("1960"))] == ["span"]
    assert tl.filter() is tl
